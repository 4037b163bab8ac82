"""A period's totals per source: km² gained by Russia, regained by Ukraine and net over a range
of months, with the months each source lacks, so two sources can be read side by side.

A total is summed over the months that have figures; the months without (a gap, or past the
source's last snapshot) are named, never counted as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from lib.freshness import as_of_date


@dataclass(frozen=True)
class PeriodTotal:
    """One source's totals over `months` (km², Russia's view for the net); the sums are None
    when no month of the period has figures."""

    source: str
    months: tuple[str, ...]
    gained_by_russia_km2: float | None
    regained_by_ukraine_km2: float | None
    net_change_russia_km2: float | None
    months_with_figures: tuple[str, ...]
    missing_months: tuple[str, ...]
    partial_months: tuple[str, ...]
    as_of: dt.date | None

    @property
    def complete(self) -> bool:
        """Every month of the period has figures."""
        return not self.missing_months


def period_totals(
    monthly_by_source: Mapping[str, pd.DataFrame], months: Sequence[str]
) -> list[PeriodTotal]:
    """One PeriodTotal per source, in the mapping's order, over `months` ("YYYY-MM")."""
    return [
        _period_total(source, monthly, tuple(months))
        for source, monthly in monthly_by_source.items()
    ]


def _period_total(source: str, monthly: pd.DataFrame, months: tuple[str, ...]) -> PeriodTotal:
    rows = monthly[monthly["month"].isin(months)]
    with_figures = rows[(rows["status"] != "gap") & rows["net_change_russia_km2"].notna()]
    present = set(with_figures["month"])
    partial = with_figures.loc[with_figures["status"] == "partial", "month"]

    def total(column: str) -> float | None:
        return float(with_figures[column].sum()) if len(with_figures) else None

    return PeriodTotal(
        source=source,
        months=months,
        gained_by_russia_km2=total("gained_by_russia_km2"),
        regained_by_ukraine_km2=total("regained_by_ukraine_km2"),
        net_change_russia_km2=total("net_change_russia_km2"),
        months_with_figures=tuple(month for month in months if month in present),
        missing_months=tuple(month for month in months if month not in present),
        partial_months=tuple(sorted(partial)),
        as_of=as_of_date(monthly),
    )
