"""The territorial-change engine: fixtures built in code, then the real archive in ../shared."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import io
import itertools
import json
import math
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from lib.territory import (
    EQUAL_AREA_CRS,
    MAX_UPLOAD_BYTES,
    MONTHLY_COLUMNS,
    RECIPES,
    UploadError,
    load_snapshots,
    load_uploaded,
    month_change_geometries,
    monthly_change,
    recipe_for,
    snapshot_series,
    snapshots_from_layers,
)
from lib.territory import change as territory_change
from lib.territory.__main__ import main as cli
from lib.territory.bundle import bundled_monthly, bundled_with_kursk, read_bundled_monthly
from lib.territory.countings import CLAIMED, KURSK, LABELS, check_bundled
from lib.territory.kursk import (
    KURSK_AFTER_LAST_MAP,
    KURSK_COLUMNS,
    KURSK_MAPPED,
    KURSK_NONE,
    load_salient,
    with_kursk,
)
from lib.territory.recipes import deepstate_layer
from lib.territory.reconcile import PUBLISHED_COLUMNS, compare_published, read_published

KM = 1000.0


def square(x_km: float, y_km: float, side_km: float = 10.0):
    """A square in EQUAL_AREA_CRS metres: side 10 km → exactly 100 km²."""
    return box(x_km * KM, y_km * KM, (x_km + side_km) * KM, (y_km + side_km) * KM)


def snapshots_of(polygons: dict[str, object]) -> gpd.GeoDataFrame:
    """Snapshots (one per ISO date) from polygons in EQUAL_AREA_CRS."""
    dates = [dt.date.fromisoformat(text) for text in polygons]
    return gpd.GeoDataFrame(
        {"date": dates, "area_km2": [shapely.area(p) / 1e6 for p in polygons.values()]},
        geometry=list(polygons.values()),
        crs=EQUAL_AREA_CRS,
    ).assign(layers="held", files="test")


def write_geojson(path: Path, frame: gpd.GeoDataFrame) -> Path:
    frame.to_file(path, driver="GeoJSON")
    return path


def lonlat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs("EPSG:4326")


class TestMonthlyChange:
    def test_two_squares_give_known_gains_and_losses(self):
        # Jan: square A; Feb: A and B (Russia gains B); Mar: B only (Ukraine regains A).
        a, b = square(0, 0), square(20, 0)
        snapshots = snapshots_of({"2024-01-28": a, "2024-02-25": a.union(b), "2024-03-31": b})
        monthly = monthly_change(snapshots).set_index("month")
        assert monthly.loc["2024-01", "status"] == "gap"
        assert math.isnan(monthly.loc["2024-01", "net_change_russia_km2"])
        feb, mar = monthly.loc["2024-02"], monthly.loc["2024-03"]
        assert feb["gained_by_russia_km2"] == pytest.approx(100.0)
        assert feb["regained_by_ukraine_km2"] == pytest.approx(0.0, abs=1e-9)
        assert feb["held_by_russia_km2"] == pytest.approx(200.0)
        assert mar["gained_by_russia_km2"] == pytest.approx(0.0, abs=1e-9)
        assert mar["regained_by_ukraine_km2"] == pytest.approx(100.0)
        assert mar["net_change_russia_km2"] == pytest.approx(-100.0)
        assert mar["start_snapshot"] == dt.date(2024, 2, 25)
        assert mar["end_snapshot"] == dt.date(2024, 3, 31)
        assert list(monthly.reset_index().columns[:7]) == MONTHLY_COLUMNS

    def test_month_without_a_snapshot_is_a_gap_not_zero(self):
        snapshots = snapshots_of({"2024-01-31": square(0, 0), "2024-03-31": square(5, 0)})
        monthly = monthly_change(snapshots).set_index("month")
        assert monthly.loc["2024-02", "status"] == "gap"
        assert math.isnan(monthly.loc["2024-02", "gained_by_russia_km2"])
        assert monthly.loc["2024-03", "status"] == "ok"
        assert monthly.loc["2024-03", "gained_by_russia_km2"] == pytest.approx(50.0)

    def test_month_ending_early_is_partial_with_its_as_of_date(self):
        snapshots = snapshots_of({"2024-01-31": square(0, 0), "2024-02-10": square(0, 0, 20)})
        row = monthly_change(snapshots).set_index("month").loc["2024-02"]
        assert row["status"] == "partial"
        assert row["as_of"] == dt.date(2024, 2, 10)
        assert row["gained_by_russia_km2"] == pytest.approx(300.0)

    def test_snapshot_series_reports_change_since_previous(self):
        snapshots = snapshots_of(
            {"2024-01-01": square(0, 0), "2024-01-08": square(5, 0), "2024-01-15": square(5, 0)}
        )
        series = snapshot_series(snapshots)
        assert math.isnan(series["change_since_previous_km2"].iloc[0])
        assert series["gained_by_russia_km2"].iloc[1] == pytest.approx(50.0)
        assert series["regained_by_ukraine_km2"].iloc[1] == pytest.approx(50.0)
        assert series["change_since_previous_km2"].iloc[2] == pytest.approx(0.0, abs=1e-9)

    def test_month_change_geometries_are_lon_lat_with_kinds(self):
        snapshots = snapshots_of({"2024-01-31": square(0, 0), "2024-02-28": square(5, 0)})
        shapes = month_change_geometries(snapshots, "2024-02").set_index("kind")
        assert shapes.crs.to_epsg() == 4326
        assert set(shapes.index) == {"held_by_russia", "gained_by_russia", "regained_by_ukraine"}
        assert shapes.loc["gained_by_russia", "area_km2"] == pytest.approx(50.0)
        assert shapes.loc["held_by_russia", "area_km2"] == pytest.approx(100.0)
        with pytest.raises(ValueError, match="outside the snapshots' range"):
            month_change_geometries(snapshots, "2025-01")


class TestCalendarWindows:
    def test_first_of_month_snapshot_stands_for_the_previous_month_end(self):
        # Monthly API snapshots taken on the 1st: the one of 1 February closes January.
        a, b = square(0, 0), square(20, 0)
        snapshots = snapshots_of({"2024-01-01": a, "2024-02-01": a.union(b), "2024-03-01": b})
        monthly = monthly_change(snapshots).set_index("month")
        january, february = monthly.loc["2024-01"], monthly.loc["2024-02"]
        assert (january["start_snapshot"], january["end_snapshot"]) == (
            dt.date(2024, 1, 1),
            dt.date(2024, 2, 1),
        )
        assert january["gained_by_russia_km2"] == pytest.approx(100.0)
        assert january["status"] == "ok"
        assert february["regained_by_ukraine_km2"] == pytest.approx(100.0)
        assert monthly.loc["2024-03", "status"] == "gap"

    def test_the_snapshot_nearest_the_month_end_wins(self):
        frame = snapshots_of(
            {"2024-01-25": square(0, 0), "2024-01-31": square(5, 0), "2024-02-01": square(9, 0)}
        ).assign(snapshot_time=["2024-01-25T20:00:00Z", "2024-01-31T20:00:00Z", None])
        # 31 January 20:00 is 4 hours before midnight; the file dated 1 February (the evening of
        # that day) is 24 hours after it.
        instants = territory_change._instants(frame)
        assert territory_change.month_end_snapshot(instants, "2024-01") == 1
        row = monthly_change(frame).set_index("month").loc["2024-02"]
        assert row["start_snapshot_time"] == "2024-01-31T20:00:00Z"
        assert row["end_snapshot"] == dt.date(2024, 2, 1)
        assert pd.isna(row["end_snapshot_time"])

    def test_a_snapshot_three_days_after_the_month_does_not_close_it(self):
        snapshots = snapshots_of({"2024-01-20": square(0, 0), "2024-02-03": square(5, 0)})
        monthly = monthly_change(snapshots).set_index("month")
        assert monthly.loc["2024-01", "end_snapshot"] == dt.date(2024, 1, 20)
        assert monthly.loc["2024-02", "start_snapshot"] == dt.date(2024, 1, 20)

    @pytest.mark.parametrize(
        ("end", "status"),
        [
            pytest.param("2024-02-22", "ok", id="misses-7-days"),
            pytest.param("2024-02-21", "partial", id="misses-8-days"),
        ],
    )
    def test_partial_means_the_window_misses_more_than_seven_days(self, end, status):
        snapshots = snapshots_of({"2024-01-31": square(0, 0), end: square(5, 0)})
        assert monthly_change(snapshots).set_index("month").loc["2024-02", "status"] == status


def grey_snapshot(date: str, occupied, grey) -> dict:
    return {"date": date, "geometry": occupied, "grey_zone_wkb": shapely.to_wkb(grey)}


class TestThreeStates:
    def test_moves_between_occupied_grey_and_ukrainian_ground(self):
        start = grey_snapshot("2024-01-31", square(0, 0), square(10, 0))
        # Russia takes the grey square and a Ukrainian one; a new grey square appears.
        end = grey_snapshot(
            "2024-02-29",
            shapely.union_all([square(0, 0), square(10, 0), square(20, 0)]),
            square(30, 0),
        )
        frame = gpd.GeoDataFrame([start, end], geometry="geometry", crs=EQUAL_AREA_CRS)
        row = monthly_change(frame).set_index("month").loc["2024-02"]
        assert row["grey_zone"] == "separated"
        assert row["ukraine_to_russia_km2"] == pytest.approx(100.0)
        assert row["grey_to_russia_km2"] == pytest.approx(100.0)
        assert row["ukraine_to_grey_km2"] == pytest.approx(100.0)
        assert row["grey_to_ukraine_km2"] == pytest.approx(0.0, abs=1e-9)
        assert row["russia_to_grey_km2"] == pytest.approx(0.0, abs=1e-9)
        # The headline is ground entering or leaving the occupied polygon, as DeepStateMap
        # counts its monthly "occupied" figure; the moves say how much came out of the grey zone.
        assert row["gained_by_russia_km2"] == pytest.approx(
            row["ukraine_to_russia_km2"] + row["grey_to_russia_km2"]
        )
        assert row["regained_by_ukraine_km2"] == pytest.approx(
            row["russia_to_ukraine_km2"] + row["russia_to_grey_km2"], abs=1e-9
        )
        assert row["net_change_russia_km2"] == pytest.approx(row["held_by_russia_km2"] - 100.0)

    def test_occupied_only_sources_say_the_grey_zone_cannot_be_separated(self):
        row = monthly_change(snapshots_of({"2024-01-31": square(0, 0), "2024-02-29": square(5, 0)}))
        february = row.set_index("month").loc["2024-02"]
        assert february["grey_zone"] == "not separable"
        assert math.isnan(february["ukraine_to_grey_km2"])
        assert february["gained_by_russia_km2"] == pytest.approx(50.0)

    def test_raw_deepstate_files_carry_the_grey_zone(self, tmp_path):
        names = [
            "Окуповано /// Occupied /// geoJSON.status.occupied",
            "Статус невідомий /// Unknown status /// geoJSON.status.unknown",
            "Звільнено /// Liberated /// geoJSON.status.dismissed",
        ]
        for stamp, grey_x in (("2024-01-31T200000Z_1706731200", 10), ("2024-02-29T200000Z_2", 0)):
            shapes = [square(0, 0, 10), square(grey_x, 0, 5), square(40, 0)]
            frame = gpd.GeoDataFrame({"name": names}, geometry=shapes, crs=EQUAL_AREA_CRS)
            write_geojson(tmp_path / f"{stamp}_raw.geojson", lonlat(frame))
        snapshots = load_snapshots(tmp_path, cache=False)
        # The grey square of February lies inside the occupied one: the states never overlap.
        assert snapshots["grey_zone_km2"].tolist() == pytest.approx([25.0, 0.0], abs=0.01)
        row = monthly_change(snapshots).set_index("month").loc["2024-02"]
        assert row["grey_zone"] == "separated"
        assert row["start_snapshot_time"] == "2024-01-31T20:00:00Z"
        assert row["grey_to_ukraine_km2"] == pytest.approx(25.0, abs=0.01)


@st.composite
def square_series(draw):
    count = draw(st.integers(min_value=2, max_value=8))
    day_offsets = sorted(draw(st.sets(st.integers(0, 400), min_size=count, max_size=count)))
    polygons = {}
    for offset in day_offsets:
        cells = draw(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1))
        shape = shapely.union_all([square(x * 10, y * 10) for x, y in cells])
        polygons[(dt.date(2024, 1, 1) + dt.timedelta(days=offset)).isoformat()] = shape
    return polygons


@settings(max_examples=60, deadline=None)
@given(square_series())
def test_monthly_nets_add_up_to_last_minus_first(polygons):
    snapshots = snapshots_of(polygons)
    monthly = monthly_change(snapshots)
    counted = monthly[monthly["status"] != "gap"]
    if counted.empty:
        return
    first_start = snapshots.set_index("date").loc[counted["start_snapshot"].iloc[0], "area_km2"]
    last = snapshots["area_km2"].iloc[-1]
    assert counted["net_change_russia_km2"].sum() == pytest.approx(last - first_start, abs=1e-6)
    assert (counted["gained_by_russia_km2"] >= 0).all()
    assert (counted["regained_by_ukraine_km2"] >= 0).all()
    net = counted["net_change_russia_km2"]
    assert (counted["gained_by_russia_km2"] >= net.clip(lower=0) - 1e-9).all()
    assert (counted["regained_by_ukraine_km2"] >= (-net).clip(lower=0) - 1e-9).all()


class TestRecipes:
    @pytest.mark.parametrize(
        ("name", "layer"),
        [
            pytest.param(
                "Окуповано /// Occupied /// geoJSON.status.occupied", "occupied", id="key"
            ),
            pytest.param(
                "ОРДЛО /// CADR and CALR /// geoJSON.territories.ordlo", "ordlo", id="ordlo"
            ),
            pytest.param(
                "Окупований Крим /// Occupied Crimea /// geoJSON.territories.crimea",
                "crimea",
                id="crimea",
            ),
            pytest.param(
                "Окупована Абхазія.\n///\nOccupied Abkhazia.\n/// geoJSON.territories.abkhazia",
                None,
                id="abkhazia-key",
            ),
            pytest.param("Окупована Абхазія /// Occupied Abkhazia", None, id="abkhazia-no-key"),
            pytest.param("Острів Тузла /// Occupied Tuzla Island", None, id="tuzla"),
            pytest.param(
                "Статус невідомий /// Unknown status /// geoJSON.status.unknown", None, id="grey"
            ),
            pytest.param(
                "Звільнено /// Liberated /// geoJSON.status.dismissed", None, id="liberated"
            ),
            pytest.param("Окуповано\xa0/// Occupied\n", "occupied", id="no-key-nbsp"),
            pytest.param("ОРДЛО /// CADR and CALR", "ordlo", id="no-key-ordlo"),
            pytest.param("Окуповано. 01.04", "occupied", id="ukrainian-dated"),
            pytest.param("Крим", "crimea", id="ukrainian-crimea"),
            pytest.param("Придністров'я", None, id="transnistria"),
            pytest.param(None, None, id="no-name"),
        ],
    )
    def test_deepstate_layer_by_key_never_by_substring(self, name, layer):
        assert deepstate_layer(name) == layer

    def test_claimed_layers_cannot_be_counted(self):
        with pytest.raises(ValueError, match="cannot be counted"):
            recipe_for("isw", "control,claimed_russian_control")
        with pytest.raises(ValueError, match="needs the 'control' layer"):
            recipe_for("isw", "advances")
        assert recipe_for("isw", "control").layers == ("control",)
        assert recipe_for("isw", None) is RECIPES["isw"]
        assert recipe_for("isw", ["control_map", "russian_advances"]) is RECIPES["isw"]


def isw_layer(geometries, crs="EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"Area_KM": [0.0] * len(geometries)}, geometry=geometries, crs=crs)


UKRAINE_SQUARE = gpd.GeoSeries([square(0, 0)], crs=EQUAL_AREA_CRS).to_crs("EPSG:4326")[0]
UKRAINE_SQUARE_EAST = gpd.GeoSeries([square(5, 0)], crs=EQUAL_AREA_CRS).to_crs("EPSG:4326")[0]


class TestLoading:
    def test_claimed_counting_adds_isw_claimed_layer_as_the_press_counts_it(self, tmp_path):
        write_geojson(tmp_path / "2024-01-07_control_map.geojson", isw_layer([UKRAINE_SQUARE]))
        write_geojson(
            tmp_path / "2024-01-07_claimed_russian_control.geojson",
            isw_layer([UKRAINE_SQUARE_EAST]),
        )
        assessed = load_snapshots(tmp_path, cache=False)
        claimed = load_snapshots(tmp_path, cache=False, counting="claimed")
        assert assessed["area_km2"].iloc[0] == pytest.approx(100.0, rel=1e-6)
        assert claimed["area_km2"].iloc[0] == pytest.approx(150.0, rel=1e-6)
        assert claimed["layers"].iloc[0] == "control+claimed_russian_control"
        with pytest.raises(ValueError, match="deepstate has none"):
            recipe_for("deepstate", None, "claimed")
        with pytest.raises(ValueError, match="counting 'press'"):
            recipe_for("isw", None, "press")

    def test_folder_of_dated_layers_unions_control_and_advances(self, tmp_path):
        write_geojson(tmp_path / "2024-01-07_control_map.geojson", isw_layer([UKRAINE_SQUARE]))
        write_geojson(
            tmp_path / "2024-01-07_russian_advances.geojson", isw_layer([UKRAINE_SQUARE_EAST])
        )
        write_geojson(
            tmp_path / "2024-01-07_claimed_russian_control.geojson",
            isw_layer([box(30, 45, 40, 52)]),
        )
        snapshots = load_snapshots(tmp_path, cache=False)
        assert len(snapshots) == 1
        row = snapshots.iloc[0]
        assert row["source"] == "isw"
        assert row["layers"] == "control+advances"
        assert row["area_km2"] == pytest.approx(150.0, rel=1e-6)
        assert snapshots.crs.equals(EQUAL_AREA_CRS)
        only_control = load_snapshots(tmp_path, layers="control", cache=False)
        assert only_control["area_km2"].iloc[0] == pytest.approx(100.0, rel=1e-6)

    def test_invalid_polygons_are_repaired_and_reported(self, tmp_path):
        bowtie = shapely.Polygon([(31, 48), (31.2, 48.2), (31.2, 48), (31, 48.2), (31, 48)])
        write_geojson(tmp_path / "2024-01-07_control_map.geojson", isw_layer([bowtie]))
        snapshots = load_snapshots(tmp_path, cache=False)
        assert snapshots["area_km2"].iloc[0] > 0
        assert any("repaired with make_valid" in p for p in snapshots.attrs["problems"])

    def test_empty_and_unreadable_files_are_reported_by_name_and_skipped(self, tmp_path):
        write_geojson(tmp_path / "2024-01-07_control_map.geojson", isw_layer([UKRAINE_SQUARE]))
        (tmp_path / "2024-01-14_control_map.geojson").write_text("{not json")
        (tmp_path / "2024-01-21_control_map.geojson").write_text(
            '{"type": "FeatureCollection", "features": []}'
        )
        snapshots = load_snapshots(tmp_path, cache=False)
        assert list(snapshots["date"]) == [dt.date(2024, 1, 7)]
        problems = " | ".join(snapshots.attrs["problems"])
        assert "2024-01-14_control_map.geojson: unreadable" in problems
        assert "2024-01-21_control_map.geojson" in problems

    def test_advances_without_control_are_not_a_snapshot(self, tmp_path):
        write_geojson(tmp_path / "2024-01-07_control_map.geojson", isw_layer([UKRAINE_SQUARE]))
        write_geojson(
            tmp_path / "2024-01-08_russian_advances.geojson", isw_layer([UKRAINE_SQUARE_EAST])
        )
        snapshots = load_snapshots(tmp_path, cache=False)
        assert list(snapshots["date"]) == [dt.date(2024, 1, 7)]
        assert any("no 'control' layer" in p for p in snapshots.attrs["problems"])

    def test_one_file_with_a_date_column(self, tmp_path):
        frame = gpd.GeoDataFrame(
            {"date": ["2024-01-31", "2024-02-29"]},
            geometry=[square(0, 0), square(0, 0, 20)],
            crs=EQUAL_AREA_CRS,
        )
        path = tmp_path / "held.parquet"
        frame.to_parquet(path)
        snapshots = load_snapshots(path, cache=False)
        assert list(snapshots["area_km2"].round(6)) == [100.0, 400.0]
        monthly = monthly_change(snapshots).set_index("month")
        assert monthly.loc["2024-02", "gained_by_russia_km2"] == pytest.approx(300.0)

    def test_cache_is_reused_and_keyed_by_content(self, tmp_path):
        folder, cache = tmp_path / "archive", tmp_path / "cache"
        folder.mkdir()
        write_geojson(folder / "2024-01-07_control_map.geojson", isw_layer([UKRAINE_SQUARE]))
        first = load_snapshots(folder, cache=cache)
        file_entries = sorted(cache.glob("[!i]*.parquet"))
        assert len(file_entries) == 1 and len(list(cache.glob("index-*.parquet"))) == 1
        second = load_snapshots(folder, cache=cache)
        assert second["area_km2"].iloc[0] == first["area_km2"].iloc[0]
        assert second.attrs["problems"] == first.attrs["problems"]
        assert sorted(cache.glob("[!i]*.parquet")) == file_entries
        assert (first.attrs["files_read"], second.attrs["files_read"]) == (1, 0)
        # Changing one file and adding another reads those two only.
        write_geojson(folder / "2024-01-07_control_map.geojson", isw_layer([UKRAINE_SQUARE_EAST]))
        write_geojson(folder / "2024-01-14_control_map.geojson", isw_layer([UKRAINE_SQUARE]))
        write_geojson(folder / "2024-01-14_russian_advances.geojson", isw_layer([UKRAINE_SQUARE]))
        third = load_snapshots(folder, cache=cache)
        assert len(list(cache.glob("[!i]*.parquet"))) == 4
        assert (third.attrs["files_read"], third.attrs["files_from_cache"]) == (3, 0)
        assert list(third["area_km2"].round(3)) == [100.0, 100.0]
        write_geojson(folder / "2024-01-21_control_map.geojson", isw_layer([UKRAINE_SQUARE]))
        fourth = load_snapshots(folder, cache=cache)
        assert (fourth.attrs["files_read"], fourth.attrs["files_from_cache"]) == (1, 3)
        assert list(fourth["area_km2"].round(3)) == [100.0, 100.0, 100.0]
        assert load_snapshots(folder, cache=False)["area_km2"].tolist() == pytest.approx(
            fourth["area_km2"].tolist()
        )

    def test_snapshots_from_downloaded_deepstate_features(self):
        features = gpd.GeoDataFrame(
            {
                "name": [
                    "Окуповано /// Occupied /// geoJSON.status.occupied",
                    "Окупована Абхазія /// Occupied Abkhazia /// geoJSON.territories.abkhazia",
                ]
            },
            geometry=[UKRAINE_SQUARE, box(40, 42, 41, 43)],
            crs="EPSG:4326",
        )
        row = snapshots_from_layers("2025-07-01", {"features": features}, source="deepstate")
        assert len(row) == 1
        assert row["area_km2"].iloc[0] == pytest.approx(100.0, rel=1e-4)
        assert row["date"].iloc[0] == dt.date(2025, 7, 1)

    def test_an_empty_download_is_a_clear_error(self):
        empty = gpd.GeoDataFrame.from_features([])
        with pytest.raises(ValueError, match=r"no usable snapshots: .*2025-08-04\]: no features"):
            snapshots_from_layers("2025-08-04", {"features": empty}, source="deepstate")


class TestCommandLine:
    def test_missing_path_is_a_one_line_error(self, capsys):
        assert cli(["monthly", "/no/such/folder"]) == 1
        err = capsys.readouterr().err.strip()
        assert err == "error: /no/such/folder: no such file or folder"

    def test_unreadable_data_is_an_error(self, tmp_path, capsys):
        bad = tmp_path / "snapshots.geojson"
        bad.write_text("{not json")
        assert cli(["monthly", str(bad), "--no-cache"]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert err[-1].startswith("error: ") and "snapshots.geojson" in err[-1]

    def test_csv_has_exactly_the_monthly_header(self, tmp_path, capsys):
        frame = gpd.GeoDataFrame(
            {"date": ["2024-01-31", "2024-02-29", "2024-03-31"]},
            geometry=[square(0, 0), square(0, 0, 20), square(0, 0, 20)],
            crs=EQUAL_AREA_CRS,
        )
        lonlat(frame).to_file(tmp_path / "held.geojson")
        assert (
            cli(["monthly", str(tmp_path / "held.geojson"), "--no-cache", "--from", "2024-02"]) == 0
        )
        out = capsys.readouterr().out
        table = pd.read_csv(io.StringIO(out))
        assert list(table.columns) == MONTHLY_COLUMNS
        assert list(table["month"]) == ["2024-02", "2024-03"]
        assert table["gained_by_russia_km2"].iloc[0] == pytest.approx(300.0, rel=1e-4)

    def test_json_has_status_and_as_of(self, tmp_path, capsys):
        frame = gpd.GeoDataFrame(
            {"date": ["2024-01-31", "2024-02-10"]},
            geometry=[square(0, 0), square(0, 0, 20)],
            crs=EQUAL_AREA_CRS,
        )
        lonlat(frame).to_file(tmp_path / "held.geojson")
        assert (
            cli(["monthly", str(tmp_path / "held.geojson"), "--no-cache", "--format", "json"]) == 0
        )
        records = json.loads(capsys.readouterr().out)
        assert records[-1]["status"] == "partial"
        assert records[-1]["as_of"] == "2024-02-10"

    def test_projected_coordinates_without_crs_are_rejected(self, tmp_path, capsys):
        frame = gpd.GeoDataFrame(
            {"date": ["2024-01-31"]}, geometry=[square(0, 0)], crs=EQUAL_AREA_CRS
        )
        frame.to_file(tmp_path / "held.geojson")  # GeoJSON drops a non-EPSG CRS
        assert cli(["monthly", str(tmp_path / "held.geojson"), "--no-cache"]) == 1
        assert "coordinates are not longitude/latitude" in capsys.readouterr().err

    def test_bundled_table_by_source_id(self, capsys):
        assert cli(["monthly", "isw", "--from", "2024-01", "--to", "2024-03"]) == 0
        table = pd.read_csv(io.StringIO(capsys.readouterr().out))
        assert list(table.columns) == MONTHLY_COLUMNS
        assert list(table["month"]) == ["2024-01", "2024-02", "2024-03"]
        assert cli(["monthly", "isw", "--layers", "control"]) == 1
        assert "fixed recipe" in capsys.readouterr().err

    def test_bad_month_is_rejected(self, capsys):
        with pytest.raises(SystemExit) as exit_info:
            cli(["monthly", "isw", "--from", "2024-13"])
        assert exit_info.value.code != 0
        assert "not a month" in capsys.readouterr().err


def held_frame(crs: str = "EPSG:4326", with_date: bool = True) -> gpd.GeoDataFrame:
    columns = {"date": ["2024-01-31"]} if with_date else {"label": ["held"]}
    return gpd.GeoDataFrame(columns, geometry=[UKRAINE_SQUARE], crs="EPSG:4326").to_crs(crs)


def geojson_bytes(frame: gpd.GeoDataFrame, tmp_path: Path) -> bytes:
    path = tmp_path / "out.geojson"
    frame.to_file(path, driver="GeoJSON")
    return path.read_bytes()


def shapefile_zip(tmp_path: Path, frame: gpd.GeoDataFrame, extra: dict[str, bytes] = ()) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    frame.to_file(folder / "held.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in sorted(folder.iterdir()):
            archive.write(part, part.name)
        for name, data in dict(extra).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def kml_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "held.kml"
    held_frame(with_date=False)[["geometry"]].to_file(path, driver="KML")
    return path.read_bytes()


def kmz_bytes(tmp_path: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.kml", kml_bytes(tmp_path))
    return buffer.getvalue()


def parquet_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "held.parquet"
    held_frame(EQUAL_AREA_CRS).to_parquet(path)
    return path.read_bytes()


class TestUpload:
    @pytest.mark.parametrize(
        ("filename", "make", "date"),
        [
            pytest.param(
                "held.geojson",
                lambda p: geojson_bytes(held_frame(), p),
                None,
                id="geojson-date-column",
            ),
            pytest.param(
                "front.geojson",
                lambda p: geojson_bytes(held_frame(with_date=False), p),
                "2024-01-31",
                id="geojson-date-argument",
            ),
            pytest.param(
                "2024-01-31_held.geojson",
                lambda p: geojson_bytes(held_frame(with_date=False), p),
                None,
                id="geojson-dated-name",
            ),
            pytest.param(
                "held.zip",
                lambda p: shapefile_zip(p, held_frame("EPSG:3857")),
                None,
                id="shapefile-web-mercator",
            ),
            pytest.param("held.kml", kml_bytes, "2024-01-31", id="kml"),
            pytest.param("held.kmz", kmz_bytes, "2024-01-31", id="kmz"),
            pytest.param("held.parquet", parquet_bytes, None, id="geoparquet"),
        ],
    )
    def test_accepted_formats_give_the_held_area(self, tmp_path, filename, make, date):
        snapshots = load_uploaded(filename, make(tmp_path), date=date)
        assert list(snapshots["date"]) == [dt.date(2024, 1, 31)]
        assert snapshots["area_km2"].iloc[0] == pytest.approx(100.0, rel=1e-4)

    @pytest.mark.parametrize(
        ("filename", "make", "message"),
        [
            pytest.param("notes.txt", lambda p: b"hello", "unsupported file type", id="type"),
            pytest.param("empty.geojson", lambda p: b"", "the file is empty", id="empty"),
            pytest.param(
                "huge.geojson",
                lambda p: b" " * (MAX_UPLOAD_BYTES + 1),
                "over the 52 MB limit",
                id="too-big",
            ),
            pytest.param("bad.geojson", lambda p: b"{not json", "unreadable", id="unreadable"),
            pytest.param(
                "slip.zip",
                lambda p: shapefile_zip(p, held_frame(), {"../../evil.txt": b"x"}),
                "unsafe path inside the zip",
                id="zip-slip",
            ),
            pytest.param(
                "absolute.zip",
                lambda p: shapefile_zip(p, held_frame(), {"/etc/evil.shp": b"x"}),
                "unsafe path",
                id="zip-absolute",
            ),
            pytest.param(
                "two.zip",
                lambda p: shapefile_zip(p, held_frame(), {"other.shp": b"x"}),
                "exactly one .shp",
                id="zip-two-shapefiles",
            ),
            pytest.param("junk.zip", lambda p: b"PK not a zip", "not a valid zip", id="bad-zip"),
            pytest.param(
                "points.geojson",
                lambda p: geojson_bytes(
                    gpd.GeoDataFrame(
                        {"date": ["2024-01-31"]}, geometry=[shapely.Point(31, 48)], crs="EPSG:4326"
                    ),
                    p,
                ),
                "no polygon features",
                id="points-only",
            ),
            pytest.param(
                "metres.geojson",
                lambda p: geojson_bytes(held_frame(EQUAL_AREA_CRS), p),
                "coordinates are not longitude/latitude",
                id="projected-without-crs",
            ),
            pytest.param(
                "2024-01-07_claimed_russian_control.geojson",
                lambda p: geojson_bytes(held_frame(with_date=False), p),
                "layer 'claimed_russian_control' is not counted as held ground",
                id="claimed-layer",
            ),
            pytest.param(
                "undated.geojson",
                lambda p: geojson_bytes(held_frame(with_date=False), p),
                "give the snapshot's date",
                id="no-date",
            ),
        ],
    )
    def test_bad_uploads_get_a_clear_message(self, tmp_path, filename, make, message):
        with pytest.raises(UploadError, match=re.escape(message)) as error:
            load_uploaded(filename, make(tmp_path))
        assert str(error.value).startswith(filename)

    def test_incomplete_shapefile_names_the_missing_part(self, tmp_path):
        data = shapefile_zip(tmp_path, held_frame())
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                if not info.filename.endswith(".shx"):
                    target.writestr(info, source.read(info))
        with pytest.raises(UploadError, match=r"lacks its \.shx"):
            load_uploaded("held.zip", buffer.getvalue())


@pytest.fixture(scope="session")
def archive_cache(tmp_path_factory) -> Path:
    """One cache for the session's real-data loads, so each archive file is read once."""
    return tmp_path_factory.mktemp("territory-cache")


