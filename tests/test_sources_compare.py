"""The side-by-side table of the two sources' monthly figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.sources.compare import COMPARISON_COLUMNS, side_by_side


def monthly(rows: list[tuple[str, float, str, dt.date]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["month", "net_change_russia_km2", "status", "as_of"])


def test_difference_and_notes_per_month():
    isw = monthly(
        [
            ("2026-02", 126.0, "ok", dt.date(2026, 3, 1)),
            ("2026-03", -40.0, "ok", dt.date(2026, 4, 5)),
            ("2026-04", 10.0, "gap", dt.date(2026, 4, 12)),
        ]
    )
    deepstate = monthly(
        [
            ("2026-02", 126.0, "ok", dt.date(2026, 3, 2)),
            ("2026-03", 300.0, "ok", dt.date(2026, 3, 30)),
            ("2026-04", 250.0, "partial", dt.date(2026, 4, 20)),
        ]
    )
    table = side_by_side(isw, deepstate)
    assert list(table.columns) == COMPARISON_COLUMNS
    assert list(table["month"]) == ["2026-02", "2026-03", "2026-04"]
    assert list(table["difference_km2"].iloc[:2]) == [0.0, 340.0]
    assert table["note"].iloc[0] == ""
    assert table["note"].iloc[1] == (
        "ISW: Ukraine regained ground; DeepStateMap: Russia gained ground; "
        "end snapshots 6 days apart"
    )
    assert table["note"].iloc[2] == "no ISW figure for this month"
    assert pd.isna(table["difference_km2"].iloc[2])
