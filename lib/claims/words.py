"""A claim and its verdicts in words, for the app's cards, table column and "Check a claim" box."""

from __future__ import annotations

from collections.abc import Sequence

from lib.claims.check import CANNOT_CHECK, CONTRADICTED, SUPPORTED, Verdict
from lib.claims.parse import Claim
from lib.months import month_label
from lib.source_registry import short_label

VERDICT_WORDS = {
    SUPPORTED: "supported",
    CONTRADICTED: "contradicted",
    CANNOT_CHECK: "cannot be checked",
}
_SIDES = {"ukraine": "Ukraine", "russia": "Russia"}


def verdict_summary(verdicts: Sequence[Verdict]) -> str:
    """One line for a table cell: "ISW: cannot be checked · DeepStateMap: contradicted"."""
    return " · ".join(
        f"{short_label(verdict.source)}: {VERDICT_WORDS.get(verdict.verdict, verdict.verdict)}"
        for verdict in verdicts
    )


def understood(claim: Claim) -> str:
    """What the reader took from the sentence, part by part, with "?" where it could not tell:
    "Ukraine gained more ground than it lost · in each month, Apr 2026–May 2026 ("for two
    consecutive months") · cites ISW"."""
    side = _SIDES.get(claim.side or "", "?")
    if claim.side is None or claim.direction is None:
        what = "whose ground and which way: ?"
    elif claim.measure == "gained":
        what = f"{side} took {claim.amount_km2:,.0f} km²"
    elif claim.direction == "ahead":
        what = f"{side} gained more ground than it lost"
    else:
        what = f"{side} lost more ground than it gained"
    if claim.months:
        span = month_label(claim.months[0])
        if len(claim.months) > 1:
            span += f"–{month_label(claim.months[-1])}"
        period = ("in each month, " if claim.each_month else "in total, ") + span
        if len(claim.months) == 1:
            period = f"in {span}"
        if claim.period_text:
            period += f' ("{claim.period_text}")'
    else:
        period = "period: ?"
    cited = f"cites {short_label(claim.cited_source)}" if claim.cited_source else "cites no source"
    return " · ".join([what, period, cited, f"said on {claim.date:%Y-%m-%d}"])