@pytest.fixture(scope="session")
def isw_control_weekly(territory_archive, archive_cache):
    return load_snapshots(
        territory_archive / "isw/lemonde_weekly_topojson", layers="control", cache=archive_cache
    )


@pytest.fixture(scope="session")
def isw_shapefile_control(territory_archive, archive_cache):
    return load_snapshots(
        territory_archive / "isw/isw_original_shapefile_zips", layers="control", cache=archive_cache
    )


@pytest.fixture(scope="session")
def bundled_tables(territory_archive, archive_cache):
    return {
        source: bundled_monthly(territory_archive, source, cache=archive_cache)
        for source in ("isw", "deepstate")
    }


def sdspieg_control_areas(territory_archive: Path) -> dict[dt.date, float]:
    path = territory_archive / "isw/reference/sdspieg_isw_daily_areas_2023-11-23_2026-01-24.json"
    records = json.loads(path.read_text())
    return {
        dt.date.fromisoformat(record["date"]): record["areaKm2"]
        for record in records
        if record["layerType"] == "ukraine_control_map"
    }


def percent_differences(
    snapshots: gpd.GeoDataFrame, reference: dict[dt.date, float]
) -> list[float]:
    return [
        abs(area / reference[date] - 1) * 100
        for date, area in zip(snapshots["date"], snapshots["area_km2"], strict=True)
        if date in reference
    ]


