"""ISW / Critical Threats control of terrain from their public ArcGIS feature services.

Two services: the time-lapse ("history") layer holds one set of control polygons per day with a
`datetime` field, listed with a distinct-values query and fetched one day at a time; the live
control layer keeps no history, so its current state is dated by the layer's last edit. Both are
paged with resultOffset/resultRecordCount while the server says `exceededTransferLimit`, and
ArcGIS errors served as HTTP 200 are refused by the HTTP client.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd

from lib import config
from lib.http import FetchError, HttpClient
from lib.sources.base import RemoteSnapshot, content_hash, features_frame, with_provenance
from lib.sources.normalise import to_snapshot
from lib.territory.readers import MAX_FEATURES

HISTORY_LAYER = "UkrainianCoTTimelapse_FEB_2022_to_DEC_2024_view/FeatureServer/0"
LIVE_CONTROL_LAYER = "VIEW_RussiaCoTinUkraine_V3/FeatureServer/49"
PAGE_SIZE = 1000
# One query's answer, whatever the service's paging says: a server that always flags
# exceededTransferLimit would otherwise page on until memory runs out. A real day of the control
# layer is one page of some hundred features and under 4 MB.
MAX_PAGES = 100
MAX_FEATURES_PER_QUERY = MAX_FEATURES
MAX_BYTES_PER_QUERY = 64 * 1024 * 1024


@dataclass
class IswSource:
    """Assessed Russian control of terrain (ISW), daily from the time-lapse plus today's layer."""

    client: HttpClient
    base_url: str = field(default_factory=config.isw_url)
    history_layer: str = HISTORY_LAYER
    live_layer: str | None = LIVE_CONTROL_LAYER
    page_size: int = PAGE_SIZE
    name: str = "isw"
    description: str = "ISW ArcGIS feature services"
    problems: list[str] = field(default_factory=list)

    def list_dates(self, since: dt.date | None = None) -> list[RemoteSnapshot]:
        """History dates (distinct `datetime` values) plus the live layer's last-edit date."""
        history_url = f"{self.base_url}/{self.history_layer}/query"
        params = {
            "where": "datetime IS NOT NULL",
            "outFields": "datetime",
            "returnGeometry": "false",
            "returnDistinctValues": "true",
            "orderByFields": "datetime ASC",
            "f": "json",
        }
        days: dict[dt.date, RemoteSnapshot] = {}
        for feature in self._paged(history_url, params):
            value = (feature.get("attributes") or {}).get("datetime")
            if value is None:
                continue
            day = _epoch_ms_to_date(value, history_url)
            days[day] = RemoteSnapshot(day, f"history:{day.isoformat()}", f"history:{day}")
        live = self._live_snapshot()
        if live is not None and live.date not in days:
            days[live.date] = live
        return [days[day] for day in sorted(days) if since is None or day >= since]

    def fetch_snapshot(self, remote: RemoteSnapshot) -> gpd.GeoDataFrame:
        if remote.locator.startswith("history:"):
            url = f"{self.base_url}/{self.history_layer}/query"
            next_day = remote.date + dt.timedelta(days=1)
            where = (
                f"datetime >= TIMESTAMP '{remote.date:%Y-%m-%d} 00:00:00' "
                f"AND datetime < TIMESTAMP '{next_day:%Y-%m-%d} 00:00:00'"
            )
        else:
            url = f"{self.base_url}/{self.live_layer}/query"
            where = "1=1"
        params = {
            "where": where,
            "outFields": "*",
            "returnGeometry": "true",
            "outSR": "4326",
            "orderByFields": "OBJECTID",
            "f": "geojson",
        }
        features = list(self._paged(url, params))
        origin = f"{url}?where={where}"
        snapshot = to_snapshot(
            remote.date, {"control": features_frame(features)}, source=self.name, origin=origin
        )
        return with_provenance(snapshot, digest=content_hash(features))

    def _live_snapshot(self) -> RemoteSnapshot | None:
        """The live layer dated by its last edit; a failure is noted, the history still counts."""
        if not self.live_layer:
            return None
        url = f"{self.base_url}/{self.live_layer}"
        try:
            metadata = self.client.get_json(url, {"f": "json"})
        except FetchError as error:
            self.problems.append(f"live layer skipped: {error}")
            return None
        edited = (metadata.get("editingInfo") or {}).get("lastEditDate")
        if edited is None:
            self.problems.append(f"{url}: no editingInfo.lastEditDate; live layer skipped")
            return None
        return RemoteSnapshot(_epoch_ms_to_date(edited, url), f"live:{edited}", "live")

    def _paged(self, url: str, params: dict[str, str]) -> Any:
        """Features of every page: the service caps each answer and flags exceededTransferLimit."""
        offset = 0
        bytes_before = self.client.bytes_received
        for _ in range(MAX_PAGES):
            page = self.client.get_json(
                url, {**params, "resultOffset": offset, "resultRecordCount": self.page_size}
            )
            features = page.get("features") if isinstance(page, dict) else None
            if not isinstance(features, list):
                raise FetchError(f"{url}: answer has no 'features' list")
            yield from features
            if not features or not _exceeded_transfer_limit(page):
                return
            offset += len(features)
            received = self.client.bytes_received - bytes_before
            if offset >= MAX_FEATURES_PER_QUERY or received > MAX_BYTES_PER_QUERY:
                raise FetchError(
                    f"{url}: {offset:,} features in {received / 2**20:,.0f} MB and the service "
                    f"still says there are more; stopped (the limits are "
                    f"{MAX_FEATURES_PER_QUERY:,} features and {MAX_BYTES_PER_QUERY / 2**20:.0f} MB)"
                )
        raise FetchError(f"{url}: still more pages after {MAX_PAGES}; stopped")


def _exceeded_transfer_limit(page: dict[str, Any]) -> bool:
    """The flag sits at the top level in Esri JSON and in `properties` in some GeoJSON answers."""
    return bool(
        page.get("exceededTransferLimit")
        or (page.get("properties") or {}).get("exceededTransferLimit")
    )


def _epoch_ms_to_date(value: Any, url: str) -> dt.date:
    try:
        return dt.datetime.fromtimestamp(float(value) / 1000, dt.UTC).date()
    except (TypeError, ValueError, OverflowError):
        raise FetchError(f"{url}: {value!r} is not an epoch-milliseconds date") from None
