"""Check a parsed claim against the monthly figures of each source: supported, contradicted, or
cannot be checked (months without figures, named with the source's as-of date)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from lib.claims.parse import Claim
from lib.freshness import as_of_date
from lib.source_registry import short_label

SUPPORTED, CONTRADICTED, CANNOT_CHECK = "supported", "contradicted", "cannot_check"
# An area claim ("Russia captured 449 km² in May") is supported within this share of our figure:
# press figures use other windows and definitions (see the README's "Monthly change"), and a
# month measured between slightly different snapshots moves by about this much.
AMOUNT_TOLERANCE = 0.15


@dataclass(frozen=True)
class Verdict:
    """One source's answer to a claim, with the months and km² it rests on."""

    source: str
    verdict: str
    months: tuple[str, ...]
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "verdict": self.verdict,
            "months": list(self.months),
            "reason": self.reason,
        }


def check_claim(claim: Claim, monthly_by_source: Mapping[str, pd.DataFrame]) -> list[Verdict]:
    """One verdict per source in `monthly_by_source` (monthly tables with status and as_of)."""
    return [_check_one(claim, source, monthly) for source, monthly in monthly_by_source.items()]


def _check_one(claim: Claim, source: str, monthly: pd.DataFrame) -> Verdict:
    label = short_label(source)
    if not claim.understood:
        return Verdict(
            source, CANNOT_CHECK, claim.months, "Could not read " + "; ".join(claim.not_understood)
        )
    rows = monthly.set_index("month")
    usable = [
        month
        for month in claim.months
        if month in rows.index
        and rows.at[month, "status"] != "gap"
        and pd.notna(rows.at[month, "net_change_russia_km2"])
    ]
    missing = [month for month in claim.months if month not in usable]
    if missing:
        as_of = as_of_date(monthly)
        not_yet = as_of is not None and all(month > f"{as_of:%Y-%m}" for month in missing)
        return Verdict(
            source,
            CANNOT_CHECK,
            claim.months,
            f"No {label} figures{' yet' if not_yet else ''} for {', '.join(missing)} "
            f"({label} figures as of {_as_of(monthly)}).",
        )
    figures = [_month_figures(rows, month) for month in claim.months]
    holds = _holds(claim, rows)
    partial = [month for month in claim.months if rows.at[month, "status"] == "partial"]
    reason = f"{label}: " + "; ".join(figures) + "."
    if claim.measure == "gained":
        reason += f" The claim says {claim.amount_km2:,.0f} km² (within ±{AMOUNT_TOLERANCE:.0%})."
    if partial:
        reason += (
            f" Partial window for {', '.join(partial)} (the snapshots miss days of the month)."
        )
    occupied_only = _occupied_only_months(monthly, claim.months)
    if occupied_only:
        reason += (
            f" {label}'s figures for {', '.join(occupied_only)} come from files of the occupied "
            "area only: its grey 'unknown status' zone cannot be separated there, so ground "
            "that moved into or out of the grey zone counts as gained or lost."
        )
    return Verdict(source, SUPPORTED if holds else CONTRADICTED, claim.months, reason)


def _holds(claim: Claim, rows: pd.DataFrame) -> bool:
    nets = [float(rows.at[month, "net_change_russia_km2"]) for month in claim.months]
    # Positive when the claim's side came out ahead.
    signed = [net if claim.side == "russia" else -net for net in nets]
    if claim.measure == "gained":
        column = "gained_by_russia_km2" if claim.side == "russia" else "regained_by_ukraine_km2"
        ours = sum(float(rows.at[month, column]) for month in claim.months)
        return abs(ours - (claim.amount_km2 or 0.0)) <= AMOUNT_TOLERANCE * max(ours, 1.0)
    wanted = (lambda value: value > 0) if claim.direction == "ahead" else (lambda value: value < 0)
    if claim.each_month:
        return all(wanted(value) for value in signed)
    return wanted(sum(signed))


def _month_figures(rows: pd.DataFrame, month: str) -> str:
    gained = float(rows.at[month, "gained_by_russia_km2"])
    regained = float(rows.at[month, "regained_by_ukraine_km2"])
    net = float(rows.at[month, "net_change_russia_km2"])
    ahead = "Russia" if net > 0 else "Ukraine" if net < 0 else "neither side"
    return (
        f"{month} Russia +{gained:,.0f} km², Ukraine +{regained:,.0f} km², "
        f"net {ahead} ahead by {abs(net):,.0f} km²"
    )


def _as_of(monthly: pd.DataFrame) -> str:
    dates = pd.to_datetime(monthly["as_of"], errors="coerce").dropna()
    return f"{dates.max():%Y-%m-%d}" if len(dates) else "no date"


def _occupied_only_months(monthly: pd.DataFrame, months: tuple[str, ...]) -> list[str]:
    """The claim's months whose grey zone is not separable, in a source that separates it in
    other months (DeepStateMap's processed daily files against its raw API snapshots); a source
    that never has a grey zone (ISW) gets no such note."""
    if "grey_zone" not in monthly or not (monthly["grey_zone"] == "separated").any():
        return []
    not_separable = set(monthly.loc[monthly["grey_zone"] == "not separable", "month"])
    return [month for month in months if month in not_separable]
