"""The one seam between downloaded layers and the territory engine's snapshot rows.

Every fetcher hands its layers here, so live data, archives and uploads go through the engine's
recipe code, and a snapshot from the API equals the snapshot from the same file.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd

from lib.territory import EQUAL_AREA_CRS, SNAPSHOT_COLUMNS, snapshots_from_layers

# The layers each live fetcher can download for every date, and therefore the recipe its cache is
# built with (archives used as a fallback follow the same recipe, so one cache never mixes two).
# ISW's time-lapse service holds only the control layer: no service keeps a history of the
# "assessed advances" layer, so the live ISW cache measures control alone, not the engine's
# default control ∪ advances. None: the engine's default recipe.
SOURCE_LAYERS: dict[str, tuple[str, ...] | None] = {"isw": ("control",), "deepstate": None}


class EmptySnapshot(ValueError):
    """A well-formed answer with no Russian-held polygons: kept out of the cache, reported."""


def to_snapshot(
    date: dt.date,
    layer_frames: dict[str, gpd.GeoDataFrame],
    *,
    source: str,
    origin: str,
) -> gpd.GeoDataFrame:
    """One snapshot row (the engine's SNAPSHOT_COLUMNS) from layers of one date of `source`.

    Layer keys are the engine's layer names ("control", …); a DeepStateMap FeatureCollection goes
    under "features" and the engine picks the occupied polygons. Raises EmptySnapshot when no
    held polygon is left.
    """
    if all(frame.empty for frame in layer_frames.values()):
        raise EmptySnapshot("no features in the response (a valid answer, but empty)")
    try:
        return snapshots_from_layers(
            date, layer_frames, source=source, layers=SOURCE_LAYERS[source], label=origin
        )
    except ValueError as error:
        if "no usable snapshots" in str(error):
            raise EmptySnapshot(f"no Russian-held polygons in the response ({error})") from None
        raise


def empty_snapshots() -> gpd.GeoDataFrame:
    """A snapshots frame with no rows but the engine's columns and CRS."""
    return gpd.GeoDataFrame(
        {column: [] for column in SNAPSHOT_COLUMNS if column != "geometry"},
        geometry=gpd.GeoSeries([], crs=EQUAL_AREA_CRS),
    )
