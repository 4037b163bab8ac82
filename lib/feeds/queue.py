"""The review queue: articles read from the feeds, and the candidate statements found in them.

Nothing here writes to the public statements table except `approve`, which goes through the
store's own `add_statement` (the same validation as a hand-made statement) with the approver's
name as `added_by`. Three tables live beside the store's, in the same database (defined in
lib/statements/schema.py, created by the store's migration 0003 when `get_engine` opens it):

- `feed_articles`: every article URL a refresh has handled, with its outcome, so an item a feed
  repeats (or that was approved or rejected long ago) is never read or queued again. The URL is
  unique, so two refreshes at once handle an article once.
- `feed_candidates`: one row per candidate, its article and its character offsets in the
  article's text, its status (pending, approved, rejected, off_topic) and who reviewed it when.
- `feed_runs`: what each refresh did, per feed, for `python -m lib.feeds status`.

An article and its candidates are written in one transaction: a refresh that stops half-way
leaves every article either fully queued or not recorded at all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from lib.extract import fold_speaker
from lib.statements import (
    RECORD_FIELDS,
    StatementError,
    add_statement,
    find_duplicates,
    fold_text,
    query_statements,
)
from lib.statements.engines import writing
from lib.statements.schema import (
    FEED_CANDIDATE_STATUSES,
    feed_articles,
    feed_candidates,
    feed_runs,
)

STATUSES = FEED_CANDIDATE_STATUSES
PENDING, APPROVED, REJECTED, OFF_TOPIC = STATUSES
# Article outcomes: candidates queued; read but nothing to queue; not about the war; not an
# article (a PDF, no text) or failed too often; failed this time (tried again next refresh).
QUEUED, NO_STATEMENTS, NOT_ABOUT_WAR, UNREADABLE, FAILED = (
    "queued",
    "no_statements",
    "not_about_war",
    "unreadable",
    "failed",
)
# A page that fails this many refreshes in a row is given up on (kept as unreadable).
MAX_ARTICLE_ATTEMPTS = 3
# Two candidates are the same statement when the speaker matches, the dates are at most this far
# apart (a wire story and the official transcript a day or two later), and the quotes are similar.
SAME_STATEMENT_DAYS = 3
# Token overlap (Jaccard) above which two quotes are the same words, reported differently.
SIMILAR_QUOTE_OVERLAP = 0.5
# An article's text is kept for reviewers to see each candidate in context; a longer text (a
# whole report behind a feed item) is read and kept up to here only, so offsets stay valid.
MAX_ARTICLE_CHARS = 200_000

QUEUE_COLUMNS = [
    "id",
    "status",
    "date",
    "speaker",
    "role",
    "affiliation",
    "stance",
    "quote",
    "quote_is_paraphrase",
    "mediators",
    "source_name",
    "source_url",
    "feed",
    "article_title",
    "char_start",
    "char_end",
    "queued_at",
    "reviewed_by",
    "reviewed_at",
    "statement_id",
]


class QueueError(Exception):
    """A review that cannot be done (unknown candidate, already reviewed); the message says why."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _as_utc(stamp: dt.datetime | None) -> dt.datetime | None:
    if stamp is None:
        return None
    return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)


def known_articles(engine: Engine, urls: Sequence[str]) -> dict[str, tuple[str, int]]:
    """Outcome and attempts of each of `urls` already handled by a refresh."""
    known: dict[str, tuple[str, int]] = {}
    wanted = sorted(set(urls))
    with engine.connect() as connection:
        for start in range(0, len(wanted), 500):
            rows = connection.execute(
                sa.select(
                    feed_articles.c.url, feed_articles.c.outcome, feed_articles.c.attempts
                ).where(feed_articles.c.url.in_(wanted[start : start + 500]))
            )
            known.update({url: (outcome, attempts) for url, outcome, attempts in rows})
    return known


@dataclass(frozen=True)
class ArticleRecord:
    """An article as a refresh leaves it: where it came from, what became of it, its text."""

    feed: str
    url: str
    title: str
    source_name: str
    published: dt.date | None
    outcome: str
    detail: str = ""
    text: str = ""


@dataclass
class QueueResult:
    queued: int = 0
    duplicates: int = 0
    already_handled: bool = False


