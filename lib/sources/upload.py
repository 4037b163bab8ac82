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

from lib.source_registry import VIEW_SOURCE_IDS
from lib.sources.base import with_provenance
from lib.sources.cache import CacheError, StoreResult, open_store
from lib.sources.normalise import SOURCE_LAYERS
from lib.sources.plausibility import series_problem
from lib.territory import UploadError, load_uploaded, read_bundled_monthly
from lib.territory.readers import DATED_LAYER_NAME, file_layer, source_of
from lib.territory.recipes import recipe_for

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
    _check_layer_name(name, source)
    snapshots = load_uploaded(
        name, content, source=source, layers=SOURCE_LAYERS.get(source), date=date
    )
    snapshots = with_provenance(snapshots, digest=hashlib.sha256(content).hexdigest())
    outcome = UploadOutcome(source, problems=list(snapshots.attrs.get("problems", [])))
    series = bundled_series(source)
    cache = open_store(source, cache_root)
    try:
        with cache.lock():
            for position in range(len(snapshots)):
                row = snapshots.iloc[[position]].reset_index(drop=True)
                day = row["date"].iloc[0]
                version = f"upload:{row['content_hash'].iloc[0]}"
                problem = series_problem(day, float(row["area_km2"].iloc[0]), series)
                if problem:
                    outcome.results[day] = cache.reject(day, problem, version=version)
                else:
                    outcome.results[day] = cache.store(row, version=version)
    except CacheError as error:
        # A refresh holding the lock, or an index that must not be written over: nothing stored.
        raise UploadError(f"{name}: not stored: {error}") from error
    return outcome


def bundled_series(source: str) -> dict[dt.date, float]:
    """The held area at each month's end snapshot in the bundled table of `source` (empty for
    uploads that join no source, or when the table cannot be read)."""
    if source not in VIEW_SOURCE_IDS:
        return {}
    try:
        monthly = read_bundled_monthly(source)
    except (FileNotFoundError, ValueError):
        return {}
    known = monthly.dropna(subset=["end_snapshot", "held_by_russia_km2"])
    return {
        dt.date.fromisoformat(str(day)[:10]): float(area)
        for day, area in zip(known["end_snapshot"], known["held_by_russia_km2"], strict=True)
    }


def _check_layer_name(name: str, source: str) -> None:
    """A name that starts with a date names a layer, as the archives do; one no source knows
    (`2025-07-15_isw_probe.geojson`) is refused with the names that work. (The sources' own
    names, raw DeepStateMap files included, are judged by their recipes when read.)"""
    match = DATED_LAYER_NAME.match(name)
    if not match or source != "upload":
        return
    layer = file_layer(Path(name))
    if layer in recipe_for(source).layers:
        return
    day, suffix = match.group(1), match.group(3)
    raise UploadError(
        f"{name}: a name that starts with a date names the map layer after it, and "
        f"{layer!r} is not a layer the app counts. To add it to a source, name it as the "
        f"archives do: {day}_control.{suffix} or {day}_advances.{suffix} (ISW), "
        f"{day}_occupied.{suffix} (DeepStateMap). To add it as a separate upload, leave the "
        f"date out of the name (e.g. front_line.{suffix}) and give the date in the form."
    )
