"""Does the app server's memory stay flat over many reruns?

app.py freezes the objects alive after the first run (lib/heap.py) so that Streamlit's
collection after every run skips them; what is frozen is never collected. This drives month
changes (each one full script run) through headless Chromium and prints the server's resident
memory after a warm-up and after the rest, and the ratio end / warm-up.

Usage: python benchmarks/memory.py [--changes N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser_support import (
    CHROMIUM,
    REPO_ROOT,
    launch_chromium,
    offline_sources,
    streamlit_process,
)

sys.path.insert(0, str(REPO_ROOT))

from lib import territory
from lib.months import month_label
from lib.view_state import DEFAULT_RANGE_MONTHS

TIMEOUT_MS = 120_000
WARM_UP_CHANGES = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=300, help="month changes (default 300)")
    arguments = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    months = list(territory.read_bundled_monthly("isw")["month"].sort_values())
    months = months[-DEFAULT_RANGE_MONTHS:]
    with tempfile.TemporaryDirectory() as scratch_name, sync_playwright() as playwright:
        scratch = Path(scratch_name)
        environment = {
            "DATABASE_URL": f"sqlite:///{scratch / 'statements.db'}",
            **offline_sources(scratch / "cache"),
        }
        with streamlit_process(REPO_ROOT / "app.py", env=environment) as (url, server):
            context = launch_chromium(playwright, scratch / "profile")
            try:
                page = context.new_page()
                page.goto(f"{url}/")
                page.get_by_text("Statements in").first.wait_for(timeout=TIMEOUT_MS)
                for change in range(WARM_UP_CHANGES):
                    choose_month(page, months[change % (len(months) - 1)])
                warm = resident_mib(server.pid)
                for change in range(arguments.changes):
                    choose_month(page, months[change % (len(months) - 1)])
                end = resident_mib(server.pid)
            finally:
                context.close()

    print("app server's resident memory, each month change one full script run:")
    print(f"after {WARM_UP_CHANGES} month changes (warm-up): {warm:.1f} MiB")
    print(f"after {arguments.changes} more: {end:.1f} MiB ({end - warm:+.1f} MiB)")
    print(f"ratio end / warm-up: {end / warm:.3f}")


def choose_month(page, month: str) -> None:
    """Pick `month` in the Focused month box and wait until the Overview shows it."""
    box = page.get_by_test_id("stSelectbox").filter(has_text="Focused month")
    box.locator("input").click()
    page.keyboard.type(month)
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name=f"Statements in {month_label(month)}")
    heading.first.wait_for(timeout=TIMEOUT_MS)


def resident_mib(pid: int) -> float:
    """Resident set size of process `pid` in MiB, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


if __name__ == "__main__":
    main()
