"""Reads from the store: filtered statements, monthly counts, the actor lists, exports, history.

Filters run in the database, so a page reads only the rows it shows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib.statements.aliases import canonical_affiliation, canonical_speaker
from lib.statements.files import EXPORT_COLUMNS, records_to_csv, records_to_json
from lib.statements.records import STANCES, fold_text, record_identity
from lib.statements.schema import as_utc, decode_row, statement_edits, statements

OUTPUT_COLUMNS = EXPORT_COLUMNS
# The record's target (issue 10): every month of the war up to the article the product grew from
# has at least this many statements.
COVERAGE_FROM = "2022-02"
COVERAGE_TO = "2026-06"
COVERAGE_MINIMUM = 3


def _speaker_names(names: list[str]) -> set[str]:
    return {*names, *(canonical_speaker(name) for name in names)}


def _affiliation_names(names: list[str]) -> set[str]:
    return {*names, *(canonical_affiliation(name) for name in names)}


def query_statements(
    engine: Engine,
    *,
    from_month: str | None = None,
    to_month: str | None = None,
    actors: Iterable[str] = (),
    speakers: Iterable[str] = (),
    affiliations: Iterable[str] = (),
    stances: Iterable[str] = (),
    text: str | None = None,
) -> pd.DataFrame:
    """Statements matching every given filter, oldest first: one row per statement.

    Months are inclusive "YYYY-MM"; an actor is a speaker or an affiliation (what the app's
    `actor` filter means), `speakers` and `affiliations` match that field only; names match as
    given or by their canonical spelling ("Erdogan" finds Recep Tayyip Erdoğan). `text` is a
    case- and quote-style-insensitive substring of quote, speaker or role. Columns:
    STATEMENT_COLUMNS then quote_is_paraphrase; `date` is datetime.date, `mediators` list[str],
    `added_at` UTC.
    """
    clauses = _filters(
        from_month=from_month,
        to_month=to_month,
        actors=actors,
        speakers=speakers,
        affiliations=affiliations,
        stances=stances,
        text=text,
    )
    query = (
        sa.select(*(statements.c[name] for name in OUTPUT_COLUMNS))
        .where(*clauses)
        .order_by(statements.c.date, statements.c.id)
    )
    with engine.connect() as connection:
        rows = [decode_row(row) for row in connection.execute(query).mappings()]
    return pd.DataFrame.from_records(rows, columns=OUTPUT_COLUMNS)


def monthly_stance_counts(engine: Engine, **filters: Any) -> pd.DataFrame:
    """Number of statements per month and stance (same filters as `query_statements`).

    Columns month ("YYYY-MM"), stance, count; only combinations that occur, by month then in
    the order of STANCES.
    """
    query = sa.select(statements.c.date, statements.c.stance).where(*_filters(**filters))
    with engine.connect() as connection:
        counts = Counter(
            (day.strftime("%Y-%m"), stance) for day, stance in connection.execute(query)
        )
    rows = sorted(counts.items(), key=lambda item: (item[0][0], STANCES.index(item[0][1])))
    frame = pd.DataFrame(
        [(month, stance, count) for (month, stance), count in rows],
        columns=["month", "stance", "count"],
    )
    return frame.astype({"count": "int64"})


def statements_per_month(
    engine: Engine, *, from_month: str = COVERAGE_FROM, to_month: str = COVERAGE_TO
) -> pd.Series:
    """Number of stored statements in each month from `from_month` to `to_month` ("YYYY-MM",
    inclusive), months without any included as 0; indexed by month."""
    first, last = _month_start("from_month", from_month), _month_start("to_month", to_month)
    if last < first:
        raise ValueError(f"to_month {to_month} is before from_month {from_month}")
    months = [f"{period:%Y-%m}" for period in pd.period_range(first, last, freq="M")]
    counts = monthly_stance_counts(engine, from_month=from_month, to_month=to_month)
    per_month = counts.groupby("month")["count"].sum()
    return per_month.reindex(months, fill_value=0).astype("int64").rename("statements")


def list_speakers(engine: Engine) -> list[str]:
    """Every speaker in the store, alphabetical regardless of case."""
    return _distinct(engine, statements.c.speaker)


def list_affiliations(engine: Engine) -> list[str]:
    """Every non-empty affiliation in the store, alphabetical regardless of case."""
    return _distinct(engine, statements.c.affiliation)


def _distinct(engine: Engine, column: sa.Column[str]) -> list[str]:
    with engine.connect() as connection:
        values = connection.execute(sa.select(column).distinct().where(column != "")).scalars()
        return sorted(values, key=lambda value: (value.casefold(), value))


def export_statements(source: Engine | pd.DataFrame, fmt: str = "csv") -> str:
    """The statements (a whole store, or a query result) as CSV or JSON text.

    Cells that a spreadsheet would run as a formula are neutralised reversibly (see
    lib.statements.files), so importing the export reproduces every column but `id`.
    """
    frame = query_statements(source) if isinstance(source, Engine) else source
    missing = [name for name in OUTPUT_COLUMNS if name not in frame.columns]
    if missing:
        raise ValueError(f"cannot export: the frame lacks column(s) {', '.join(missing)}")
    rows = [
        {name: _plain(row[name]) for name in OUTPUT_COLUMNS}
        for row in frame[OUTPUT_COLUMNS].astype(object).to_dict("records")
    ]
    if fmt == "csv":
        return records_to_csv(rows, OUTPUT_COLUMNS)
    if fmt == "json":
        return records_to_json(rows, OUTPUT_COLUMNS)
    raise ValueError(f"unknown export format {fmt!r}; expected csv or json")


def _plain(value: Any) -> Any:
    """Python values from what pandas hands back (Timestamp, numpy scalars)."""
    if isinstance(value, pd.Timestamp):
        return as_utc(value.to_pydatetime())
    if hasattr(value, "item") and not isinstance(value, list | str):
        return value.item()
    return value


def statement_history(engine: Engine, statement_id: int) -> list[dict[str, Any]]:
    """The logged edits of one statement, oldest first: action, edited_at, edited_by, changes."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(statement_edits)
            .where(statement_edits.c.statement_id == statement_id)
            .order_by(statement_edits.c.id)
        ).mappings()
        return [
            {
                "action": row["action"],
                "edited_at": as_utc(row["edited_at"]),
                "edited_by": row["edited_by"],
                "changes": json.loads(row["changes"]),
            }
            for row in rows
        ]


