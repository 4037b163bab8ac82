"""Snapshots from a file a user uploads: checked before anything reads it.

Accepted: GeoJSON/TopoJSON, KML/KMZ, a zipped Shapefile, GeoParquet. The file needs dates:
either its name (`YYYY-MM-DD_<layer>.<ext>`, layer `held` for a file that already is the held
ground), a `date` column, or the `date` argument.

Bounded whatever the file holds: 50 MB uploaded; 200 MB once unzipped, counted on the bytes
actually inflated (a zip's directory may lie about sizes); at most 100,000 features and 2 million
vertices (lib.territory.readers). Reading and repairing run in a child process limited to
MAX_READ_MEMORY_BYTES of memory and MAX_READ_CPU_SECONDS of computing: repairing a polygon whose
edges cross each other takes time that grows faster than the square of its vertices (a
2,000-vertex star needs some 90 s), so no vertex count short of useless bounds it; the child is
stopped instead and the upload refused with the reason.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import re
import resource
import signal
import struct
import tempfile
import time
import zipfile
import zlib
from multiprocessing.connection import Connection
from pathlib import Path, PurePosixPath
from typing import Any

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
# The child process that reads an upload: resident memory (the libraries take about 180 MB; GDAL
# reading a 24 MB GeoJSON of one million-vertex polygon peaks at 700 MB) and CPU seconds after
# its imports (the largest real snapshot files read in under 2 s). Memory is watched from outside
# (resident size, every CHILD_POLL_SECONDS) because an address-space limit refuses GDAL's large
# reservations long before it really uses memory; RLIMIT_AS stays as a backstop.
MAX_READ_MEMORY_BYTES = 1024 * 1024 * 1024
MAX_READ_ADDRESS_SPACE_BYTES = 4 * MAX_READ_MEMORY_BYTES
MAX_READ_CPU_SECONDS = 60
CHILD_POLL_SECONDS = 0.05
# Wall-clock backstop for a child that waits instead of computing (it never should).
READ_WALL_SECONDS = 3 * MAX_READ_CPU_SECONDS + 30
# Bytes inflated (and held) at a time when unzipping.
COPY_CHUNK_BYTES = 1024 * 1024


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
        snapshots = _read_in_child(name, path, source, layers)
    if not snapshots.attrs.get("problems"):
        return snapshots
    snapshots.attrs["problems"] = [
        problem.replace(path.name, name) for problem in snapshots.attrs["problems"]
    ]
    return snapshots


def _read_in_child(
    name: str, path: Path, source: str | None, layers: str | tuple[str, ...] | list[str] | None
) -> gpd.GeoDataFrame:
    """load_snapshots(path) in a fresh process bounded in memory and CPU time; UploadError with
    the reason when the file is refused or the child is stopped."""
    # "spawn": a new interpreter, since forking a server that runs threads can deadlock the child.
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_read,
        args=(sending, path, source, layers, MAX_READ_ADDRESS_SPACE_BYTES, MAX_READ_CPU_SECONDS),
        daemon=True,
    )
    child.start()
    sending.close()
    outcome: tuple[str, Any] | None = None
    stopped_for = "time"  # unless an answer, a death or the memory watch comes first
    deadline = time.monotonic() + READ_WALL_SECONDS
    try:
        while time.monotonic() < deadline:
            if receiving.poll(CHILD_POLL_SECONDS):
                outcome = receiving.recv()
                break
            if _resident_bytes(child.pid) > MAX_READ_MEMORY_BYTES:
                stopped_for = "memory"
                break
    except EOFError:
        stopped_for = ""  # the child died without an answer; its exit code says why
    finally:
        receiving.close()
        if outcome is None:
            child.kill()
        child.join()
    if outcome is None:
        raise UploadError(_stopped_message(name, stopped_for or _cause(child.exitcode)))
    kind, value = outcome
    if kind == "snapshots":
        return value
    message = _upload_message(name, value)
    if "no 'date' column" in message:
        message += ", or give the snapshot's date"
    raise UploadError(message)


def _child_read(
    connection: Connection,
    path: Path,
    source: str | None,
    layers: str | tuple[str, ...] | list[str] | None,
    memory_bytes: int,
    cpu_seconds: int,
) -> None:
    """The child's work: limits first, then read; the outcome goes back through `connection`."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory_bytes = min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    limit = math.ceil(usage.ru_utime + usage.ru_stime + cpu_seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))
    try:
        outcome: tuple[str, Any] = (
            "snapshots",
            load_snapshots(path, source=source, layers=layers, cache=False, workers=1),
        )
    except (ValueError, FileNotFoundError) as error:
        outcome = ("refused", str(error))
    except MemoryError:
        outcome = ("refused", _memory_message())
    except Exception as error:  # GDAL, GEOS and pyarrow raise many kinds; the user needs the text
        if "bad_alloc" in str(error):  # C++ allocation failure surfaced by GDAL
            outcome = ("refused", _memory_message())
        else:
            outcome = ("refused", f"unreadable ({type(error).__name__}: {error})")
    connection.send(outcome)
    connection.close()


