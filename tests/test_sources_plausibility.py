"""lib/sources/plausibility.py: a snapshot must lie in Ukraine and hold ground of the order of its
source's series, whatever its neighbours; checked through uploads, as the Data page stores them."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pytest
import shapely
from hostile_inputs import UKRAINE_LONLAT
from shapely.geometry import box

from lib.sources import store_upload
from lib.territory import EQUAL_AREA_CRS


def geojson(geometry: shapely.Geometry, crs: str | None = None) -> bytes:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(geometry)}
        ],
    }
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(collection).encode()


def square_km2(side_km: float) -> shapely.Geometry:
    """A square of side `side_km` in eastern Ukraine, in longitude/latitude."""
    square = box(400_000, 0, 400_000 + side_km * 1000, side_km * 1000)
    return gpd.GeoSeries([square], crs=EQUAL_AREA_CRS).to_crs(4326).iloc[0]


def outcome_of(tmp_path, name: str, data: bytes, date: dt.date):
    outcome = store_upload(data, name, date=date, cache_root=tmp_path)
    return outcome.results[date]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param(
            "front.geojson",
            geojson(shapely.transform(UKRAINE_LONLAT, lambda xy: xy[:, ::-1])),
            id="latitude-longitude-swapped",
        ),
        pytest.param(
            "front.geojson",
            geojson(UKRAINE_LONLAT, crs="urn:ogc:def:crs:EPSG::3857"),
            id="degrees-declared-as-web-mercator",
        ),
        pytest.param(
            "2022-02-26_assessed_russian_control.geojson",
            geojson(box(-180, -90, 180, 90)),
            id="whole-world-as-early-isw",
        ),
    ],
)
def test_ground_outside_ukraine_is_quarantined_even_as_the_first_snapshot(tmp_path, name, data):
    result = outcome_of(tmp_path, name, data, dt.date(2022, 2, 26))
    assert result.outcome == "quarantined"
    assert "the ground lies outside Ukraine" in result.reason


def test_ground_in_ukraine_is_stored(tmp_path):
    result = outcome_of(tmp_path, "front.geojson", geojson(UKRAINE_LONLAT), dt.date(2022, 2, 26))
    assert result.outcome == "stored"


def test_an_area_far_from_the_series_is_quarantined_even_in_the_exempt_first_weeks(tmp_path):
    for day in (1, 2, 3):
        result = outcome_of(tmp_path, "f.geojson", geojson(square_km2(10)), dt.date(2022, 3, day))
        assert result.outcome == "stored"
    result = outcome_of(tmp_path, "f.geojson", geojson(square_km2(40)), dt.date(2022, 3, 4))
    assert result.outcome == "quarantined"
    assert "is not of the order of this source's snapshots (median 100 km²" in result.reason
