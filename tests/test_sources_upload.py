"""Uploaded snapshots: every accepted format stores a snapshot; every refusal stores nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from lib.sources import cached_snapshots
from lib.sources.normalise import EQUAL_AREA_CRS
from lib.sources.upload import UploadError, read_upload, store_upload

DAY = dt.date(2025, 7, 15)
TODAY = dt.date(2026, 11, 28)


def two_squares() -> gpd.GeoDataFrame:
    """Two 10 km squares in eastern Ukraine, 100 km² each in the equal-area CRS."""
    squares = [box(400_000, 0, 410_000, 10_000), box(420_000, 0, 430_000, 10_000)]
    return gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=squares, crs=EQUAL_AREA_CRS)


def as_bytes(frame: gpd.GeoDataFrame, driver: str, tmp_path: Path, suffix: str) -> bytes:
    path = tmp_path / f"upload{suffix}"
    frame.to_file(path, driver=driver)
    return path.read_bytes()


def zipped(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def shapefile_members(frame: gpd.GeoDataFrame, tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / "control.shp")
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def upload_bytes(kind: str, tmp_path: Path) -> tuple[bytes, str]:
    frame = two_squares()
    if kind == "geojson":
        return as_bytes(frame.to_crs(4326), "GeoJSON", tmp_path, ".geojson"), "front.geojson"
    if kind == "kml":
        return as_bytes(frame.to_crs(4326), "KML", tmp_path, ".kml"), "front.kml"
    if kind == "kmz":
        kml = as_bytes(frame.to_crs(4326), "KML", tmp_path, ".kml")
        return zipped({"doc.kml": kml}), "front.kmz"
    if kind == "shapefile":
        return zipped(shapefile_members(frame.to_crs(3857), tmp_path)), "front.zip"
    if kind == "geoparquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer)
        return buffer.getvalue(), "front.parquet"
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["geojson", "kml", "kmz", "shapefile", "geoparquet"])
def test_each_format_stores_one_snapshot_of_the_right_area(kind, tmp_path):
    content, name = upload_bytes(kind, tmp_path)
    result = store_upload(content, name, DAY, "isw", cache_root=tmp_path / "cache", today=TODAY)
    assert result.outcome == "stored"
    snapshots = cached_snapshots("isw", cache_root=tmp_path / "cache")
    assert list(snapshots["date"]) == [DAY]
    assert snapshots["area_km2"].iloc[0] == pytest.approx(200.0, rel=1e-6)
    assert snapshots["origin"].iloc[0] == f"upload:{name}"


def points_geojson(tmp_path: Path) -> bytes:
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy([37.5], [48.0]), crs=4326)
    return as_bytes(points, "GeoJSON", tmp_path, ".geojson")


def mercator_without_crs(tmp_path: Path) -> bytes:
    """Web-Mercator metres written as if they were degrees: the classic wrong-CRS upload."""
    frame = two_squares().to_crs(3857).set_crs(4326, allow_override=True)
    return as_bytes(frame, "GeoJSON", tmp_path, ".geojson")


def without_prj(tmp_path: Path) -> bytes:
    members = shapefile_members(two_squares().to_crs(3857), tmp_path)
    members.pop("control.prj")
    return zipped(members)


REFUSALS = [
    ("unsupported-type", lambda p: b"a,b\n", "front.csv", "unsupported file type .csv"),
    ("empty-file", lambda p: b"", "front.geojson", "the file is empty"),
    ("not-a-zip", lambda p: b"PK\x03\x04 nope", "front.zip", "not a valid zip archive"),
    ("not-json", lambda p: b"{nope", "front.geojson", "cannot read it as geojson"),
    ("dot-dot-path", lambda p: zipped({"../evil.shp": b"x"}), "front.zip", "unsafe path"),
    ("absolute-path", lambda p: zipped({"/etc/evil.shp": b"x"}), "front.zip", "unsafe path"),
    (
        "symlink",
        lambda p: zipped({"a.shp": b"/etc/passwd"}, links=("a.shp",)),
        "front.zip",
        "symbolic link inside the zip",
    ),
    ("zip-bomb", lambda p: zipped({"a.shp": b"\0" * 5_000_000}), "front.zip", "zip bomb"),
    (
        "two-shapefiles",
        lambda p: zipped({"a.shp": b"x", "b.shp": b"y"}),
        "front.zip",
        "expected exactly one .shp file inside, found 2",
    ),
    ("missing-prj", without_prj, "front.zip", "control.prj is missing, so the CRS is unknown"),
    ("points-only", points_geojson, "front.geojson", "no polygon features (found Point)"),
    ("wrong-crs", mercator_without_crs, "front.geojson", "not in Ukraine; is the CRS right?"),
]


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [pytest.param(make, name, message, id=case) for case, make, name, message in REFUSALS],
)
def test_refused_uploads_store_nothing(make, name, message, tmp_path):
    with pytest.raises(UploadError, match=re.escape(message)) as refused:
        store_upload(make(tmp_path), name, DAY, "isw", cache_root=tmp_path / "cache", today=TODAY)
    assert str(refused.value).startswith(f"{name}: ")
    assert not (tmp_path / "cache").exists()


def test_a_date_in_the_future_is_refused(tmp_path):
    content, name = upload_bytes("geojson", tmp_path)
    with pytest.raises(UploadError, match="must be between 2014-02-20 and 2026-11-28"):
        store_upload(content, name, dt.date(2027, 1, 1), "isw", cache_root=tmp_path, today=TODAY)


def test_an_oversized_upload_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr("lib.sources.upload.MAX_UPLOAD_BYTES", 10)
    with pytest.raises(UploadError, match="over the 10 limit"):
        read_upload(b"{" + b" " * 20 + b"}", "big.geojson")


@pytest.mark.realdata
def test_an_isw_shapefile_zip_matches_its_published_area(territory_archive, tmp_path):
    path = territory_archive / "isw" / "isw_original_shapefile_zips"
    content = (path / "2024-11-01_assessed_russian_control.zip").read_bytes()
    store_upload(content, "control.zip", dt.date(2024, 11, 1), "isw", cache_root=tmp_path)
    area = cached_snapshots("isw", cache_root=tmp_path)["area_km2"].iloc[0]
    assert area == pytest.approx(108_486.15, rel=1e-4)  # geodesic area, README section 4.1
