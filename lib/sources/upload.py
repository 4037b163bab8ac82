"""Snapshots uploaded by a user: GeoJSON, KML/KMZ, zipped Shapefile or GeoParquet, with a date.

Everything is checked before anything is stored: size, the zip's members (no absolute paths, no
`..`, no links, no zip bombs), the CRS, the geometry type and that the polygons lie in or near
Ukraine (the usual sign of a wrong CRS is coordinates somewhere else). Only then does the snapshot
go through the same normalisation and integrity checks as a downloaded one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd
import pyogrio

from lib import config
from lib.sources.base import with_provenance
from lib.sources.cache import SnapshotCache, StoreResult
from lib.sources.normalise import default_layers, to_snapshot

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_MEMBERS = 50
MAX_COMPRESSION_RATIO = 100
MAX_FEATURES = 100_000
# Generous box around Ukraine (lon, lat): a snapshot outside it was almost surely read in the
# wrong CRS (e.g. Web Mercator metres taken as degrees).
UKRAINE_REGION = (20.0, 43.0, 42.0, 54.0)
EARLIEST_DATE = dt.date(2014, 2, 20)
SUFFIXES = (".geojson", ".json", ".kml", ".kmz", ".zip", ".parquet", ".geoparquet")


class UploadError(ValueError):
    """An upload refused before storing anything; the message names the file and the problem."""


def store_upload(
    content: bytes,
    filename: str,
    date: dt.date,
    source: str,
    *,
    cache_root: Path | None = None,
    today: dt.date | None = None,
) -> StoreResult:
    """Validate an uploaded snapshot of `source` for `date` and store it in the cache.

    Raises UploadError (nothing stored) when the file is unusable; returns the cache's verdict
    ("stored", or "quarantined" with the reason) otherwise.
    """
    frame = read_upload(content, filename)
    today = today or dt.datetime.now(dt.UTC).date()
    if not EARLIEST_DATE <= date <= today:
        raise UploadError(f"{filename}: date {date} must be between {EARLIEST_DATE} and {today}")
    layers = default_layers(source)
    snapshot = to_snapshot(date, {layers[0]: frame}, source=source, layers=layers)
    digest = hashlib.sha256(content).hexdigest()
    snapshot = with_provenance(snapshot, origin=f"upload:{Path(filename).name}", digest=digest)
    cache = SnapshotCache(cache_root or config.cache_dir(), source)
    with cache.lock():
        return cache.store(snapshot, version=f"upload:{digest[:16]}", layers="+".join(layers))


def read_upload(content: bytes, filename: str) -> gpd.GeoDataFrame:
    """The polygons of an uploaded file in EPSG:4326, or UploadError saying what is wrong."""
    name = Path(filename).name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadError(
            f"{name}: unsupported file type {suffix or '(none)'}; use {', '.join(SUFFIXES)}"
        )
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{name}: {len(content):,} bytes is over the {MAX_UPLOAD_BYTES:,} limit")
    if not content:
        raise UploadError(f"{name}: the file is empty")
    try:
        if suffix in (".zip", ".kmz"):
            frame = _read_zip(content, name, suffix)
        elif suffix in (".parquet", ".geoparquet"):
            frame = gpd.read_parquet(io.BytesIO(content))
        else:
            frame = _read_all_layers(io.BytesIO(content), name)
            if frame.crs is None:  # GeoJSON and KML are lon/lat WGS84 by definition
                frame = frame.set_crs(4326)
    except UploadError:
        raise
    except Exception as error:  # GDAL and pyarrow raise many types; the user needs the file name
        raise UploadError(f"{name}: cannot read it as {suffix[1:]} ({error})") from None
    return _checked(frame, name)


def _read_zip(content: bytes, name: str, suffix: str) -> gpd.GeoDataFrame:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise UploadError(f"{name}: not a valid zip archive") from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        _check_members(members, name)
        wanted = ".kml" if suffix == ".kmz" else ".shp"
        main = [info for info in members if info.filename.lower().endswith(wanted)]
        if len(main) != 1:
            raise UploadError(
                f"{name}: expected exactly one {wanted} file inside, found {len(main)}"
            )
        stem = PurePosixPath(main[0].filename).with_suffix("")
        needed = [main[0]]
        if wanted == ".shp":
            by_name = {info.filename.lower(): info for info in members}
            for extension in (".shx", ".dbf", ".prj", ".cpg"):
                info = by_name.get(f"{stem}{extension}".lower())
                if info is None and extension in (".shx", ".dbf"):
                    raise UploadError(f"{name}: {stem.name}{extension} is missing from the zip")
                if info is None and extension == ".prj":
                    raise UploadError(
                        f"{name}: {stem.name}.prj is missing, so the CRS is unknown; "
                        "export the shapefile with its .prj"
                    )
                if info is not None:
                    needed.append(info)
        with tempfile.TemporaryDirectory() as folder:
            for info in needed:
                # Written under a fixed folder by base name only: no member can land elsewhere.
                target = Path(folder) / PurePosixPath(info.filename).name
                target.write_bytes(archive.read(info))
            frame = _read_all_layers(Path(folder) / PurePosixPath(main[0].filename).name, name)
    if frame.crs is None and wanted == ".kml":
        frame = frame.set_crs(4326)
    return frame


def _check_members(members: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse archives that try to escape the extraction folder or expand without bound."""
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadError(f"{name}: {len(members)} files inside; at most {MAX_ZIP_MEMBERS}")
    total = 0
    for info in members:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in info.filename:
            raise UploadError(f"{name}: unsafe path inside the zip: {info.filename!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadError(f"{name}: symbolic link inside the zip: {info.filename!r}")
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            raise UploadError(f"{name}: {info.filename!r} expands suspiciously (zip bomb?)")
        total += info.file_size
    if total > MAX_UNZIPPED_BYTES:
        raise UploadError(f"{name}: unzips to {total:,} bytes; at most {MAX_UNZIPPED_BYTES:,}")


def _read_all_layers(path_or_buffer, name: str) -> gpd.GeoDataFrame:
    """Every layer of the file (KML keeps one layer per folder), stacked."""
    layers = pyogrio.list_layers(path_or_buffer)
    frames = []
    for layer_name, _ in layers:
        if isinstance(path_or_buffer, io.BytesIO):
            path_or_buffer.seek(0)
        frames.append(gpd.read_file(path_or_buffer, layer=layer_name))
    if not frames:
        raise UploadError(f"{name}: no layers in the file")
    crs = next((frame.crs for frame in frames if frame.crs is not None), None)
    frames = [frame.set_crs(crs, allow_override=True) if crs else frame for frame in frames]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)


def _checked(frame: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise UploadError(f"{name}: no CRS in the file; export it with one (e.g. EPSG:4326)")
    if len(frame) > MAX_FEATURES:
        raise UploadError(f"{name}: {len(frame):,} features; at most {MAX_FEATURES:,}")
    polygons = frame[frame.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    if polygons.empty:
        found = ", ".join(sorted(set(frame.geom_type.dropna()))) or "no geometries"
        raise UploadError(f"{name}: no polygon features (found {found})")
    polygons = polygons.to_crs(4326)
    west, south, east, north = polygons.total_bounds
    region_west, region_south, region_east, region_north = UKRAINE_REGION
    if west > region_east or east < region_west or south > region_north or north < region_south:
        raise UploadError(
            f"{name}: polygons lie at lon {west:.2f}…{east:.2f}, lat {south:.2f}…{north:.2f}, "
            "not in Ukraine; is the CRS right?"
        )
    return polygons
