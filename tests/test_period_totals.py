"""A period's totals per source: sums over the months with figures, the others named."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lib.territory.totals import period_totals


def monthly(rows: list[tuple[str, float, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [row[0] for row in rows],
            "gained_by_russia_km2": [row[1] for row in rows],
            "regained_by_ukraine_km2": [row[2] for row in rows],
            "net_change_russia_km2": [row[1] - row[2] for row in rows],
            "status": [row[3] for row in rows],
            "as_of": [f"{row[0]}-28" for row in rows],
        }
    )


def test_totals_sum_the_months_with_figures_and_name_the_others():
    isw = monthly(
        [
            ("2026-02", np.nan, np.nan, "gap"),
            ("2026-03", 90.0, 140.0, "partial"),
            ("2026-04", 90.0, 89.0, "ok"),
        ]
    )
    deepstate = monthly(
        [(m, 100.0, 10.0, "ok") for m in ("2026-02", "2026-03", "2026-04", "2026-05")]
    )
    months = ["2026-02", "2026-03", "2026-04", "2026-05"]
    isw_total, deepstate_total = period_totals({"isw": isw, "deepstate": deepstate}, months)
    assert isw_total.source == "isw"
    assert (isw_total.gained_by_russia_km2, isw_total.regained_by_ukraine_km2) == (180.0, 229.0)
    assert isw_total.net_change_russia_km2 == -49.0
    assert isw_total.months_with_figures == ("2026-03", "2026-04")
    assert isw_total.missing_months == ("2026-02", "2026-05")
    assert isw_total.partial_months == ("2026-03",)
    assert isw_total.as_of == dt.date(2026, 4, 28)
    assert not isw_total.complete
    assert deepstate_total.net_change_russia_km2 == 360.0
    assert deepstate_total.complete


def test_a_period_without_any_figures_has_no_sums_not_zero():
    [total] = period_totals({"isw": monthly([("2026-04", 5.0, 1.0, "ok")])}, ["2026-06"])
    assert total.gained_by_russia_km2 is None
    assert total.net_change_russia_km2 is None
    assert total.missing_months == ("2026-06",)
