"""The statements store: one SQLAlchemy schema on SQLite (default) or PostgreSQL (`DATABASE_URL`).

Idempotence is the database's job: each row carries `statement_key` (a hash of date, speaker and
normalised quote) under a UNIQUE constraint, and inserts use ON CONFLICT DO NOTHING, so two
sessions importing the same file at once still store each statement once. SQLite runs in WAL mode
with a busy timeout and takes the write lock at the start of each write transaction (BEGIN
IMMEDIATE), so concurrent writers wait for each other instead of failing.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from lib import config
from lib.statements.files import (
    EXPORT_COLUMNS,
    ParsedFile,
    read_statements_file,
    records_to_csv,
    records_to_json,
)
from lib.statements.records import (
    RECORD_FIELDS,
    STANCES,
    StatementError,
    clean_editor_name,
    fold_text,
    record_identity,
    search_text,
    statement_key,
    validate_record,
    validate_records,
)

SEED_FILE = config.DATA_DIR / "seed_statements.csv"
SEED_ADDED_BY = "seed"
BUSY_TIMEOUT_MS = 30_000
# Any fixed number: PostgreSQL sessions preparing the schema at once queue on this advisory lock.
_SCHEMA_LOCK_KEY = 7_302_141
_SUPPORTED_DIALECTS = ("sqlite", "postgresql")

OUTPUT_COLUMNS = EXPORT_COLUMNS
_ENGINES: dict[tuple[str, bool], Engine] = {}
_ENGINES_LOCK = threading.Lock()

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
)

store_meta = sa.Table(
    "store_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


@dataclass
class ImportReport:
    """What an import did: counts, and every problem found (nothing is written if any)."""

    source_label: str
    rows_read: int = 0
    added: int = 0
    already_stored: int = 0
    repeated_in_file: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    added_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return (
                f"{self.source_label}: nothing imported; {len(self.errors)} problem(s) "
                f"in {self.rows_read} row(s)"
            )
        return (
            f"{self.source_label}: {self.rows_read} row(s) read, {self.added} added, "
            f"{self.already_stored} already stored, {self.repeated_in_file} repeated in the file"
        )


def get_engine(url: str | None = None, *, seed: bool = True) -> Engine:
    """Engine for the store at `url` (default `config.database_url()`), schema ready.

    One engine per URL is shared by the whole process, so every app session draws on the same
    connection pool and the schema is prepared once. A new SQLite file (and its folder) is
    created on first use. The shipped seed is loaded once into an empty database (`seed=False`
    leaves a new database empty, for tests).
    """
    url = url or config.database_url()
    with _ENGINES_LOCK:
        engine = _ENGINES.get((url, seed))
        if engine is None:
            engine = _ENGINES[(url, seed)] = _new_engine(url, seed=seed)
        return engine


def _new_engine(url: str, *, seed: bool) -> Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() not in _SUPPORTED_DIALECTS:
        raise ValueError(
            f"database {parsed.render_as_string(hide_password=True)!r}: only SQLite and "
            "PostgreSQL are supported"
        )
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    else:
        engine = sa.create_engine(parsed, pool_pre_ping=True)
    _prepare(engine, seed=seed)
    return engine


def _sqlite_engine(url: sa.URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below issue BEGIN, so writes can ask for IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextmanager
def _writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction; on SQLite it holds the write lock from the start (no upgrade race)."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            yield connection


def _prepare(engine: Engine, *, seed: bool) -> None:
    with _writing(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY}
            )
        metadata.create_all(connection)
        if not seed:
            return
        seeded = connection.execute(
            sa.select(store_meta.c.value).where(store_meta.c.key == "seeded_at")
        ).scalar_one_or_none()
        if seeded is not None:
            return
        now = _now()
        if _count(connection) == 0:
            _load_seed(connection, now)
        connection.execute(sa.insert(store_meta).values(key="seeded_at", value=now.isoformat()))


def _load_seed(connection: Connection, now: dt.datetime) -> None:
    parsed = read_statements_file(SEED_FILE)
    records, errors = validate_records(parsed.rows, locations=parsed.locations)
    errors = parsed.errors + errors
    if errors:
        raise RuntimeError(f"{SEED_FILE}: the shipped seed is invalid: " + "; ".join(errors))
    for record in records:
        _insert_if_new(connection, record, added_by=SEED_ADDED_BY, now=now)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _count(connection: Connection) -> int:
    return connection.execute(sa.select(sa.func.count()).select_from(statements)).scalar_one()


def _row_values(record: Mapping[str, Any], *, added_by: str, now: dt.datetime) -> dict[str, Any]:
    added_at = record.get("added_at") or now
    return {
        **{name: record[name] for name in RECORD_FIELDS if name != "mediators"},
        "mediators": json.dumps(list(record["mediators"]), ensure_ascii=False),
        "added_at": added_at.astimezone(dt.UTC),
        "added_by": record.get("added_by") or added_by,
        "statement_key": statement_key(record["date"], record["speaker"], record["quote"]),
        "search_text": search_text(record),
    }


def _insert_if_new(
    connection: Connection, record: Mapping[str, Any], *, added_by: str, now: dt.datetime
) -> int | None:
    """Insert a clean record unless the database already holds it; the new id, or None."""
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    statement = (
        dialect.insert(statements)
        .values(**_row_values(record, added_by=added_by, now=now))
        .on_conflict_do_nothing(index_elements=["statement_key"])
        .returning(statements.c.id)
    )
    return connection.execute(statement).scalar_one_or_none()


def import_records(
    engine: Engine,
    rows: Iterable[Mapping[str, Any]],
    *,
    added_by: str,
    source_label: str,
    locations: Sequence[str] | None = None,
    file_errors: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> ImportReport:
    """Import records all-or-nothing; statements already stored (or repeated) are skipped.

    Any invalid row (or a `file_errors` entry from reading the file) means nothing is written;
    the report lists every problem, each prefixed with `source_label` and the row's location.
    """
    added_by = clean_editor_name(added_by)
    rows = list(rows)
    locations = (
        list(locations) if locations is not None else [f"row {n}" for n in range(1, len(rows) + 1)]
    )
    report = ImportReport(source_label=source_label, rows_read=len(rows), notes=list(notes))
    report.errors.extend(
        f"{source_label}, {error}" if error.startswith("line ") else f"{source_label}: {error}"
        for error in file_errors
    )
    valid_with_location = []
    for row, where in zip(rows, locations, strict=True):
        records, errors = validate_records([row], locations=[where])
        report.errors.extend(f"{source_label}, {error}" for error in errors)
        valid_with_location.extend((record, where) for record in records)
    if report.errors:
        return report
    first_seen: dict[str, str] = {}
    unique_records = []
    for record, where in valid_with_location:
        key = statement_key(record["date"], record["speaker"], record["quote"])
        if key in first_seen:
            report.repeated_in_file += 1
            report.notes.append(f"{where} repeats {first_seen[key]}; imported once")
            continue
        first_seen[key] = where
        unique_records.append(record)
    now = _now()
    try:
        with _writing(engine) as connection:
            for record in unique_records:
                new_id = _insert_if_new(connection, record, added_by=added_by, now=now)
                if new_id is None:
                    report.already_stored += 1
                else:
                    report.added_ids.append(new_id)
    except sa.exc.DBAPIError as error:
        report.added_ids.clear()
        report.already_stored = 0
        report.errors.append(
            f"{source_label}: the database refused the import, nothing was written ({error.orig})"
        )
        return report
    report.added = len(report.added_ids)
    return report


def import_file(
    engine: Engine, path: str | Path, *, added_by: str, fmt: str | None = None
) -> ImportReport:
    """Read a CSV/JSON file and import it all-or-nothing (see `import_records`)."""
    parsed: ParsedFile = read_statements_file(path, fmt=fmt)
    return import_records(
        engine,
        parsed.rows,
        added_by=added_by,
        source_label=Path(path).name,
        locations=parsed.locations,
        file_errors=parsed.errors,
        notes=parsed.notes,
    )


def add_statement(engine: Engine, record: Mapping[str, Any], *, added_by: str) -> int:
    """Store one record and return its id; StatementError if invalid or already stored."""
    added_by = clean_editor_name(added_by)
    clean, problems = validate_record(record)
    if clean is None:
        raise StatementError([f"{problem.field}: {problem.message}" for problem in problems])
    with _writing(engine) as connection:
        new_id = _insert_if_new(connection, clean, added_by=added_by, now=_now())
        if new_id is None:
            existing = _id_for_key(connection, clean)
            raise StatementError(
                [f"already stored as statement #{existing} (same date, speaker and quote)"]
            )
    return new_id


def update_statement(
    engine: Engine, statement_id: int, changes: Mapping[str, Any], *, edited_by: str
) -> None:
    """Change fields of one statement, validated as a whole; logged with `edited_by`."""
    edited_by = clean_editor_name(edited_by)
    unknown = sorted(set(changes) - set(RECORD_FIELDS))
    if unknown:
        raise StatementError([f"{name}: not an editable field" for name in unknown])
    with _writing(engine) as connection:
        current = _fetch_record(connection, statement_id)
        clean, problems = validate_record({**current, **changes})
        if clean is None:
            raise StatementError([f"{problem.field}: {problem.message}" for problem in problems])
        existing = _id_for_key(connection, clean)
        if existing is not None and existing != statement_id:
            raise StatementError(
                [f"would duplicate statement #{existing} (same date, speaker and quote)"]
            )
        diff = {
            name: [_jsonable(current[name]), _jsonable(clean[name])]
            for name in RECORD_FIELDS
            if current[name] != clean[name]
        }
        if not diff:
            return
        values = _row_values(clean, added_by="", now=_now())
        connection.execute(
            sa.update(statements)
            .where(statements.c.id == statement_id)
            .values(
                {name: values[name] for name in (*RECORD_FIELDS, "statement_key", "search_text")}
            )
        )
        _log_edit(connection, statement_id, "update", edited_by, diff)


def delete_statement(engine: Engine, statement_id: int, *, deleted_by: str) -> None:
    """Remove one statement; its last content is kept in the edit log with `deleted_by`."""
    deleted_by = clean_editor_name(deleted_by)
    with _writing(engine) as connection:
        current = _fetch_record(connection, statement_id)
        connection.execute(sa.delete(statements).where(statements.c.id == statement_id))
        _log_edit(
            connection,
            statement_id,
            "delete",
            deleted_by,
            {name: [_jsonable(current[name]), None] for name in RECORD_FIELDS},
        )


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
                "edited_at": _as_utc(row["edited_at"]),
                "edited_by": row["edited_by"],
                "changes": json.loads(row["changes"]),
            }
            for row in rows
        ]


def _fetch_record(connection: Connection, statement_id: int) -> dict[str, Any]:
    row = (
        connection.execute(sa.select(statements).where(statements.c.id == statement_id))
        .mappings()
        .one_or_none()
    )
    if row is None:
        raise StatementError([f"no statement #{statement_id}"])
    return _decode_row(row)


def _id_for_key(connection: Connection, record: Mapping[str, Any]) -> int | None:
    key = statement_key(record["date"], record["speaker"], record["quote"])
    return connection.execute(
        sa.select(statements.c.id).where(statements.c.statement_key == key)
    ).scalar_one_or_none()


def _log_edit(
    connection: Connection, statement_id: int, action: str, who: str, changes: Mapping[str, Any]
) -> None:
    connection.execute(
        sa.insert(statement_edits).values(
            statement_id=statement_id,
            action=action,
            edited_at=_now(),
            edited_by=who,
            changes=json.dumps(changes, ensure_ascii=False),
        )
    )


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


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
    affiliations: Iterable[str] = (),
    stances: Iterable[str] = (),
    text: str | None = None,
) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = []
    actors, affiliations, stances = (_as_list(values) for values in (actors, affiliations, stances))
    if from_month:
        clauses.append(statements.c.date >= _month_start("from_month", from_month))
    if to_month:
        clauses.append(statements.c.date < _next_month(_month_start("to_month", to_month)))
    if actors:
        clauses.append(statements.c.speaker.in_(actors))
    if affiliations:
        clauses.append(statements.c.affiliation.in_(affiliations))
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


def query_statements(
    engine: Engine,
    *,
    from_month: str | None = None,
    to_month: str | None = None,
    actors: Iterable[str] = (),
    affiliations: Iterable[str] = (),
    stances: Iterable[str] = (),
    text: str | None = None,
) -> pd.DataFrame:
    """Statements matching every given filter, oldest first: one row per statement.

    Months are inclusive "YYYY-MM"; `actors` match speakers exactly; `text` is a case- and
    quote-style-insensitive substring of quote, speaker or role. Columns: STATEMENT_COLUMNS then
    quote_is_paraphrase; `date` is datetime.date, `mediators` list[str], `added_at` UTC.
    """
    clauses = _filters(
        from_month=from_month,
        to_month=to_month,
        actors=actors,
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
        rows = [_decode_row(row) for row in connection.execute(query).mappings()]
    return pd.DataFrame.from_records(rows, columns=OUTPUT_COLUMNS)


def _decode_row(row: Mapping[str, Any]) -> dict[str, Any]:
    decoded = dict(row)
    decoded["mediators"] = json.loads(row["mediators"])
    if "added_at" in decoded:
        decoded["added_at"] = _as_utc(row["added_at"])
    return decoded


def _as_utc(stamp: dt.datetime) -> dt.datetime:
    # SQLite hands back naive timestamps; they were written in UTC.
    return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)


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
        return _as_utc(value.to_pydatetime())
    if hasattr(value, "item") and not isinstance(value, list | str):
        return value.item()
    return value
