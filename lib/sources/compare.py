"""ISW and DeepStateMap month by month, side by side, with the difference and why they differ.

The two sources answer the same question with different maps: on the shared archives ISW's weekly
control layer puts March 2026 at a small net gain for Ukraine while DeepStateMap has Russia ahead in
every month from January to July 2026. The table keeps both figures and says, per month, what
explains a gap a reader would notice.
"""

from __future__ import annotations

import pandas as pd

COMPARISON_COLUMNS = [
    "month",
    "isw_net_change_russia_km2",
    "deepstate_net_change_russia_km2",
    "difference_km2",
    "isw_as_of",
    "deepstate_as_of",
    "note",
]
WHY_THEY_DIFFER = (
    "ISW maps territory it assesses Russian forces control and folds its separate "
    "'assessed advances' layer into control only from time to time, so its monthly changes are "
    "lumpy; DeepStateMap's 'occupied' area moves with each daily snapshot and leaves out its grey "
    "'unknown status' zone. Both include Crimea and the areas occupied before 2022. A month also "
    "ends on different snapshot dates: ISW's map date (often weekly) against DeepStateMap's "
    "evening snapshot."
)
# End snapshots further apart than this shift a month's figure by days of fighting; say so.
SNAPSHOT_GAP_NOTE_DAYS = 3


def side_by_side(isw_monthly: pd.DataFrame, deepstate_monthly: pd.DataFrame) -> pd.DataFrame:
    """One row per month in either table: both net changes (km², Russia's view), the difference
    (DeepStateMap − ISW), each end-snapshot date and a note on what explains the gap."""
    isw = _net_by_month(isw_monthly, "isw")
    deepstate = _net_by_month(deepstate_monthly, "deepstate")
    table = isw.merge(deepstate, on="month", how="outer").sort_values("month")
    table["difference_km2"] = (
        table["deepstate_net_change_russia_km2"] - table["isw_net_change_russia_km2"]
    )
    table["note"] = [_note(row) for row in table.itertuples(index=False)]
    table = table.drop(columns=["isw_status", "deepstate_status"])
    return table[COMPARISON_COLUMNS].reset_index(drop=True)


def months_with_opposite_leaders(table: pd.DataFrame) -> list[str]:
    """The months of a `side_by_side` table in which the two sources name different sides as
    ahead, oldest first."""
    return [
        row.month
        for row in table.sort_values("month").itertuples(index=False)
        if _leaders_differ(row.isw_net_change_russia_km2, row.deepstate_net_change_russia_km2)
    ]


def _leaders_differ(isw: float, deepstate: float) -> bool:
    if pd.isna(isw) or pd.isna(deepstate) or isw == 0 or deepstate == 0:
        return False
    return (isw > 0) != (deepstate > 0)


def _net_by_month(monthly: pd.DataFrame, source: str) -> pd.DataFrame:
    """Months with a figure (status "ok" or "partial"; a "gap" month has none)."""
    complete = monthly[monthly["status"] != "gap"]
    return pd.DataFrame(
        {
            "month": complete["month"].astype(str),
            f"{source}_net_change_russia_km2": complete["net_change_russia_km2"].astype(float),
            f"{source}_as_of": complete["as_of"],
            f"{source}_status": complete["status"],
        }
    )


def _note(row) -> str:
    isw, deepstate = row.isw_net_change_russia_km2, row.deepstate_net_change_russia_km2
    if pd.isna(isw) or pd.isna(deepstate):
        missing = "ISW" if pd.isna(isw) else "DeepStateMap"
        return f"no {missing} figure for this month"
    notes = []
    if _leaders_differ(isw, deepstate):
        notes.append(f"ISW: {_favours(isw)}; DeepStateMap: {_favours(deepstate)}")
    if "partial" in (row.isw_status, row.deepstate_status):
        notes.append("partial month in at least one source")
    gap = _days_apart(row.isw_as_of, row.deepstate_as_of)
    if gap is not None and gap > SNAPSHOT_GAP_NOTE_DAYS:
        notes.append(f"end snapshots {gap} days apart")
    return "; ".join(notes)


def _favours(net_km2: float) -> str:
    return "Russia gained ground" if net_km2 > 0 else "Ukraine regained ground"


def _days_apart(first, second) -> int | None:
    if first is None or second is None or pd.isna(first) or pd.isna(second):
        return None
    return abs((pd.Timestamp(first) - pd.Timestamp(second)).days)


def leader_disagreements(
    isw_monthly: pd.DataFrame, deepstate_monthly: pd.DataFrame, months: list[str]
) -> dict[str, str]:
    """Month → "ISW: Russia ahead by 46 km²; DeepStateMap: Ukraine ahead by 20 km²", for the
    months of `months` in which the two sources name different sides as ahead."""
    table = side_by_side(isw_monthly, deepstate_monthly)
    table = table[table["month"].isin(months)]
    nets = table.set_index("month")
    return {
        month: (
            f"ISW: {_ahead(nets.at[month, 'isw_net_change_russia_km2'])}; "
            f"DeepStateMap: {_ahead(nets.at[month, 'deepstate_net_change_russia_km2'])}"
        )
        for month in months_with_opposite_leaders(table)
    }


def _ahead(net_km2: float) -> str:
    side = "Russia" if net_km2 > 0 else "Ukraine"
    return f"{side} ahead by {abs(net_km2):,.0f} km²"
