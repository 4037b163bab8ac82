"""Command line of the feeds and the review queue.

    python -m lib.feeds refresh [--feed kremlin|un|gdelt] [--since YYYY-MM-DD]
    python -m lib.feeds status
    python -m lib.feeds queue [--format csv|json] [--status pending|approved|rejected|off_topic|all]

Every command takes --database URL (default: DATABASE_URL, else data/statements.db). `refresh`
prints one line per feed and each problem on its own `problem:` line. Exit status: 0 done, 1 a
feed had problems (the others were still refreshed), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence

import sqlalchemy as sa

from lib import statements as store
from lib.feeds import queue, series
from lib.feeds.refresh import refresh
from lib.feeds.sources import FEED_NAMES, feed_urls


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.feeds", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    refreshing = commands.add_parser("refresh", help="read the feeds into the review queue")
    refreshing.add_argument("--feed", choices=FEED_NAMES, help="default: every feed")
    refreshing.add_argument("--since", type=_date, help="only items published from this day on")
    commands.add_parser("status", help="each feed's last refresh and its queue")
    listing = commands.add_parser("queue", help="print the review queue")
    listing.add_argument("--format", choices=("csv", "json"), default="csv")
    listing.add_argument(
        "--status", choices=(*queue.STATUSES, "all"), default=queue.PENDING, help="default: pending"
    )
    for command in commands.choices.values():
        command.add_argument("--database", help="SQLAlchemy URL (default: DATABASE_URL)")
    arguments = parser.parse_args(argv)
    # Retry notices of the HTTP client and of GDELT's pause, on stderr beside the progress lines.
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING, stream=sys.stderr)
    try:
        engine = store.get_engine(arguments.database)
        if arguments.command == "refresh":
            return _refresh(engine, arguments.feed, arguments.since)
        if arguments.command == "status":
            return _status(engine)
        statuses = () if arguments.status == "all" else (arguments.status,)
        print(_queue_text(queue.list_queue(engine, statuses), arguments.format), end="")
        return 0
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except sa.exc.OperationalError as error:
        print(f"error: cannot use the database ({error.orig})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: every article handled so far is queued", file=sys.stderr)
        return 130


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        message = f"{value!r} is not a date in the form YYYY-MM-DD"
        raise argparse.ArgumentTypeError(message) from None


def _refresh(engine: sa.Engine, feed: str | None, since: dt.date | None) -> int:
    reports = refresh(
        engine,
        feeds=(feed,) if feed else FEED_NAMES,
        since=since,
        progress=lambda message: print(message, file=sys.stderr),
    )
    for report in reports:
        print(report.summary())
        for problem in report.problems:
            print(f"problem: {problem}")
    return 0 if all(report.ok for report in reports) else 1


def _status(engine: sa.Engine) -> int:
    runs = queue.last_runs(engine)
    tallies = queue.counts(engine)
    for feed in FEED_NAMES:
        print(f"{feed} ({', '.join(feed_urls(feed))})")
        run = runs.get(feed)
        if run is None:
            print("  never refreshed: run `python -m lib.feeds refresh`")
        else:
            print(f"  last refresh {run['finished_at']:%Y-%m-%d %H:%M} UTC: {run['summary']}")
            for problem in run["problems"]:
                print(f"  problem: {problem}")
        tally = tallies.get(feed, {})
        articles = sum(number for key, number in tally.items() if key.startswith("articles_"))
        print(
            f"  {articles} article(s) handled; candidates: "
            + ", ".join(f"{tally.get(status, 0)} {status}" for status in queue.STATUSES)
        )
    cached = series.read_series()
    if cached is None or cached.empty:
        print("diplomacy series: not fetched yet (refresh the gdelt feed)")
    else:
        print(
            f"diplomacy series: {len(cached)} month(s), {cached['month'].iloc[0]} … "
            f"{cached['month'].iloc[-1]}, fetched {cached['fetched_on'].iloc[-1]} "
            f"({series.series_path()})"
        )
    return 0


def _queue_text(frame, fmt: str) -> str:
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for row in rows:
        for name in ("date", "queued_at", "reviewed_at"):
            if row[name] is not None:
                row[name] = row[name].isoformat()
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    return store.records_to_csv(rows, queue.QUEUE_COLUMNS)


if __name__ == "__main__":
    sys.exit(main())
