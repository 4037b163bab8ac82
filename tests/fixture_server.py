"""A real HTTP server on 127.0.0.1 that answers like the ISW ArcGIS services and DeepStateMap's API.

It serves the real files of ../shared/data/territory in the sources' real response shapes:

* ISW time-lapse layer: `<isw>/<HISTORY_LAYER>/query` with the distinct-dates listing (Esri JSON)
  and the one-day GeoJSON query, paged by resultOffset/resultRecordCount with
  `exceededTransferLimit`; features come from the weekly `*_control_map.topojson` files.
* ISW live layer: `<isw>/<LIVE_CONTROL_LAYER>?f=json` (metadata with editingInfo.lastEditDate) and
  its `/query`, serving the newest served date's features, last edited that day or
  `live_days_after_newest` days later.
* DeepState: `<deepstate>/history/public` (array, oldest first) and `/history/<id>/geojson`, the
  bytes of `raw_api_history/<date>T<time>Z_<id>_raw.geojson` as they are.

Faults are queued on `server.faults` and consumed by the first matching request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import geopandas as gpd
from fault_server import FaultRecordingServer

from lib.sources.isw import HISTORY_LAYER, LIVE_CONTROL_LAYER

ISW_PREFIX = "/arcgis/rest/services"
DEEPSTATE_PREFIX = "/api"
_TIMESTAMP = re.compile(r"TIMESTAMP '(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})'")
_RAW_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})T\d{6}Z_(\d+)_raw\.geojson$")


@dataclass
class Fault:
    """One misbehaviour for requests whose path contains `path_contains`, `times` times.

    kind: "status" (HTTP `status` with `headers`), "arcgis_error" (HTTP 200 with {"error":
    {"code": status}}), "html" (an HTML page as 200), "truncate" (the body cut in half),
    "empty" (a FeatureCollection with no features), "oversize" (`size` bytes of JSON padding,
    no Content-Length), "delay" (sleep `seconds`, then answer normally).
    """

    kind: str
    path_contains: str = ""
    times: int = 1
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    size: int = 0


class FixtureServer(FaultRecordingServer):
    def __init__(
        self,
        isw_files: dict[dt.date, Path],
        deepstate_files: dict[int, Path],
        max_record_count: int = 3,
        live_days_after_newest: int = 0,
    ) -> None:
        super().__init__(_Handler)
        self.isw_files = dict(sorted(isw_files.items()))
        self.deepstate_files = dict(sorted(deepstate_files.items()))
        self.max_record_count = max_record_count
        self.live_days_after_newest = live_days_after_newest
        self._features: dict[dt.date, list[dict[str, Any]]] = {}

    @property
    def isw_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{ISW_PREFIX}"

    @property
    def deepstate_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{DEEPSTATE_PREFIX}"

    def isw_features(self, day: dt.date) -> list[dict[str, Any]]:
        """GeoJSON features of one served ISW date, with OBJECTID and `datetime` as in ArcGIS."""
        with self._lock:
            if day not in self._features:
                frame = gpd.read_file(self.isw_files[day])
                collection = json.loads(
                    frame.set_crs(4326, allow_override=True).to_json(default=str)
                )
                start = sum(len(f) for f in self._features.values())
                for offset, feature in enumerate(collection["features"]):
                    feature.pop("id", None)
                    feature["properties"] = {
                        "OBJECTID": start + offset + 1,
                        "datetime": _epoch_ms(day),
                        **{
                            key: value
                            for key, value in feature["properties"].items()
                            if isinstance(value, str | int | float) or value is None
                        },
                    }
                self._features[day] = collection["features"]
            return self._features[day]


def _epoch_ms(day: dt.date) -> int:
    """ArcGIS date fields are epoch milliseconds; the time-lapse stamps each day at 00:00 UTC."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def isw_control_files(folder: Path) -> dict[dt.date, Path]:
    return {
        dt.date.fromisoformat(path.name[:10]): path
        for path in sorted(folder.glob("*_control_map.topojson"))
    }


def deepstate_raw_files(folder: Path) -> dict[int, Path]:
    files = {}
    for path in sorted(folder.glob("*_raw.geojson")):
        match = _RAW_NAME.match(path.name)
        if match:
            files[int(match[2])] = path
    return files