def record_article(
    engine: Engine, article: ArticleRecord, candidates: Sequence[Mapping[str, Any]] = ()
) -> QueueResult:
    """Store an article and queue those of its candidates that are new, in one transaction.

    A candidate is not queued when the store (checked by the caller, see `stored_duplicates`) or
    the queue, in any status, already holds the same statement (same speaker, dates at most
    SAME_STATEMENT_DAYS apart, similar quote), or when it repeats one queued just before it. A
    failed article is recorded with its attempts counted, and only until MAX_ARTICLE_ATTEMPTS.
    """
    try:
        return _record_article(engine, article, candidates)
    except sa.exc.IntegrityError:
        # Another refresh inserted the same URL between our check and our insert (PostgreSQL;
        # SQLite's write lock serialises the two): it handled the article, nothing was written.
        return QueueResult(already_handled=True)


def _record_article(
    engine: Engine, article: ArticleRecord, candidates: Sequence[Mapping[str, Any]]
) -> QueueResult:
    result = QueueResult()
    now = _now()
    with writing(engine) as connection:
        existing = connection.execute(
            sa.select(feed_articles.c.id, feed_articles.c.outcome, feed_articles.c.attempts).where(
                feed_articles.c.url == article.url
            )
        ).one_or_none()
        if existing is not None and existing.outcome != FAILED:
            result.already_handled = True
            return result
        attempts = (existing.attempts if existing is not None else 0) + 1
        outcome, detail = article.outcome, article.detail
        if outcome == FAILED and attempts >= MAX_ARTICLE_ATTEMPTS:
            outcome = UNREADABLE
            detail = f"{detail} (given up after {attempts} attempts)"
        values = {
            "feed": article.feed,
            "url": article.url,
            "title": article.title[:500],
            "source_name": article.source_name[:200],
            "published": article.published,
            "outcome": outcome,
            "detail": detail,
            "attempts": attempts,
            "text": article.text,
            "read_at": now,
        }
        if existing is None:
            article_id = connection.execute(
                sa.insert(feed_articles).values(values).returning(feed_articles.c.id)
            ).scalar_one()
        else:
            article_id = existing.id
            connection.execute(
                sa.update(feed_articles).where(feed_articles.c.id == article_id).values(values)
            )
        accepted: list[Mapping[str, Any]] = []
        for candidate in candidates:
            if _queued_match(connection, candidate) or any(
                same_statement(candidate, other) for other in accepted
            ):
                result.duplicates += 1
                continue
            connection.execute(
                sa.insert(feed_candidates).values(
                    article_id=article_id,
                    char_start=candidate["char_start"],
                    char_end=candidate["char_end"],
                    date=_as_date(candidate["date"]),
                    speaker=candidate["speaker"][:200],
                    role=(candidate.get("role") or "")[:300],
                    affiliation=(candidate.get("affiliation") or "")[:200],
                    stance=candidate.get("stance") or "other",
                    quote=candidate["quote"],
                    quote_is_paraphrase=bool(candidate.get("quote_is_paraphrase")),
                    mediators=json.dumps(
                        list(candidate.get("mediators") or []), ensure_ascii=False
                    ),
                    source_name=(candidate.get("source_name") or article.source_name)[:200],
                    source_url=candidate.get("source_url") or article.url,
                    status=PENDING,
                    queued_at=now,
                )
            )
            accepted.append(candidate)
            result.queued += 1
    return result


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold_text(text)))


def similar_quotes(first: str, second: str) -> bool:
    """Whether two quotes are the same words reported differently: one folded quote contains the
    other, or their word sets overlap by at least SIMILAR_QUOTE_OVERLAP (Jaccard)."""
    a, b = fold_text(first), fold_text(second)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    tokens_a, tokens_b = _tokens(a), _tokens(b)
    union = tokens_a | tokens_b
    return bool(union) and len(tokens_a & tokens_b) / len(union) >= SIMILAR_QUOTE_OVERLAP


