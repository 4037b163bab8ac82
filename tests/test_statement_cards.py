"""Statements as markdown cards: shown literally, with stance badges."""

from __future__ import annotations

import datetime as dt

from app_pages import statement_cards


def test_escape_markdown_shows_text_literally():
    assert statement_cards.escape_markdown("[x](javascript:y) *b* :red[z]") == (
        r"\[x\]\(javascript\:y\) \*b\* \:red\[z\]"
    )


def test_statement_card_shows_who_when_stance_quote_mediators_and_link():
    card = statement_cards.statement_card(
        {
            "speaker": "Recep Tayyip Erdoğan",
            "affiliation": "Turkey",
            "date": dt.date(2022, 3, 29),
            "stance": "battlefield_claim",
            "quote": "Talks *must* go on [now]",
            "mediators": ["Turkey"],
            "source_name": "katc.com",
            "source_url": "https://example.org/a_(b)",
        }
    )
    heading, quote, details = card.split("\n\n")
    assert heading == (
        r"**Recep Tayyip Erdoğan** · Turkey · 29 Mar 2022 · :violet-badge[battlefield claim]"
    )
    assert quote == r"> Talks \*must\* go on \[now\]"
    assert details == r"Mediators: Turkey · [katc\.com](https://example.org/a_%28b%29)"


def test_statement_card_without_optional_fields():
    card = statement_cards.statement_card(
        {"speaker": "X", "date": dt.date(2025, 1, 2), "stance": "other", "quote": "Q"}
    )
    assert card == "**X** · 2 Jan 2025 · :gray-badge[other]\n\n> Q"
