"""A folder of dated snapshot files as a source: the fallback when the live services are out of
reach, and the way to load an archive such as `isw/lemonde_weekly_topojson` of the shared data.

File names: `YYYY-MM-DD_<layer>.<ext>` (GeoJSON, TopoJSON, zipped Shapefile, GeoParquet), or
DeepState's raw `YYYY-MM-DDTHHMMSSZ_<snapshot id>_raw.geojson`. A date counts when every layer of
the recipe has a file; the version is the files' size and modification time, so an edited file is
read again at the next refresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from lib.sources.base import RemoteSnapshot, with_provenance
from lib.sources.http import FetchError
from lib.sources.normalise import archive_layers, to_snapshot

_DATED_FILE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:T\d{6}Z_\d+)?_(?P<layer>[A-Za-z0-9_]+)"
    r"\.(?P<ext>geojson|json|topojson|zip|parquet)$"
)


def infer_source(folder: Path) -> str:
    """The source id a folder holds: "deepstate" when its path says so, else "isw"."""
    return "deepstate" if "deepstate" in str(folder).lower() else "isw"


@dataclass
class ArchiveSource:
    """Snapshots read from dated files in `folder`, cached under `name` ("isw" or "deepstate")."""

    folder: Path
    name: str = ""
    description: str = ""
    layers: tuple[str, ...] = ()
    files: dict[dt.date, dict[str, Path]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        self.name = self.name or infer_source(self.folder)
        self.description = self.description or f"archive folder {self.folder}"

    def list_dates(self, since: dt.date | None = None) -> list[RemoteSnapshot]:
        if not self.folder.is_dir():
            raise FetchError(f"{self.folder}: archive folder not found")
        self.files = {}
        for path in sorted(self.folder.iterdir()):
            match = _DATED_FILE.match(path.name)
            if not match:
                continue
            day = dt.date.fromisoformat(match["date"])
            self.files.setdefault(day, {})[match["layer"]] = path
        if not self.layers:
            present = {layer for by_layer in self.files.values() for layer in by_layer}
            self.layers = archive_layers(self.name, present)
            if not self.layers:
                raise FetchError(
                    f"{self.folder}: no files of a known {self.name} layer "
                    f"(found layers: {', '.join(sorted(present)) or 'none'})"
                )
        return [
            RemoteSnapshot(day, self._version(by_layer), day.isoformat())
            for day, by_layer in sorted(self.files.items())
            if all(layer in by_layer for layer in self.layers) and (since is None or day >= since)
        ]

    def fetch_snapshot(self, remote: RemoteSnapshot) -> gpd.GeoDataFrame:
        paths = {layer: self.files[remote.date][layer] for layer in self.layers}
        frames = {}
        for layer, path in paths.items():
            try:
                frames[layer] = (
                    gpd.read_parquet(path) if path.suffix == ".parquet" else gpd.read_file(path)
                )
            except Exception as error:  # GDAL raises many types; the file name is what matters
                raise FetchError(f"{path}: cannot read ({error})") from None
        snapshot = to_snapshot(remote.date, frames, source=self.name, layers=self.layers)
        digest = hashlib.sha256()
        for path in paths.values():
            digest.update(path.read_bytes())
        origin = ";".join(str(path) for path in paths.values())
        return with_provenance(snapshot, origin=origin, digest=digest.hexdigest())

    def _version(self, by_layer: dict[str, Path]) -> str:
        stats = [by_layer[layer].stat() for layer in self.layers if layer in by_layer]
        return ";".join(f"{s.st_size}:{s.st_mtime_ns}" for s in stats)
