"""Live sources: fetch ISW and DeepStateMap snapshots over HTTP, cache them, survive faults.

`refresh()` brings the on-disk cache up to date (`BackgroundRefresh` runs one in a thread that can
be cancelled), `cached_snapshots(source)` reads it back as the
territory engine's snapshots frame, `status()` says what is cached and what went wrong.
"""

from lib.http import FetchError, HttpClient, HttpSettings
from lib.sources.background import BackgroundRefresh, RefreshProgress
from lib.sources.base import RemoteSnapshot, Source
from lib.sources.cache import (
    SnapshotCache,
    SnapshotStore,
    StoreContents,
    open_store,
    root_at,
    store_location,
)
from lib.sources.updater import (
    FETCHER_NAMES,
    RefreshSummary,
    cached_snapshots,
    endpoint,
    has_cached_data,
    last_refresh_reached,
    make_source,
    refresh,
    startup_refresh,
    status,
)
from lib.sources.upload import UploadError, UploadOutcome, store_upload

__all__ = [
    "FETCHER_NAMES",
    "BackgroundRefresh",
    "FetchError",
    "HttpClient",
    "HttpSettings",
    "RefreshProgress",
    "RefreshSummary",
    "RemoteSnapshot",
    "SnapshotCache",
    "SnapshotStore",
    "Source",
    "StoreContents",
    "UploadError",
    "UploadOutcome",
    "cached_snapshots",
    "endpoint",
    "has_cached_data",
    "last_refresh_reached",
    "make_source",
    "open_store",
    "refresh",
    "root_at",
    "startup_refresh",
    "status",
    "store_location",
    "store_upload",
]
