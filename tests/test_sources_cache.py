"""The snapshot store seen through its interface, and the plausibility policy on its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from lib.sources.cache import open_store
from lib.sources.plausibility import snapshot_problem
from lib.territory import EQUAL_AREA_CRS, snapshots_from_layers


def square_snapshot(day: dt.date, side_km: float) -> gpd.GeoDataFrame:
    """One "upload" snapshot: a square of `side_km` in the equal-area CRS (side² km² held)."""
    layer = gpd.GeoDataFrame(
        geometry=[box(0, 0, side_km * 1000, side_km * 1000)], crs=EQUAL_AREA_CRS
    )
    return snapshots_from_layers(day, {"held": layer}, source="upload", label="test square")


def test_an_empty_store_holds_nothing_and_says_so(tmp_path: Path):
    store = open_store("upload", tmp_path)
    contents = store.contents()
    assert (store.exists(), store.signature()) == (False, "missing")
    assert (contents.accepted, contents.quarantined, contents.last_refresh) == ({}, {}, None)
    assert store.snapshots().empty


def test_stores_answer_for_what_they_hold_and_sign_each_change(tmp_path: Path):
    store = open_store("upload", tmp_path)
    first, second = dt.date(2025, 7, 1), dt.date(2025, 7, 2)
    with store.lock():
        assert store.store(square_snapshot(first, 10), version="a").outcome == "stored"
        signature = store.signature()
        verdict = store.store(square_snapshot(second, 5), version="b")
    assert verdict.outcome == "quarantined"
    assert store.signature() != signature
    contents = open_store("upload", tmp_path).contents()
    assert list(contents.accepted) == [first]
    assert contents.accepted[first]["area_km2"] == pytest.approx(100.0)
    assert contents.accepted[first]["version"] == "a"
    assert contents.quarantined[second]["reason"] == verdict.reason
    assert list(store.snapshots()["date"]) == [first]


@pytest.mark.parametrize(
    ("side_km", "accepted", "expected"),
    [
        pytest.param(10, {}, "", id="first-snapshot"),
        pytest.param(10, {dt.date(2025, 6, 30): 100.0}, "", id="same-area"),
        pytest.param(5, {dt.date(2025, 6, 30): 100.0}, "held area changed -75.0%", id="drop"),
        pytest.param(5, {dt.date(2025, 7, 3): 100.0}, "held area changed +300.0%", id="next-only"),
    ],
)
def test_snapshot_problem_compares_with_the_nearest_accepted(side_km, accepted, expected):
    problem = snapshot_problem(square_snapshot(dt.date(2025, 7, 1), side_km), accepted)
    assert problem.startswith(expected) and bool(problem) == bool(expected)
