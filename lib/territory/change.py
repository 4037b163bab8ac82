"""Change between snapshots: per calendar month, per snapshot, and as map geometries.

Gross figures come from one intersection per pair: gained = area(end) − area(end ∩ start),
regained = area(start) − area(end ∩ start). That equals area(end \\ start) and area(start \\ end)
and makes net = area(end) − area(start) exactly, so monthly nets add up to last − first.
"""

from __future__ import annotations

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
# Exact window ends: the UTC time of each end snapshot where the source has one (DeepStateMap's
# API snapshot ids), else empty (the snapshot is the map of its date's evening).
WINDOW_COLUMNS = ["start_snapshot_time", "end_snapshot_time"]
GREY_SEPARATED = "separated"
GREY_NOT_SEPARABLE = "not separable"
# Moves between DeepStateMap's three states, km², where both ends have its grey "unknown status"
# zone; `grey_zone` is GREY_NOT_SEPARABLE (and the moves empty) where a source has only the
# occupied polygon, never zeros.
THREE_STATE_COLUMNS = [
    "grey_zone",
    "ukraine_to_russia_km2",
    "russia_to_ukraine_km2",
    "ukraine_to_grey_km2",
    "grey_to_ukraine_km2",
    "russia_to_grey_km2",
    "grey_to_russia_km2",
]
MONTHLY_STATUS_COLUMNS = [
    *MONTHLY_COLUMNS,
    "status",
    "as_of",
    *WINDOW_COLUMNS,
    *THREE_STATE_COLUMNS,
]
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
# A snapshot dated up to this many days after a month's last day stands for the month's end: the
# first-of-month API snapshot, or a processed daily file dated the 1st (the previous evening).
END_GRACE_DAYS = 2
# A month whose window misses more than this many days of it (at either end, added) is "partial".
# Weekly sources miss at most about 4 days at one end; DeepStateMap's monthly API snapshots
# before July 2024 miss none.
PARTIAL_MISSING_DAYS = 7
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

    A month runs between the snapshots that best represent the ends of the previous month and of
    itself (`month_end_snapshot`). Without a snapshot at either end (the first month; a month with
    no new snapshot) it is a "gap" with empty figures, never zero; a window that misses more than
    PARTIAL_MISSING_DAYS days of the month is "partial". `as_of` is the end snapshot's date.
    Gained and regained are the ground that entered and left the held polygon, so the nets add up
    to the change in held area. Where both ends carry DeepStateMap's grey zone, the moves between
    its three states are given apart (`three_state_change`); elsewhere `grey_zone` says they
    cannot be separated.
    """
    ordered = _ordered(snapshots)
    instants = _instants(ordered)
    rows = []
    for month in _months(ordered["date"].iloc[0], ordered["date"].iloc[-1]):
        start_index, end_index = _window(ordered, instants, month)
        end = ordered.iloc[end_index]
        row = dict.fromkeys(MONTHLY_STATUS_COLUMNS)
        row.update(
            month=month,
            gained_by_russia_km2=np.nan,
            regained_by_ukraine_km2=np.nan,
            net_change_russia_km2=np.nan,
            held_by_russia_km2=end["area_km2"],
            end_snapshot=end["date"],
            end_snapshot_time=_time_text(end),
            status="gap",
            as_of=end["date"],
            grey_zone=GREY_NOT_SEPARABLE,
            **dict.fromkeys(THREE_STATE_COLUMNS[1:], np.nan),
        )
        if start_index is not None:
            start = ordered.iloc[start_index]
            row.update(start_snapshot=start["date"], start_snapshot_time=_time_text(start))
        if start_index is not None and start_index < end_index:
            start = ordered.iloc[start_index]
            gained, regained = gross_change(start, end)
            moves = three_state_change(start, end)
            if moves is not None:
                row.update(moves, grey_zone=GREY_SEPARATED)
            missed = _days_missed(month, instants[start_index], instants[end_index])
            row.update(
                gained_by_russia_km2=gained,
                regained_by_ukraine_km2=regained,
                net_change_russia_km2=gained - regained,
                status="partial" if missed > PARTIAL_MISSING_DAYS else "ok",
            )
        rows.append(row)
    monthly = pd.DataFrame(rows, columns=MONTHLY_STATUS_COLUMNS)
    # Text columns stay plain objects (None where empty) whatever pandas would infer.
    return monthly.astype({column: object for column in [*WINDOW_COLUMNS, "grey_zone"]})


def month_end_snapshot(instants: np.ndarray, month: str) -> int | None:
    """Index of the snapshot that best represents the end of `month`, or None.

    The month ends at midnight (UTC) after its last day. A snapshot dated up to END_GRACE_DAYS
    after the last day (DeepStateMap's first-of-month API snapshot; a processed daily file dated
    the 1st, which holds the previous evening) stands for that end, in preference to an earlier
    one; among the candidates the one nearest to the boundary wins, the earlier on a tie.
    `instants` are the snapshots' times in ascending order (`_instants`).
    """
    boundary = np.datetime64(pd.Period(month, freq="M").end_time.normalize() + pd.Timedelta(days=1))
    latest = boundary + np.timedelta64(END_GRACE_DAYS, "D")
    candidates = int(np.searchsorted(instants, latest, side="right"))
    if candidates == 0:
        return None
    distances = np.abs(instants[:candidates] - boundary)
    return int(np.argmin(distances))


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
    start_index, end_index = _window(ordered, _instants(ordered), month)
    end = ordered.iloc[end_index]
    kinds = [("held_by_russia", end.geometry)]
    start_date = None
    if start_index is not None and start_index < end_index:
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


def three_state_change(start: pd.Series, end: pd.Series) -> dict[str, float] | None:
    """Moves between the occupied, Ukrainian-held and grey zones of two snapshot rows, km².

    None unless both rows carry the grey "unknown status" zone (`grey_zone_wkb`, disjoint from the
    occupied polygon). Ukrainian-held ground is what is neither occupied nor grey, within the
    area the two maps cover; so ukraine_to_russia = end occupied minus start occupied and grey,
    and so on. Ground that changed hands is ukraine_to_russia and russia_to_ukraine; the monthly
    headline (ground that entered or left the occupied polygon) adds the moves out of and into
    the grey zone: gained = ukraine_to_russia + grey_to_russia, regained = russia_to_ukraine +
    russia_to_grey. DeepStateMap's monthly "occupied" figures count it that way: for March and
    May 2024 they are 39 and 317 km², the occupied polygon grew by 37 and 303 km², of which only
    8 and 228 km² came straight from Ukrainian-held ground.
    """
    start_grey, end_grey = _grey_zone(start), _grey_zone(end)
    if start_grey is None or end_grey is None:
        return None
    both_occupied = overlap_area(start.geometry, end.geometry)
    start_occupied, end_occupied = (
        float(shapely.area(start.geometry)),
        float(shapely.area(end.geometry)),
    )
    grey_to_russia = _intersection_area(start_grey, end.geometry)
    russia_to_grey = _intersection_area(end_grey, start.geometry)
    grey_kept = _intersection_area(start_grey, end_grey)
    areas = {
        "ukraine_to_russia_km2": end_occupied - both_occupied - grey_to_russia,
        "russia_to_ukraine_km2": start_occupied - both_occupied - russia_to_grey,
        "ukraine_to_grey_km2": float(shapely.area(end_grey)) - russia_to_grey - grey_kept,
        "grey_to_ukraine_km2": float(shapely.area(start_grey)) - grey_to_russia - grey_kept,
        "russia_to_grey_km2": russia_to_grey,
        "grey_to_russia_km2": grey_to_russia,
    }
    # Rounding in the overlays can leave a hair below zero; a move is never negative.
    return {name: max(area / 1e6, 0.0) for name, area in areas.items()}


def _grey_zone(snapshot: pd.Series) -> BaseGeometry | None:
    value = snapshot.get("grey_zone_wkb")
    if not isinstance(value, bytes | bytearray):
        return None
    return shapely.from_wkb(value)


def _intersection_area(small: BaseGeometry, large: BaseGeometry) -> float:
    """Area of small ∩ large, clipping the large polygon to the small one's bounds first."""
    if small.is_empty or large.is_empty:
        return 0.0
    clipped = shapely.clip_by_rect(large, *small.bounds)
    try:
        return float(shapely.area(shapely.intersection(small, clipped)))
    except shapely.errors.GEOSException:
        repaired = shapely.make_valid([small, clipped], method="structure", keep_collapsed=False)
        return float(shapely.area(shapely.intersection(*repaired)))


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


