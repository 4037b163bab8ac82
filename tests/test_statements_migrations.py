"""Schema migrations of the statements store, on SQLite and PostgreSQL (`store_url` fixture).

Two starting points: an empty database, and one created by the store as it was before it had
migrations (`create_all` of the tables below, no `alembic_version` table) holding rows.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from store_fixtures import legacy

from lib.statements import get_engine, query_statements, statement_history
from lib.statements.__main__ import main
from lib.statements.engines import create_engine, preparing
from lib.statements.migrations import (
    BASELINE_REVISION,
    current_revision,
    head_revision,
    upgrade,
)
from lib.statements.schema import metadata, statement_edits

ADDED_AT = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


def _legacy_row(number: int, speaker: str, quote: str) -> dict[str, object]:
    return {
        "date": dt.date(2025, 5, number),
        "speaker": speaker,
        "role": "President",
        "affiliation": "Russia",
        "stance": "proposal",
        "quote": quote,
        "quote_is_paraphrase": False,
        "mediators": json.dumps(["Turkey"]),
        "source_name": "Example Wire",
        "source_url": "https://example.org/story",
        "added_at": ADDED_AT,
        "added_by": "desk",
        "statement_key": f"{number:064d}",
        "search_text": quote.lower(),
    }


def _create_legacy_store(url: str) -> None:
    """A store as the code before migrations left it: tables, two statements, one logged edit."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            legacy.create_all(connection)
            connection.execute(
                sa.insert(legacy.tables["statements"]),
                [_legacy_row(1, "Vladimir Putin", "First"), _legacy_row(2, "Putin", "Second")],
            )
            connection.execute(
                sa.insert(legacy.tables["statement_edits"]).values(
                    statement_id=1,
                    action="update",
                    edited_at=ADDED_AT,
                    edited_by="editor",
                    changes=json.dumps({"stance": ["openness", "proposal"]}),
                )
            )
            connection.execute(
                sa.insert(legacy.tables["store_meta"]).values(
                    key="seeded_at", value=ADDED_AT.isoformat()
                )
            )
    finally:
        engine.dispose()


def _schema_differences(engine: sa.Engine) -> list[object]:
    """What Alembic's autogenerate would change to reach lib/statements/schema.py: [] if equal."""
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), metadata)


def _revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return current_revision(connection)


def test_an_empty_database_is_migrated_to_the_schema_of_the_code(store_url: str) -> None:
    engine = get_engine(store_url, seed=False)
    try:
        assert _revision(engine) == head_revision()
        assert _schema_differences(engine) == []
    finally:
        engine.dispose()


def test_the_cli_migrates_and_then_finds_nothing_to_do(store_url: str, capsys) -> None:
    assert main(["migrate", "--database", store_url]) == 0
    assert capsys.readouterr().out == f"schema upgraded from revision (none) to {head_revision()}\n"
    assert main(["migrate", "--database", store_url]) == 0
    assert capsys.readouterr().out == f"schema at revision {head_revision()}, the newest\n"


def test_a_database_created_before_migrations_is_adopted_without_loss(
    store_url: str, capsys
) -> None:
    _create_legacy_store(store_url)
    assert main(["migrate", "--database", store_url]) == 0
    assert capsys.readouterr().out == f"schema upgraded from revision (none) to {head_revision()}\n"
    engine = get_engine(store_url, seed=False)
    try:
        assert _revision(engine) == head_revision()
        assert _schema_differences(engine) == []
        stored = query_statements(engine)
        assert stored["quote"].tolist() == ["First", "Second"]
        assert stored["added_at"].tolist() == [ADDED_AT, ADDED_AT]
        assert stored["mediators"].tolist() == [["Turkey"], ["Turkey"]]
        history = statement_history(engine, 1)
        assert [(entry["action"], entry["edited_by"]) for entry in history] == [
            ("update", "editor")
        ]
        assert history[0]["changes"] == {"stance": ["openness", "proposal"]}
    finally:
        engine.dispose()


def test_the_app_adopts_an_old_database_on_start(store_url: str) -> None:
    """No migrate command needed: the first get_engine of a process upgrades the schema."""
    _create_legacy_store(store_url)
    engine = get_engine(store_url, seed=False)
    try:
        assert _revision(engine) == head_revision()
        assert len(query_statements(engine)) == 2
    finally:
        engine.dispose()


def test_the_baseline_revision_is_the_schema_of_the_store_before_migrations(
    store_url: str,
) -> None:
    """Adoption stamps an old database as the baseline, so the baseline must equal its schema."""
    engine = create_engine(store_url)
    try:
        with preparing(engine) as connection:
            assert upgrade(connection, BASELINE_REVISION) == (None, BASELINE_REVISION)
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), legacy) == []
    finally:
        engine.dispose()


def test_edits_logged_before_migrations_learn_the_identity_they_changed(store_url: str) -> None:
    """Revision 0002 walks each log back: statement 3 was re-worded, then deleted."""
    _create_legacy_store(store_url)
    legacy_engine = sa.create_engine(store_url)
    deleted = {name: [value, None] for name, value in _legacy_row(3, "Putin", "Third").items()}
    deleted["date"] = ["2025-05-03", None]
    with legacy_engine.begin() as connection:
        connection.execute(
            sa.insert(legacy.tables["statement_edits"]),
            [
                {
                    "statement_id": 3,
                    "action": action,
                    "edited_at": ADDED_AT,
                    "edited_by": "editor",
                    "changes": json.dumps(changes, default=str),
                }
                for action, changes in (
                    ("update", {"quote": ["Third draft", "Third"]}),
                    ("delete", deleted),
                )
            ],
        )
    legacy_engine.dispose()
    engine = get_engine(store_url, seed=False)
    try:
        with engine.connect() as connection:
            logged = connection.execute(
                sa.select(
                    statement_edits.c.statement_id, statement_edits.c.identity_before
                ).order_by(statement_edits.c.id)
            ).all()
        assert [(number, json.loads(identity)) for number, identity in logged] == [
            (1, {"date": "2025-05-01", "speaker": "Vladimir Putin", "quote": "First"}),
            (3, {"date": "2025-05-03", "speaker": "Putin", "quote": "Third draft"}),
            (3, {"date": "2025-05-03", "speaker": "Putin", "quote": "Third"}),
        ]
    finally:
        engine.dispose()
