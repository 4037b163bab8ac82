"""Uploaded snapshots: every accepted format reaches the cache; every refusal stores nothing.

The file checks themselves belong to the engine (lib/territory/upload.py) and are tested there;
here: that what passes them is cached under the right source and what fails leaves no trace.
"""

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

from lib.sources import UploadError, cached_snapshots, status, store_upload
from lib.territory import EQUAL_AREA_CRS

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
    outcome = store_upload(content, name, date=DAY, cache_root=tmp_path / "cache")
    assert outcome.source == "upload"
    assert {day: result.outcome for day, result in outcome.results.items()} == {DAY: "stored"}
    snapshots = cached_snapshots("upload", cache_root=tmp_path / "cache")
    assert list(snapshots["date"]) == [DAY]
    assert snapshots["area_km2"].iloc[0] == pytest.approx(200.0, rel=1e-6)
    assert len(snapshots["download_sha256"].iloc[0]) == 64
    table = status(cache_root=tmp_path / "cache").set_index("source")
    assert table.loc["upload", "snapshots"] == 1


def points_geojson(tmp_path: Path) -> bytes:
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy([37.5], [48.0]), crs=4326)
    return as_bytes(points, "GeoJSON", tmp_path, ".geojson")


def without_prj(tmp_path: Path) -> bytes:
    members = shapefile_members(two_squares().to_crs(3857), tmp_path)
    members.pop("control.prj")
    return zipped(members)


REFUSALS = [
    ("unsupported-type", lambda p: b"a,b\n", "front.csv", "unsupported file type"),
    ("empty-file", lambda p: b"", "front.geojson", "the file is empty"),
    ("dot-dot-path", lambda p: zipped({"../evil.shp": b"x"}), "front.zip", "unsafe path"),
    ("absolute-path", lambda p: zipped({"/etc/evil.shp": b"x"}), "front.zip", "unsafe path"),
    (
        "symlink",
        lambda p: zipped({"a.shp": b"/etc/passwd"}, links=("a.shp",)),
        "front.zip",
        "symbolic link",
    ),
    ("missing-prj", without_prj, "front.zip", "no coordinate reference system"),
    ("points-only", points_geojson, "front.geojson", "no polygon features"),
    (
        "unknown-dated-layer",
        lambda p: two_squares().to_crs(4326).to_json().encode(),
        "2025-07-15_isw_probe.geojson",
        "name it as the archives do: 2025-07-15_control.geojson or 2025-07-15_advances.geojson "
        "(ISW), 2025-07-15_occupied.geojson (DeepStateMap). To add it as a separate upload, "
        "leave the date out of the name (e.g. front_line.geojson)",
    ),
]


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [pytest.param(make, name, message, id=case) for case, make, name, message in REFUSALS],
)
def test_refused_uploads_store_nothing(make, name, message, tmp_path):
    with pytest.raises(UploadError, match=re.escape(message)) as refused:
        store_upload(make(tmp_path), name, date=DAY, cache_root=tmp_path / "cache")
    assert str(refused.value).startswith(f"{name}: ")
    assert not (tmp_path / "cache").exists()


@pytest.mark.realdata
def test_an_isw_shapefile_zip_joins_the_isw_cache_with_its_recipe(territory_archive, tmp_path):
    path = territory_archive / "isw" / "isw_original_shapefile_zips"
    name = "2024-11-01_assessed_russian_control.zip"
    outcome = store_upload((path / name).read_bytes(), name, cache_root=tmp_path)
    assert outcome.source == "isw"
    snapshots = cached_snapshots("isw", cache_root=tmp_path)
    assert list(snapshots["layers"]) == ["control"]
    assert snapshots["area_km2"].iloc[0] == pytest.approx(108_486.15, rel=1e-4)  # README 4.1


def test_an_upload_far_from_the_sources_bundled_series_is_quarantined(tmp_path):
    """Issue 12: an upload that joins a source is held against that source's bundled series, so
    a file with a fraction of the held ground is flagged even with nothing cached to compare."""
    content = two_squares().to_crs(4326).to_json().encode()
    outcome = store_upload(content, "2025-07-15_control.geojson", cache_root=tmp_path / "cache")
    result = outcome.results[DAY]
    assert (outcome.source, result.outcome) == ("isw", "quarantined")
    assert result.reason.startswith("200 km² held, against ")
    assert "in the source's bundled series on 2025-06-29: held area changed -99.8%" in result.reason
    assert cached_snapshots("isw", cache_root=tmp_path / "cache").empty
    generic = store_upload(content, "front.geojson", date=DAY, cache_root=tmp_path / "cache")
    assert generic.results[DAY].outcome == "stored", "a file of no source has no series"