def _window(ordered: gpd.GeoDataFrame, instants: np.ndarray, month: str) -> tuple[int | None, int]:
    """(start, end) snapshot indices of `month`: the ends of the previous month and of itself."""
    end_index = month_end_snapshot(instants, month)
    if end_index is None:
        # Only for a month before every snapshot, which _months never yields.
        raise ValueError(f"no snapshot on or before the end of {month}")
    previous = str(pd.Period(month, freq="M") - 1)
    return month_end_snapshot(instants, previous), end_index


def _instants(ordered: gpd.GeoDataFrame) -> np.ndarray:
    """Each snapshot's time: its UTC time where the source gives one, else the end of its day
    (a map dated D shows the situation of the evening of D)."""
    ends_of_days = pd.to_datetime(ordered["date"]) + pd.Timedelta(days=1)
    if "snapshot_time" in ordered.columns:
        times = pd.to_datetime(ordered["snapshot_time"], utc=True, errors="coerce")
        times = times.dt.tz_localize(None)
        ends_of_days = times.where(times.notna(), ends_of_days)
    return ends_of_days.to_numpy(dtype="datetime64[s]")


def _days_missed(month: str, start: np.datetime64, end: np.datetime64) -> float:
    """Days of `month` outside the window from `start` to `end`."""
    period = pd.Period(month, freq="M")
    month_start = np.datetime64(period.start_time, "s")
    month_end = np.datetime64(period.end_time.normalize() + pd.Timedelta(days=1), "s")
    missed = max(start - month_start, np.timedelta64(0, "s")) + max(
        month_end - end, np.timedelta64(0, "s")
    )
    return float(missed / np.timedelta64(1, "D"))


def _time_text(snapshot: pd.Series) -> str | None:
    time = snapshot.get("snapshot_time")
    return time if isinstance(time, str) and time else None