def same_statement(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    """Same speaker (after alias folding), dates within SAME_STATEMENT_DAYS, similar quotes."""
    days_apart = abs((_as_date(first["date"]) - _as_date(second["date"])).days)
    return (
        days_apart <= SAME_STATEMENT_DAYS
        and fold_speaker(first["speaker"]) == fold_speaker(second["speaker"])
        and similar_quotes(first["quote"], second["quote"])
    )


def _queued_match(connection: Connection, candidate: Mapping[str, Any]) -> bool:
    day = _as_date(candidate["date"])
    window = dt.timedelta(days=SAME_STATEMENT_DAYS)
    rows = connection.execute(
        sa.select(feed_candidates.c.date, feed_candidates.c.speaker, feed_candidates.c.quote).where(
            feed_candidates.c.date.between(day - window, day + window)
        )
    ).mappings()
    return any(same_statement(candidate, row) for row in rows)


def stored_duplicates(engine: Engine, candidates: Sequence[Mapping[str, Any]]) -> list[bool]:
    """For each candidate, whether the statements store already holds the same statement."""
    if not candidates:
        return []
    days = [_as_date(candidate["date"]) for candidate in candidates]
    window = dt.timedelta(days=SAME_STATEMENT_DAYS)
    stored = query_statements(
        engine,
        from_month=f"{min(days) - window:%Y-%m}",
        to_month=f"{max(days) + window:%Y-%m}",
    )
    rows = stored[["date", "speaker", "quote"]].to_dict("records")
    return [any(same_statement(candidate, row) for row in rows) for candidate in candidates]


def record_run(engine: Engine, feed: str, summary: str, problems: Sequence[str]) -> None:
    """Keep what a refresh of `feed` did, for `status`."""
    with writing(engine) as connection:
        connection.execute(
            sa.insert(feed_runs).values(
                feed=feed,
                finished_at=_now(),
                summary=summary,
                problems=json.dumps(list(problems), ensure_ascii=False),
            )
        )


def last_runs(engine: Engine) -> dict[str, dict[str, Any]]:
    """The latest run of each feed: finished_at, summary, problems."""
    latest = (
        sa.select(feed_runs.c.feed, sa.func.max(feed_runs.c.id).label("id"))
        .group_by(feed_runs.c.feed)
        .subquery()
    )
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(feed_runs).join(latest, feed_runs.c.id == latest.c.id)
        ).mappings()
        return {
            row["feed"]: {
                "finished_at": _as_utc(row["finished_at"]),
                "summary": row["summary"],
                "problems": json.loads(row["problems"]),
            }
            for row in rows
        }


def counts(engine: Engine) -> dict[str, dict[str, int]]:
    """Per feed: articles handled by outcome, and candidates by status."""
    result: dict[str, dict[str, int]] = {}
    with engine.connect() as connection:
        for feed, outcome, number in connection.execute(
            sa.select(feed_articles.c.feed, feed_articles.c.outcome, sa.func.count()).group_by(
                feed_articles.c.feed, feed_articles.c.outcome
            )
        ):
            result.setdefault(feed, {})[f"articles_{outcome}"] = number
        for feed, status, number in connection.execute(
            sa.select(feed_articles.c.feed, feed_candidates.c.status, sa.func.count())
            .join(feed_articles, feed_articles.c.id == feed_candidates.c.article_id)
            .group_by(feed_articles.c.feed, feed_candidates.c.status)
        ):
            result.setdefault(feed, {})[status] = number
    return result


def list_queue(engine: Engine, statuses: Sequence[str] = (PENDING,)) -> pd.DataFrame:
    """Candidates in `statuses` (all when empty), oldest statement first: QUEUE_COLUMNS."""
    unknown = [status for status in statuses if status not in STATUSES]
    if unknown:
        raise ValueError(f"unknown status(es) {unknown}; known: {', '.join(STATUSES)}")
    query = (
        sa.select(
            *(feed_candidates.c[name] for name in QUEUE_COLUMNS if name in feed_candidates.c),
            feed_articles.c.feed,
            feed_articles.c.title.label("article_title"),
        )
        .join(feed_articles, feed_articles.c.id == feed_candidates.c.article_id)
        .order_by(feed_candidates.c.date, feed_candidates.c.id)
    )
    if statuses:
        query = query.where(feed_candidates.c.status.in_(list(statuses)))
    with engine.connect() as connection:
        rows = [_decode(row) for row in connection.execute(query).mappings()]
    frame = pd.DataFrame.from_records(rows, columns=QUEUE_COLUMNS)
    # Pending candidates have no statement yet: a nullable integer, not a float with NaN.
    return frame.astype({"statement_id": "Int64"})


def _decode(row: Mapping[str, Any]) -> dict[str, Any]:
    decoded = dict(row)
    decoded["mediators"] = json.loads(row["mediators"])
    decoded["queued_at"] = _as_utc(row["queued_at"])
    decoded["reviewed_at"] = _as_utc(row["reviewed_at"])
    return decoded


