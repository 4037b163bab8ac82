"""The side-by-side table of the two sources' monthly figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.sources.compare import (
    COMPARISON_COLUMNS,
    leader_disagreements,
    months_with_opposite_leaders,
    side_by_side,
)
from lib.territory import read_bundled_monthly


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
    assert months_with_opposite_leaders(table) == ["2026-03"]


def test_the_bundled_tables_show_the_known_disagreement_of_march_2026():
    table = side_by_side(read_bundled_monthly("isw"), read_bundled_monthly("deepstate"))
    march = table.set_index("month").loc["2026-03"]
    assert march["isw_net_change_russia_km2"] < 0 < march["deepstate_net_change_russia_km2"]
    assert march["note"].startswith("ISW: Ukraine regained ground; DeepStateMap: Russia gained")
    assert march["difference_km2"] == pytest.approx(
        march["deepstate_net_change_russia_km2"] - march["isw_net_change_russia_km2"]
    )
    assert "2026-03" in months_with_opposite_leaders(table)


def test_leader_disagreements_name_each_sources_leader_in_the_months_asked():
    isw = monthly(
        [
            ("2026-02", 126.0, "ok", dt.date(2026, 3, 1)),
            ("2026-03", -40.0, "ok", dt.date(2026, 4, 5)),
            ("2026-04", 20.0, "ok", dt.date(2026, 4, 30)),
        ]
    )
    deepstate = monthly(
        [
            ("2026-02", 100.0, "ok", dt.date(2026, 3, 2)),
            ("2026-03", 155.0, "ok", dt.date(2026, 3, 30)),
            ("2026-04", -5.0, "ok", dt.date(2026, 4, 30)),
        ]
    )
    assert leader_disagreements(isw, deepstate, ["2026-02", "2026-03"]) == {
        "2026-03": "ISW: Ukraine ahead by 40 km²; DeepStateMap: Russia ahead by 155 km²"
    }
    assert list(leader_disagreements(isw, deepstate, ["2026-04"])) == ["2026-04"]
