"""Schema migrations of the store (Alembic), run inside the store's own write transaction.

`upgrade(connection)` brings a database to the newest revision. A database made before
migrations existed (tables created by `create_all`, no `alembic_version` table) holds exactly
the baseline revision's schema, so it is stamped as the baseline first and then upgraded: its
rows are kept. New revisions go in `versions/` (one file each, `down_revision` chaining them);
`alembic` can write one from a change to `lib/statements/schema.py`:
`.venv/bin/alembic -c lib/statements/migrations/alembic.ini revision --autogenerate -m "..."`.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent
BASELINE_REVISION = "0001"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision in `versions/`."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, f"{MIGRATIONS_DIR}: no revisions"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for a new database or one made before migrations."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> tuple[str | None, str]:
    """Bring the database to `revision` (the newest by default); the revisions before and after.

    Runs in the caller's transaction, so a failed migration leaves the database as it was
    (PostgreSQL; SQLite's DDL is transactional too). A database whose tables predate migrations
    is adopted: stamped as the baseline, then upgraded, keeping every row.
    """
    before = current_revision(connection)
    config = _config(connection)
    if before is None and sa.inspect(connection).has_table("statements"):
        command.stamp(config, BASELINE_REVISION)
    command.upgrade(config, revision)
    after = current_revision(connection)
    assert after is not None
    return before, after
