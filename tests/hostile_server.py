"""A map service that misbehaves on purpose, on loopback: for tests and benchmarks/hostile.py.

Paths (the sizes and times come from the class attributes, so a test can shrink them):

| path | answer |
| --- | --- |
| `/trickle…` | JSON, one byte every `trickle_interval` seconds for `trickle_seconds` |
| `/gzip-bomb` | `Content-Encoding: gzip`, inflating to `bomb_bytes` of zeros |
| `/deep` | JSON nested `deep_levels` deep |
| `/redirect/<kind>` | 302: to an integer host, `file://`, a malformed URL, or within the origin |
| `/arcgis/<layer>/query` | ArcGIS: one date listed; every data page flags `exceededTransferLimit` |
| `/api/history/public` | DeepStateMap: ids of a NaN, a deep, a 1e300 and a good snapshot |
| `/api/history/<id>/geojson` | per id: NaN coordinates, deep nesting, or a good occupied polygon |
"""

from __future__ import annotations

import gzip
import json
import time
from http.server import BaseHTTPRequestHandler
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

DAY_MS = 1_700_000_000_000  # 14 Nov 2023, 22:13 UTC
NAN_ID, DEEP_ID, GOOD_ID = 1_700_000_000, 1_700_100_000, 1_700_200_000
ONE_MEGABYTE_OF_ZEROS_GZIPPED = gzip.compress(bytes(1024 * 1024), compresslevel=9)


def _ring(nan: bool = False) -> list[list[float]]:
    ring = [[37.0, 48.0], [37.5, 48.0], [37.5, 48.4], [37.0, 48.4], [37.0, 48.0]]
    if nan:
        ring[2] = [float("nan"), float("nan")]
    return ring


def _deepstate_map(nan: bool) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Occupied///geoJSON.status.occupied"},
                "geometry": {"type": "Polygon", "coordinates": [_ring(nan)]},
            }
        ],
    }


class HostileHandler(BaseHTTPRequestHandler):
    trickle_interval: ClassVar[float] = 1.0
    trickle_seconds: ClassVar[float] = 3600.0
    bomb_bytes: ClassVar[int] = 8 * 1024**3
    deep_levels: ClassVar[int] = 1_000_000
    features_per_page: ClassVar[int] = 1000
    pages_served: ClassVar[int] = 0

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            if path.startswith("/trickle"):
                self._trickle()
            elif path == "/gzip-bomb":
                self._gzip_bomb()
            elif path == "/deep":
                self._send(self._deep())
            elif path.startswith("/redirect/"):
                self._redirect(path.removeprefix("/redirect/"))
            elif path.startswith("/arcgis/"):
                self._arcgis(query)
            elif path == "/api/history/public":
                ids = [NAN_ID, DEEP_ID, 10**300, GOOD_ID]
                self._send(json.dumps([{"id": value} for value in ids]).encode())
            elif path.startswith("/api/history/"):
                snapshot_id = int(path.split("/")[3])
                if snapshot_id == DEEP_ID:
                    self._send(self._deep())
                else:
                    self._send(json.dumps(_deepstate_map(nan=snapshot_id == NAN_ID)).encode())
            else:
                self.send_error(404)
        except OSError:
            return  # the client gave up: what the hostile cases expect

    def _send(self, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _deep(self) -> bytes:
        return b"[" * self.deep_levels + b"]" * self.deep_levels

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        ends = time.monotonic() + self.trickle_seconds
        while time.monotonic() < ends:
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(self.trickle_interval)
        self.wfile.write(b"[]")

    def _gzip_bomb(self) -> None:
        # Concatenated gzip members inflate one after the other: 1 KB per megabyte of zeros.
        members = self.bomb_bytes // (1024 * 1024)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(members * len(ONE_MEGABYTE_OF_ZEROS_GZIPPED)))
        self.end_headers()
        for _ in range(members):
            self.wfile.write(ONE_MEGABYTE_OF_ZEROS_GZIPPED)

    def _redirect(self, kind: str) -> None:
        if kind == "arrived":
            self._send(b'{"arrived": true}')
            return
        port = self.server.server_address[1]
        target = {
            "integer-host": f"http://2130706433:{port + 1}/deep",
            "file": "file:///etc/passwd",
            "malformed": "http://[::1/oops",
            "same-origin": "/redirect/arrived",
        }[kind]
        self.send_response(302)
        self.send_header("Location", target)
        self.end_headers()

    def _arcgis(self, query: dict[str, str]) -> None:
        if query.get("returnDistinctValues") == "true":
            self._send(json.dumps({"features": [{"attributes": {"datetime": DAY_MS}}]}).encode())
            return
        HostileHandler.pages_served += 1
        feature = {
            "type": "Feature",
            "properties": {"OBJECTID": 1},
            "geometry": {"type": "Polygon", "coordinates": [_ring()]},
        }
        page = {
            "type": "FeatureCollection",
            "features": [feature] * self.features_per_page,
            "properties": {"exceededTransferLimit": True},
        }
        self._send(json.dumps(page).encode())
