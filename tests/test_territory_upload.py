"""lib/territory/upload.py and readers.py against hostile files: each is refused with a message
naming the problem, within bounded memory and time (the sizes that broke the app are measured by
benchmarks/hostile.py; here each file sits just past its limit)."""

from __future__ import annotations

import re
import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hostile_inputs import (
    circle_ring,
    corrupt_deflate_zip,
    huge_coordinate_geojson,
    kml_document,
    lying_zip,
    polygon_geojson,
    repeated_rows_parquet,
    shapefile_members,
    star_ring,
)

from lib.territory import UploadError, load_uploaded, snapshots_from_layers
from lib.territory import upload as territory_upload
from lib.territory.readers import MAX_FEATURES, MAX_VERTICES


def refusal(filename: str, data: bytes) -> str:
    with pytest.raises(UploadError) as error:
        load_uploaded(filename, data, date="2024-01-31")
    message = str(error.value)
    assert message.startswith(filename), message
    return message


def test_a_small_geoparquet_of_too_many_rows_is_refused_before_it_is_expanded():
    data = repeated_rows_parquet(MAX_FEATURES + 1)
    assert len(data) < 100_000
    assert refusal("rows.parquet", data) == (
        f"rows.parquet: {MAX_FEATURES + 1:,} features; the limit is {MAX_FEATURES:,} "
        "(is this one snapshot?)"
    )


def test_a_geojson_of_too_many_features_is_refused():
    rings = [circle_ring(4) for _ in range(MAX_FEATURES + 1)]
    message = refusal("many.geojson", polygon_geojson(rings))
    assert message == (
        f"many.geojson: more than {MAX_FEATURES:,} features; the limit is {MAX_FEATURES:,} "
        "(is this one snapshot?)"
    )


def test_too_many_vertices_are_refused_before_any_repair():
    rings = [circle_ring(MAX_VERTICES // 20) for _ in range(20)]
    message = refusal("dense.geojson", polygon_geojson(rings))
    assert f"{MAX_VERTICES + 20:,} vertices; the limit is {MAX_VERTICES:,}" in message


def test_a_polygon_too_costly_to_repair_is_stopped_and_refused(monkeypatch):
    """A 1,000-vertex star takes some 12 s of repair; with a 1-second budget the reader is
    stopped and the upload refused with the reason."""
    monkeypatch.setattr(territory_upload, "MAX_READ_CPU_SECONDS", 1)
    message = refusal("star.geojson", polygon_geojson([star_ring(1000)]))
    assert "took more than 1 s of computing, so it was stopped" in message


def test_an_ordinary_upload_still_reads_in_the_child():
    snapshots = load_uploaded("front.geojson", polygon_geojson([circle_ring(50)]))
    assert len(snapshots) == 1
    assert snapshots["area_km2"].iloc[0] > 0


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        pytest.param(
            "lying.zip", lying_zip(shapefile_members(20_000_000)), id="shapefile-lying-directory"
        ),
        pytest.param(
            "lying.kmz",
            lying_zip({"doc.kml": kml_document() + b" " * 20_000_000}),
            id="kmz-lying-directory",
        ),
        pytest.param(
            "corrupt.zip",
            corrupt_deflate_zip(shapefile_members(1_000_000)),
            id="shapefile-corrupt-deflate",
        ),
        pytest.param(
            "corrupt.kmz",
            corrupt_deflate_zip({"doc.kml": kml_document() + b" " * 1_000_000}),
            id="kmz-corrupt-deflate",
        ),
    ],
)
def test_a_damaged_zip_is_refused_naming_the_member(filename, data):
    message = refusal(filename, data)
    assert re.match(
        rf"{re.escape(filename)}: '(held\.shp|doc\.kml)' inside the zip is damaged", message
    )


def test_gdal_gives_its_whole_reason():
    """GDAL refuses a 2-million-vertex GeoJSON object; its reason holds a ';' and is kept whole."""
    message = refusal("huge.geojson", polygon_geojson([circle_ring(MAX_VERTICES - 10)]))
    assert "Failed to read GeoJSON data; At line 1" in message
    assert "GeoJSON object too complex/large" in message


def test_absurd_coordinates_are_named_briefly():
    message = refusal("far.geojson", huge_coordinate_geojson())
    assert "lie off any map (e.g. 1e+308)" in message
    assert not re.search(r"\d{20}", message)


def test_nan_coordinates_fail_the_snapshot_with_a_message():
    """A live answer may hold NaN (Python's JSON reads it); GEOS used to fail mid-repair."""
    ring = circle_ring(8)
    ring[3] = [np.nan, np.nan]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # shapely notes the NaN while building
        polygon = shapely.polygons(ring)
    frame = gpd.GeoDataFrame(geometry=[polygon], crs="EPSG:4326")
    with pytest.raises(ValueError, match="not numbers or lie off any map"):
        snapshots_from_layers("2024-01-31", {"control": frame}, source="isw", layers="control")
