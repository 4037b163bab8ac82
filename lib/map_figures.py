"""The month's change on a map: held ground, and the ground each side gained, as a plotly figure.

`geometries` is the territory engine's month change frame in EPSG:4326 (`kind`, `area_km2`). The
colours are the charts' (`lib/charts.py`), so the two sides look the same on every page. Under
them, the bundled oblasts (`lib/geography`) as map layers, drawn without any network, so the map
has geography on an offline machine and before any snapshot is cached.
"""

from __future__ import annotations

import json
import math
from typing import Any

import geopandas as gpd
import plotly.graph_objects as go

from lib.charts import FONT, HELD_COLOUR, RUSSIA_COLOUR, UKRAINE_COLOUR
from lib.months import month_label

KIND_LABELS = {
    "held_by_russia": "Held by Russia (end of month)",
    "gained_by_russia": "Gained by Russia",
    "regained_by_ukraine": "Regained by Ukraine",
}
KIND_COLOURS = {
    "held_by_russia": HELD_COLOUR,
    "gained_by_russia": RUSSIA_COLOUR,
    "regained_by_ukraine": UKRAINE_COLOUR,
}
# Drawing tolerance in degrees (the areas shown come from `area_km2`, never from these shapes):
# the held area is large and only context, the month's gains are small and need their detail.
SIMPLIFY_DEGREES = {
    "held_by_russia": 0.005,
    "gained_by_russia": 0.0005,
    "regained_by_ukraine": 0.0005,
}
UKRAINE_BOUNDS = (22.0, 44.0, 40.5, 52.5)
# Raster tiles under the shapes: drawn when the browser is online, a blank background otherwise,
# so the map never depends on a style document from the network.
BASEMAP_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
BASEMAP_ATTRIBUTION = "© OpenStreetMap contributors"
OUTLINE_COLOUR = "#757575"
OUTLINE_FILL = "rgba(238, 238, 238, 0.5)"
OUTLINE_ATTRIBUTION = "Borders: Natural Earth"
# No change to draw: the map frames Ukraine and shows the outline only.
NO_CHANGE = gpd.GeoDataFrame({"kind": [], "area_km2": []}, geometry=[], crs="EPSG:4326")


def change_map(
    geometries: Any, *, month: str, outline: Any | None = None, height: int = 620
) -> go.Figure:
    """The month's change on a map: area held by Russia, and ground gained by each side.

    `geometries` is a GeoDataFrame in EPSG:4326 with `kind` and `area_km2` (None or empty: the
    map shows the outline only). `outline` is the oblasts (`name`, EPSG:4326), drawn
    under the shapes, each named on hover. The basemap is raster tiles that simply stay blank
    offline; the outline, the shapes and their legend remain readable.
    """
    figure = go.Figure()
    if geometries is None:
        geometries = NO_CHANGE
    if outline is not None and len(outline):
        figure.add_trace(_outline_names(outline))
    for kind in ("held_by_russia", "gained_by_russia", "regained_by_ukraine"):
        rows = geometries[geometries["kind"] == kind]
        if rows.empty:
            continue
        area = float(rows["area_km2"].sum())
        feature_ids = [f"{kind}-{index}" for index in range(len(rows))]
        tolerance = SIMPLIFY_DEGREES[kind]
        features = [
            {
                "type": "Feature",
                "id": feature_id,
                "geometry": geometry.simplify(tolerance).__geo_interface__,
            }
            for feature_id, geometry in zip(feature_ids, rows.geometry, strict=True)
        ]
        colour = KIND_COLOURS[kind]
        figure.add_trace(
            go.Choroplethmap(
                geojson={"type": "FeatureCollection", "features": features},
                locations=feature_ids,
                z=[1] * len(feature_ids),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker={
                    "opacity": 0.45 if kind == "held_by_russia" else 0.85,
                    "line": {"width": 0.5 if kind == "held_by_russia" else 1, "color": colour},
                },
                name=f"{KIND_LABELS[kind]}: {area:,.0f} km²",
                showlegend=True,
                hovertemplate=f"{KIND_LABELS[kind]}<br>{month_label(month)}: {area:,.0f} km²"
                "<extra></extra>",
            )
        )
    centre, zoom = map_view(geometries)
    layers: list[dict[str, Any]] = [
        {
            "below": "traces",
            "sourcetype": "raster",
            "sourceattribution": BASEMAP_ATTRIBUTION,
            "source": [BASEMAP_TILES],
        }
    ]
    if outline is not None and len(outline):
        borders = json.loads(outline[["name", "geometry"]].to_json(drop_id=True))
        layers += [
            {
                "below": "traces",
                "sourcetype": "geojson",
                "source": borders,
                "type": "fill",
                "color": OUTLINE_FILL,
                "sourceattribution": OUTLINE_ATTRIBUTION,
            },
            {
                "below": "traces",
                "sourcetype": "geojson",
                "source": borders,
                "type": "line",
                "color": OUTLINE_COLOUR,
                "line": {"width": 0.8},
            },
        ]
    figure.update_layout(
        template="none",
        map={"style": "white-bg", "layers": layers, "center": centre, "zoom": zoom},
        font=FONT,
        height=height,
        margin={"l": 0, "r": 0, "t": 36, "b": 0},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    return figure


def _outline_names(outline: Any) -> go.Scattermap:
    """An invisible point inside each oblast that names it on hover (map layers have no hover)."""
    points = outline.geometry.representative_point()
    return go.Scattermap(
        lon=list(points.x),
        lat=list(points.y),
        mode="markers",
        marker={"size": 14, "opacity": 0},
        text=list(outline["name"]),
        hovertemplate="%{text}<extra></extra>",
        name="Oblasts",
        showlegend=False,
    )


def map_view(geometries: Any, *, width_px: int = 800, height_px: int = 620) -> tuple[dict, float]:
    """Centre and zoom that frame the month's gains and regains (the held area when there are
    none), with a margin, on a map of about `width_px` × `height_px`."""
    changes = geometries[geometries["kind"] != "held_by_russia"]
    framed = changes if len(changes) and not changes.geometry.is_empty.all() else geometries
    if len(framed) == 0:
        west, south, east, north = UKRAINE_BOUNDS
    else:
        west, south, east, north = (float(value) for value in framed.total_bounds)
    west, south, east, north = west - 0.3, south - 0.3, east + 0.3, north + 0.3
    centre = {"lon": (west + east) / 2, "lat": (south + north) / 2}
    # Web-Mercator: a 256-px tile spans 360° of longitude at zoom 0; latitude is stretched by
    # 1/cos(latitude), enough at Ukraine's latitudes for framing.
    stretch = 1 / math.cos(math.radians(centre["lat"]))
    zoom_for_width = math.log2(width_px * 360 / (256 * max(east - west, 0.01)))
    zoom_for_height = math.log2(height_px * 360 / (256 * max(north - south, 0.01) * stretch))
    return centre, round(max(min(zoom_for_width, zoom_for_height, 11.0), 3.0), 2)
