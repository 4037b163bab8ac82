"""Snapshots a user uploads (GeoJSON, KML/KMZ, zipped Shapefile, GeoParquet), into the cache.

The engine's `load_uploaded` checks the file before reading anything (size, type, zip members
with absolute paths, `..` or links, zip bombs, CRS, polygons) and turns it into snapshot rows;
each row then passes the same integrity checks as a download before it is stored. A file named
like an archive file (`2024-11-01_assessed_russian_control.zip`, a raw DeepState name) joins that
source's cache with that source's recipe; any other file is cached as source "upload".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lib.sources.base import with_provenance
from lib.sources.cache import CacheError, StoreResult, open_store
from lib.sources.normalise import SOURCE_LAYERS
from lib.territory import UploadError, load_uploaded
from lib.territory.readers import source_of

__all__ = ["UploadError", "UploadOutcome", "store_upload"]


@dataclass
class UploadOutcome:
    """Where an upload went: the cache's verdict per date, and the engine's notes on the file."""

    source: str
    results: dict[dt.date, StoreResult] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def store_upload(
    content: bytes,
    filename: str,
    *,
    date: dt.date | None = None,
    cache_root: Path | None = None,
) -> UploadOutcome:
    """Validate an uploaded file and store its snapshot(s); UploadError (nothing stored) if
    the file is unusable. `date` is needed unless the file name or a `date` column gives it."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    source = source_of(Path(name)) or "upload"
    snapshots = load_uploaded(
        name, content, source=source, layers=SOURCE_LAYERS.get(source), date=date
    )
    snapshots = with_provenance(snapshots, digest=hashlib.sha256(content).hexdigest())
    outcome = UploadOutcome(source, problems=list(snapshots.attrs.get("problems", [])))
    cache = open_store(source, cache_root)
    try:
        with cache.lock():
            for position in range(len(snapshots)):
                row = snapshots.iloc[[position]].reset_index(drop=True)
                day = row["date"].iloc[0]
                version = f"upload:{row['content_hash'].iloc[0]}"
                outcome.results[day] = cache.store(row, version=version)
    except CacheError as error:
        # A refresh holding the lock, or an index that must not be written over: nothing stored.
        raise UploadError(f"{name}: not stored: {error}") from error
    return outcome
