"""Shared test plumbing: where the real data lives, and how a missing prerequisite is handled.

On a user's machine a test whose prerequisite is missing (../shared, PostgreSQL, Chromium) skips
with a reason; in CI (CI=true) the same absence is a failure, so nothing silently stops running.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("FRONTLINE_SHARED_DIR", REPO_ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip the calling test when `condition` is false, or fail it in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI prerequisite missing: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real archives and articles in ../shared/data."""
    data = SHARED_DIR / "data"
    require(data.is_dir(), f"{data} not found: the real-data tests need the shared archives")
    return data


@pytest.fixture(scope="session")
def territory_archive(shared_data: Path) -> Path:
    return shared_data / "territory"


@pytest.fixture(scope="session")
def articles_dir(shared_data: Path) -> Path:
    return shared_data / "articles"


DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """URL of a new, empty schema on the test PostgreSQL (`TEST_DATABASE_URL`), dropped after."""
    import sqlalchemy as sa

    base = sa.make_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL)
    admin = sa.create_engine(base, connect_args={"connect_timeout": 5})
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError as error:
        admin.dispose()
        require(False, f"no PostgreSQL server answers at {base.render_as_string()}: {error.orig}")
    schema = f"test_{uuid.uuid4().hex[:12]}"
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
