"""The editors' review step: an article (pasted text or URL) → a table of candidates to edit,
accept or drop → accepted rows into the statements store, with the article as their source.

Plain functions over a DataFrame so the page only lays out `st.data_editor` around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from lib.extract.engine import extract_statements
from lib.extract.fetch import fetch_article, outlet_name
from lib.extract.layout import HEADLINE, classify_lines, published_from_text
from lib.statements import RECORD_FIELDS, ImportReport, find_duplicates, import_records
from lib.statements.records import MEDIATOR_SEPARATOR

# The decision first, then the store's record fields (what the editor may change), then what the
# extractor adds; offsets last so reviewers can find the span in the article.
REVIEW_COLUMNS = [
    "accept",
    "already_stored",
    *RECORD_FIELDS,
    "on_topic",
    "char_start",
    "char_end",
]


@dataclass
class ReviewBatch:
    """Candidates of one article, ready for the review table."""

    text: str
    published: date
    source_name: str
    source_url: str | None
    candidates: pd.DataFrame  # REVIEW_COLUMNS; mediators as "A; B" text for editing


def prepare_review(
    engine: Engine,
    source: str,
    *,
    published: date | None = None,
    source_name: str | None = None,
    source_url: str | None = None,
) -> ReviewBatch:
    """Extract candidates from pasted text or an http(s) URL and flag those already stored.

    Candidates start accepted when they are on topic and not yet in the store.
    """
    source = source.strip()
    if not source:
        raise ValueError("paste an article's text or its URL first")
    page_date = None
    if source.startswith(("http://", "https://")) and "\n" not in source:
        source_url = source
        text, page_date, title = fetch_article(source)
        source_name = source_name or outlet_name(source)
    else:
        text, title = source, _headline(source)
        source_name = source_name or title or "pasted article"
    published = published or page_date or published_from_text(text) or date.today()
    candidates = extract_statements(
        text, published=published, source_name=source_name, source_url=source_url
    )
    records = [candidate.to_record() for candidate in candidates]
    stored = find_duplicates(engine, records) if records else []
    rows = []
    for record, is_stored in zip(records, stored, strict=True):
        rows.append(
            {
                **record,
                "date": date.fromisoformat(record["date"]),
                "mediators": f"{MEDIATOR_SEPARATOR} ".join(record["mediators"]),
                "already_stored": is_stored,
                "accept": record["on_topic"] and not is_stored,
            }
        )
    frame = pd.DataFrame(rows, columns=REVIEW_COLUMNS)
    return ReviewBatch(text, published, source_name, source_url, frame)


def save_reviewed(
    engine: Engine, reviewed: pd.DataFrame, *, added_by: str, source_label: str
) -> ImportReport:
    """Store the accepted rows all-or-nothing; rows already stored are skipped, not doubled.

    The report names each bad row as "candidate N" (its position in the review table).
    """
    missing = [
        column for column in ("accept", "date", "speaker", "quote") if column not in reviewed
    ]
    if missing:
        raise ValueError(f"review table lacks column(s): {', '.join(missing)}")
    records, locations = [], []
    for position, row in enumerate(reviewed.to_dict("records"), start=1):
        if not bool(row.get("accept")):
            continue
        records.append(_record(row))
        locations.append(f"candidate {position}")
    return import_records(
        engine, records, added_by=added_by, source_label=source_label, locations=locations
    )


def _record(row: dict) -> dict:
    """The store's record fields of a review row; the store's validation reads the mediators'
    "A; B" text as it reads an imported file's."""
    record = {field: row.get(field) or "" for field in RECORD_FIELDS}
    day = row.get("date")
    if isinstance(day, pd.Timestamp):
        day = day.date()
    record["date"] = day.isoformat() if isinstance(day, date) else day
    record["quote_is_paraphrase"] = bool(row.get("quote_is_paraphrase"))
    return record


def _headline(text: str) -> str | None:
    for line in classify_lines(text):
        if line.kind == HEADLINE:
            return text[line.start : line.end].strip()
    return None
