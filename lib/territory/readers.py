"""Read one archive file into *pieces*: the held polygon of one layer on one date.

The file's name says what it is, as the shared archives lay them out:

| name | what |
| --- | --- |
| `YYYY-MM-DDTHHMMSSZ_<id>_raw.geojson` | DeepStateMap API snapshot; layers chosen by i18n key |
| `YYYY-MM-DD_occupied.geojson` | cyterat's processed DeepState occupied polygon (poll date) |
| `YYYY-MM-DD_four_layers.geojson` | ISW live-query dump with a `layer` column |
| `YYYY-MM-DD_<layer>.(geojson|topojson|zip)` | one ISW layer (Le Monde, Nikkei, ISW shapefile) |
| anything else | a file with a `date` column (and optionally `layer`) |
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet
import pyogrio
import shapely

from lib.territory import geometry as geom
from lib.territory.recipes import (
    GREY_ZONE_LAYER,
    HELD_LAYERS,
    LayerRecipe,
    canonical_layer,
    deepstate_layer,
    is_grey_zone,
)

RAW_DEEPSTATE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z_(\d+)_raw\.geojson$")
DATED_LAYER_NAME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})_([A-Za-z0-9_]+)\.(geojson|json|topojson|zip|kml|parquet|geoparquet)$"
)
SNAPSHOT_SUFFIXES = (".geojson", ".json", ".topojson", ".zip", ".parquet", ".geoparquet", ".kml")
# Which copy wins when two files hold the same layer on the same date: full resolution first.
FORMAT_PRIORITY = {".zip": 0, ".geojson": 1, ".json": 1, ".parquet": 1, ".topojson": 2}
# Bounds on what one file or download may hold, about 10x the largest real ones (ISW's 2022 daily
# control layer: 3.6 MB of GeoJSON, some 150,000 vertices; a snapshot has at most thousands of
# features). A 371 KB GeoParquet of 30 million dictionary-encoded rows would otherwise expand to
# gigabytes before anything could look at it.
MAX_FEATURES = 100_000
MAX_VERTICES = 2_000_000
# No coordinate system has coordinates beyond some 2e7 (metres, the Earth's half circumference);
# anything past this is broken data, not a place.
MAX_ABS_COORDINATE = 1e8
# GDAL's reason for refusing a file is shown whole (it often says what to change), up to this.
MAX_MESSAGE_CHARACTERS = 400


@dataclass
class Piece:
    """The dissolved polygon of some layers of one snapshot, in EQUAL_AREA_CRS."""

    date: dt.date
    layers: tuple[str, ...]
    geometry: shapely.Geometry
    area_km2: float
    snapshot_time: str | None = None
    date_basis: str = "map date"


@dataclass
class FileResult:
    """What one file yielded: its pieces and the problems met (repairs, skips)."""

    path: str
    source: str
    content_hash: str
    priority: int
    pieces: list[Piece] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class UnreadableFile(ValueError):
    """A snapshot file that cannot be read; the message names the file and why."""


def file_layer(path: Path) -> str | None:
    """Canonical layer named by a `YYYY-MM-DD_<layer>` file name, or None."""
    match = DATED_LAYER_NAME.match(path.name)
    return canonical_layer(match.group(2)) if match else None


def source_of(path: Path) -> str | None:
    """`isw`, `deepstate`, or None (a generic file) judging by the file's name."""
    if RAW_DEEPSTATE_NAME.match(path.name):
        return "deepstate"
    match = DATED_LAYER_NAME.match(path.name)
    if not match:
        return None
    layer = canonical_layer(match.group(2))
    if layer == "occupied":
        return "deepstate"
    if layer == "four_layers" or layer in _ISW_FILE_LAYERS:
        return "isw"
    return None


_ISW_FILE_LAYERS = {
    "control",
    "advances",
    "infiltration",
    "claimed_russian_control",
    "claimed_ukrainian_counteroffensives",
    "reported_ukrainian_partisan_warfare",
    "kursk_ukrainian_advance",
}


