"""The one seam between downloaded layers and the territory engine's snapshot rows.

Every fetcher hands its layers here, so live data, archives and uploads go through the same recipe
code as the engine's file loader, and a snapshot from the API equals the snapshot from the file.
"""

from __future__ import annotations

import datetime as dt
import re

import geopandas as gpd
import pandas as pd
import shapely
from shapely.ops import unary_union

EQUAL_AREA_CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +datum=WGS84 +units=m +no_defs"
DEFAULT_LAYERS = {"isw": ("control_map",), "deepstate": ("raw",)}
_DEEPSTATE_OCCUPIED = re.compile(
    r"geojson\.status\.occupied|geojson\.territories\.(crimea|ordlo)"
    r"|^(occupied|occupied crimea|cadr and calr|окупов\w*|ордло|крим)$",
    re.IGNORECASE,
)


def default_layers(source: str) -> tuple[str, ...]:
    """The layers a source's live fetcher downloads for its default recipe."""
    return DEFAULT_LAYERS[source]


def to_snapshot(
    date: dt.date,
    layer_frames: dict[str, gpd.GeoDataFrame],
    *,
    source: str,
    layers: tuple[str, ...] | None = None,
) -> gpd.GeoDataFrame:
    """One snapshot row (date, geometry in EQUAL_AREA_CRS, source, layers, area_km2)."""
    parts = []
    for name, frame in layer_frames.items():
        if frame.crs is None:
            frame = frame.set_crs(4326)
        frame = frame.to_crs(4326)
        if name == "raw" and "name" in frame.columns:
            names = frame["name"].fillna("").map(_deepstate_keys)
            frame = frame[names.map(lambda keys: any(_DEEPSTATE_OCCUPIED.search(k) for k in keys))]
        geometries = shapely.force_2d(frame.geometry.dropna().to_numpy())
        parts.extend(_polygonal(shapely.make_valid(g)) for g in geometries if not g.is_empty)
    union = unary_union([p for p in parts if p is not None and not p.is_empty])
    snapshot = gpd.GeoDataFrame(
        {
            "date": [date],
            "source": [source],
            "layers": ["+".join(layers or tuple(layer_frames))],
        },
        geometry=[union],
        crs=4326,
    ).to_crs(EQUAL_AREA_CRS)
    snapshot.geometry = snapshot.geometry.make_valid()
    snapshot["area_km2"] = snapshot.geometry.area / 1e6
    return snapshot


def empty_snapshots() -> gpd.GeoDataFrame:
    """A snapshots frame with no rows but the right columns and CRS."""
    return gpd.GeoDataFrame(
        {
            "date": pd.Series([], dtype=object),
            "source": pd.Series([], dtype=object),
            "layers": pd.Series([], dtype=object),
            "area_km2": pd.Series([], dtype=float),
        },
        geometry=gpd.GeoSeries([], crs=EQUAL_AREA_CRS),
    )


def _deepstate_keys(name: str) -> list[str]:
    return [part.replace("\xa0", " ").strip() for part in name.split("///")]


def _polygonal(geometry):
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    if hasattr(geometry, "geoms"):
        return unary_union([_polygonal(g) for g in geometry.geoms if _polygonal(g) is not None])
    return None


_ARCHIVE_LAYER_CHOICES = {
    "isw": (("control_map",), ("assessed_russian_control",)),
    "deepstate": (("raw",), ("occupied",)),
}


def archive_layers(source: str, present: set[str]) -> tuple[str, ...]:
    """The first recipe of `source` whose layers all occur in an archive folder; () when none."""
    for layers in _ARCHIVE_LAYER_CHOICES[source]:
        if set(layers) <= present:
            return layers
    return ()