@pytest.mark.realdata
class TestRealArchive:
    def test_weekly_control_agrees_with_sdspieg_daily_areas(
        self, territory_archive, isw_control_weekly
    ):
        differences = percent_differences(
            isw_control_weekly, sdspieg_control_areas(territory_archive)
        )
        assert len(differences) >= 90
        assert max(differences) < 0.5

    def test_shapefile_control_agrees_with_sdspieg_daily_areas(
        self, territory_archive, isw_shapefile_control
    ):
        differences = percent_differences(
            isw_shapefile_control, sdspieg_control_areas(territory_archive)
        )
        assert len(differences) == 3
        assert max(differences) < 0.5

    # ISW's "Measured 3D Polygon" shapefiles: GDAL warns that it drops M; only attributes are read.
    @pytest.mark.filterwarnings("ignore:Measured \\(M\\) geometry types:UserWarning")
    def test_shapefile_control_agrees_with_isw_area_km(
        self, territory_archive, isw_shapefile_control
    ):
        by_date = isw_shapefile_control.set_index("date")["area_km2"]
        compared = 0
        for path in sorted(
            (territory_archive / "isw/isw_original_shapefile_zips").glob(
                "*_assessed_russian_control.zip"
            )
        ):
            attributes = pyogrio.read_dataframe(path, read_geometry=False)
            if "Area_KM" not in attributes.columns:
                continue
            isw_area = float(attributes["Area_KM"].sum())
            date = dt.date.fromisoformat(path.name[:10])
            assert by_date[date] == pytest.approx(isw_area, rel=0.005), path.name
            compared += 1
        assert compared >= 2

    def test_monthly_invariants_hold(self, bundled_tables):
        for source, monthly in bundled_tables.items():
            counted = monthly[monthly["status"] != "gap"]
            first = counted.iloc[0]
            start_held = first["held_by_russia_km2"] - first["net_change_russia_km2"]
            total = counted["net_change_russia_km2"].sum()
            change = monthly["held_by_russia_km2"].iloc[-1] - start_held
            assert total == pytest.approx(change, abs=0.01), source
            net = counted["net_change_russia_km2"]
            assert (counted["gained_by_russia_km2"] >= 0).all(), source
            assert (counted["regained_by_ukraine_km2"] >= 0).all(), source
            assert (counted["gained_by_russia_km2"] >= net.clip(lower=0) - 1e-6).all(), source
            assert (counted["regained_by_ukraine_km2"] >= (-net).clip(lower=0) - 1e-6).all()

    def test_kharkiv_counteroffensive_is_a_large_ukrainian_regain(self, bundled_tables):
        isw = bundled_tables["isw"].set_index("month").loc["2022-09"]
        assert isw["regained_by_ukraine_km2"] > 5000
        assert isw["net_change_russia_km2"] < -5000
        deepstate = bundled_tables["deepstate"]
        # DeepState's raw archive has the first snapshot of each month, so the month holding
        # 6–12 September 2022 is the one whose snapshots bracket it.
        spanning = deepstate[
            (deepstate["start_snapshot"] <= dt.date(2022, 9, 6))
            & (deepstate["end_snapshot"] >= dt.date(2022, 9, 12))
        ].iloc[0]
        assert spanning["regained_by_ukraine_km2"] > 5000
        assert spanning["net_change_russia_km2"] < -5000

    def test_deepstate_selection_stays_inside_ukraine(self, territory_archive, archive_cache):
        raw = load_snapshots(territory_archive / "deepstate/raw_api_history", cache=archive_cache)
        lonlat_bounds = raw.to_crs("EPSG:4326").total_bounds
        # Abkhazia (lon ≥ 40, lat ≤ 43.6), Karelia, Kuril, East Prussia, Transnistria are all
        # tagged "Occupied" in the same files; Ukraine spans lon 22–40.3, lat 44.3–52.4.
        assert lonlat_bounds[0] > 29 and lonlat_bounds[2] < 40.3
        assert lonlat_bounds[1] > 44.3 and lonlat_bounds[3] < 52.4
        frame = pyogrio.read_dataframe(
            territory_archive
            / "deepstate/raw_api_history/2025-08-01T195240Z_1754077960_raw.geojson"
        )
        chosen = {name for name in frame["name"] if deepstate_layer(name)}
        assert chosen and not any("Abkhazia" in name or "Tuzla" in name for name in chosen)
        assert any("Occupied Abkhazia" in name for name in frame["name"])

    def test_raw_and_processed_deepstate_give_the_same_area(self, territory_archive, archive_cache):
        raw = load_snapshots(territory_archive / "deepstate/raw_api_history", cache=archive_cache)
        daily = load_snapshots(
            territory_archive / "deepstate/cyterat_daily_occupied", cache=archive_cache
        )
        matches = pd.read_csv(
            territory_archive / "validation/deepstate_raw_vs_cyterat_exact_matches.csv"
        )
        raw_by_time = raw.set_index("snapshot_time")["area_km2"]
        daily_by_file = daily.set_index("files")["area_km2"]
        compared = 0
        for row in matches.itertuples():
            raw_time = row.closest_raw_snapshot_utc + "Z"
            daily_file = f"{row.cyterat_date}_occupied.geojson"
            if raw_time in raw_by_time.index and daily_file in daily_by_file.index:
                assert daily_by_file[daily_file] == pytest.approx(raw_by_time[raw_time], abs=0.01)
                compared += 1
        assert compared >= 10

    def test_bundled_csvs_equal_what_the_engine_computes_now(self, bundled_tables):
        for source, computed in bundled_tables.items():
            bundled = read_bundled_monthly(source)
            assert list(bundled.columns) == list(computed.columns), source
            assert len(bundled) == len(computed), source
            for column in computed.columns:
                if column.endswith("_km2"):
                    np.testing.assert_allclose(
                        bundled[column], computed[column], atol=0.001, err_msg=source
                    )
                else:
                    assert list(bundled[column]) == list(computed[column]), (source, column)


