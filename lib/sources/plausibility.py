"""Whether an arriving snapshot is believable: a policy of its own, apart from how it is stored.

A snapshot is refused (quarantined by the store) when its geometry is empty or invalid, when it
reaches outside Ukraine, when its area is not of the order of the source's accepted snapshots, or
when its Russian-held area moves implausibly far from the nearest accepted snapshot of the same
source. An upload that joins a source is also held against that source's bundled series (the
held area at each month's end snapshot), so on a fresh machine, with nothing cached to compare, a
file missing half its layers is still caught.
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
from collections.abc import Mapping

import geopandas as gpd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from lib.territory import EQUAL_AREA_CRS

# Plausibility of a snapshot's Russian-held area against the nearest accepted one, measured on
# the shared archives: the withdrawal from the north was -22 % in a week (ISW, 27 Mar -> 3 Apr
# 2022), the Kharkiv counteroffensive -7,500 km² (-6.2 %) in six days and -2.8 % in one day,
# DeepState's monthly snapshots up to +30 % in a month (May -> June 2022). Broken data looks
# different: a missing layer drops the area by half or more, a stray polygon inflates it. So a
# change is implausible beyond 8 % plus 3 % per day elapsed, capped at 45 % whatever the gap.
# The invasion's first weeks are exempt: ISW's area grew +50 % from 24 to 27 Feb 2022, faster
# than anything since.
MAX_JUMP_BASE_FRACTION = 0.08
MAX_JUMP_PER_DAY_FRACTION = 0.03
MAX_JUMP_CAP_FRACTION = 0.45
INVASION_OPENING_END = dt.date(2022, 3, 15)

# Where the ground can be: Ukraine's extent in longitude/latitude (22.1-40.3 E, 44.3-52.4 N) with
# a degree to spare. A snapshot reaching outside it is in the wrong projection (latitude and
# longitude swapped land in Iran; degrees declared as EPSG:3857 metres land off West Africa) or
# is not a front line at all (a whole-world polygon). No download: a box, not an outline.
UKRAINE_LONLAT_EXTENT = (21.1, 43.3, 41.3, 53.4)
# Once a source has this many accepted snapshots, an arriving one must hold ground of the same
# order as their median: the held area ranged 43,000-120,000 km² since February 2022, so a factor
# of three either way is never a real change, while the neighbour check above exempts the
# invasion's first weeks and looks at one neighbour only.
SERIES_MINIMUM_SNAPSHOTS = 3
MAX_SERIES_RATIO = 3.0


def implausible_jump(previous_km2: float, current_km2: float, days: int, date: dt.date) -> str:
    """Why the change from `previous_km2` to `current_km2` over `days` up to `date` is implausible,
    or "" when it is plausible."""
    if previous_km2 <= 0 or date <= INVASION_OPENING_END:
        return ""
    allowed = min(
        MAX_JUMP_CAP_FRACTION,
        MAX_JUMP_BASE_FRACTION + MAX_JUMP_PER_DAY_FRACTION * max(days, 1),
    )
    change = (current_km2 - previous_km2) / previous_km2
    if abs(change) <= allowed:
        return ""
    return (
        f"held area changed {change:+.1%} ({current_km2 - previous_km2:+,.0f} km²) in {days} "
        f"day(s); more than the {allowed:.0%} judged plausible"
    )


def snapshot_problem(snapshot: gpd.GeoDataFrame, accepted_km2: Mapping[dt.date, float]) -> str:
    """Why the one-row `snapshot` should be quarantined, or "" to accept it; `accepted_km2` is
    the held area of each snapshot already accepted for its source."""
    geometry = snapshot.geometry.iloc[0]
    if geometry is None or geometry.is_empty:
        return "no Russian-held polygons in the response (empty geometry)"
    if not geometry.is_valid:
        return "geometry is invalid after repair"
    if not _within_ukraine(geometry):
        minx, miny, maxx, maxy = _lonlat_bounds(geometry)
        return (
            f"the ground lies outside Ukraine (longitude {minx:.1f} to {maxx:.1f}, latitude "
            f"{miny:.1f} to {maxy:.1f}); check the file's projection (latitude and longitude "
            "swapped, or degrees declared as metres)"
        )
    date = snapshot["date"].iloc[0]
    area = float(snapshot["area_km2"].iloc[0])
    return _jump_from_neighbour(date, area, accepted_km2) or _off_the_series(area, accepted_km2)


def _jump_from_neighbour(date: dt.date, area: float, accepted_km2: Mapping[dt.date, float]) -> str:
    neighbour = _nearest_accepted(accepted_km2, date)
    if neighbour is None:
        return ""
    neighbour_date, neighbour_area = neighbour
    if neighbour_date < date:
        return implausible_jump(neighbour_area, area, (date - neighbour_date).days, date)
    return implausible_jump(area, neighbour_area, (neighbour_date - date).days, neighbour_date)


def _off_the_series(area: float, accepted_km2: Mapping[dt.date, float]) -> str:
    """Why `area` is not of the order of the accepted series (checked after the neighbour, whose
    message is the more telling, for what the neighbour check lets through: the invasion's
    exempt first weeks, or a neighbour itself far off), or ""."""
    if len(accepted_km2) < SERIES_MINIMUM_SNAPSHOTS:
        return ""
    median = statistics.median(accepted_km2.values())
    if median <= 0 or median / MAX_SERIES_RATIO <= area <= median * MAX_SERIES_RATIO:
        return ""
    return (
        f"held area {area:,.0f} km² is not of the order of this source's snapshots "
        f"(median {median:,.0f} km²; at most {MAX_SERIES_RATIO:g} times more or less)"
    )


def _within_ukraine(geometry: BaseGeometry) -> bool:
    """Whether `geometry` (EQUAL_AREA_CRS) lies within UKRAINE_LONLAT_EXTENT."""
    return bool(_ukraine_extent().contains(shapely.box(*geometry.bounds)))


@functools.cache
def _ukraine_extent() -> BaseGeometry:
    """UKRAINE_LONLAT_EXTENT in EQUAL_AREA_CRS, its edges densified so they stay true curves."""
    extent = shapely.segmentize(shapely.box(*UKRAINE_LONLAT_EXTENT), 0.1)
    to_equal_area = pyproj.Transformer.from_crs(4326, EQUAL_AREA_CRS, always_xy=True)
    return shapely.transform(extent, to_equal_area.transform, interleaved=False)


def _lonlat_bounds(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    to_lonlat = pyproj.Transformer.from_crs(EQUAL_AREA_CRS, 4326, always_xy=True)
    minx, miny, maxx, maxy = geometry.bounds
    longitudes, latitudes = to_lonlat.transform([minx, maxx, minx, maxx], [miny, miny, maxy, maxy])
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def _nearest_accepted(
    accepted_km2: Mapping[dt.date, float], date: dt.date
) -> tuple[dt.date, float] | None:
    """The accepted snapshot just before `date`, else the one just after; None when none."""
    dated = sorted(accepted_km2.items())
    earlier = [item for item in dated if item[0] < date]
    later = [item for item in dated if item[0] > date]
    if earlier:
        return earlier[-1]
    return later[0] if later else None


def series_problem(date: dt.date, area_km2: float, series_km2: Mapping[dt.date, float]) -> str:
    """Why a snapshot of `area_km2` on `date` is implausible beside the source's series of held
    areas (snapshot date → km²), or "" when it is plausible or the series is empty."""
    neighbour = _nearest_accepted(series_km2, date)
    if neighbour is None:
        return ""
    neighbour_date, neighbour_area = neighbour
    if neighbour_date < date:
        problem = implausible_jump(neighbour_area, area_km2, (date - neighbour_date).days, date)
    else:
        problem = implausible_jump(
            area_km2, neighbour_area, (neighbour_date - date).days, neighbour_date
        )
    if not problem:
        return ""
    return (
        f"{area_km2:,.0f} km² held, against {neighbour_area:,.0f} km² in the source's bundled "
        f"series on {neighbour_date}: {problem}"
    )