class _Handler(BaseHTTPRequestHandler):
    server: FixtureServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read `server.requests` instead."""

    def do_GET(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        fault = self.server.take_fault_after_delay(self.path)
        try:
            status, body, content_type = self._route(parsed.path, query)
        except (KeyError, ValueError) as error:
            status, body, content_type = 404, json.dumps({"detail": str(error)}), "application/json"
        if fault is not None:
            self._misbehave(fault, body)
            return
        self._send(status, body.encode("utf-8") if isinstance(body, str) else body, content_type)

    def _send(self, status: int, body: bytes, content_type: str, headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _misbehave(self, fault: Fault, body: str | bytes) -> None:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        if fault.kind == "status":
            self._send(fault.status, b'{"detail": "fault"}', "application/json", fault.headers)
        elif fault.kind == "arcgis_error":
            error = {
                "error": {"code": fault.status, "message": "Too many requests.", "details": []}
            }
            self._send(200, json.dumps(error).encode(), "application/json")
        elif fault.kind == "html":
            page = b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head></html>"
            self._send(200, page, "text/html; charset=utf-8")
        elif fault.kind == "truncate":
            self._send(200, raw[: len(raw) // 2], "application/json")
        elif fault.kind == "empty":
            self._send(200, b'{"type": "FeatureCollection", "features": []}', "application/json")
        elif fault.kind == "oversize":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            chunk = b" " * 65536
            try:
                for _ in range(fault.size // len(chunk) + 1):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                return
        else:
            raise ValueError(f"unknown fault kind {fault.kind!r}")

    def _route(self, path: str, query: dict[str, str]) -> tuple[int, str | bytes, str]:
        if path.startswith(DEEPSTATE_PREFIX + "/history/"):
            return self._deepstate(path.removeprefix(DEEPSTATE_PREFIX + "/history/"))
        if path == f"{ISW_PREFIX}/{HISTORY_LAYER}/query":
            return self._isw_query(query, history=True)
        if path == f"{ISW_PREFIX}/{LIVE_CONTROL_LAYER}/query":
            return self._isw_query(query, history=False)
        if path == f"{ISW_PREFIX}/{LIVE_CONTROL_LAYER}":
            newest = max(self.server.isw_files)
            edited = dt.datetime(newest.year, newest.month, newest.day, 18, tzinfo=dt.UTC)
            edited += dt.timedelta(days=self.server.live_days_after_newest)
            metadata = {
                "name": "VIEW_RussiaCoTinUkraine_V3",
                "type": "Feature Layer",
                "maxRecordCount": self.server.max_record_count,
                "editingInfo": {"lastEditDate": int(edited.timestamp() * 1000)},
            }
            return 200, json.dumps(metadata), "application/json"
        raise KeyError(f"no such resource: {path}")

    def _deepstate(self, rest: str) -> tuple[int, str | bytes, str]:
        if rest == "public":
            listing = [
                {
                    "id": snapshot_id,
                    "createdAt": dt.datetime.fromtimestamp(snapshot_id, dt.UTC).isoformat(),
                }
                for snapshot_id in self.server.deepstate_files
            ]
            return 200, json.dumps(listing), "application/json"
        snapshot_id, _, tail = rest.partition("/")
        if tail != "geojson":
            raise KeyError(rest)
        return 200, self.server.deepstate_files[int(snapshot_id)].read_bytes(), "application/json"

    def _isw_query(self, query: dict[str, str], *, history: bool) -> tuple[int, str, str]:
        offset = int(query.get("resultOffset", 0))
        count = min(int(query.get("resultRecordCount", 10**9)), self.server.max_record_count)
        if query.get("returnDistinctValues") == "true":
            rows = [{"attributes": {"datetime": _epoch_ms(day)}} for day in self.server.isw_files]
            page = rows[offset : offset + count]
            answer = {
                "fields": [{"name": "datetime", "type": "esriFieldTypeDate"}],
                "features": page,
                "exceededTransferLimit": offset + count < len(rows),
            }
            return 200, json.dumps(answer), "application/json"
        if history:
            bounds = _TIMESTAMP.findall(query.get("where", ""))
            if len(bounds) != 2:
                error = {
                    "error": {
                        "code": 400,
                        "message": "Unable to complete operation.",
                        "details": ["Invalid 'where' parameter"],
                    }
                }
                return 200, json.dumps(error), "application/json"
            first = dt.date.fromisoformat(bounds[0][0])
            days = [day for day in self.server.isw_files if day == first]
        else:
            days = [max(self.server.isw_files)]
        features = [feature for day in days for feature in self.server.isw_features(day)]
        page = features[offset : offset + count]
        answer: dict[str, Any] = {"type": "FeatureCollection", "features": page}
        if offset + count < len(features):
            answer["properties"] = {"exceededTransferLimit": True}
        return 200, json.dumps(answer), "application/json"


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` on a free loopback port while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def send_page(
    handler: BaseHTTPRequestHandler, body: bytes, content_type: str, *, declare_length: bool = True
) -> None:
    """Answer 200 with `body`; without `declare_length` the body simply ends at the close."""
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    if declare_length:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
