"""The store's tables, and how a clean record becomes a row and a row a record.

The tables here are the current schema; `lib/statements/migrations/` holds how a database gets
there (Alembic revisions), and a test checks that upgrading to the newest revision gives exactly
these tables.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from lib.statements.records import RECORD_FIELDS, STANCES, search_text, statement_key

metadata = sa.MetaData()

statements = sa.Table(
    "statements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("speaker", sa.String(200), nullable=False, index=True),
    sa.Column("role", sa.String(300), nullable=False),
    sa.Column("affiliation", sa.String(200), nullable=False),
    sa.Column("stance", sa.String(32), nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("quote_is_paraphrase", sa.Boolean(create_constraint=True), nullable=False),
    sa.Column("mediators", sa.Text, nullable=False),  # JSON list of names: portable, ordered
    sa.Column("source_name", sa.String(200), nullable=False),
    sa.Column("source_url", sa.String(2000), nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("added_by", sa.String(100), nullable=False),
    sa.Column("statement_key", sa.String(64), nullable=False, unique=True),
    sa.Column("search_text", sa.Text, nullable=False),
    sa.CheckConstraint(sa.column("stance").in_(STANCES), name="statements_stance_is_known"),
    sa.CheckConstraint("speaker <> '' AND quote <> ''", name="statements_speaker_quote_given"),
)

statement_edits = sa.Table(
    "statement_edits",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("statement_id", sa.Integer, nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("edited_by", sa.String(100), nullable=False),
    sa.Column("changes", sa.Text, nullable=False),  # JSON {field: [old, new]}
    # JSON {"date", "speaker", "quote"} of the statement before this change (see identity_json).
    sa.Column("identity_before", sa.Text, nullable=True),
)

store_meta = sa.Table(
    "store_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# The feeds' review queue (lib/feeds/queue.py says how it is used). Candidates wait here for an
# editor; only an approval, through the store's own add_statement, reaches `statements`.
FEED_CANDIDATE_STATUSES = ("pending", "approved", "rejected", "off_topic")

feed_articles = sa.Table(
    "feed_articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("feed", sa.String(16), nullable=False),
    sa.Column("url", sa.String(2000), nullable=False, unique=True),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("source_name", sa.String(200), nullable=False),
    sa.Column("published", sa.Date, nullable=True),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
)

feed_candidates = sa.Table(
    "feed_candidates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("feed_articles.id"), nullable=False),
    sa.Column("char_start", sa.Integer, nullable=False),
    sa.Column("char_end", sa.Integer, nullable=False),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("speaker", sa.String(200), nullable=False),
    sa.Column("role", sa.String(300), nullable=False),
    sa.Column("affiliation", sa.String(200), nullable=False),
    sa.Column("stance", sa.String(32), nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("quote_is_paraphrase", sa.Boolean(create_constraint=True), nullable=False),
    sa.Column("mediators", sa.Text, nullable=False),  # JSON list, as in `statements`
    sa.Column("source_name", sa.String(200), nullable=False),
    sa.Column("source_url", sa.String(2000), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reviewed_by", sa.String(100), nullable=True),
    sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("statement_id", sa.Integer, nullable=True),
    sa.CheckConstraint(
        sa.column("status").in_(FEED_CANDIDATE_STATUSES), name="feed_candidates_status_is_known"
    ),
)

feed_runs = sa.Table(
    "feed_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("feed", sa.String(16), nullable=False, index=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("problems", sa.Text, nullable=False),  # JSON list of messages
)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(stamp: dt.datetime) -> dt.datetime:
    # SQLite hands back naive timestamps; they were written in UTC.
    return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)


def row_values(record: Mapping[str, Any], *, added_by: str, now: dt.datetime) -> dict[str, Any]:
    """The column values of a clean record (see records.validate_record)."""
    added_at = record.get("added_at") or now
    return {
        **{name: record[name] for name in RECORD_FIELDS if name != "mediators"},
        "mediators": json.dumps(list(record["mediators"]), ensure_ascii=False),
        "added_at": added_at.astimezone(dt.UTC),
        "added_by": record.get("added_by") or added_by,
        "statement_key": statement_key(record["date"], record["speaker"], record["quote"]),
        "search_text": search_text(record),
    }


def identity_json(record: Mapping[str, Any]) -> str:
    """What identifies a statement (date, speaker, quote) as logged with each edit.

    Kept as given rather than as a statement key, so the key can be recomputed with the alias
    table of the day: a row an editor deleted stays recognised when a spelling is added later.
    """
    date = record["date"]
    return json.dumps(
        {
            "date": date.isoformat() if isinstance(date, dt.date) else date,
            "speaker": record["speaker"],
            "quote": record["quote"],
        },
        ensure_ascii=False,
    )


def decode_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as a record: mediators as a list, added_at in UTC."""
    decoded = dict(row)
    decoded["mediators"] = json.loads(row["mediators"])
    if "added_at" in decoded:
        decoded["added_at"] = as_utc(row["added_at"])
    return decoded
