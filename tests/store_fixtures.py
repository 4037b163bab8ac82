"""Shared by the statements tests: the `store_url` fixture (a new SQLite file, or a new schema on
the PostgreSQL server at TEST_DATABASE_URL; registered for every test module in conftest.py), and
`legacy`, the tables as the store created them before it had migrations."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from conftest import require

# The store's tables exactly as `create_all` made them before migrations (commit 99fd9ac).
legacy = sa.MetaData()
sa.Table(
    "statements",
    legacy,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("speaker", sa.String(200), nullable=False, index=True),
    sa.Column("role", sa.String(300), nullable=False),
    sa.Column("affiliation", sa.String(200), nullable=False),
    sa.Column("stance", sa.String(32), nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("quote_is_paraphrase", sa.Boolean(create_constraint=True), nullable=False),
    sa.Column("mediators", sa.Text, nullable=False),
    sa.Column("source_name", sa.String(200), nullable=False),
    sa.Column("source_url", sa.String(2000), nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("added_by", sa.String(100), nullable=False),
    sa.Column("statement_key", sa.String(64), nullable=False, unique=True),
    sa.Column("search_text", sa.Text, nullable=False),
    sa.CheckConstraint(
        "stance IN ('proposal', 'openness', 'condition', 'skepticism', 'rejection', 'impasse', "
        "'pressure', 'battlefield_claim', 'other')",
        name="statements_stance_is_known",
    ),
    sa.CheckConstraint("speaker <> '' AND quote <> ''", name="statements_speaker_quote_given"),
)
sa.Table(
    "statement_edits",
    legacy,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("statement_id", sa.Integer, nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("edited_by", sa.String(100), nullable=False),
    sa.Column("changes", sa.Text, nullable=False),
)
sa.Table(
    "store_meta",
    legacy,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_base_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL


@contextlib.contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    """URL of a new schema on the test PostgreSQL server, dropped after; skips (fails in CI)
    when no server answers."""
    base = sa.make_url(_postgres_base_url())
    admin = sa.create_engine(base, connect_args={"connect_timeout": 5})
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError as error:
        admin.dispose()
        require(False, f"no PostgreSQL server answers at {base.render_as_string()}: {error.orig}")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """URL of an empty store: a new SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'statements.db'}"
        return
    with postgres_schema("test_statements") as url:
        yield url


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """URL of a new, empty schema on the test PostgreSQL (`TEST_DATABASE_URL`), dropped after."""
    with postgres_schema("test") as url:
        yield url
