"""What every source offers: list the snapshots it has, fetch one as an engine snapshot row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
from dataclasses import dataclass
from typing import Any, Protocol

import geopandas as gpd


@dataclass(frozen=True)
class RemoteSnapshot:
    """One snapshot a source offers; `version` changes when the source republishes that date."""

    date: dt.date
    version: str
    locator: str


class Source(Protocol):
    """A fetcher: `name` is the source id the snapshots are cached under ("isw", "deepstate")."""

    name: str
    description: str

    def list_dates(self, since: dt.date | None = None) -> list[RemoteSnapshot]:
        """The snapshots available from `since` on, oldest first, one per date."""
        ...

    def fetch_snapshot(self, remote: RemoteSnapshot) -> gpd.GeoDataFrame:
        """The engine's snapshot row for that date; its `files` column names the URL or files.

        Raises FetchError (download failed) or EmptySnapshot (a valid answer with nothing held).
        """
        ...


def features_frame(features: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """GeoJSON features (lon/lat) as a frame in EPSG:4326; null geometry kept as None."""
    if not features:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326))
    with warnings.catch_warnings():
        # shapely warns about NaN coordinates while building; the engine then refuses the
        # snapshot with a message naming them (lib.territory.readers), so the warning adds nothing.
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        return gpd.GeoDataFrame.from_features(features, crs=4326)


def content_hash(payload: Any) -> str:
    """SHA-256 of the downloaded content (bytes, or parsed JSON in canonical form)."""
    if not isinstance(payload, bytes):
        payload = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


def with_provenance(snapshot: gpd.GeoDataFrame, *, digest: str) -> gpd.GeoDataFrame:
    """The snapshot row plus the SHA-256 of the bytes it came from (its `files` column already
    names the URL or file), so a cached snapshot can be traced to one download."""
    snapshot = snapshot.copy()
    snapshot["download_sha256"] = digest
    return snapshot