def _resident_bytes(pid: int | None) -> int:
    """Resident memory of process `pid` (Linux /proc); 0 where that cannot be read."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _memory_message() -> str:
    return (
        f"needs more than {MAX_READ_MEMORY_BYTES / 2**20:,.0f} MB of memory to read and repair; "
        "not a snapshot this app can use (too many features or vertices once decompressed, or "
        "polygons that cross themselves too often)"
    )


def _cause(exit_code: int | None) -> str:
    """Why a reader died: its CPU limit (SIGXCPU), or memory (the kernel's or an allocation's
    abort), or an unknown exit."""
    if exit_code == -signal.SIGXCPU:
        return "time"
    if exit_code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
        return "memory"
    return f"exit status {exit_code}"


def _stopped_message(name: str, cause: str) -> str:
    if cause == "time":
        return (
            f"{name}: reading and repairing it took more than {MAX_READ_CPU_SECONDS} s of "
            "computing, so it was stopped; its polygons cross themselves too often (simplify "
            "or repair the file first)"
        )
    if cause == "memory":
        return f"{name}: {_memory_message()} (the reader was stopped)"
    return f"{name}: the reader stopped without an answer ({cause})"


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
            raise UploadError(_expands_message(name))
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
                _extract(name, archive_path, info, target / f"{stem}{extension}")
    if suffix == ".kmz":
        return target / f"{stem}.kml"
    shapefile_zip = folder / f"{stem}.zip"
    with zipfile.ZipFile(shapefile_zip, "w") as clean:
        for part in sorted(target.iterdir()):
            clean.write(part, part.name)
    return shapefile_zip


def _extract(name: str, archive_path: Path, info: zipfile.ZipInfo, destination: Path) -> None:
    """Inflate one member to `destination`, never past the size its entry states (the entries'
    sizes add up to at most MAX_UNZIPPED_BYTES, checked before).

    Done by hand rather than with ZipFile.read: when a directory understates a member's size,
    zipfile cuts its output at the stated size but keeps inflating the whole stream (gigabytes of
    work) before failing on the CRC. Here inflating stops one chunk past the stated size, and a
    damaged stream is an UploadError naming the member.
    """
    if info.flag_bits & 0x1:
        raise UploadError(f"{name}: {info.filename!r} inside the zip is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UploadError(
            f"{name}: {info.filename!r} is compressed with method {info.compress_type}; "
            "zip it with the usual deflate method"
        )
    damaged = f"{name}: {info.filename!r} inside the zip is damaged"
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type else None
    written = checksum = 0
    try:
        with open(archive_path, "rb") as raw, open(destination, "wb") as out:
            raw.seek(info.header_offset)
            header = raw.read(30)
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                raise UploadError(f"{damaged} (no local header); zip it again")
            name_length, extra_length = struct.unpack_from("<HH", header, 26)
            raw.seek(info.header_offset + 30 + name_length + extra_length)
            left = info.compress_size
            while True:
                if inflater is not None and inflater.unconsumed_tail:
                    chunk = inflater.unconsumed_tail
                elif left > 0:
                    chunk = raw.read(min(left, COPY_CHUNK_BYTES))
                    if not chunk:
                        raise UploadError(f"{damaged} (it ends early); zip it again")
                    left -= len(chunk)
                else:
                    break
                room = min(COPY_CHUNK_BYTES, info.file_size - written + 1)
                data = inflater.decompress(chunk, room) if inflater is not None else chunk
                written += len(data)
                if written > info.file_size:
                    raise UploadError(
                        f"{damaged} (it inflates past the {info.file_size:,} bytes its entry "
                        "states); zip it again"
                    )
                checksum = zlib.crc32(data, checksum)
                out.write(data)
                if inflater is not None and inflater.eof:
                    break
    except zlib.error as error:
        raise UploadError(f"{damaged} ({error}); zip it again") from None
    if written != info.file_size or checksum != info.CRC:
        raise UploadError(f"{damaged} (its size or checksum does not match); zip it again")


def _expands_message(name: str) -> str:
    return f"{name}: expands to more than {MAX_UNZIPPED_BYTES / 1e6:.0f} MB; not read"


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
