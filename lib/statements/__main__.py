"""Command line for the statements store: import, export, list, the bundled record (sync and
monthly coverage), one name per person, schema migrations, and rebuilding the seed CSV.

    python -m lib.statements import FILE [--format csv|json] [--added-by NAME]
    python -m lib.statements export [--format csv|json] [--out FILE] [filters]
    python -m lib.statements list [--from YYYY-MM] [--to YYYY-MM] [--stance S]... [--actor NAME]...
        [--speaker NAME]... [--affiliation NAME]... [--text WORDS]
    python -m lib.statements coverage [--from YYYY-MM] [--to YYYY-MM]
    python -m lib.statements sync-bundled
    python -m lib.statements merge-aliases [--edited-by NAME]
    python -m lib.statements migrate
    python -m lib.statements seed-from-articles DIR [--out data/seed_statements.csv]

Every command takes --database URL (default: DATABASE_URL, else data/statements.db).
Exit status: 0 done, 1 the input was refused (every problem is printed) or, for coverage, a
month falls short, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from lib.statements.database import (
    SEED_FILE,
    BundledRecordError,
    get_engine,
    migrate,
    sync_bundled,
)
from lib.statements.queries import (
    COVERAGE_FROM,
    COVERAGE_MINIMUM,
    COVERAGE_TO,
    export_statements,
    query_statements,
    statements_per_month,
)
from lib.statements.records import STANCES, listed_problems
from lib.statements.seed import write_seed_csv
from lib.statements.writes import MERGE_EDITOR, import_file, merge_aliases

QUOTE_WIDTH = 90


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.run(arguments)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except sa.exc.OperationalError as error:
        print(f"error: cannot use the database ({error.orig})", file=sys.stderr)
        return 1
    except BundledRecordError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.statements", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    importing = commands.add_parser("import", help="add the statements of a CSV or JSON file")
    importing.add_argument("file", type=Path)
    importing.add_argument("--format", choices=("csv", "json"), help="default: from the file name")
    importing.add_argument("--added-by", default="cli", help="recorded as added_by (default: cli)")
    _database_option(importing)
    importing.set_defaults(run=_import)

    exporting = commands.add_parser("export", help="write the statements as CSV or JSON")
    exporting.add_argument("--format", choices=("csv", "json"), default="csv")
    exporting.add_argument("--out", type=Path, help="file to write (default: standard output)")
    _filter_options(exporting)
    _database_option(exporting)
    exporting.set_defaults(run=_export)

    listing = commands.add_parser("list", help="print the statements, one per line")
    _filter_options(listing)
    _database_option(listing)
    listing.set_defaults(run=_list)

    covering = commands.add_parser(
        "coverage",
        help=f"statements per month; exit 1 when a month has fewer than {COVERAGE_MINIMUM}",
    )
    covering.add_argument("--from", dest="from_month", default=COVERAGE_FROM, metavar="YYYY-MM")
    covering.add_argument("--to", dest="to_month", default=COVERAGE_TO, metavar="YYYY-MM")
    _database_option(covering)
    covering.set_defaults(run=_coverage)

    syncing = commands.add_parser(
        "sync-bundled", help="add the bundled record's new rows, keeping what editors changed"
    )
    _database_option(syncing)
    syncing.set_defaults(run=_sync_bundled)

    merging = commands.add_parser(
        "merge-aliases",
        help="give stored statements their canonical speaker and affiliation, merging repeats",
    )
    merging.add_argument(
        "--edited-by",
        default=MERGE_EDITOR,
        help=f"recorded in the edit log (default: {MERGE_EDITOR})",
    )
    _database_option(merging)
    merging.set_defaults(run=_merge_aliases)

    migrating = commands.add_parser(
        "migrate", help="bring the database's schema to the newest revision"
    )
    _database_option(migrating)
    migrating.set_defaults(run=_migrate)

    seeding = commands.add_parser(
        "seed-from-articles", help="rewrite the seed CSV from the annotated articles"
    )
    seeding.add_argument("articles_dir", type=Path)
    seeding.add_argument("--out", type=Path, default=SEED_FILE)
    seeding.set_defaults(run=_seed)
    return parser


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL)")


def _filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="from_month", metavar="YYYY-MM")
    parser.add_argument("--to", dest="to_month", metavar="YYYY-MM")
    parser.add_argument(
        "--stance",
        action="append",
        default=[],
        choices=STANCES,
        metavar="S",
        help=f"repeatable; one of {', '.join(STANCES)}",
    )
    parser.add_argument(
        "--actor", action="append", default=[], metavar="NAME", help="a speaker or an affiliation"
    )
    parser.add_argument("--speaker", action="append", default=[], metavar="NAME")
    parser.add_argument("--affiliation", action="append", default=[], metavar="NAME")
    parser.add_argument("--text", help="case-insensitive text in quote, speaker or role")


def _filters(arguments: argparse.Namespace) -> dict[str, object]:
    return {
        "from_month": arguments.from_month,
        "to_month": arguments.to_month,
        "stances": arguments.stance,
        "actors": arguments.actor,
        "speakers": arguments.speaker,
        "affiliations": arguments.affiliation,
        "text": arguments.text,
    }


@contextmanager
def _store(arguments: argparse.Namespace, *, sync: bool = True) -> Iterator[sa.Engine]:
    """The store, migrated; with the bundled record synced in unless `sync` is False (for the
    commands that do the sync's work themselves and report it)."""
    engine = get_engine(arguments.database, seed=sync)
    try:
        yield engine
    finally:
        engine.dispose()


def _import(arguments: argparse.Namespace) -> int:
    with _store(arguments) as engine:
        report = import_file(
            engine, arguments.file, added_by=arguments.added_by, fmt=arguments.format
        )
    for error in listed_problems(report.errors):
        print(error, file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(report.summary(), file=sys.stderr if report.errors else sys.stdout)
    return 0 if report.ok else 1


def _export(arguments: argparse.Namespace) -> int:
    with _store(arguments) as engine:
        frame = query_statements(engine, **_filters(arguments))
    text = export_statements(frame, arguments.format)
    if arguments.out:
        arguments.out.write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text)
    return 0


def _list(arguments: argparse.Namespace) -> int:
    with _store(arguments) as engine:
        frame = query_statements(engine, **_filters(arguments))
    for row in frame.itertuples():
        quote = " ".join(row.quote.split())
        if len(quote) > QUOTE_WIDTH:
            quote = quote[: QUOTE_WIDTH - 1] + "…"
        print(f"{row.date.isoformat()}  #{row.id:<5} {row.stance:<17} {row.speaker}: {quote}")
    print(f"{len(frame)} statement(s)", file=sys.stderr)
    return 0


def _coverage(arguments: argparse.Namespace) -> int:
    with _store(arguments) as engine:
        counts = statements_per_month(
            engine, from_month=arguments.from_month, to_month=arguments.to_month
        )
    for month, count in counts.items():
        print(f"{month} {count}")
    short = [month for month, count in counts.items() if count < COVERAGE_MINIMUM]
    if short:
        print(
            f"{len(short)} of {len(counts)} month(s) have fewer than {COVERAGE_MINIMUM} "
            f"statements: {', '.join(short)}",
            file=sys.stderr,
        )
        return 1
    return 0


def _sync_bundled(arguments: argparse.Namespace) -> int:
    with _store(arguments, sync=False) as engine:
        report = sync_bundled(engine)
    print(report.summary())
    return 0


def _merge_aliases(arguments: argparse.Namespace) -> int:
    with _store(arguments, sync=False) as engine:
        report = merge_aliases(engine, edited_by=arguments.edited_by)
    print(report.summary())
    return 0


def _migrate(arguments: argparse.Namespace) -> int:
    before, after = migrate(arguments.database)
    if before == after:
        print(f"schema at revision {after}, the newest")
    else:
        print(f"schema upgraded from revision {before or '(none)'} to {after}")
    return 0


def _seed(arguments: argparse.Namespace) -> int:
    if not arguments.articles_dir.is_dir():
        print(
            f"error: {arguments.articles_dir} is not a folder of annotated articles",
            file=sys.stderr,
        )
        return 1
    count = write_seed_csv(arguments.articles_dir, arguments.out)
    print(f"{arguments.out}: {count} statements from {arguments.articles_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