def find_duplicates(engine: Engine, records: Sequence[Mapping[str, Any]]) -> list[bool]:
    """For each record, whether the store already holds it (same date, speaker, normalised quote).

    Records too broken to identify (no valid date, speaker or quote) count as not stored.
    """
    keys = [record_identity(record) for record in records]
    wanted = sorted({key for key in keys if key is not None})
    stored: set[str] = set()
    with engine.connect() as connection:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            stored.update(
                connection.execute(
                    sa.select(statements.c.statement_key).where(
                        statements.c.statement_key.in_(chunk)
                    )
                ).scalars()
            )
    return [key is not None and key in stored for key in keys]


def _month_start(name: str, month: str) -> dt.date:
    try:
        year, month_number = month.split("-")
        if len(year) != 4 or len(month_number) != 2:
            raise ValueError
        return dt.date(int(year), int(month_number), 1)
    except (ValueError, AttributeError):
        raise ValueError(f"{name}: {month!r} is not a month in the form YYYY-MM") from None


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _as_list(values: Iterable[str] | str | None) -> list[str]:
    """A filter's values; a lone string is one value, not a sequence of letters."""
    if values is None:
        return []
    return [values] if isinstance(values, str) else list(values)


def _filters(
    *,
    from_month: str | None = None,
    to_month: str | None = None,
    actors: Iterable[str] = (),
    speakers: Iterable[str] = (),
    affiliations: Iterable[str] = (),
    stances: Iterable[str] = (),
    text: str | None = None,
) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = []
    actors, speakers, affiliations, stances = (
        _as_list(values) for values in (actors, speakers, affiliations, stances)
    )
    if from_month:
        clauses.append(statements.c.date >= _month_start("from_month", from_month))
    if to_month:
        clauses.append(statements.c.date < _next_month(_month_start("to_month", to_month)))
    if actors:
        clauses.append(
            sa.or_(
                statements.c.speaker.in_(_speaker_names(actors)),
                statements.c.affiliation.in_(_affiliation_names(actors)),
            )
        )
    if speakers:
        clauses.append(statements.c.speaker.in_(_speaker_names(speakers)))
    if affiliations:
        clauses.append(statements.c.affiliation.in_(_affiliation_names(affiliations)))
    unknown = [stance for stance in stances if stance not in STANCES]
    if unknown:
        raise ValueError(
            f"unknown stance(s) {', '.join(map(repr, unknown))}; known: {', '.join(STANCES)}"
        )
    if stances:
        clauses.append(statements.c.stance.in_(stances))
    needle = fold_text(text or "")
    if needle:
        clauses.append(statements.c.search_text.contains(needle, autoescape=True))
    return clauses
