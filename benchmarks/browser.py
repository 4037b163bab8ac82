"""How fast the dashboard draws, against a bare Streamlit page with one plotly chart, in one run.

Both servers run on loopback at the same time and are driven by the same headless Chromium
(Debian's /usr/bin/chromium). For each page it measures
  - load: from navigation to a drawn plotly chart (.main-svg), and
  - month change: from choosing another month in the "Focused month" box to the page showing
    "Statements in <that month>" (the bare page prints the same line under its chart),
after one warm-up round, alternating the two pages run by run, and prints the medians and
the ratios app / bare (target ≤ 1.5).

Usage: python benchmarks/browser.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser_support import (
    CHROMIUM,
    REPO_ROOT,
    launch_chromium,
    offline_sources,
    streamlit_server,
)

sys.path.insert(0, str(REPO_ROOT))

from lib import territory
from lib.view_state import DEFAULT_RANGE_MONTHS, month_label

TIMEOUT_MS = 120_000

BARE_PAGE = textwrap.dedent(
    """
    import plotly.graph_objects as go
    import streamlit as st

    MONTHS = {months!r}
    VALUES = {values!r}
    month = st.selectbox("Focused month", MONTHS, index=len(MONTHS) - 1)
    colours = ["#c62828" if m != month else "#ffb300" for m in MONTHS]
    st.plotly_chart(go.Figure(go.Bar(x=MONTHS, y=VALUES, marker_color=colours)))
    st.subheader(f"Statements in {{month}}")
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per page (default 5)")
    arguments = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    monthly = territory.read_bundled_monthly("isw").sort_values("month")
    recent = monthly.tail(DEFAULT_RANGE_MONTHS)
    months = list(recent["month"])
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        bare_script = scratch / "bare.py"
        bare_script.write_text(
            BARE_PAGE.format(
                months=[month_label(month) for month in months],
                values=[float(value) for value in recent["gained_by_russia_km2"].fillna(0)],
            )
        )
        app_environment = {
            "DATABASE_URL": f"sqlite:///{scratch / 'statements.db'}",
            **offline_sources(scratch / "cache"),
        }
        with (
            streamlit_server(REPO_ROOT / "app.py", env=app_environment) as app_url,
            streamlit_server(bare_script) as bare_url,
            sync_playwright() as playwright,
        ):
            context = launch_chromium(playwright, scratch / "profile")
            try:
                pages = {
                    "app": (f"{app_url}/", months, lambda month: month),
                    "bare": (f"{bare_url}/", months, month_label),
                }
                results: dict[str, dict[str, list[float]]] = {
                    name: {"load": [], "month change": []} for name in pages
                }
                # Alternate the two pages run by run, so a busy moment on the machine falls
                # on both rather than on whichever happened to be measured then.
                for run in range(arguments.runs + 1):
                    for name, (url, choices, as_option) in pages.items():
                        loaded, changed = measure_once(context, url, choices, as_option, run)
                        if run:
                            results[name]["load"].append(loaded)
                            results[name]["month change"].append(changed)
            finally:
                context.close()

    print(f"runs per page: {arguments.runs} (after one warm-up), medians in seconds")
    print(f"{'':14}{'app':>8}{'bare':>8}{'ratio':>8}")
    for metric in ("load", "month change"):
        app_seconds = statistics.median(results["app"][metric])
        bare_seconds = statistics.median(results["bare"][metric])
        print(f"{metric:14}{app_seconds:8.3f}{bare_seconds:8.3f}{app_seconds / bare_seconds:8.2f}")
    print("target: ratio ≤ 1.50")


def measure_once(context, url: str, months: list[str], as_option, run: int) -> tuple[float, float]:
    """Seconds to a drawn chart after navigation, and to the new month after choosing it."""
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(".main-svg", timeout=TIMEOUT_MS)
        loaded = time.perf_counter() - started
        page.get_by_text("Statements in").first.wait_for(timeout=TIMEOUT_MS)

        target = months[-2 - run % (len(months) - 1)]
        box = page.get_by_test_id("stSelectbox").filter(has_text="Focused month")
        box.locator("input").click()
        page.keyboard.type(as_option(target))
        started = time.perf_counter()
        page.keyboard.press("Enter")
        page.get_by_text(f"Statements in {month_label(target)}").first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_selector(".main-svg", timeout=TIMEOUT_MS)
        return loaded, time.perf_counter() - started
    finally:
        page.close()


if __name__ == "__main__":
    main()
