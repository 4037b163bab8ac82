"""lib/markdown_text.py: user- and network-supplied text shown as text in Streamlit markdown."""

from __future__ import annotations

import datetime as dt

import pytest
from markdown_support import links_in, shown_text

from app_pages import statement_cards
from lib.markdown_text import literal

PHISHING = "[Session expired - sign in again](http://203.0.113.9/login)"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(PHISHING, id="markdown-link"),
        pytest.param("see https://evil.example/x now", id="bare-https"),
        pytest.param("see http://2130706433:8080/ now", id="bare-http-integer-host"),
        pytest.param("visit www.evil.example today", id="bare-www"),
        pytest.param("write to desk@evil.example", id="bare-email"),
        pytest.param("<https://evil.example>", id="angle-autolink"),
    ],
)
def test_literal_text_renders_no_link_and_reads_the_same(text):
    shown = literal(text)
    assert links_in(shown) == []
    assert shown_text(shown) == text


def test_a_bare_url_in_a_quote_is_no_link_in_the_card():
    card = statement_cards.statement_card(
        {
            "speaker": "A. Speaker",
            "date": dt.date(2025, 3, 1),
            "stance": "other",
            "quote": 'He said: "details at https://evil.example/x and www.evil.example"',
            "source_name": "Outlet",
            "source_url": "https://outlet.example/story",
        }
    )
    assert links_in(card) == ["[Outlet](", "https://outlet.example"]