@settings(max_examples=40, deadline=None)
@given(square_series())
def test_quadrant_overlap_equals_the_plain_intersection(polygons):
    shapes = [shapely.segmentize(shape, 2000) for shape in polygons.values()]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(territory_change, "QUADRANT_MIN_VERTICES", 40)  # split even small shapes
        for first, second in itertools.pairwise(shapes):
            plain = shapely.area(shapely.intersection(first, second))
            assert territory_change.overlap_area(first, second) == pytest.approx(plain, abs=1e-3)


def test_series_command_prints_change_since_previous(tmp_path, capsys):
    frame = gpd.GeoDataFrame(
        {"date": ["2024-01-07", "2024-01-14"]},
        geometry=[square(0, 0), square(5, 0)],
        crs=EQUAL_AREA_CRS,
    )
    lonlat(frame).to_file(tmp_path / "held.geojson")
    assert cli(["series", str(tmp_path / "held.geojson"), "--no-cache"]) == 0
    series = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert series["gained_by_russia_km2"].iloc[1] == pytest.approx(50.0, rel=1e-4)
    assert series["regained_by_ukraine_km2"].iloc[1] == pytest.approx(50.0, rel=1e-4)


@pytest.mark.parametrize(
    "dates",
    [
        pytest.param([dt.date(2024, 1, 31), dt.date(2024, 2, 29)], id="date"),
        pytest.param(pd.to_datetime(["2024-01-31", "2024-02-29"]), id="timestamp"),
        pytest.param(["2024-01-31", "2024-02-29"], id="string"),
    ],
)
def test_monthly_change_accepts_any_date_type_and_crs(dates):
    frame = gpd.GeoDataFrame(
        {"date": dates}, geometry=[square(0, 0), square(0, 0, 20)], crs=EQUAL_AREA_CRS
    )
    for snapshots in (frame, lonlat(frame)):
        row = monthly_change(snapshots).set_index("month").loc["2024-02"]
        assert row["gained_by_russia_km2"] == pytest.approx(300.0, rel=1e-6)
        assert row["end_snapshot"] == dt.date(2024, 2, 29)


