"""A folder of dated snapshot files as a source: the fallback when the live services are out of
reach, and the way to load an archive such as `isw/lemonde_weekly_topojson` of the shared data.

File names as the engine reads them: `YYYY-MM-DD_<layer>.<ext>` or DeepState's raw
`YYYY-MM-DDTHHMMSSZ_<snapshot id>_raw.geojson`. Each date is read by the engine's own file loader
(`load_snapshots`) with the live fetcher's recipe, so the cache never mixes two definitions. The
version is the files' sizes and modification times: an edited file is read again.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from lib.http import FetchError
from lib.sources.base import RemoteSnapshot
from lib.sources.normalise import SOURCE_LAYERS, EmptySnapshot
from lib.territory import load_snapshots
from lib.territory.readers import RAW_DEEPSTATE_NAME, file_layer, source_of

# The layer a date cannot do without, per source (as in the engine: advances alone are not held).
BASE_LAYERS = {"isw": {"control", "four_layers"}, "deepstate": {"occupied", "raw"}}


def infer_source(folder: Path) -> str | None:
    """The one source whose files the folder holds, or None when it holds none or both."""
    found = {source_of(path) for path in _dated_files(folder)} - {None}
    return found.pop() if len(found) == 1 else None


@dataclass
class ArchiveSource:
    """Snapshots read from dated files in `folder`, cached under `name` ("isw" or "deepstate")."""

    folder: Path
    name: str = ""
    description: str = ""
    files: dict[dt.date, list[Path]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        if not self.folder.is_dir():
            raise FetchError(f"{self.folder}: archive folder not found")
        if not self.name:
            inferred = infer_source(self.folder)
            if inferred is None:
                raise FetchError(
                    f"{self.folder}: holds no dated snapshot files of one source "
                    "(isw or deepstate); point FRONTLINE_SNAPSHOTS at one source's folder"
                )
            self.name = inferred
        self.description = self.description or f"archive folder {self.folder}"

    def list_dates(self, since: dt.date | None = None) -> list[RemoteSnapshot]:
        layers_by_date: dict[dt.date, set[str]] = {}
        self.files = {}
        for path in _dated_files(self.folder):
            if source_of(path) != self.name:
                continue
            day = dt.date.fromisoformat(path.name[:10])
            layer = "raw" if RAW_DEEPSTATE_NAME.match(path.name) else file_layer(path)
            self.files.setdefault(day, []).append(path)
            layers_by_date.setdefault(day, set()).add(layer or "")
        return [
            RemoteSnapshot(day, _version(self.files[day]), day.isoformat())
            for day in sorted(self.files)
            if layers_by_date[day] & BASE_LAYERS[self.name] and (since is None or day >= since)
        ]

    def fetch_snapshot(self, remote: RemoteSnapshot) -> gpd.GeoDataFrame:
        """The engine's snapshot for one date, read from links to that date's files only."""
        with tempfile.TemporaryDirectory(prefix="archive-date-") as folder:
            for path in self.files[remote.date]:
                (Path(folder) / path.name).symlink_to(path.resolve())
            try:
                snapshots = load_snapshots(
                    folder, source=self.name, layers=SOURCE_LAYERS[self.name], workers=1
                )
            except ValueError as error:
                names = ", ".join(path.name for path in self.files[remote.date])
                raise EmptySnapshot(f"{names}: {error}") from None
        return snapshots[snapshots["date"] == remote.date].reset_index(drop=True)


def _dated_files(folder: Path) -> list[Path]:
    return sorted(
        path for path in folder.rglob("*") if path.is_file() and source_of(path) is not None
    )


def _version(paths: list[Path]) -> str:
    stats = [(path.name, path.stat()) for path in sorted(paths)]
    return ";".join(f"{name}:{s.st_size}:{s.st_mtime_ns}" for name, s in stats)
