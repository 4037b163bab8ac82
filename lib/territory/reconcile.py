"""The figures the sources and the press publish per month, next to the app's for the same month.

`data/published_monthly.csv` holds one row per published figure, each with the address of the
report it was read in: DeepStateMap's monthly statements ("occupied" km², the growth of its
occupied polygon), AFP's monthly totals computed from ISW's maps ("advanced"), and ISW's own
counts ("net", or only the sign as "net_sign" when a report gives no figure). `compare_published`
puts the app's figure for the same source, counting and calendar month beside each one, with the
difference and the reason for it in words; the Data page and `python -m lib.territory
reconcile` only show what it returns.

Each publisher is compared with the app's table nearest its own definition
(COUNTING_OF_PUBLISHER): ISW's own counts include Kursk oblast, so they meet the with-Kursk
table; AFP's totals are of Ukrainian ground (its August 2024 total, 477 km² gained by Russia,
leaves the Ukrainian incursion into Kursk out) but add ISW's claimed layer, which no bundled
table has, so they meet the default table and the reason says so.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lib import config
from lib.territory.countings import ASSESSED, KURSK, LABELS
from lib.territory.kursk import KURSK_AFTER_LAST_MAP

PUBLISHED_COLUMNS = ["publisher", "month", "measure", "value_km2", "period", "url", "note"]
MEASURES = ("occupied", "advanced", "net", "net_sign")
# Which of the app's sources measures what each publisher counts.
SOURCE_OF_PUBLISHER = {"DeepStateMap": "deepstate", "AFP": "isw", "ISW": "isw"}
# The counting of the app's table that matches each publisher's definition best.
COUNTING_OF_PUBLISHER = {"DeepStateMap": ASSESSED, "AFP": ASSESSED, "ISW": KURSK}
COMPARISON_COLUMNS = [
    "publisher",
    "month",
    "measure",
    "published_km2",
    "app_source",
    "app_counting",
    "app_net_km2",
    "app_gained_km2",
    "app_regained_km2",
    "window",
    "difference_km2",
    "difference_percent",
    "reason",
    "url",
]


def read_published(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The published monthly figures (PUBLISHED_COLUMNS); FileNotFoundError when the file is
    missing, ValueError naming the row and field of the first problem."""
    path = Path(path) if path is not None else config.DATA_DIR / "published_monthly.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: missing (the table of published monthly figures)")
    table = pd.read_csv(path, dtype={"month": str, "period": str, "note": str})
    missing = [column for column in PUBLISHED_COLUMNS if column not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {', '.join(missing)}")
    for line, row in zip(range(2, len(table) + 2), table.itertuples(), strict=True):
        if row.publisher not in SOURCE_OF_PUBLISHER:
            raise ValueError(
                f"{path}, row {line}, publisher: {row.publisher!r} is not one of "
                f"{', '.join(SOURCE_OF_PUBLISHER)}"
            )
        if row.measure not in MEASURES:
            raise ValueError(
                f"{path}, row {line}, measure: {row.measure!r} is not one of {', '.join(MEASURES)}"
            )
        if not str(row.url).startswith("https://"):
            raise ValueError(f"{path}, row {line}, url: every figure needs its report's address")
        if row.measure != "net_sign" and pd.isna(row.value_km2):
            raise ValueError(f"{path}, row {line}, value_km2: a {row.measure} figure needs a value")
    return table[PUBLISHED_COLUMNS]


def compare_published(
    published: pd.DataFrame,
    monthly_by_source: Mapping[str, pd.DataFrame],
    counted: Mapping[tuple[str, str], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Each published figure beside the app's figure for the same source and month
    (COMPARISON_COLUMNS), from the table counted as the publisher counts
    (COUNTING_OF_PUBLISHER) where `counted` (keyed by (source, counting)) has it, else from the
    source's default table; `app_counting` names the one used. The difference is the app's net
    change minus the published figure, in km² and in % of the published figure; a month the app
    lacks has empty figures."""
    counted = counted or {}
    rows = []
    for figure in published.itertuples():
        source = SOURCE_OF_PUBLISHER[figure.publisher]
        counting = COUNTING_OF_PUBLISHER[figure.publisher]
        monthly = counted.get((source, counting))
        if monthly is None:
            counting, monthly = ASSESSED, monthly_by_source.get(source)
        app = None
        if monthly is not None and not monthly.empty:
            matches = monthly[monthly["month"] == figure.month]
            if not matches.empty and matches.iloc[0]["status"] != "gap":
                app = matches.iloc[0]
        value = None if pd.isna(figure.value_km2) else float(figure.value_km2)
        row = {
            "publisher": figure.publisher,
            "month": figure.month,
            "measure": figure.measure,
            "published_km2": value,
            "app_source": source,
            "app_counting": LABELS[counting],
            "app_net_km2": None,
            "app_gained_km2": None,
            "app_regained_km2": None,
            "window": None,
            "difference_km2": None,
            "difference_percent": None,
            "reason": "The app has no figures for this month from this source.",
            "url": figure.url,
        }
        if app is not None:
            net = float(app["net_change_russia_km2"])
            row.update(
                app_net_km2=net,
                app_gained_km2=float(app["gained_by_russia_km2"]),
                app_regained_km2=float(app["regained_by_ukraine_km2"]),
                window=window_text(app),
                reason=_reason(figure, app, counting),
            )
            if value is not None:
                row["difference_km2"] = net - value
                if value != 0:
                    row["difference_percent"] = (net - value) / abs(value) * 100
        rows.append(row)
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def window_text(month_row: pd.Series) -> str:
    """ "2024-05-01 22:31 UTC → 2024-06-01 06:57 UTC": the two snapshots a month compares."""
    return f"{_end_text(month_row, 'start')} → {_end_text(month_row, 'end')}"


def median_absolute_percent(comparison: pd.DataFrame) -> float:
    """Median of |difference %| over the rows that have one (NaN when none)."""
    values = comparison["difference_percent"].dropna().abs()
    return float(values.median()) if len(values) else math.nan


def _end_text(month_row: pd.Series, end: str) -> str:
    time = month_row.get(f"{end}_snapshot_time")
    if isinstance(time, str) and time:
        return f"{time[:10]} {time[11:16]} UTC"
    date = month_row.get(f"{end}_snapshot")
    return "—" if date is None or (isinstance(date, float) and math.isnan(date)) else str(date)


def _reason(figure, app: pd.Series, counting: str) -> str:
    """Why the app's net change and the published figure differ, in words."""
    reasons = []
    regained = float(app["regained_by_ukraine_km2"])
    if figure.publisher == "DeepStateMap":
        reasons.append(
            "Same maps (DeepStateMap's occupied polygon); DeepStateMap counts the ground newly "
            "occupied in the month, the app its net change between the two snapshots"
        )
        if figure.measure == "net_sign":
            reasons[-1] = (
                "DeepStateMap says Ukraine liberated more than it lost, but gives no figure; the "
                "app's DeepStateMap net is "
                + ("negative too" if app["net_change_russia_km2"] < 0 else "positive")
            )
        if regained >= 1:
            reasons.append(f"the app nets out {regained:,.0f} km² that left the occupied polygon")
        if app.get("grey_zone") != "separated":
            reasons.append(
                "the daily files have no grey zone, so ground moving in and out of it is inside "
                "the app's figures"
            )
    elif figure.publisher == "AFP":
        reasons.append(
            "The app counts ISW's assessed control ∪ assessed advances on Le Monde's weekly maps; "
            "AFP's totals, computed from ISW's daily maps, also count the ground Russia claims "
            "(a layer the weekly maps lack, so the app has no figures counted that way); both "
            "leave Kursk oblast out"
        )
        reasons.append("weekly maps put the month's ends up to 4 days off")
    elif counting == KURSK:
        reasons.append(
            "ISW counts from its daily maps, includes Kursk oblast and leaves out grey-zone "
            "infiltration; the app's figure here counts Kursk too (the salient's change on Le "
            "Monde's weekly maps of ISW's assessed control ∪ advances)"
        )
        if app.get("kursk") == KURSK_AFTER_LAST_MAP:
            reasons.append(
                "after the salient's last map (2025-06-29) the app holds it at its last extent"
            )
        reasons.append("weekly maps put the month's ends up to 4 days off")
    else:
        reasons.append(
            "The app counts ISW's assessed control ∪ assessed advances on Le Monde's weekly maps "
            "in Ukraine only; ISW counts from its daily maps, includes Kursk oblast and leaves "
            "out grey-zone infiltration"
        )
        reasons.append("weekly maps put the month's ends up to 4 days off")
    if isinstance(figure.period, str) and figure.period != "calendar month":
        reasons.append(f"the published figure covers {figure.period} only")
    if app["status"] == "partial":
        reasons.append("the app's window misses more than 7 days of the month")
    return "; ".join(reasons) + "."
