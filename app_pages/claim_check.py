"""Claim checks in the pages: the verdicts of a battlefield claim on its card, a column for the
Statements table, and the Overview's "Check a claim" box. Not a page: helpers the pages call.

The checking itself is `lib.claims`, through `lib.cached.claim_check`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from app_pages.statement_cards import escape_markdown
from lib import cached, claims
from lib.claims.words import VERDICT_WORDS
from lib.freshness import today_utc
from lib.source_registry import short_label

BATTLEFIELD_CLAIM = "battlefield_claim"
VERDICT_COLUMN = "claim_check"
# For `st.dataframe(column_config=…)` beside VERDICT_COLUMN.
VERDICT_COLUMN_CONFIG = st.column_config.TextColumn(
    "Claim check",
    help="Battlefield claims checked against ISW's and DeepStateMap's monthly figures "
    "(details on the Overview's card of the statement).",
    width="medium",
)
VERDICT_BADGES = {
    claims.SUPPORTED: "green",
    claims.CONTRADICTED: "orange",
    claims.CANNOT_CHECK: "gray",
}
EXAMPLE_CLAIM = "Ukraine has retaken more territory than it has lost for two consecutive months"


def statement_verdicts(
    statement: Mapping[str, object],
) -> tuple[claims.Claim, tuple[claims.Verdict, ...]] | None:
    """The claim and verdicts of a `battlefield_claim` statement, None for any other stance."""
    if statement.get("stance") != BATTLEFIELD_CLAIM:
        return None
    date = statement.get("date")
    said_on = pd.Timestamp(date).date() if date is not None else today_utc()
    return cached.claim_check(str(statement.get("quote") or ""), said_on)


def with_verdict_column(table: pd.DataFrame) -> pd.DataFrame:
    """`table` (one row per statement) with VERDICT_COLUMN: "ISW: … · DeepStateMap: …" for a
    battlefield claim, empty for other stances."""
    shown = table.copy()
    shown[VERDICT_COLUMN] = [
        claims.verdict_summary(checked[1]) if checked else ""
        for checked in (statement_verdicts(record) for record in table.to_dict("records"))
    ]
    return shown


def verdicts_markdown(claim: claims.Claim, verdicts: Sequence[claims.Verdict]) -> str:
    """The verdicts as markdown lines, each source's with its reason, after what was understood."""
    lines = [f"**Claim check.** Understood: {escape_markdown(claims.understood(claim))}"]
    if not claim.understood:
        missing = escape_markdown("; ".join(claim.not_understood))
        lines.append(
            f"- :gray-badge[cannot be checked] against any source: could not read {missing}"
        )
        return "\n".join(lines)
    for verdict in verdicts:
        badge = VERDICT_BADGES.get(verdict.verdict, "gray")
        word = VERDICT_WORDS.get(verdict.verdict, verdict.verdict)
        lines.append(
            f"- **{escape_markdown(short_label(verdict.source))}** :{badge}-badge[{word}] "
            f"{escape_markdown(verdict.reason)}"
        )
    return "\n".join(lines)


def check_a_claim_box(today: dt.date) -> None:
    """A sentence (and optionally its date) checked against both sources on submit; a sentence
    the reader cannot parse says so, with what was understood."""
    st.subheader("Check a claim")
    with st.form("claim_check_form"):
        sentence = st.text_area(
            "A sentence about ground gained or lost",
            key="claim_check_sentence",
            placeholder=f"e.g. {EXAMPLE_CLAIM}",
            height=80,
            max_chars=2_000,
        )
        said_on = st.date_input(
            "Said on (optional, default today): periods such as “last month” count back from it",
            value=None,
            min_value=dt.date(2022, 2, 24),
            max_value=today,
            format="YYYY-MM-DD",
            key="claim_check_date",
        )
        st.form_submit_button("Check", icon=":material/fact_check:")
    if not sentence.strip():
        return
    claim, verdicts = cached.claim_check(sentence.strip(), said_on or today)
    if not claim.understood:
        st.warning(
            "This claim could not be read in full: missing "
            + "; ".join(claim.not_understood)
            + ". What was understood is below.",
            icon=":material/help:",
        )
    st.markdown(verdicts_markdown(claim, verdicts))
