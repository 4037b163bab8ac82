"""Snapshots from a file a user uploads: checked before anything reads it.

Accepted: GeoJSON/TopoJSON, KML/KMZ, a zipped Shapefile, GeoParquet. The file needs dates:
either its name (`YYYY-MM-DD_<layer>.<ext>`, layer `held` for a file that already is the held
ground), a `date` column, or the `date` argument.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import geopandas as gpd

from lib.territory.readers import DATED_LAYER_NAME, RAW_DEEPSTATE_NAME
from lib.territory.snapshots import load_snapshots

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A zip may expand this much in total before it is treated as a zip bomb.
MAX_UNZIPPED_BYTES = 4 * MAX_UPLOAD_BYTES
SUFFIXES = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".topojson": "TopoJSON",
    ".kml": "KML",
    ".kmz": "KMZ",
    ".zip": "zipped Shapefile",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")


class UploadError(ValueError):
    """An uploaded file that cannot be used; the message names the file and the fix."""


def load_uploaded(
    filename: str,
    data: bytes,
    *,
    source: str | None = None,
    layers: str | tuple[str, ...] | list[str] | None = None,
    date: dt.date | str | None = None,
) -> gpd.GeoDataFrame:
    """Snapshots (as load_snapshots returns them) from an uploaded file's bytes.

    Raises UploadError naming the problem: size, type, unsafe or incomplete zip, missing CRS,
    no polygons, no dates.
    """
    name = PurePosixPath(filename.replace("\\", "/")).name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        kinds = ", ".join(sorted(set(SUFFIXES.values())))
        raise UploadError(f"{name}: unsupported file type; upload one of {kinds}")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"{name}: {len(data) / 1e6:.1f} MB is over the {MAX_UPLOAD_BYTES / 1e6:.0f} MB limit"
        )
    if not data:
        raise UploadError(f"{name}: the file is empty")
    stem = _snapshot_stem(name, date)
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        if suffix in (".zip", ".kmz"):
            path = _unpack(name, data, Path(folder), stem, suffix)
        else:
            path = Path(folder) / f"{stem}{suffix}"
            path.write_bytes(data)
        try:
            snapshots = load_snapshots(path, source=source, layers=layers, cache=False, workers=1)
        except (ValueError, FileNotFoundError) as error:
            message = _upload_message(name, str(error))
            if "no 'date' column" in message:
                message += ", or give the snapshot's date"
            raise UploadError(message) from error
    if not snapshots.attrs.get("problems"):
        return snapshots
    snapshots.attrs["problems"] = [
        problem.replace(path.name, name) for problem in snapshots.attrs["problems"]
    ]
    return snapshots


def _snapshot_stem(name: str, date: dt.date | str | None) -> str:
    """The name to read the upload under: its own if dated, else `<date>_held` or a plain name."""
    if RAW_DEEPSTATE_NAME.match(name) or DATED_LAYER_NAME.match(name.replace(".kmz", ".zip")):
        return Path(name).stem
    if date is not None:
        try:
            day = dt.date.fromisoformat(str(date)[:10])
        except ValueError as error:
            raise UploadError(f"{name}: date {date!r} is not YYYY-MM-DD") from error
        return f"{day.isoformat()}_held"
    return "snapshots"


def _unpack(name: str, data: bytes, folder: Path, stem: str, suffix: str) -> Path:
    """Safely extract the one dataset inside a zip or KMZ; returns the path to read."""
    archive_path = folder / "upload.zip"
    archive_path.write_bytes(data)
    try:
        archive = zipfile.ZipFile(archive_path)
    except zipfile.BadZipFile as error:
        raise UploadError(f"{name}: not a valid zip file") from error
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        for info in members:
            if _unsafe_member(info.filename):
                raise UploadError(f"{name}: unsafe path inside the zip: {info.filename!r}")
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise UploadError(f"{name}: the zip contains a symbolic link: {info.filename!r}")
        if sum(info.file_size for info in members) > MAX_UNZIPPED_BYTES:
            raise UploadError(
                f"{name}: expands to more than {MAX_UNZIPPED_BYTES / 1e6:.0f} MB; not read"
            )
        wanted = (".kml",) if suffix == ".kmz" else (*SHAPEFILE_PARTS, ".prj", ".cpg")
        by_suffix: dict[str, list[zipfile.ZipInfo]] = {}
        for info in members:
            by_suffix.setdefault(Path(info.filename).suffix.lower(), []).append(info)
        main = ".kml" if suffix == ".kmz" else ".shp"
        if len(by_suffix.get(main, [])) != 1:
            found = len(by_suffix.get(main, []))
            raise UploadError(
                f"{name}: expected exactly one {main} file inside, found {found}"
                + ("; zip a single shapefile (.shp, .shx, .dbf, .prj)" if main == ".shp" else "")
            )
        if suffix == ".zip":
            missing = [part for part in SHAPEFILE_PARTS if part not in by_suffix]
            if missing:
                raise UploadError(f"{name}: the shapefile lacks its {', '.join(missing)} file")
        target = folder / "dataset"
        target.mkdir()
        for extension in wanted:
            for info in by_suffix.get(extension, [])[:1]:
                # Written under our own name: nothing in the zip chooses where a file lands.
                (target / f"{stem}{extension}").write_bytes(archive.read(info))
    if suffix == ".kmz":
        return target / f"{stem}.kml"
    shapefile_zip = folder / f"{stem}.zip"
    with zipfile.ZipFile(shapefile_zip, "w") as clean:
        for part in sorted(target.iterdir()):
            clean.write(part, part.name)
    return shapefile_zip


def _unsafe_member(member: str) -> bool:
    """An absolute path, a drive letter or a `..` step: a zip entry that could escape a folder."""
    normalised = member.replace("\\", "/")
    return (
        normalised.startswith("/")
        or re.match(r"^[A-Za-z]:", normalised) is not None
        or ".." in PurePosixPath(normalised).parts
    )


def _upload_message(name: str, message: str) -> str:
    message = re.sub(r"/\S*/(snapshots|\d{4}-\d{2}-\d{2}_\w+)\.\w+", name, message)
    message = re.sub(r"\b(snapshots|\d{4}-\d{2}-\d{2}_held)\.\w+", name, message)
    return message if message.startswith(name) else f"{name}: {message}"