def article_context(engine: Engine, candidate_id: int, margin: int = 300) -> tuple[str, str, str]:
    """The article text before, of and after a candidate's span, `margin` characters each side."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(
                feed_candidates.c.char_start, feed_candidates.c.char_end, feed_articles.c.text
            )
            .join(feed_articles, feed_articles.c.id == feed_candidates.c.article_id)
            .where(feed_candidates.c.id == candidate_id)
        ).one_or_none()
    if row is None:
        raise QueueError(f"no candidate #{candidate_id} in the queue")
    start, end, text = row
    return text[max(0, start - margin) : start], text[start:end], text[end : end + margin]


def _candidate(connection: Connection, candidate_id: int) -> dict[str, Any]:
    row = (
        connection.execute(sa.select(feed_candidates).where(feed_candidates.c.id == candidate_id))
        .mappings()
        .one_or_none()
    )
    if row is None:
        raise QueueError(f"no candidate #{candidate_id} in the queue")
    return _decode(row)


def _refuse_reviewed(candidate: Mapping[str, Any]) -> None:
    if candidate["status"] != PENDING:
        raise QueueError(
            f"candidate #{candidate['id']} was already {candidate['status'].replace('_', '-')} "
            f"by {candidate['reviewed_by']} on {candidate['reviewed_at']:%Y-%m-%d %H:%M} UTC"
        )


@dataclass(frozen=True)
class Approval:
    statement_id: int
    newly_added: bool  # False: the store already held it (added by hand, or an earlier attempt)


def approve(
    engine: Engine,
    candidate_id: int,
    *,
    reviewer: str,
    changes: Mapping[str, Any] | None = None,
) -> Approval:
    """Add the candidate (with the reviewer's `changes`) to the statements store as `reviewer`.

    The statement goes through `lib.statements.add_statement`, so it is validated like any other;
    StatementError lists what is wrong and leaves the candidate pending. When the store already
    holds the statement (same date, speaker and quote), the candidate is marked approved and
    linked to it, so an approval interrupted after the store's write completes on a retry.
    """
    unknown = sorted(set(changes or {}) - set(RECORD_FIELDS))
    if unknown:
        raise StatementError([f"{name}: not an editable field" for name in unknown])
    with engine.connect() as connection:
        candidate = _candidate(connection, candidate_id)
    _refuse_reviewed(candidate)
    record = {name: candidate[name] for name in RECORD_FIELDS} | dict(changes or {})
    try:
        statement_id, newly_added = add_statement(engine, record, added_by=reviewer), True
    except StatementError:
        if not find_duplicates(engine, [record])[0]:
            raise
        statement_id, newly_added = _stored_id(engine, record), False
    _set_status(engine, candidate_id, APPROVED, reviewer, statement_id)
    return Approval(statement_id, newly_added)


def _stored_id(engine: Engine, record: Mapping[str, Any]) -> int:
    day = _as_date(record["date"])
    stored = query_statements(engine, from_month=f"{day:%Y-%m}", to_month=f"{day:%Y-%m}")
    for row in stored.to_dict("records"):
        if (
            row["date"] == day
            and fold_text(row["speaker"]) == fold_text(str(record["speaker"]))
            and fold_text(row["quote"]) == fold_text(str(record["quote"]))
        ):
            return int(row["id"])
    raise QueueError("the store reports the statement as stored but it could not be found")


def review(engine: Engine, candidate_id: int, status: str, *, reviewer: str) -> None:
    """Mark a pending candidate rejected or off-topic; it is kept, and never queued again."""
    if status not in (REJECTED, OFF_TOPIC):
        raise ValueError(f"review status must be {REJECTED!r} or {OFF_TOPIC!r}, not {status!r}")
    _set_status(engine, candidate_id, status, reviewer, None)


def _set_status(
    engine: Engine, candidate_id: int, status: str, reviewer: str, statement_id: int | None
) -> None:
    reviewer = reviewer.strip()
    if not reviewer:
        raise QueueError("a review needs the reviewer's name")
    with writing(engine) as connection:
        candidate = _candidate(connection, candidate_id)
        _refuse_reviewed(candidate)
        connection.execute(
            sa.update(feed_candidates)
            .where(feed_candidates.c.id == candidate_id)
            .values(
                status=status,
                reviewed_by=reviewer[:100],
                reviewed_at=_now(),
                statement_id=statement_id,
            )
        )
