"""Command line: `python -m lib.territory monthly|series|bundle|reconcile ...` (see --help)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pandas as pd

from lib.territory.bundle import read_bundled_monthly, write_bundle
from lib.territory.change import MONTHLY_COLUMNS, monthly_change, snapshot_series
from lib.territory.countings import ASSESSED, COUNTINGS, KURSK
from lib.territory.kursk import load_salient, with_kursk
from lib.territory.readers import UnreadableFile
from lib.territory.recipes import RECIPES
from lib.territory.reconcile import compare_published, median_absolute_percent, read_published
from lib.territory.snapshots import load_snapshots

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, UnreadableFile, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib.territory", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    monthly = commands.add_parser(
        "monthly",
        help="km² gained/regained per month for a folder or file of snapshots",
        description=(
            "Print the monthly table. SOURCE is a folder of dated snapshot files, one file with a "
            "date column, or 'isw'/'deepstate' for the bundled table. CSV has exactly the 7 "
            "monthly columns (gap months have empty figures; partial months are noted on "
            "stderr); JSON adds status and as_of."
        ),
    )
    _snapshot_arguments(monthly)
    monthly.add_argument("--from", dest="from_month", metavar="YYYY-MM", type=_month)
    monthly.add_argument("--to", dest="to_month", metavar="YYYY-MM", type=_month)
    monthly.add_argument("--format", choices=("csv", "json"), default="csv")
    monthly.set_defaults(run=_run_monthly)

    series = commands.add_parser("series", help="held area per snapshot and change since previous")
    _snapshot_arguments(series)
    series.add_argument("--format", choices=("csv", "json"), default="csv")
    series.set_defaults(run=_run_series)

    bundle = commands.add_parser(
        "bundle", help="rebuild data/monthly_<source>.csv from the archives"
    )
    bundle.add_argument("archive_dir", metavar="ARCHIVE_DIR", type=Path)
    bundle.add_argument("--out", type=Path, default=Path("data"))
    bundle.set_defaults(run=_run_bundle)

    reconcile = commands.add_parser(
        "reconcile",
        help="the bundled figures beside the monthly figures the sources and the press publish",
        description=(
            "Print, for DeepStateMap's single calendar-month figures between --from and --to, the "
            "published figure, the app's net change, its window and the difference, with the "
            "median absolute difference; then ISW's figures with and without Kursk oblast from "
            "--kursk-from to --kursk-to beside AFP's and ISW's published figures; then every "
            "published figure of the --seed months beside the app's, with the reason they differ."
        ),
    )
    reconcile.add_argument("--published", type=Path, help="default: data/published_monthly.csv")
    reconcile.add_argument("--from", dest="from_month", default="2024-03", type=_month)
    reconcile.add_argument("--to", dest="to_month", default="2026-02", type=_month)
    reconcile.add_argument(
        "--seed", nargs="*", default=["2026-04", "2026-05", "2026-06"], type=_month
    )
    reconcile.add_argument("--kursk-from", default="2024-08", type=_month)
    reconcile.add_argument("--kursk-to", default="2025-05", type=_month)
    reconcile.set_defaults(run=_run_reconcile)
    return parser


def _snapshot_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("snapshots", metavar="SOURCE")
    parser.add_argument("--source", choices=sorted(RECIPES), help="which source's recipe to apply")
    parser.add_argument(
        "--layers",
        help="comma-separated held layers (isw: control,advances,infiltration; "
        "deepstate: occupied,crimea,ordlo); default: the source's recipe",
    )
    parser.add_argument(
        "--counting",
        choices=COUNTINGS,
        default=ASSESSED,
        help="isw: 'kursk' counts the Kursk salient's change too, as ISW's own monthly counts do "
        "(monthly only); 'claimed' adds ISW's claimed Russian control, as AFP's totals count it",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument("--verbose", action="store_true", help="list every repair and skipped file")


def _month(value: str) -> str:
    if not MONTH.match(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a month (YYYY-MM)")
    return value


def _load(args: argparse.Namespace):
    snapshots = load_snapshots(
        args.snapshots,
        source=args.source,
        layers=args.layers,
        cache=not args.no_cache,
        # Kursk is counted on the monthly table (kursk.with_kursk), not as a layer.
        counting=ASSESSED if args.counting == KURSK else args.counting,
    )
    problems = snapshots.attrs.get("problems", [])
    if args.verbose:
        for problem in problems:
            print(f"note: {problem}", file=sys.stderr)
    elif problems:
        print(
            f"note: {len(problems)} repairs or skipped files; --verbose lists them", file=sys.stderr
        )
    return snapshots


def _run_monthly(args: argparse.Namespace) -> int:
    if args.snapshots in ("isw", "deepstate") and not Path(args.snapshots).exists():
        if args.layers or args.source:
            raise ValueError(
                f"the bundled {args.snapshots} table has a fixed recipe; --layers and --source "
                "apply to a folder or file of snapshots"
            )
        monthly = read_bundled_monthly(args.snapshots, counting=args.counting)
    else:
        monthly = monthly_change(_load(args))
        if args.counting == KURSK:
            if not Path(args.snapshots).is_dir():
                raise ValueError("--counting kursk needs a folder holding the salient's files")
            monthly = with_kursk(monthly, load_salient(args.snapshots))
    if args.from_month:
        monthly = monthly[monthly["month"] >= args.from_month]
    if args.to_month:
        monthly = monthly[monthly["month"] <= args.to_month]
    if args.format == "json":
        print(_json(monthly))
        return 0
    for row in monthly.itertuples():
        if row.status != "ok":
            print(f"note: {row.month} is {row.status} (as of {row.as_of})", file=sys.stderr)
    sys.stdout.write(monthly[MONTHLY_COLUMNS].to_csv(index=False, float_format="%.3f"))
    return 0


def _run_series(args: argparse.Namespace) -> int:
    if args.counting == KURSK:
        raise ValueError("--counting kursk applies to monthly figures (the `monthly` command)")
    series = snapshot_series(_load(args))
    if args.format == "json":
        print(_json(series))
    else:
        sys.stdout.write(series.to_csv(index=False, float_format="%.3f"))
    return 0


def _run_bundle(args: argparse.Namespace) -> int:
    if not args.archive_dir.is_dir():
        raise FileNotFoundError(f"{args.archive_dir}: no such folder")
    for path in write_bundle(args.archive_dir, args.out):
        print(f"wrote {path}")
    return 0


def _run_reconcile(args: argparse.Namespace) -> int:
    monthly = {source: read_bundled_monthly(source) for source in ("isw", "deepstate")}
    with_kursk_table = read_bundled_monthly("isw", counting=KURSK)
    comparison = compare_published(
        read_published(args.published), monthly, {("isw", KURSK): with_kursk_table}
    )
    deepstate = comparison[
        (comparison["publisher"] == "DeepStateMap")
        & (comparison["measure"] == "occupied")
        & comparison["month"].between(args.from_month, args.to_month)
    ]
    print(f"DeepStateMap's monthly figures {args.from_month} … {args.to_month}, km²")
    print(f"{'month':8} {'published':>9} {'app net':>8} {'diff %':>7}  window")
    for row in deepstate.itertuples():
        print(
            f"{row.month:8} {row.published_km2:9.0f} {_number(row.app_net_km2, '8.0f')} "
            f"{_number(row.difference_percent, '+7.1f')}  {row.window or '—'}"
        )
    median = median_absolute_percent(deepstate)
    print(
        f"median |difference| over {deepstate['difference_percent'].notna().sum()} months: "
        f"{median:.1f} %"
    )
    _print_kursk_months(monthly["isw"], with_kursk_table, comparison, args)
    for month in args.seed:
        print(f"\n{month}")
        for source, table in monthly.items():
            rows = table[table["month"] == month]
            if rows.empty or rows.iloc[0]["status"] == "gap":
                print(f"  app {source}: no figures")
                continue
            row = rows.iloc[0]
            print(
                f"  app {source}: gained {row['gained_by_russia_km2']:.0f}, regained "
                f"{row['regained_by_ukraine_km2']:.0f}, net {row['net_change_russia_km2']:+.0f} "
                f"({row['status']}; {row['start_snapshot']} → {row['end_snapshot']})"
            )
        for row in comparison[comparison["month"] == month].itertuples():
            published = "no figure" if pd.isna(row.published_km2) else f"{row.published_km2:+.0f}"
            print(f"  {row.publisher} {row.measure}: {published} — {row.reason} ({row.url})")
    return 0


def _print_kursk_months(
    default: pd.DataFrame, counted: pd.DataFrame, comparison: pd.DataFrame, args
) -> None:
    """ISW's monthly net without and with Kursk oblast, and what AFP and ISW published."""
    print(f"\nISW with and without Kursk oblast {args.kursk_from} … {args.kursk_to}, km²")
    print(
        f"{'month':8} {'net':>6} {'Kursk→RU':>8} {'Kursk→UA':>8} {'net+K':>6} {'salient':>7}  "
        "published"
    )
    months = default[default["month"].between(args.kursk_from, args.kursk_to)]
    counted = counted.set_index("month")
    for row in months.itertuples():
        kursk = counted.loc[row.month]
        published = comparison[
            (comparison["month"] == row.month) & comparison["publisher"].isin(("AFP", "ISW"))
        ]
        figures = "; ".join(
            f"{figure.publisher} {figure.measure} {figure.published_km2:.0f}"
            for figure in published.itertuples()
            if not pd.isna(figure.published_km2)
        )
        print(
            f"{row.month:8} {_number(row.net_change_russia_km2, '+6.0f')} "
            f"{_number(kursk['kursk_gained_by_russia_km2'], '8.0f')} "
            f"{_number(kursk['kursk_gained_by_ukraine_km2'], '8.0f')} "
            f"{_number(kursk['net_change_russia_km2'], '+6.0f')} "
            f"{kursk['kursk_salient_km2']:7.0f}  {figures or '—'}"
        )


def _number(value, spec: str) -> str:
    width = int(spec.lstrip("+").split(".")[0])
    return "—".rjust(width) if value is None or pd.isna(value) else format(value, spec)


def _json(frame: pd.DataFrame) -> str:
    records = json.loads(frame.to_json(orient="records", date_format="iso", double_precision=3))
    for record in records:
        for key, value in record.items():
            if isinstance(value, str) and value.endswith("T00:00:00.000"):
                record[key] = value[:10]
    return json.dumps(records, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    sys.exit(main())
