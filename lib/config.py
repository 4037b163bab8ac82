"""Configuration from environment variables, each with a default that works on a fresh machine.

The variable names are shared with checks outside the repository: keep them as written.
Paths are resolved against the repository root so the app and the CLIs behave the same from any
working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"

DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'statements.db'}"
DEFAULT_ISW_URL = "https://services5.arcgis.com/SaBe5HMtmnbqSWlu/arcgis/rest/services"
DEFAULT_DEEPSTATE_URL = "https://deepstatemap.live/api"
# The president's news and transcripts, in English (Atom).
DEFAULT_KREMLIN_FEED_URLS = (
    "http://en.kremlin.ru/events/president/news/feed",
    "http://en.kremlin.ru/events/president/transcripts/feed",
)
DEFAULT_UN_FEED_URL = "https://press.un.org/en/rss.xml"
DEFAULT_GDELT_URL = "https://api.gdeltproject.org/api/v2/doc/doc"


def database_url() -> str:
    """SQLAlchemy URL of the statements store (`DATABASE_URL`)."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def cache_dir() -> Path:
    """Where fetched snapshots and their index live (`FRONTLINE_CACHE_DIR`)."""
    return _repo_path(os.environ.get("FRONTLINE_CACHE_DIR") or "data/cache")


def snapshots_dir() -> Path | None:
    """An extra folder of snapshot files to read (`FRONTLINE_SNAPSHOTS`), or None."""
    value = os.environ.get("FRONTLINE_SNAPSHOTS")
    return _repo_path(value) if value else None


def isw_url() -> str:
    """Base URL of the ISW ArcGIS feature services (`FRONTLINE_ISW_URL`)."""
    return (os.environ.get("FRONTLINE_ISW_URL") or DEFAULT_ISW_URL).rstrip("/")


def deepstate_url() -> str:
    """Base URL of the DeepStateMap API (`FRONTLINE_DEEPSTATE_URL`)."""
    return (os.environ.get("FRONTLINE_DEEPSTATE_URL") or DEFAULT_DEEPSTATE_URL).rstrip("/")


def kremlin_feed_urls() -> list[str]:
    """The Kremlin's English Atom feeds (`FRONTLINE_KREMLIN_FEED_URL`, comma-separated)."""
    value = os.environ.get("FRONTLINE_KREMLIN_FEED_URL")
    urls = [url.strip() for url in value.split(",")] if value else DEFAULT_KREMLIN_FEED_URLS
    return [url for url in urls if url]


def un_feed_url() -> str:
    """The UN press-release RSS feed (`FRONTLINE_UN_FEED_URL`)."""
    return os.environ.get("FRONTLINE_UN_FEED_URL") or DEFAULT_UN_FEED_URL


def gdelt_url() -> str:
    """The GDELT 2.0 DOC API endpoint (`FRONTLINE_GDELT_URL`)."""
    return os.environ.get("FRONTLINE_GDELT_URL") or DEFAULT_GDELT_URL


def editor_password() -> str | None:
    """Password that enables editing in the app (`FRONTLINE_EDITOR_PASSWORD`); None: read-only."""
    return os.environ.get("FRONTLINE_EDITOR_PASSWORD") or None


def editor_allowlist() -> str | None:
    """Who may edit when editors sign in (`FRONTLINE_EDITORS`): e-mail addresses and whole
    domains, comma-separated; replaces `[editors]` in the secrets. None: use the secrets."""
    return os.environ.get("FRONTLINE_EDITORS") or None


def refresh_interval_seconds() -> int | None:
    """How often the app's replicas refresh the live sources (`FRONTLINE_REFRESH_INTERVAL_S`),
    once per interval across all replicas sharing the store; None (unset or 0): never by
    themselves, only Refresh now, the CLI or an outside schedule."""
    value = os.environ.get("FRONTLINE_REFRESH_INTERVAL_S", "").strip()
    if not value:
        return None
    try:
        seconds = int(value)
    except ValueError:
        raise ValueError(
            f"FRONTLINE_REFRESH_INTERVAL_S={value!r}: expected a whole number of seconds"
        ) from None
    return seconds if seconds > 0 else None


def _repo_path(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path