def read_file(path: Path, content_hash: str, source: str, recipe: LayerRecipe) -> FileResult:
    """Pieces of one snapshot file, or UnreadableFile. Problems are collected, never raised."""
    result = FileResult(
        path=str(path),
        source=source,
        content_hash=content_hash,
        priority=FORMAT_PRIORITY.get(path.suffix.lower(), 1),
    )
    frame = _read_frame(path, result.problems)
    raw = RAW_DEEPSTATE_NAME.match(path.name)
    dated = DATED_LAYER_NAME.match(path.name)
    if raw:
        _read_deepstate_raw(frame, raw, recipe, result)
    elif dated and canonical_layer(dated.group(2)) == "occupied":
        # cyterat's file for poll day D holds the snapshot of the evening of D-1 (or D-2).
        date = dt.date.fromisoformat(dated.group(1)) - dt.timedelta(days=1)
        add_piece(frame, date, HELD_LAYERS["deepstate"], result, "poll date - 1 day")
    elif dated and dated.group(2) == "four_layers":
        _read_layer_column(frame, dt.date.fromisoformat(dated.group(1)), recipe, result)
    elif dated and canonical_layer(dated.group(2)) == "held":
        # A file that already is the held ground, e.g. an upload dated by its name.
        add_piece(frame, dt.date.fromisoformat(dated.group(1)), recipe.layers, result)
    elif dated:
        layer = canonical_layer(dated.group(2))
        add_piece(frame, dt.date.fromisoformat(dated.group(1)), (layer,), result)
    else:
        _read_dated_rows(frame, recipe, result)
    if not result.pieces:
        result.problems.append(f"{path.name}: no polygon features; skipped")
    return result


