"""A statement as Streamlit markdown for the pages: who, when, the stance as a coloured badge, the
quote, mediators and a link; user text escaped so it shows literally."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from lib.markdown_text import literal

# The stances as badges in Streamlit markdown, which offers a few named colours; red and blue are
# left to the two sides (lib/charts.py's STANCE_COLOURS are the same stances on the charts).
STANCE_BADGE_COLOURS = {
    "proposal": "green",
    "openness": "green",
    "condition": "yellow",
    "skepticism": "orange",
    "rejection": "violet",
    "impasse": "gray",
    "pressure": "orange",
    "battlefield_claim": "violet",
    "other": "gray",
}


# A month's cards go out as one markdown element, separated by rules: one element per card (and
# one per claim check) made the browser render dozens of elements on every month change.
CARD_SEPARATOR = "\n\n---\n\n"


def statement_card(statement: Mapping[str, object], verdicts: str = "") -> str:
    """One statement as Streamlit markdown: who, when and stance; the quote; mediators and a
    link to the source; then `verdicts` (a claim check's markdown), if any. User text is escaped
    so it shows literally."""
    speaker = escape_markdown(str(statement.get("speaker") or ""))
    affiliation = statement.get("affiliation")
    stance = str(statement.get("stance") or "other")
    date = statement.get("date")
    heading = f"**{speaker}**"
    if affiliation:
        heading += f" · {escape_markdown(str(affiliation))}"
    if date is not None:
        heading += f" · {pd.Timestamp(date):%-d %b %Y}"
    badge = STANCE_BADGE_COLOURS.get(stance, "gray")
    heading += f" · :{badge}-badge[{escape_markdown(stance.replace('_', ' '))}]"
    parts = [heading, "> " + escape_markdown(str(statement.get("quote") or ""))]
    details = []
    mediators = statement.get("mediators")
    if mediators:
        details.append("Mediators: " + escape_markdown(", ".join(map(str, mediators))))
    url = statement.get("source_url")
    if url:
        link = str(url).replace("(", "%28").replace(")", "%29")
        name = escape_markdown(str(statement.get("source_name") or "Source"))
        details.append(f"[{name}]({link})")
    if details:
        parts.append(" · ".join(details))
    if verdicts:
        parts.append(verdicts)
    return "\n\n".join(parts)


def escape_markdown(text: str) -> str:
    """User-entered text shown literally in Streamlit markdown (no links, emphasis, lists or
    autolinked addresses): lib.markdown_text.literal."""
    return literal(text)
