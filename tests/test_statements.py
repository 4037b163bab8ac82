"""The statements store, run against SQLite (a temporary file) and a real PostgreSQL server.

PostgreSQL: TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test); each
test gets its own freshly created schema, dropped afterwards. Without a server those cases skip
locally and fail in CI (see conftest.require).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from conftest import require

from lib.statements import (
    SEED_FILE,
    STANCES,
    STATEMENT_COLUMNS,
    get_engine,
    list_affiliations,
    list_speakers,
    monthly_stance_counts,
    query_statements,
    read_statements_file,
)

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_base_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """URL of an empty store: a new SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'statements.db'}"
        return
    base = sa.make_url(_postgres_base_url())
    admin = sa.create_engine(base)
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError as error:
        admin.dispose()
        require(False, f"no PostgreSQL server answers at {base.render_as_string()}: {error.orig}")
    schema = f"test_statements_{uuid.uuid4().hex[:12]}"
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


@pytest.fixture
def seeded(store_url: str) -> Iterator[sa.Engine]:
    engine = get_engine(store_url)
    yield engine
    engine.dispose()


def _seed_rows() -> int:
    return len(read_statements_file(SEED_FILE).rows)


def test_seed_loads_once_into_an_empty_store(store_url: str) -> None:
    first = get_engine(store_url)
    second = get_engine(store_url)
    try:
        assert len(query_statements(second)) == _seed_rows() > 0
    finally:
        first.dispose()
        second.dispose()


def test_query_returns_the_agreed_columns_and_types(seeded: sa.Engine) -> None:
    statements = query_statements(seeded)
    assert list(statements.columns[: len(STATEMENT_COLUMNS)]) == STATEMENT_COLUMNS
    first = statements.iloc[0]
    assert isinstance(first["date"], dt.date)
    assert all(isinstance(names, list) for names in statements["mediators"])
    assert set(statements["stance"]) <= set(STANCES)
    assert list(statements["date"]) == sorted(statements["date"])


def test_filters_by_month_range_stance_actor_affiliation_and_text(seeded: sa.Engine) -> None:
    march_2025 = query_statements(seeded, from_month="2025-03", to_month="2025-03")
    assert len(march_2025) > 0
    assert {day.strftime("%Y-%m") for day in march_2025["date"]} == {"2025-03"}

    openness = query_statements(seeded, stances=["openness", "proposal"])
    assert set(openness["stance"]) == {"openness", "proposal"}

    putin = query_statements(seeded, actors=["Vladimir Putin"])
    assert set(putin["speaker"]) == {"Vladimir Putin"} and len(putin) > 0

    turkey = query_statements(seeded, affiliations=["Turkey"])
    assert set(turkey["affiliation"]) == {"Turkey"}

    erdogan = query_statements(seeded, text="ERDOGAN")
    assert {"Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"} <= set(erdogan["speaker"])

    trap = query_statements(seeded, text='"Negotiation  TRAP')
    assert list(trap["speaker"]) == ["Kaja Kallas"]


def test_monthly_counts_add_up_to_the_filtered_statements(seeded: sa.Engine) -> None:
    counts = monthly_stance_counts(seeded, from_month="2025-01", stances=["openness", "proposal"])
    statements = query_statements(seeded, from_month="2025-01", stances=["openness", "proposal"])
    assert list(counts.columns) == ["month", "stance", "count"]
    assert counts["count"].sum() == len(statements)
    assert set(counts["stance"]) <= {"openness", "proposal"}


def test_speakers_and_affiliations_are_listed_once_each(seeded: sa.Engine) -> None:
    speakers = list_speakers(seeded)
    assert len(speakers) == len(set(speakers))
    assert "Volodymyr Zelensky" in speakers
    assert {"Ukraine", "Russia", "United States"} <= set(list_affiliations(seeded))