def test_overlap_cache_is_safe_across_threads():
    """Sessions run in threads: filling and clearing the shared overlap cache must not race."""
    shapes = [square(x, 0) for x in range(0, 40, 2)]
    snapshots = snapshots_of({f"2024-01-{day + 1:02d}": shape for day, shape in enumerate(shapes)})
    expected = snapshot_series(snapshots)["gained_by_russia_km2"].iloc[1:].to_list()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(territory_change, "OVERLAP_CACHE_SIZE", 3)  # clear often while others read
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: snapshot_series(snapshots), range(16)))
    for series in results:
        assert series["gained_by_russia_km2"].iloc[1:].to_list() == pytest.approx(expected)


class TestPublishedFigures:
    def test_bundled_table_of_published_figures_is_well_formed(self):
        published = read_published()
        assert set(published["publisher"]) == {"DeepStateMap", "AFP", "ISW"}
        assert published["url"].str.startswith("https://").all()

    def test_a_figure_without_its_address_is_refused_by_row(self, tmp_path):
        path = tmp_path / "published.csv"
        path.write_text(
            "publisher,month,measure,value_km2,period,url,note\n"
            "DeepStateMap,2025-05,occupied,449,calendar month,,no address\n"
        )
        with pytest.raises(ValueError, match=r"row 2, url"):
            read_published(path)

    def test_comparison_gives_difference_window_and_reason(self):
        monthly = monthly_change(
            snapshots_of({"2024-01-31": square(0, 0), "2024-02-29": square(0, 0, 20)})
        )
        published = pd.DataFrame(
            [["DeepStateMap", "2024-02", "occupied", 250.0, "calendar month", "https://x", ""]],
            columns=PUBLISHED_COLUMNS,
        )
        row = compare_published(published, {"deepstate": monthly}).iloc[0]
        assert row["app_net_km2"] == pytest.approx(300.0)
        assert row["difference_km2"] == pytest.approx(50.0)
        assert row["difference_percent"] == pytest.approx(20.0)
        assert row["window"] == "2024-01-31 → 2024-02-29"
        assert "grey zone" in row["reason"]


