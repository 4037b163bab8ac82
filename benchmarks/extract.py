"""Speed of statement extraction on a 1,000-word article, against baselines timed in the same run.

Run: `.venv/bin/python benchmarks/extract.py [--words 1000] [--repeat 20]`

The article is the real pages of `tests/fixtures/real_articles/tuning`, joined in name order
until it holds at least `--words` words (real copy with its clutter, not one page repeated).
Three things are timed on exactly that text, each the median of `--repeat` runs:

1. the extractor: `extract_statements(text, published=…)` with the gazetteers already loaded
   (as the app and the CLI hold them);
2. trafilatura's own extraction of the same text wrapped as an HTML page (one `<p>` per line),
   the step every fetched URL already goes through before the extractor sees it;
3. a plain regex pass: every quotation and every sentence with "said"/"told", the cheapest
   thing that could be called extraction.

It prints the absolute times (wall and CPU: the machine is shared) and the extractor's ratio to
each baseline. The target for issue 14 is an absolute one (under 1 s for 1,000 words); the
ratios say whether a slow run is the machine's fault (baselines slow too) or the extractor's.
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.extract.engine import extract_statements  # noqa: E402
from lib.gazetteer import load_gazetteer  # noqa: E402

ARTICLES = ROOT / "tests" / "fixtures" / "real_articles" / "tuning"
PUBLISHED = date(2025, 6, 1)
_QUOTE = re.compile(r"[\"“«]([^\"”»]{3,}?)[\"”»]")
_SAID_SENTENCE = re.compile(r"[^.!?\n]*\b(?:said|told|says)\b[^.!?\n]*[.!?]")


def article_of(words: int) -> str:
    """Real pages joined with blank lines until the text has at least `words` words."""
    parts: list[str] = []
    count = 0
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8").strip()
        parts.append(text)
        count += len(text.split())
        if count >= words:
            return "\n\n".join(parts)
    raise SystemExit(f"only {count} words in {ARTICLES}; ask for fewer with --words")


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(median wall s, median CPU s, last result) over `repeat` calls after one warm-up call."""
    result = function()
    walls, cpus = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return statistics.median(walls), statistics.median(cpus), result


def regex_pass(text: str) -> list[str]:
    return [match.group(1) for match in _QUOTE.finditer(text)] + [
        match.group(0) for match in _SAID_SENTENCE.finditer(text)
    ]


def as_html(text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
    return (
        "<html><head><title>benchmark</title></head>"
        f"<body><article>{paragraphs}</article></body></html>"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()
    text = article_of(arguments.words)
    page = as_html(text)
    gazetteer = load_gazetteer()
    runs = {
        "extractor": lambda: extract_statements(text, published=PUBLISHED, gazetteer=gazetteer),
        "trafilatura": lambda: trafilatura.extract(page, include_comments=False),
        "regex pass": lambda: regex_pass(text),
    }
    words = len(text.split())
    print(f"article: {words} words, {len(text)} characters, {arguments.repeat} runs each")
    results = {}
    for name, function in runs.items():
        wall, cpu, result = timed(function, arguments.repeat)
        results[name] = (wall, cpu)
        size = len(result) if isinstance(result, (list, str)) else 0
        print(
            f"{name:12s} wall {wall * 1000:8.1f} ms  cpu {cpu * 1000:8.1f} ms  ({size} items/chars)"
        )
    wall, cpu = results["extractor"]
    for name in ("trafilatura", "regex pass"):
        base_wall, base_cpu = results[name]
        cpu_ratio = cpu / max(base_cpu, 1e-9)
        print(f"extractor / {name}: wall {wall / base_wall:.1f}x  cpu {cpu_ratio:.1f}x")
    verdict = "under" if wall < 1.0 else "OVER"
    print(f"extractor on {words} words: {wall:.3f} s wall ({verdict} the 1 s target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
