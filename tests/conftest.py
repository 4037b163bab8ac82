"""Shared test plumbing: where the real data lives, and how a missing prerequisite is handled.

On a user's machine a test whose prerequisite is missing (../shared, PostgreSQL, Chromium) skips
with a reason; in CI (CI=true) the same absence is a failure, so nothing silently stops running.
"""

from __future__ import annotations

import os
import sys
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


# The statements store's `store_url` fixture (SQLite and PostgreSQL) and `postgres_schema_url`,
# used by several test files.
pytest_plugins = ["store_fixtures"]


@pytest.fixture(autouse=True)
def fresh_login_throttle() -> None:
    """Each test starts with no wrong editor passwords on record: the throttle is one per server
    process (lib/cached.py), and every AppTest of the suite runs in this one process."""
    cached = sys.modules.get("lib.cached")
    if cached is not None:
        cached.login_throttle.clear()