def salient_of(polygons: dict[str, object]) -> gpd.GeoDataFrame:
    """Kursk salient maps (one per ISO date) from polygons in EQUAL_AREA_CRS."""
    return gpd.GeoDataFrame(
        {"date": [dt.date.fromisoformat(text) for text in polygons]},
        geometry=list(polygons.values()),
        crs=EQUAL_AREA_CRS,
    )


# Held ground in Ukraine at x 0–100 km; the salient in Russia far from it, at x 500 km.
HELD_BY_DATE = {
    "2024-06-30": square(0, 0),
    "2024-07-28": square(0, 0),
    "2024-08-31": square(0, 0, 20),
    "2024-09-29": square(0, 0, 20),
    "2024-10-27": square(0, 0, 20),
}


class TestKursk:
    def test_salient_growing_is_ukrainian_ground_and_retaken_ground_is_russian(self):
        monthly = monthly_change(snapshots_of(HELD_BY_DATE))
        salient = salient_of(
            {
                "2024-08-11": square(500, 0),
                "2024-08-31": square(500, 0, 20),  # grows to 400 km²
                "2024-09-29": square(500, 0, 20).difference(square(510, 0, 10)),  # 100 retaken
            }
        )
        counted = with_kursk(monthly, salient).set_index("month")
        assert list(counted.columns[-len(KURSK_COLUMNS) :]) == KURSK_COLUMNS
        july, august, september, october = (counted.loc[m] for m in counted.index[1:])
        assert july["kursk"] == KURSK_NONE
        assert july["net_change_russia_km2"] == pytest.approx(0.0)
        assert august["kursk"] == KURSK_MAPPED
        assert august["kursk_gained_by_ukraine_km2"] == pytest.approx(400.0)
        assert august["regained_by_ukraine_km2"] == pytest.approx(400.0)
        assert august["gained_by_russia_km2"] == pytest.approx(300.0)
        assert august["net_change_russia_km2"] == pytest.approx(-100.0)
        assert september["kursk_gained_by_russia_km2"] == pytest.approx(100.0)
        assert september["net_change_russia_km2"] == pytest.approx(100.0)
        assert september["kursk_salient_km2"] == pytest.approx(300.0)
        # After the last map the salient stays as last mapped: no Kursk change is invented.
        assert october["kursk"] == KURSK_AFTER_LAST_MAP
        assert october["kursk_gained_by_russia_km2"] == pytest.approx(0.0)
        assert october["kursk_salient_km2"] == pytest.approx(300.0)
        assert october["held_by_russia_km2"] == pytest.approx(400.0)

    def test_gap_months_keep_empty_figures(self):
        monthly = monthly_change(snapshots_of(HELD_BY_DATE))
        counted = with_kursk(monthly, salient_of({"2024-08-11": square(500, 0)}))
        first = counted.iloc[0]
        assert first["status"] == "gap"
        assert math.isnan(first["net_change_russia_km2"])
        assert math.isnan(first["kursk_gained_by_ukraine_km2"])

    def test_salient_is_read_from_the_folders_kursk_files_and_never_counted_as_held(self, tmp_path):
        write_geojson(tmp_path / "2024-08-11_control_map.geojson", isw_layer([UKRAINE_SQUARE]))
        write_geojson(
            tmp_path / "2024-08-11_kursk_ukrainian_advance.geojson",
            isw_layer([UKRAINE_SQUARE_EAST]),
        )
        salient = load_salient(tmp_path)
        assert list(salient["date"]) == [dt.date(2024, 8, 11)]
        assert salient["area_km2"].iloc[0] == pytest.approx(100.0, rel=1e-6)
        assert load_snapshots(tmp_path, cache=False)["area_km2"].iloc[0] == pytest.approx(
            100.0, rel=1e-6
        )

    def test_a_folder_without_the_salient_is_a_clear_error(self, tmp_path):
        write_geojson(tmp_path / "2024-08-11_control_map.geojson", isw_layer([UKRAINE_SQUARE]))
        with pytest.raises(ValueError, match="no kursk_ukrainian_advance files"):
            load_salient(tmp_path)

    def test_monthly_command_counts_kursk_on_a_folder(self, tmp_path, capsys):
        for date, held, kursk in (
            ("2024-07-28", square(0, 0), None),
            ("2024-08-31", square(0, 0), square(500, 0)),
        ):
            write_geojson(
                tmp_path / f"{date}_control_map.geojson",
                lonlat(isw_layer([held], crs=EQUAL_AREA_CRS)),
            )
            if kursk is not None:
                write_geojson(
                    tmp_path / f"{date}_kursk_ukrainian_advance.geojson",
                    lonlat(isw_layer([kursk], crs=EQUAL_AREA_CRS)),
                )
        folder = str(tmp_path)
        assert (
            cli(["monthly", folder, "--counting", "kursk", "--format", "json", "--no-cache"]) == 0
        )
        august = json.loads(capsys.readouterr().out)[-1]
        assert august["kursk"] == KURSK_MAPPED
        assert august["net_change_russia_km2"] == pytest.approx(-100.0, abs=0.01)
        assert cli(["series", folder, "--counting", "kursk", "--no-cache"]) == 1
        assert "monthly figures" in capsys.readouterr().err

    def test_claimed_has_no_bundled_table_and_says_why(self, capsys):
        with pytest.raises(ValueError, match="no claimed layer"):
            check_bundled("isw", CLAIMED)
        with pytest.raises(ValueError, match="only ISW maps the Ukrainian salient"):
            check_bundled("deepstate", KURSK)
        check_bundled("isw", KURSK)
        assert cli(["monthly", "isw", "--counting", "claimed"]) == 1
        assert "Le Monde's weekly mirror" in capsys.readouterr().err

    def test_isw_own_counts_meet_the_with_kursk_figures_and_afp_the_default(self):
        monthly = monthly_change(snapshots_of(HELD_BY_DATE))
        counted = with_kursk(monthly, salient_of({"2024-08-11": square(500, 0)}))
        published = pd.DataFrame(
            [
                ["ISW", "2024-08", "net", -500.0, "calendar month", "https://x", ""],
                ["AFP", "2024-08", "advanced", 300.0, "calendar month", "https://x", ""],
            ],
            columns=PUBLISHED_COLUMNS,
        )
        rows = compare_published(published, {"isw": monthly}, {("isw", KURSK): counted})
        isw, afp = rows.iloc[0], rows.iloc[1]
        assert isw["app_counting"] == LABELS[KURSK]
        assert isw["app_net_km2"] == pytest.approx(200.0)
        assert "counts Kursk too" in isw["reason"]
        assert afp["app_counting"] == LABELS["assessed"]
        assert afp["app_net_km2"] == pytest.approx(300.0)
        without = compare_published(published, {"isw": monthly}).iloc[0]
        assert without["app_counting"] == LABELS["assessed"]
        assert "in Ukraine only" in without["reason"]


