"""SQLAlchemy engines for the store: SQLite (default) or PostgreSQL, and write transactions.

SQLite runs in WAL mode with a busy timeout and takes the write lock at the start of each write
transaction (BEGIN IMMEDIATE), so concurrent writers wait for each other instead of failing.
PostgreSQL sessions that change the schema or the bundled record queue on one advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_MS = 30_000
# Any fixed number: PostgreSQL sessions preparing the store at once queue on this advisory lock.
_SCHEMA_LOCK_KEY = 7_302_141
SUPPORTED_DIALECTS = ("sqlite", "postgresql")


def create_engine(url: str) -> Engine:
    """A new engine for `url`; a new SQLite file (and its folder) is created on first use."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() not in SUPPORTED_DIALECTS:
        raise ValueError(
            f"database {parsed.render_as_string(hide_password=True)!r}: only SQLite and "
            "PostgreSQL are supported"
        )
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return sa.create_engine(parsed, pool_pre_ping=True)


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
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction; on SQLite it holds the write lock from the start (no upgrade race)."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            yield connection


@contextmanager
def preparing(engine: Engine) -> Iterator[Connection]:
    """A write transaction that also holds the store-wide lock for schema and bundled changes.

    SQLite's write lock already serialises these; PostgreSQL needs an advisory lock, since two
    servers starting at once would otherwise both create tables or both add the bundled rows.
    """
    with writing(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY}
            )
        yield connection
