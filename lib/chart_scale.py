"""The km² axis of the Overview chart: the whole range, or clipped so that a few huge months do
not flatten the rest, chosen automatically from the range's figures.

From February 2022 the whole war holds months of ±40,000–50,000 km² (the spring of 2022) beside
months of a few hundred (2023–2026): on one linear axis the later years are a flat line. When the
range's largest month exceeds OUTLIER_RATIO times the median month, the axis is clipped just above
the largest month that is not such an outlier, and the taller bars are labelled with their value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

FULL, CLIPPED = "full", "clipped"
# A month this many times the median month is an outlier. Measured on the bundled tables: the
# last 24 months peak at under 2× their median (ISW 757 vs 402 km², DeepStateMap 733 vs 294), so
# they keep the whole axis; the whole war peaks at 128× (ISW, April 2022) and 49× (DeepStateMap,
# September 2022), so it is clipped.
OUTLIER_RATIO = 6.0
# Room above the tallest bar (and for the disagreement markers), as a share of it.
HEADROOM = 0.18


@dataclass(frozen=True)
class ValueAxis:
    """The km² axis: `scale` used, its [bottom, top] range, the clip level (None when not
    clipped) and the months whose bars pass it, as (month, "gained" | "regained", km²)."""

    scale: str
    bottom_km2: float
    top_km2: float
    clipped_at_km2: float | None = None
    outliers: tuple[tuple[str, str, float], ...] = field(default=())

    @property
    def marker_level_km2(self) -> float:
        """Where markers above the bars sit: in the headroom, above the tallest drawn bar."""
        return self.top_km2 * (1 - HEADROOM / (2 * (1 + HEADROOM)))


def automatic_scale(monthly: pd.DataFrame) -> str:
    """CLIPPED when the range's largest month exceeds OUTLIER_RATIO × its median month, else
    FULL. A month's size is its larger bar (gained or regained); months without figures are
    left out."""
    sizes = _month_sizes(monthly)
    if len(sizes) < 3:
        return FULL
    median = float(sizes.median())
    if median <= 0:
        return FULL
    return CLIPPED if float(sizes.max()) > OUTLIER_RATIO * median else FULL


def value_axis(monthly: pd.DataFrame, scale: str | None = None) -> ValueAxis:
    """The axis for `monthly` (one row per month of the range) in `scale`, or the automatic
    choice when `scale` is None."""
    chosen = scale or automatic_scale(monthly)
    gained = _column(monthly, "gained_by_russia_km2")
    regained = _column(monthly, "regained_by_ukraine_km2")
    top, bottom = _largest(gained), _largest(regained)
    clip = None
    outliers: list[tuple[str, str, float]] = []
    if chosen == CLIPPED:
        clip = _clip_level(monthly)
        if clip is not None:
            for month, value in zip(monthly["month"], gained, strict=True):
                if not math.isnan(value) and value > clip:
                    outliers.append((str(month), "gained", value))
            for month, value in zip(monthly["month"], regained, strict=True):
                if not math.isnan(value) and value > clip:
                    outliers.append((str(month), "regained", value))
            top, bottom = min(top, clip), min(bottom, clip)
    top = max(top, 1.0) * (1 + HEADROOM)
    bottom = max(bottom, 1.0) * (1 + HEADROOM / 2)
    return ValueAxis(chosen, -bottom, top, clip, tuple(sorted(outliers)))


def _clip_level(monthly: pd.DataFrame) -> float | None:
    """The largest month that is not an outlier (OUTLIER_RATIO × median), or None when there
    is nothing to clip."""
    sizes = _month_sizes(monthly)
    if sizes.empty:
        return None
    limit = OUTLIER_RATIO * float(sizes.median())
    kept = sizes[sizes <= limit]
    if kept.empty or len(kept) == len(sizes):
        return None
    return float(kept.max())


def _month_sizes(monthly: pd.DataFrame) -> pd.Series:
    gained = pd.Series(_column(monthly, "gained_by_russia_km2"))
    regained = pd.Series(_column(monthly, "regained_by_ukraine_km2"))
    return pd.concat([gained, regained], axis=1).max(axis=1, skipna=True).dropna()


def _column(monthly: pd.DataFrame, column: str) -> list[float]:
    return [float(value) for value in pd.to_numeric(monthly[column], errors="coerce")]


def _largest(values: list[float]) -> float:
    finite = [value for value in values if not math.isnan(value)]
    return max(finite, default=0.0)
