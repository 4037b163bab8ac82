"""The store's database: one prepared engine per URL, its schema, and the shipped seed.

`get_engine` is where a process (the app, the CLI) first touches the store, so the schema is
migrated to the newest revision (lib/statements/migrations) and the seed loaded there, once per
process and URL.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from lib import config
from lib.statements import migrations
from lib.statements.engines import create_engine, preparing
from lib.statements.files import read_statements_file
from lib.statements.records import validate_records
from lib.statements.schema import statements, store_meta, utc_now
from lib.statements.writes import insert_if_new

SEED_FILE = config.DATA_DIR / "seed_statements.csv"
SEED_ADDED_BY = "seed"

_ENGINES: dict[tuple[str, bool], Engine] = {}
_ENGINES_LOCK = threading.Lock()


def get_engine(url: str | None = None, *, seed: bool = True) -> Engine:
    """Engine for the store at `url` (default `config.database_url()`), schema migrated.

    One engine per URL is shared by the whole process, so every app session draws on the same
    connection pool and the schema is prepared once. A new SQLite file (and its folder) is
    created on first use. The shipped seed is loaded once into an empty database (`seed=False`
    leaves a new database empty, for tests).
    """
    url = url or config.database_url()
    with _ENGINES_LOCK:
        engine = _ENGINES.get((url, seed))
        if engine is None:
            engine = create_engine(url)
            _prepare(engine, seed=seed)
            _ENGINES[(url, seed)] = engine
        return engine


def _prepare(engine: Engine, *, seed: bool) -> None:
    with preparing(engine) as connection:
        migrations.upgrade(connection)
        if not seed:
            return
        seeded = connection.execute(
            sa.select(store_meta.c.value).where(store_meta.c.key == "seeded_at")
        ).scalar_one_or_none()
        if seeded is not None:
            return
        now = utc_now()
        if _count(connection) == 0:
            _load_seed(connection)
        connection.execute(sa.insert(store_meta).values(key="seeded_at", value=now.isoformat()))


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


def _load_seed(connection: Connection) -> None:
    parsed = read_statements_file(SEED_FILE)
    records, errors = validate_records(parsed.rows, locations=parsed.locations)
    errors = parsed.errors + errors
    if errors:
        raise RuntimeError(f"{SEED_FILE}: the shipped seed is invalid: " + "; ".join(errors))
    now = utc_now()
    for record in records:
        insert_if_new(connection, record, added_by=SEED_ADDED_BY, now=now)


def _count(connection: Connection) -> int:
    return connection.execute(sa.select(sa.func.count()).select_from(statements)).scalar_one()
