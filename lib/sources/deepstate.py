"""DeepStateMap's public history API: a list of snapshot ids, one GeoJSON per id.

`GET <base>/history/public` lists every published snapshot (id = unix seconds, oldest first);
`GET <base>/history/<id>/geojson` returns the whole map of that moment. A day is keyed by the UTC
date of its last snapshot id, as the raw archive is; the id is the version, so a later snapshot on
a day already cached is fetched again and replaces it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd

from lib import config
from lib.http import FetchError, HttpClient
from lib.sources.base import RemoteSnapshot, content_hash, features_frame, with_provenance
from lib.sources.normalise import to_snapshot


@dataclass
class DeepStateSource:
    """Occupied territory from DeepStateMap (Occupied ∪ Crimea ∪ ORDLO, per the engine's recipe)."""

    client: HttpClient
    base_url: str = field(default_factory=config.deepstate_url)
    name: str = "deepstate"
    description: str = "DeepStateMap history API"
    problems: list[str] = field(default_factory=list)

    def list_dates(self, since: dt.date | None = None) -> list[RemoteSnapshot]:
        url = f"{self.base_url}/history/public"
        listing = self.client.get_json(url)
        if not isinstance(listing, list):
            raise FetchError(
                f"{url}: expected a JSON array of snapshots, got {type(listing).__name__}"
            )
        last_of_day: dict[dt.date, int] = {}
        for position, item in enumerate(listing):
            try:
                snapshot_id = int(item["id"])
            except (TypeError, KeyError, ValueError, OverflowError):
                raise FetchError(f"{url}: item {position} has no numeric 'id'") from None
            try:
                day = dt.datetime.fromtimestamp(snapshot_id, dt.UTC).date()
            except (OverflowError, ValueError, OSError):
                # One absurd id (1e300) must not cost the other snapshots.
                shown = str(snapshot_id)
                shown = shown if len(shown) <= 15 else shown[:15] + "…"
                self.problems.append(f"{url}: item {position}: id {shown} is not a time; skipped")
                continue
            last_of_day[day] = max(snapshot_id, last_of_day.get(day, snapshot_id))
        return [
            RemoteSnapshot(day, str(snapshot_id), f"{self.base_url}/history/{snapshot_id}/geojson")
            for day, snapshot_id in sorted(last_of_day.items())
            if since is None or day >= since
        ]

    def fetch_snapshot(self, remote: RemoteSnapshot) -> gpd.GeoDataFrame:
        collection = self.client.get_json(remote.locator)
        features = collection.get("features") if isinstance(collection, dict) else None
        if not isinstance(features, list):
            raise FetchError(f"{remote.locator}: not a GeoJSON FeatureCollection")
        snapshot = to_snapshot(
            remote.date,
            {"features": features_frame(features)},
            source=self.name,
            origin=remote.locator,
        )
        # The snapshot id is its UTC time, as the archive's file names carry it: the territory
        # engine measures calendar months between the snapshots nearest the month ends.
        taken = dt.datetime.fromtimestamp(int(remote.version), dt.UTC)
        snapshot["snapshot_time"] = taken.strftime("%Y-%m-%dT%H:%M:%SZ")
        return with_provenance(snapshot, digest=content_hash(collection))