@settings(max_examples=40, deadline=None)
@given(square_series(), square_series())
def test_with_kursk_nets_add_up_to_held_change_minus_salient_change(held, salient_maps):
    monthly = monthly_change(snapshots_of(held))
    salient = salient_of(
        {
            date: shapely.affinity.translate(shape, xoff=1000 * KM)
            for date, shape in salient_maps.items()
        }
    )
    counted = with_kursk(monthly, salient)
    rows = counted[counted["status"] != "gap"]
    if rows.empty:
        return
    first = rows.iloc[0]
    held_at_start = (
        first["held_by_russia_km2"] - (monthly.loc[rows.index[0], "net_change_russia_km2"])
    )
    salient_at_start = first["kursk_salient_km2"] - (
        first["kursk_gained_by_ukraine_km2"] - first["kursk_gained_by_russia_km2"]
    )
    last = rows.iloc[-1]
    expected = (last["held_by_russia_km2"] - held_at_start) - (
        last["kursk_salient_km2"] - salient_at_start
    )
    assert rows["net_change_russia_km2"].sum() == pytest.approx(expected, abs=1e-6)
    assert (rows[["kursk_gained_by_russia_km2", "kursk_gained_by_ukraine_km2"]] >= 0).all().all()


@pytest.fixture(scope="session")
def isw_with_kursk(territory_archive, archive_cache):
    return bundled_with_kursk(
        bundled_monthly(territory_archive, "isw", cache=archive_cache), territory_archive
    )


