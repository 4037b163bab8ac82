"""The km² axis: chosen automatically from the range, clipped above the largest ordinary month."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib import territory
from lib.chart_scale import CLIPPED, FULL, automatic_scale, value_axis


def months(gained: list[float], regained: list[float]) -> pd.DataFrame:
    labels = [str(m) for m in pd.period_range("2022-03", periods=len(gained), freq="M")]
    return pd.DataFrame(
        {"month": labels, "gained_by_russia_km2": gained, "regained_by_ukraine_km2": regained}
    )


def test_one_huge_month_among_ordinary_ones_is_clipped_and_listed():
    frame = months(
        [48_000.0, 300.0, 400.0, 500.0, 450.0, 350.0, np.nan],
        [100.0, 50_000.0, 90.0, 80.0, 70.0, 60.0, np.nan],
    )
    assert automatic_scale(frame) == CLIPPED
    axis = value_axis(frame)
    assert axis.clipped_at_km2 == 500.0
    assert axis.outliers == (("2022-03", "gained", 48_000.0), ("2022-04", "regained", 50_000.0))
    assert 500.0 < axis.top_km2 < 700.0
    assert -600.0 < axis.bottom_km2 < -100.0
    assert 500.0 < axis.marker_level_km2 < axis.top_km2


def test_ordinary_months_keep_the_whole_axis():
    frame = months([300.0, 700.0, 500.0], [100.0, 50.0, 90.0])
    assert automatic_scale(frame) == FULL
    axis = value_axis(frame)
    assert axis.clipped_at_km2 is None and axis.outliers == ()
    assert axis.top_km2 > 700.0


@pytest.mark.parametrize("scale", [FULL, CLIPPED])
def test_a_chosen_scale_is_used(scale):
    frame = months([48_000.0, 300.0, 400.0, 500.0], [100.0, 50.0, 90.0, 80.0])
    assert value_axis(frame, scale).scale == scale


def test_too_few_months_or_no_figures_stay_full():
    assert automatic_scale(months([40_000.0, 10.0], [0.0, 0.0])) == FULL
    assert value_axis(months([np.nan] * 3, [np.nan] * 3)).top_km2 > 0


@pytest.mark.parametrize("source", ["isw", "deepstate"])
def test_bundled_figures_whole_war_clipped_last_two_years_not(source):
    monthly = territory.read_bundled_monthly(source)
    assert automatic_scale(monthly) == CLIPPED
    assert automatic_scale(monthly.tail(24)) == FULL
