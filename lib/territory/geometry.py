"""From a layer's raw features to one valid, dissolved polygon in the equal-area CRS."""

from __future__ import annotations

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from lib.territory.recipes import EQUAL_AREA_CRS

POLYGONAL = ("Polygon", "MultiPolygon")
# cyterat closes DeepStateMap's hairline gaps between adjacent polygons with this mitre buffer
# (in degrees, about 1 m); applying the same closing to the raw API snapshots makes both
# DeepState series give identical areas for the same snapshot.
DEEPSTATE_CLOSING_DEGREES = 0.000009


class GeometryProblem(ValueError):
    """A layer's features could not be turned into a polygon; the message names why."""


def polygon_parts(geometries: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Polygonal parts of `geometries`, 2-D, each valid.

    Returns (parts, number of null/empty inputs, number of parts repaired with make_valid).
    GeometryCollections are opened; points and lines are not area and are left out.
    """
    geometries = np.asarray(geometries, dtype=object)
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    missing = int((~present).sum())
    parts = shapely.get_parts(shapely.force_2d(geometries[present]))
    parts = _onlypolygonal(parts)
    invalid = ~shapely.is_valid(parts)
    repaired = int(invalid.sum())
    if repaired:
        # "structure" rebuilds rings as shells minus holes: same areas as the default
        # "linework" on the archive, and some 25x faster on ISW's 50k-vertex rings.
        parts[invalid] = shapely.make_valid(
            parts[invalid], method="structure", keep_collapsed=False
        )
        parts = _onlypolygonal(shapely.get_parts(parts))
    return parts, missing, repaired


def _onlypolygonal(parts: np.ndarray) -> np.ndarray:
    collections = shapely.get_type_id(parts) == 7
    if collections.any():
        parts = np.concatenate([parts[~collections], shapely.get_parts(parts[collections])])
    types = shapely.get_type_id(parts)
    return parts[(types == 3) | (types == 6)]


def dissolve(parts: np.ndarray) -> BaseGeometry:
    """Union of valid polygonal parts (overlaps counted once)."""
    if len(parts) == 0:
        return shapely.MultiPolygon()
    polygons = shapely.get_parts(parts)
    disjoint = shapely.multipolygons(polygons)
    if shapely.is_valid(disjoint):
        # A valid MultiPolygon has no overlapping or edge-sharing parts: nothing to dissolve.
        return disjoint if len(polygons) > 1 else polygons[0]
    try:
        merged = shapely.union_all(parts)
    except shapely.errors.GEOSException:
        merged = shapely.union_all(shapely.buffer(parts, 0))
    return polygonal(merged)


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a geometry (lines and points left by an overlay dropped)."""
    if geometry.geom_type in POLYGONAL:
        return geometry
    parts = _onlypolygonal(shapely.get_parts(np.array([geometry], dtype=object)))
    return shapely.union_all(parts) if len(parts) else shapely.MultiPolygon()


def close_hairline_gaps(geometry: BaseGeometry) -> BaseGeometry:
    """cyterat's closing in degrees: buffer out then in by 0.000009° with mitre joins."""
    grown = shapely.buffer(geometry, DEEPSTATE_CLOSING_DEGREES, join_style="mitre")
    return polygonal(shapely.buffer(grown, -DEEPSTATE_CLOSING_DEGREES, join_style="mitre"))


_transformers: dict[str, pyproj.Transformer] = {}


def to_equal_area(geometry: BaseGeometry, crs: pyproj.CRS) -> BaseGeometry:
    """`geometry` (in `crs`) projected to EQUAL_AREA_CRS, repaired if projecting broke it."""
    key = crs.to_wkt()
    if key not in _transformers:
        _transformers[key] = pyproj.Transformer.from_crs(crs, EQUAL_AREA_CRS, always_xy=True)
    projected = shapely.transform(geometry, _transformers[key].transform, interleaved=False)
    if not shapely.is_valid(projected):
        projected = polygonal(
            shapely.make_valid(projected, method="structure", keep_collapsed=False)
        )
    return projected


def area_km2(geometry: BaseGeometry) -> float:
    """Area of a geometry in EQUAL_AREA_CRS, in km²."""
    return float(shapely.area(geometry)) / 1e6


def check_crs(crs: pyproj.CRS | None, bounds: tuple[float, float, float, float], label: str):
    """The CRS to read `label` in: its own, or WGS84 lon/lat when it has none and looks like it."""
    minx, miny, maxx, maxy = bounds
    looks_lonlat = -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    if crs is not None:
        crs = pyproj.CRS.from_user_input(crs)
        if crs.is_geographic and not looks_lonlat:
            # GeoJSON without a crs member is read as WGS84 whatever its coordinates are.
            raise GeometryProblem(
                f"{label}: coordinates are not longitude/latitude (bounds {minx:.0f}, {miny:.0f}, "
                f"{maxx:.0f}, {maxy:.0f}) but the file declares none or WGS84; save it in "
                "EPSG:4326 or with its projection"
            )
        return crs
    if looks_lonlat:
        return pyproj.CRS.from_epsg(4326)
    raise GeometryProblem(
        f"{label}: no coordinate reference system and the coordinates are not longitude/latitude "
        f"(bounds {minx:.0f}, {miny:.0f}, {maxx:.0f}, {maxy:.0f}); add a .prj or a crs member"
    )