@pytest.mark.realdata
class TestKurskRealArchive:
    def test_bundled_with_kursk_table_equals_what_the_engine_computes_now(self, isw_with_kursk):
        bundled = read_bundled_monthly("isw", counting=KURSK)
        assert list(bundled.columns) == list(isw_with_kursk.columns)
        assert len(bundled) == len(isw_with_kursk)
        for column in isw_with_kursk.columns:
            if column.endswith("_km2"):
                np.testing.assert_allclose(
                    bundled[column], isw_with_kursk[column], atol=0.001, err_msg=column
                )
            else:
                assert list(bundled[column]) == list(isw_with_kursk[column]), column

    def test_kursk_changes_only_the_salients_months(self, isw_with_kursk):
        default = read_bundled_monthly("isw").set_index("month")
        counted = isw_with_kursk.set_index("month")
        outside = counted[counted["kursk"] != KURSK_MAPPED].index
        assert set(counted.loc[outside, "kursk"]) == {KURSK_NONE, KURSK_AFTER_LAST_MAP}
        np.testing.assert_allclose(
            counted.loc[outside, "net_change_russia_km2"],
            default.loc[outside, "net_change_russia_km2"],
            atol=0.001,
        )
        assert counted.loc["2024-07", "kursk"] == KURSK_NONE
        assert counted.loc["2024-08", "kursk"] == KURSK_MAPPED
        assert counted.loc["2025-07", "kursk"] == KURSK_AFTER_LAST_MAP
        # The salient's peak (about 1,150 km² in late August 2024) is almost all retaken.
        assert 1100 < counted.loc["2024-08", "kursk_salient_km2"] < 1200
        assert counted.loc["2025-06", "kursk_salient_km2"] < 10

    def test_august_2024_is_ukraines_month_as_isw_counts_it(self, isw_with_kursk):
        """ISW called April 2026 Russia's first monthly net loss since August 2024: counted
        with Kursk, August 2024 is a Ukrainian net gain, and every complete month from
        September 2024 to February 2026 a Russian one."""
        default = read_bundled_monthly("isw").set_index("month")
        counted = isw_with_kursk.set_index("month")
        assert default.loc["2024-08", "net_change_russia_km2"] > 0
        assert counted.loc["2024-08", "net_change_russia_km2"] < -500
        months = counted.loc["2024-09":"2026-02"]
        complete = months[months["status"] == "ok"]
        assert len(complete) >= 15
        assert (complete["net_change_russia_km2"] > 0).all()
