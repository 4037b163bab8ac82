"""The store's database: one prepared engine per URL, its schema, and the bundled record.

`get_engine` is where a process (the app, the CLI) first touches the store, so the schema is
migrated to the newest revision (lib/statements/migrations) and the bundled record synced there,
once per process and URL.

**The bundled record** is what the app ships: `data/seed_statements.csv` (the annotated
articles) and the curated `data/statements/*.csv` (one file per year, same columns). An empty
store receives all of it; an existing store receives the rows it lacks (`sync_bundled`), without
duplicating a row, overwriting one editors changed, or bringing back one they deleted: a bundled
row is left out when the store holds its statement (same date, canonical speaker, folded quote)
or when the edit log shows an editor changed that statement's identity or removed it. The sync
is skipped when a hash of the bundled files and the alias table equals the one recorded in the
database, so starting the app costs one read of the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from lib import config
from lib.gazetteer import ACTORS_PATH, MEDIATORS_PATH
from lib.statements import migrations
from lib.statements.aliases import canonical_speaker
from lib.statements.engines import create_engine, preparing
from lib.statements.files import read_statements_file
from lib.statements.records import statement_key, validate_records
from lib.statements.schema import statement_edits, statements, store_meta, utc_now
from lib.statements.writes import MERGE_EDITOR, MergeReport, insert_if_new, merge_aliases_in

SEED_FILE = config.DATA_DIR / "seed_statements.csv"
RECORD_DIR = config.DATA_DIR / "statements"
BUNDLED_ADDED_BY = "seed"
_BUNDLED_HASH_KEY = "bundled_sha256"

_ENGINES: dict[tuple[str, bool], Engine] = {}
_ENGINES_LOCK = threading.Lock()


class BundledRecordError(RuntimeError):
    """A shipped file of the bundled record is invalid; the message names file, line and field."""


@dataclass
class SyncReport:
    """What `sync_bundled` did with the bundled record's rows."""

    files: list[str] = field(default_factory=list)
    rows: int = 0
    added: int = 0
    already_stored: int = 0
    left_as_edited: int = 0
    aliases: MergeReport = field(default_factory=MergeReport)
    unchanged: bool = False

    def summary(self) -> str:
        if self.unchanged:
            return "bundled record unchanged since the last sync: nothing to do"
        return (
            f"bundled record ({len(self.files)} file(s), {self.rows} row(s)): {self.added} added, "
            f"{self.already_stored} already stored, {self.left_as_edited} left out because "
            f"editors changed or deleted them; names: {self.aliases.summary()}"
        )


def get_engine(url: str | None = None, *, seed: bool = True) -> Engine:
    """Engine for the store at `url` (default `config.database_url()`), schema migrated.

    One engine per URL is shared by the whole process, so every app session draws on the same
    connection pool and the store is prepared once. A new SQLite file (and its folder) is
    created on first use. The bundled record is synced in (`seed=False` leaves a new database
    empty and an existing one as it is, for tests and for `sync-bundled` itself).
    """
    url = url or config.database_url()
    with _ENGINES_LOCK:
        engine = _ENGINES.get((url, seed))
        if engine is None:
            engine = create_engine(url)
            try:
                with preparing(engine) as connection:
                    migrations.upgrade(connection)
                if seed:
                    sync_bundled(engine)
            except BaseException:
                engine.dispose()
                raise
            _ENGINES[(url, seed)] = engine
        return engine


def migrate(url: str | None = None) -> tuple[str | None, str]:
    """Bring the database at `url` to the newest schema revision; the revisions before and after.

    What `python -m lib.statements migrate` runs; `get_engine` does the same on first use.
    """
    engine = create_engine(url or config.database_url())
    try:
        with preparing(engine) as connection:
            return migrations.upgrade(connection)
    finally:
        engine.dispose()


def bundled_files() -> list[Path]:
    """The files of the bundled record: the seed, then one curated file per year."""
    return [SEED_FILE, *sorted(RECORD_DIR.glob("*.csv"))]


def bundled_hash() -> str:
    """SHA-256 over the bundled files and the alias table (a new alias may rename rows)."""
    digest = hashlib.sha256()
    for path in (*bundled_files(), ACTORS_PATH, MEDIATORS_PATH):
        digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_bundled_record() -> list[dict[str, Any]]:
    """The bundled record's rows, validated (canonical names); BundledRecordError if any is not."""
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in bundled_files():
        parsed = read_statements_file(path)
        valid, errors = validate_records(parsed.rows, locations=parsed.locations)
        label = _shown(path)
        problems.extend(f"{label}: {error}" for error in parsed.errors)
        problems.extend(f"{label}, {error}" for error in errors)
        records.extend(valid)
    if problems:
        raise BundledRecordError(
            "the bundled record is invalid, fix it before starting: " + "; ".join(problems)
        )
    return records


def sync_bundled(engine: Engine) -> SyncReport:
    """Add the bundled rows the store lacks (see the module docstring); skipped when unchanged.

    Stored names are canonicalised first (`merge_aliases`), so a row stored as "Zelenskiy" is
    recognised as the bundled "Volodymyr Zelensky" one.
    """
    signature = bundled_hash()
    with engine.connect() as connection:
        if _recorded_hash(connection) == signature:
            return SyncReport(unchanged=True)
    records = read_bundled_record()
    report = SyncReport(files=[_shown(path) for path in bundled_files()], rows=len(records))
    with preparing(engine) as connection:
        if _recorded_hash(connection) == signature:  # another process synced meanwhile
            return SyncReport(unchanged=True)
        report.aliases = merge_aliases_in(connection, edited_by=MERGE_EDITOR)
        stored = set(connection.execute(sa.select(statements.c.statement_key)).scalars())
        edited = _edited_keys(connection)
        now = utc_now()
        for record in records:
            key = statement_key(record["date"], record["speaker"], record["quote"])
            if key in stored:
                report.already_stored += 1
            elif key in edited:
                report.left_as_edited += 1
            else:
                insert_if_new(connection, record, added_by=BUNDLED_ADDED_BY, now=now)
                stored.add(key)
                report.added += 1
        connection.execute(sa.delete(store_meta).where(store_meta.c.key == _BUNDLED_HASH_KEY))
        connection.execute(sa.insert(store_meta).values(key=_BUNDLED_HASH_KEY, value=signature))
    return report


def _edited_keys(connection: Connection) -> set[str]:
    """Keys (with today's alias table) of every statement identity an editor changed or removed."""
    keys = set()
    logged = connection.execute(
        sa.select(statement_edits.c.identity_before).where(
            statement_edits.c.identity_before.is_not(None)
        )
    ).scalars()
    for identity_text in logged:
        identity = json.loads(identity_text)
        day = dt.date.fromisoformat(identity["date"])
        keys.add(statement_key(day, canonical_speaker(identity["speaker"]), identity["quote"]))
    return keys


def _recorded_hash(connection: Connection) -> str | None:
    return connection.execute(
        sa.select(store_meta.c.value).where(store_meta.c.key == _BUNDLED_HASH_KEY)
    ).scalar_one_or_none()


def _shown(path: Path) -> str:
    """A bundled file as messages name it: relative to the repository when it lies inside."""
    try:
        return str(path.relative_to(config.DATA_DIR.parent))
    except ValueError:
        return str(path)