def _read_frame(path: Path, problems: list[str]) -> gpd.GeoDataFrame:
    """The file's features; GDAL's remarks about broken rings become reported problems."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if path.suffix.lower() in (".parquet", ".geoparquet"):
                rows = pyarrow.parquet.read_metadata(path).num_rows
                if rows > MAX_FEATURES:
                    raise UnreadableFile(_too_many_features(path.name, f"{rows:,}"))
                frame = gpd.read_parquet(path)
            elif path.suffix.lower() == ".kml":
                frame = _read_all_layers(path)
            else:
                frame = pyogrio.read_dataframe(path, max_features=MAX_FEATURES + 1)
    except UnreadableFile:
        raise
    except Exception as error:  # pyogrio, pyarrow and GDAL raise many types for a bad file
        raise UnreadableFile(f"{path.name}: unreadable ({_first_line(error)})") from error
    if len(frame) > MAX_FEATURES:
        raise UnreadableFile(_too_many_features(path.name, f"more than {MAX_FEATURES:,}"))
    for warning in caught:
        message = str(warning.message)
        # ISW's "Measured 3D Polygon" shapefiles: the M (and Z) values carry no area, dropped.
        if "Measured (M) geometry types are not supported" in message:
            continue
        problems.append(f"{path.name}: GDAL: {message.splitlines()[0]}")
    return frame


def _too_many_features(name: str, count: str) -> str:
    return f"{name}: {count} features; the limit is {MAX_FEATURES:,} (is this one snapshot?)"


def _first_line(error: BaseException) -> str:
    """The error's first line, whole up to MAX_MESSAGE_CHARACTERS (GDAL's reasons hold ';')."""
    text = str(error).strip()
    if not text:
        return type(error).__name__
    line = text.splitlines()[0]
    if len(line) > MAX_MESSAGE_CHARACTERS:
        return line[: MAX_MESSAGE_CHARACTERS - 1] + "…"
    return line


def _read_all_layers(path: Path) -> gpd.GeoDataFrame:
    """Every layer (KML folder) of a file in one frame, at most MAX_FEATURES + 1 features."""
    names = [str(name) for name, _ in pyogrio.list_layers(path)]
    frames = []
    left = MAX_FEATURES + 1
    for name in names:
        if left <= 0:
            break
        frames.append(pyogrio.read_dataframe(path, layer=name, max_features=left))
        left -= len(frames[-1])
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def add_piece(
    frame: gpd.GeoDataFrame,
    date: dt.date,
    layers: tuple[str, ...],
    result: FileResult,
    date_basis: str = "map date",
    *,
    close_gaps: bool = False,
    snapshot_time: str | None = None,
) -> None:
    name = Path(result.path).name
    label = f"{name} [{'+'.join(layers)} {date}]"
    if frame.empty:
        # An empty download has no geometry column at all; say so rather than fail on it.
        result.problems.append(f"{label}: no features")
        return
    values = frame.geometry.to_numpy()
    _check_coordinates(values, label)
    parts, missing, repaired = geom.polygon_parts(values)
    if missing:
        result.problems.append(f"{label}: {missing} features without geometry ignored")
    if repaired:
        result.problems.append(f"{label}: {repaired} invalid polygons repaired with make_valid")
    if len(parts) == 0:
        return
    bounds = tuple(shapely.total_bounds(parts))
    crs = geom.check_crs(frame.crs, bounds, name)
    merged = geom.dissolve(parts)
    if close_gaps and crs.is_geographic:
        merged = geom.close_hairline_gaps(merged)
    projected = geom.to_equal_area(merged, crs)
    if projected.is_empty:
        return
    result.pieces.append(
        Piece(
            date=date,
            layers=layers,
            geometry=projected,
            area_km2=geom.area_km2(projected),
            snapshot_time=snapshot_time,
            date_basis=date_basis,
        )
    )


def _check_coordinates(values: np.ndarray, label: str) -> None:
    """Refuse (UnreadableFile) more than MAX_VERTICES vertices, and coordinates that are NaN,
    infinite or past MAX_ABS_COORDINATE: GEOS fails on them mid-repair, or they print as
    309-digit numbers in every later message."""
    vertices = int(shapely.get_num_coordinates(values).sum())
    if vertices > MAX_VERTICES:
        raise UnreadableFile(
            f"{label}: {vertices:,} vertices; the limit is {MAX_VERTICES:,} (simplify the shapes)"
        )
    coordinates = shapely.get_coordinates(values)
    bad = ~np.isfinite(coordinates) | (np.abs(coordinates) > MAX_ABS_COORDINATE)
    if bad.any():
        example = coordinates[bad][0]
        raise UnreadableFile(
            f"{label}: {int(bad.any(axis=1).sum()):,} vertices have coordinates that are not "
            f"numbers or lie off any map (e.g. {example:.6g}); fix the file's geometry"
        )


def _read_deepstate_raw(
    frame: gpd.GeoDataFrame, match: re.Match, recipe: LayerRecipe, result: FileResult
) -> None:
    date_text, hours, minutes, seconds, _ = match.groups()
    snapshot_time = f"{date_text}T{hours}:{minutes}:{seconds}Z"
    names = frame["name"] if "name" in frame.columns else pd.Series([None] * len(frame))
    layers = np.array([deepstate_layer(name) for name in names], dtype=object)
    chosen = frame[np.isin(layers, recipe.layers)]
    date = dt.date.fromisoformat(date_text)
    add_piece(
        chosen,
        date,
        recipe.layers,
        result,
        "snapshot id (UTC)",
        close_gaps=True,
        snapshot_time=snapshot_time,
    )
    add_grey_zone(frame[[is_grey_zone(name) for name in names]], date, result, snapshot_time)


def add_grey_zone(
    frame: gpd.GeoDataFrame, date: dt.date, result: FileResult, snapshot_time: str | None = None
) -> None:
    """The grey "unknown status" zone of a DeepStateMap snapshot as its own piece (layer
    GREY_ZONE_LAYER), minus the occupied piece just added, so the two states never overlap.
    A snapshot with no grey polygon gets an empty piece: its grey zone is known to be empty."""
    held = [
        piece
        for piece in result.pieces
        if piece.date == date and piece.layers != (GREY_ZONE_LAYER,)
    ]
    pieces_before = len(result.pieces)
    if frame.empty or frame.geometry.isna().all():
        grey = shapely.MultiPolygon()
    else:
        add_piece(
            frame,
            date,
            (GREY_ZONE_LAYER,),
            result,
            "snapshot id (UTC)",
            close_gaps=True,
            snapshot_time=snapshot_time,
        )
        grey = (
            result.pieces.pop().geometry
            if len(result.pieces) > pieces_before
            else shapely.MultiPolygon()
        )
    if held and not grey.is_empty:
        grey = geom.polygonal(shapely.difference(grey, held[-1].geometry))
    result.pieces.append(
        Piece(
            date=date,
            layers=(GREY_ZONE_LAYER,),
            geometry=grey,
            area_km2=geom.area_km2(grey),
            snapshot_time=snapshot_time,
            date_basis="snapshot id (UTC)",
        )
    )


def _read_layer_column(
    frame: gpd.GeoDataFrame, date: dt.date, recipe: LayerRecipe, result: FileResult
) -> None:
    if "layer" not in frame.columns:
        raise UnreadableFile(f"{Path(result.path).name}: no 'layer' column")
    for layer_name, features in frame.groupby("layer", sort=True):
        layer = canonical_layer(str(layer_name))
        if layer in recipe.layers:
            add_piece(features, date, (layer,), result)


def _read_dated_rows(frame: gpd.GeoDataFrame, recipe: LayerRecipe, result: FileResult) -> None:
    """A file with a `date` column: one snapshot per date, by `layer` when it has that column."""
    name = Path(result.path).name
    if "date" not in frame.columns:
        raise UnreadableFile(
            f"{name}: no 'date' column, and the name is not YYYY-MM-DD_<layer>.<ext>; "
            "add a date column or name the file by its date"
        )
    dates = pd.to_datetime(frame["date"], errors="coerce", utc=True)
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise UnreadableFile(
            f"{name}: row {row + 1}: 'date' {frame['date'].iloc[row]!r} is not a date"
        )
    frame = frame.assign(_date=dates.dt.date)
    for date, features in frame.groupby("_date", sort=True):
        if "layer" in frame.columns:
            for layer_name, layer_features in features.groupby("layer", sort=True):
                add_piece(
                    layer_features, date, (canonical_layer(str(layer_name)),), result, "date column"
                )
        else:
            add_piece(features, date, recipe.layers, result, "date column")
