"""`python -m lib.sources refresh [--source NAME] [--since YYYY-MM-DD] [--if-older-than SECONDS]`
and `... status`."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys

from tqdm import tqdm

from lib.http import FetchError, HttpClient, HttpSettings
from lib.sources.cache import store_location
from lib.sources.schedule import refresh_if_due
from lib.sources.updater import FETCHER_NAMES, refresh, status


class _TqdmHandler(logging.Handler):
    """Retry notices printed above the progress bar instead of through it."""

    def emit(self, record: logging.LogRecord) -> None:
        tqdm.write(self.format(record), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.sources", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    refresh_parser = commands.add_parser("refresh", help="download new snapshots into the cache")
    refresh_parser.add_argument(
        "--source", choices=FETCHER_NAMES, help="default: isw and deepstate"
    )
    refresh_parser.add_argument("--since", type=_date, help="only snapshots from this date on")
    refresh_parser.add_argument(
        "--attempts",
        type=int,
        default=HttpSettings().attempts,
        help="tries per request before giving up (default %(default)s; 1 for a quick check)",
    )
    refresh_parser.add_argument(
        "--if-older-than",
        type=int,
        metavar="SECONDS",
        help="a scheduled run: refresh every live source only when none is being refreshed "
        "(on any replica sharing the store) and the last refresh started SECONDS ago or more",
    )
    commands.add_parser("status", help="coverage, age and problems of each cached source")
    arguments = parser.parse_args(argv)

    handler = _TqdmHandler()
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    logging.getLogger("lib.http").addHandler(handler)  # the client's "retrying in …" warnings
    try:
        if arguments.command == "refresh":
            client = HttpClient(HttpSettings(attempts=max(1, arguments.attempts)))
            if arguments.if_older_than is not None:
                if arguments.source or arguments.since:
                    parser.error("--if-older-than refreshes every live source in full")
                return _scheduled(dt.timedelta(seconds=arguments.if_older_than), client)
            return _refresh(arguments.source, arguments.since, client)
        return _status()
    except (FetchError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the cache keeps every snapshot stored so far", file=sys.stderr)
        return 130


def _refresh(source: str | None, since: dt.date | None, client: HttpClient) -> int:
    with tqdm(unit="snapshot", file=sys.stderr, dynamic_ncols=True) as bar:

        def progress(done: int, total: int, message: str) -> None:
            bar.total = total
            bar.n = done
            bar.set_description(message)
            bar.refresh()

        summary = refresh(source, since, progress, client=client)
    for problem in summary.problems:
        print(f"problem: {problem}", file=sys.stderr)
    print(f"{summary.line()} (cache: {store_location()})")
    return 0 if summary.ok else 1


def _scheduled(interval: dt.timedelta, client: HttpClient) -> int:
    outcome = refresh_if_due(interval, run_refresh=lambda: refresh(client=client))
    if outcome.summary is not None:
        for problem in outcome.summary.problems:
            print(f"problem: {problem}", file=sys.stderr)
    print(f"{outcome.reason} (cache: {store_location()})")
    return 0 if outcome.summary is None or outcome.summary.ok else 1


def _status() -> int:
    table = status()
    for row in table.itertuples(index=False):
        if row.snapshots:
            coverage = (
                f"{row.snapshots} snapshots ({row.layers}), {row.first_date} … {row.last_date}"
            )
            age = f"newest is {row.age_days} day(s) old"
        else:
            coverage, age = "nothing cached", "run `python -m lib.sources refresh`"
        refreshed = f"last refresh {row.last_refresh}" if row.last_refresh else "never refreshed"
        print(f"{row.source}: {coverage}; {age}; {row.quarantined} quarantined; {refreshed}")
        for problem in row.problems:
            print(f"  problem: {problem}")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


if __name__ == "__main__":
    sys.exit(main())
