"""Change between snapshots: per calendar month, per snapshot, and as map geometries.

Gross figures come from one intersection per pair: gained = area(end) − area(end ∩ start),
regained = area(start) − area(end ∩ start). That equals area(end \\ start) and area(start \\ end)
and makes net = area(end) − area(start) exactly, so monthly nets add up to last − first.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import threading

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from lib.territory.recipes import EQUAL_AREA_CRS

MONTHLY_COLUMNS = [
    "month",
    "gained_by_russia_km2",
    "regained_by_ukraine_km2",
    "net_change_russia_km2",
    "held_by_russia_km2",
    "start_snapshot",
    "end_snapshot",
]
MONTHLY_STATUS_COLUMNS = [*MONTHLY_COLUMNS, "status", "as_of"]
SERIES_COLUMNS = [
    "date",
    "held_by_russia_km2",
    "change_since_previous_km2",
    "gained_by_russia_km2",
    "regained_by_ukraine_km2",
    "previous_snapshot",
    "layers",
    "files",
]
# A month whose last snapshot is more than this many days before its end is "partial": weekly
# sources always have a snapshot within the last week of a month.
PARTIAL_AFTER_DAYS = 7
# Below this many vertices one intersection is cheaper than splitting into quadrants further.
QUADRANT_MIN_VERTICES = 2000
QUADRANT_MAX_DEPTH = 12
GEOMETRY_KINDS = ("held_by_russia", "gained_by_russia", "regained_by_ukraine")

# Overlap areas of snapshot pairs by content hash: recomputing a table after one new snapshot only
# intersects the pairs that touch it. Streamlit runs sessions in threads, so the cache is read,
# filled and cleared under one lock (the overlay itself runs outside it).
OVERLAP_CACHE_SIZE = 20_000
_overlap_cache: dict[tuple[str, str], float] = {}
_overlap_cache_lock = threading.Lock()


def monthly_change(snapshots: gpd.GeoDataFrame) -> pd.DataFrame:
    """km² gained, regained and net per calendar month, from Russia's point of view.

    A month compares the last snapshot on or before its end with the last one on or before the
    previous month's end. Without a snapshot at either end (the first month; a month with no new
    snapshot) it is a "gap" with empty figures, never zero; a month whose end snapshot is more than
    PARTIAL_AFTER_DAYS before the month's end is "partial". `as_of` is the end snapshot's date.
    """
    ordered = _ordered(snapshots)
    dates = np.array(ordered["date"].tolist(), dtype="datetime64[D]")
    rows = []
    for month in _months(ordered["date"].iloc[0], ordered["date"].iloc[-1]):
        end_index, start_index, month_end = _month_ends(dates, month)
        end = ordered.iloc[end_index]
        row = {
            "month": month,
            "gained_by_russia_km2": np.nan,
            "regained_by_ukraine_km2": np.nan,
            "net_change_russia_km2": np.nan,
            "held_by_russia_km2": end["area_km2"],
            "start_snapshot": None,
            "end_snapshot": end["date"],
            "status": "gap",
            "as_of": end["date"],
        }
        if start_index is not None and start_index != end_index:
            start = ordered.iloc[start_index]
            gained, regained = gross_change(start, end)
            row.update(
                gained_by_russia_km2=gained,
                regained_by_ukraine_km2=regained,
                net_change_russia_km2=gained - regained,
                start_snapshot=start["date"],
                status="partial" if (month_end - end["date"]).days > PARTIAL_AFTER_DAYS else "ok",
            )
        elif start_index is not None:
            row["start_snapshot"] = ordered.iloc[start_index]["date"]
        rows.append(row)
    return pd.DataFrame(rows, columns=MONTHLY_STATUS_COLUMNS)


def snapshot_series(snapshots: gpd.GeoDataFrame) -> pd.DataFrame:
    """Held area per snapshot and its change since the previous snapshot (gross both ways)."""
    ordered = _ordered(snapshots)
    rows = []
    previous = None
    for _, snapshot in ordered.iterrows():
        row = {
            "date": snapshot["date"],
            "held_by_russia_km2": snapshot["area_km2"],
            "change_since_previous_km2": np.nan,
            "gained_by_russia_km2": np.nan,
            "regained_by_ukraine_km2": np.nan,
            "previous_snapshot": None,
            "layers": snapshot["layers"],
            "files": snapshot["files"],
        }
        if previous is not None:
            gained, regained = gross_change(previous, snapshot)
            row.update(
                change_since_previous_km2=gained - regained,
                gained_by_russia_km2=gained,
                regained_by_ukraine_km2=regained,
                previous_snapshot=previous["date"],
            )
        rows.append(row)
        previous = snapshot
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def month_change_geometries(snapshots: gpd.GeoDataFrame, month: str) -> gpd.GeoDataFrame:
    """The month's held ground, gains and regains as polygons in EPSG:4326 (for the map).

    Columns: kind (GEOMETRY_KINDS), area_km2, month, start_snapshot, end_snapshot, geometry. A gap
    month has only the held ground. Raises ValueError for a month outside the snapshots' range.
    """
    ordered = _ordered(snapshots)
    first, last = ordered["date"].iloc[0], ordered["date"].iloc[-1]
    if month not in _months(first, last):
        raise ValueError(
            f"month {month!r} is outside the snapshots' range {first:%Y-%m} … {last:%Y-%m}"
        )
    dates = np.array(ordered["date"].tolist(), dtype="datetime64[D]")
    end_index, start_index, _ = _month_ends(dates, month)
    end = ordered.iloc[end_index]
    kinds = [("held_by_russia", end.geometry)]
    start_date = None
    if start_index is not None and start_index != end_index:
        start = ordered.iloc[start_index]
        start_date = start["date"]
        kinds += [
            ("gained_by_russia", shapely.difference(end.geometry, start.geometry)),
            ("regained_by_ukraine", shapely.difference(start.geometry, end.geometry)),
        ]
    frame = gpd.GeoDataFrame(
        {
            "kind": [kind for kind, _ in kinds],
            "area_km2": [shapely.area(geometry) / 1e6 for _, geometry in kinds],
            "month": month,
            "start_snapshot": start_date,
            "end_snapshot": end["date"],
        },
        geometry=[geometry for _, geometry in kinds],
        crs=EQUAL_AREA_CRS,
    )
    return frame.to_crs("EPSG:4326")


def gross_change(start: pd.Series, end: pd.Series) -> tuple[float, float]:
    """(km² in end but not start, km² in start but not end) of two snapshot rows."""
    key = (start["content_hash"], end["content_hash"])
    with _overlap_cache_lock:
        overlap = _overlap_cache.get(key)
    if overlap is None:
        overlap = overlap_area(start.geometry, end.geometry) / 1e6
        with _overlap_cache_lock:
            if len(_overlap_cache) >= OVERLAP_CACHE_SIZE:
                _overlap_cache.clear()
            _overlap_cache[key] = overlap
    # Rounding in the overlay can make the overlap exceed a side by a hair; never report < 0.
    gained = max(end["area_km2"] - overlap, 0.0)
    regained = max(start["area_km2"] - overlap, 0.0)
    return gained, regained


def clear_overlap_cache() -> None:
    """Forget the cached overlap areas (benchmarks time the overlay from scratch)."""
    with _overlap_cache_lock:
        _overlap_cache.clear()


def overlap_area(first: BaseGeometry, second: BaseGeometry, depth: int = 0) -> float:
    """Area of first ∩ second (in the CRS's units²), exactly, but fast for nearby snapshots.

    Two snapshots of one source share most of their outline vertex for vertex; only the front
    moves. So the plane is split into quadrants recursively: a quadrant where both clipped
    geometries are identical contributes its area without any overlay, and only quadrants where
    they differ are intersected, once they are small. Clipped pieces tile the plane, so the
    quadrant areas add up to the whole.
    """
    if first.is_empty or second.is_empty:
        return 0.0
    if shapely.equals_exact(first, second, tolerance=0):
        return float(shapely.area(first))
    vertices = shapely.get_num_coordinates(first) + shapely.get_num_coordinates(second)
    if vertices < QUADRANT_MIN_VERTICES or depth >= QUADRANT_MAX_DEPTH:
        try:
            return float(shapely.area(shapely.intersection(first, second)))
        except shapely.errors.GEOSException:
            # clip_by_rect may leave a quadrant's piece slightly invalid; repair and retry.
            repaired = shapely.make_valid([first, second], method="structure", keep_collapsed=False)
            return float(shapely.area(shapely.intersection(*repaired)))
    min_x, min_y, max_x, max_y = shapely.total_bounds([first, second])
    mid_x, mid_y = (min_x + max_x) / 2, (min_y + max_y) / 2
    quadrants = (
        (min_x, min_y, mid_x, mid_y),
        (mid_x, min_y, max_x, mid_y),
        (min_x, mid_y, mid_x, max_y),
        (mid_x, mid_y, max_x, max_y),
    )
    return sum(
        overlap_area(
            shapely.clip_by_rect(first, *quadrant),
            shapely.clip_by_rect(second, *quadrant),
            depth + 1,
        )
        for quadrant in quadrants
    )


def _ordered(snapshots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if snapshots.empty:
        raise ValueError("no snapshots")
    if "date" not in snapshots.columns or snapshots["date"].isna().any():
        raise ValueError("every snapshot needs a date")
    # Callers may hold dates as Timestamps or strings; months are computed on datetime.date.
    snapshots = snapshots.assign(date=pd.to_datetime(snapshots["date"]).dt.date)
    if snapshots.crs is not None and not snapshots.crs.equals(EQUAL_AREA_CRS):
        snapshots = snapshots.to_crs(EQUAL_AREA_CRS)
    if "content_hash" not in snapshots.columns:
        hashes = [hashlib.sha256(shapely.to_wkb(g)).hexdigest()[:16] for g in snapshots.geometry]
        snapshots = snapshots.assign(content_hash=hashes)
    if "area_km2" not in snapshots.columns:
        snapshots = snapshots.assign(area_km2=shapely.area(snapshots.geometry.to_numpy()) / 1e6)
    return snapshots.sort_values("date", kind="stable").reset_index(drop=True)


def _months(first: dt.date, last: dt.date) -> list[str]:
    return [str(period) for period in pd.period_range(first, last, freq="M")]


def _month_ends(dates: np.ndarray, month: str) -> tuple[int, int | None, dt.date]:
    year, number = (int(part) for part in month.split("-"))
    month_end = dt.date(year, number, calendar.monthrange(year, number)[1])
    previous_end = dt.date(year, number, 1) - dt.timedelta(days=1)
    end_index = int(np.searchsorted(dates, np.datetime64(month_end), side="right")) - 1
    start_position = int(np.searchsorted(dates, np.datetime64(previous_end), side="right")) - 1
    return end_index, (start_position if start_position >= 0 else None), month_end
