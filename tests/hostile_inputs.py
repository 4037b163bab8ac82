"""Hostile files, made at run time (never committed): the tests use them just past each limit, and
benchmarks/hostile.py at the sizes that broke the app before (issue 15).

Every generator returns bytes; sizes are parameters.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

# A 10 km square in eastern Ukraine, in longitude/latitude.
UKRAINE_LONLAT = shapely.box(37.0, 48.0, 37.135, 48.09)


def repeated_rows_parquet(rows: int) -> bytes:
    """A GeoParquet of `rows` copies of one polygon: dictionary-encoded and zstd-compressed, so 30
    million rows fit in a few hundred KB and expand to gigabytes when read."""
    wkb = shapely.to_wkb(UKRAINE_LONLAT)
    geometry = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, dtype=np.int32)), pa.array([wkb], type=pa.binary())
    )
    dates = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, dtype=np.int32)), pa.array(["2024-01-31"])
    )
    geo = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Polygon"]}},
    }
    table = pa.table({"date": dates, "geometry": geometry}).replace_schema_metadata(
        {"geo": json.dumps(geo)}
    )
    buffer = io.BytesIO()
    # Without the stored Arrow schema a reader gets plain binary, one copy per row.
    pq.write_table(table, buffer, compression="zstd", store_schema=False)
    return buffer.getvalue()


def polygon_geojson(rings: list[np.ndarray], date: str = "2024-01-31") -> bytes:
    """A FeatureCollection of one polygon per ring (lon/lat arrays of shape (n, 2))."""
    features = [
        {
            "type": "Feature",
            "properties": {"date": date},
            "geometry": {"type": "Polygon", "coordinates": [ring.tolist()]},
        }
        for ring in rings
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def star_ring(vertices: int) -> np.ndarray:
    """A closed star polygon whose every edge crosses nearly every other: repairing it costs time
    growing faster than the square of `vertices`."""
    step = vertices // 2 - 1
    while np.gcd(vertices, step) != 1:
        step -= 1
    angles = 2 * np.pi * (np.arange(vertices) * step % vertices) / vertices
    ring = np.column_stack([35 + 3 * np.cos(angles), 48 + 2 * np.sin(angles)])
    return np.vstack([ring, ring[:1]])


def circle_ring(vertices: int) -> np.ndarray:
    """A valid closed ring of `vertices` points around eastern Ukraine."""
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    ring = np.column_stack([35 + 3 * np.cos(angles), 48 + 2 * np.sin(angles)]).round(6)
    return np.vstack([ring, ring[:1]])


def huge_coordinate_geojson() -> bytes:
    ring = np.array([[1e308, 1e308], [-1e308, 1e308], [-1e308, -1e308], [1e308, 1e308]])
    return polygon_geojson([ring])


def _zip(members: dict[str, bytes | int]) -> bytes:
    """A deflated zip; a member given as a number is that many zero bytes, written in chunks so
    gigabytes of them never sit in memory (under 2 GiB each: no ZIP64 records)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if isinstance(data, bytes):
                archive.writestr(name, data)
                continue
            chunk = bytes(1024 * 1024)
            with archive.open(name, "w") as member:
                for start in range(0, data, len(chunk)):
                    member.write(chunk[: min(len(chunk), data - start)])
    return buffer.getvalue()


def shapefile_members(inflated_bytes: int) -> dict[str, bytes | int]:
    """A shapefile's three parts, the .shp `inflated_bytes` of zeros."""
    return {"held.shp": inflated_bytes, "held.shx": b"x", "held.dbf": b"x"}


def lying_zip(members: dict[str, bytes | int], declared_size: int = 1000) -> bytes:
    """A zip whose directory (central and local headers) declares every member `declared_size`
    bytes long while its deflate streams inflate to the real sizes: a CRC error comes only at
    the end of the member."""
    data = bytearray(_zip(members))
    for signature, size_offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = data.find(signature)
        while start != -1:
            struct.pack_into("<I", data, start + size_offset, declared_size)
            start = data.find(signature, start + 4)
    return bytes(data)


def corrupt_deflate_zip(members: dict[str, bytes | int]) -> bytes:
    """A zip whose first member's deflate stream is damaged in the middle (zlib.error)."""
    data = bytearray(_zip(members))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.infolist()[0]
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    stream_start = info.header_offset + 30 + name_length + extra_length
    for offset in range(stream_start + 2, stream_start + min(info.compress_size, 64)):
        data[offset] = 0xFF
    return bytes(data)


def kml_document(vertices: int = 5) -> bytes:
    ring = " ".join(f"{x},{y}" for x, y in circle_ring(vertices))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{ring}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        "</Document></kml>"
    ).encode()


def json_of_empty_records(total_bytes: int) -> bytes:
    """A JSON list of `{}` records filling about `total_bytes`."""
    return b"[" + b"{}," * (total_bytes // 3 - 1) + b"{}]"


def csv_of_one_character_lines(total_bytes: int) -> bytes:
    return b"date,speaker,stance,quote\n" + b"x\n" * (total_bytes // 2)
