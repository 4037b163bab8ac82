"""Claim checks: a battlefield claim read for side, direction and period, and checked against
the monthly figures of both sources (`python -m lib.claims check "SENTENCE"`)."""

from lib.claims.check import (
    CANNOT_CHECK,
    CONTRADICTED,
    SUPPORTED,
    Verdict,
    as_of_date,
    check_claim,
)
from lib.claims.parse import Claim, parse_claim
from lib.claims.words import understood, verdict_summary

__all__ = [
    "CANNOT_CHECK",
    "CONTRADICTED",
    "SUPPORTED",
    "Claim",
    "Verdict",
    "as_of_date",
    "check_claim",
    "parse_claim",
    "understood",
    "verdict_summary",
]
