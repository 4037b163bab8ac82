"""Plotly figures for the pages: functions that take frames and return figures, nothing drawn here.

Frames follow the contracts: `monthly` has one row per month ("YYYY-MM" in `month`,
`gained_by_russia_km2`, `regained_by_ukraine_km2`, `net_change_russia_km2`, `held_by_russia_km2`,
`status`); `statements` has one row per statement (`date` as datetime.date, `speaker`, `stance`,
`quote`, …); `geometries` is the territory engine's month change frame in EPSG:4326 (`kind`,
`area_km2`). The two sides keep one colour each across every page.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from lib.months import month_label, month_middle, month_of, month_start, next_month
from lib.statements import STANCES

RUSSIA_COLOUR = "#c62828"
UKRAINE_COLOUR = "#1565c0"
NET_COLOUR = "#212121"
HELD_COLOUR = "#e9a19b"
FOCUS_COLOUR = "rgba(255, 193, 7, 0.22)"

STANCE_COLOURS = {
    "proposal": "#2e7d32",
    "openness": "#66bb6a",
    "condition": "#f9a825",
    "skepticism": "#8d6e63",
    "rejection": "#6a1b9a",
    "impasse": "#455a64",
    "pressure": "#ef6c00",
    "battlefield_claim": "#00838f",
    "other": "#9e9e9e",
}

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

# The bars take the upper part of the figure, the statement markers the lower.
_BARS_BOTTOM = 0.45
_MARKERS_TOP = 0.34
# Charts use plotly.js's own defaults ("none" template) and are drawn without Streamlit's theme:
# either template costs more to draw than the whole figure, on every month change. The font is
# the page's own: Streamlit's stylesheet names it "Source Sans" (older releases "Source Sans Pro").
_FONT = {"family": "Source Sans, Source Sans Pro, sans-serif", "size": 13}
_QUOTE_WIDTH = 70
_QUOTE_MAX_CHARS = 240
_HOVER_STATEMENTS = 4
# Fixed margins that fit the widest labels (the stance names on the left, "Month" below, the
# legend above) instead of axis `automargin`, which makes plotly.js measure the labels and draw
# the figure a second time: three times the cost of the draw itself, on every month change.
NET_GAINS_MARGIN = {"l": 110, "r": 20, "t": 70, "b": 45}


def net_gains(
    monthly: pd.DataFrame,
    statements: pd.DataFrame,
    *,
    focused_month: str | None = None,
) -> go.Figure:
    """Gross gains of each side as bars, the net as a line, and the statements beneath by stance.

    Russian gains rise above zero and Ukrainian regains fall below it, so the bars stack to the
    net. Every trace carries its month in `customdata[0]` so a click can focus that month. The
    figure is assembled as one spec and validated once: it is rebuilt on every month change.
    """
    months = monthly.sort_values("month")
    month_ids = list(months["month"])
    x = [month_middle(month) for month in month_ids]
    labels = [_month_hover_label(month, status) for month, status in _statuses(months)]
    regained = [float(value) for value in months["regained_by_ukraine_km2"]]
    bar_common: dict[str, Any] = {
        "x": x,
        "xaxis": "x",
        "yaxis": "y",
    }
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": "Gained by Russia",
            "y": [float(value) for value in months["gained_by_russia_km2"]],
            "marker": {"color": RUSSIA_COLOUR},
            "customdata": [[m, label] for m, label in zip(month_ids, labels, strict=True)],
            "hovertemplate": "%{customdata[1]}<br>Gained by Russia: %{y:,.0f} km²<extra></extra>",
            **bar_common,
        },
        {
            "type": "bar",
            "name": "Regained by Ukraine",
            "y": [-value for value in regained],
            "marker": {"color": UKRAINE_COLOUR},
            "customdata": [
                [m, label, value]
                for m, label, value in zip(month_ids, labels, regained, strict=True)
            ],
            "hovertemplate": (
                "%{customdata[1]}<br>Regained by Ukraine: %{customdata[2]:,.0f} km²<extra></extra>"
            ),
            **bar_common,
        },
        {
            "type": "scatter",
            "name": "Net change (Russia's view)",
            "y": [float(value) for value in months["net_change_russia_km2"]],
            "mode": "lines+markers",
            "line": {"color": NET_COLOUR, "width": 2},
            "marker": {"size": 6, "color": NET_COLOUR},
            "connectgaps": False,
            "customdata": [[m, label] for m, label in zip(month_ids, labels, strict=True)],
            "hovertemplate": "%{customdata[1]}<br>Net change: %{y:+,.0f} km²<extra></extra>",
            **bar_common,
        },
    ]
    markers = statement_markers(statements)
    stances_present = [s for s in STANCES if s in set(markers["stance"])]
    stances_present += sorted(set(markers["stance"]) - set(STANCES))
    if len(markers):
        counts = [int(count) for count in markers["count"]]
        data.append(
            {
                "type": "scatter",
                "name": "Statements",
                "x": [month_middle(month) for month in markers["month"]],
                "y": [_stance_label(stance) for stance in markers["stance"]],
                "xaxis": "x",
                "yaxis": "y2",
                "mode": "markers",
                "marker": {
                    "size": [min(10 + 4 * (count - 1), 26) for count in counts],
                    "color": [
                        STANCE_COLOURS.get(stance, STANCE_COLOURS["other"])
                        for stance in markers["stance"]
                    ],
                    "line": {"width": 1, "color": "white"},
                },
                "customdata": [
                    [month, hover, count]
                    for month, hover, count in zip(
                        markers["month"], markers["hover"], counts, strict=True
                    )
                ],
                "hovertemplate": "%{customdata[1]}<extra></extra>",
                "showlegend": False,
            }
        )
    shapes: list[dict[str, Any]] = [
        {
            "type": "line",
            "xref": "x domain",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": 0,
            "y1": 0,
            "line": {"color": "#9e9e9e", "width": 1},
        }
    ]
    if focused_month is not None:
        start = month_start(focused_month)
        end = month_start(next_month(focused_month))
        shapes.extend(
            {
                "type": "rect",
                "xref": axis,
                "yref": f"{row_axis} domain",
                "x0": f"{start:%Y-%m-%d}",
                "x1": f"{end:%Y-%m-%d}",
                "y0": 0,
                "y1": 1,
                "fillcolor": FOCUS_COLOUR,
                "line": {"width": 0},
                "layer": "below",
            }
            for axis, row_axis in (("x", "y"), ("x", "y2"))
        )
    date_axis = {
        "type": "date",
        "tickformat": "%b %Y",
        "hoverformat": "%b %Y",
        "ticklabelmode": "period",
        "showgrid": False,
        "range": _month_axis_range(months["month"]),
    }
    title_font = {"size": 13, "color": "#424242"}
    layout = {
        "barmode": "relative",
        "bargap": 0.15,
        "hovermode": "closest",
        "clickmode": "event+select",
        "dragmode": False,
        "font": _FONT,
        "margin": NET_GAINS_MARGIN,
        "height": 620,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.06, "x": 0},
        "template": "none",
        "xaxis": {**date_axis, "anchor": "y2", "title": {"text": "Month"}},
        "yaxis": {
            "domain": [_BARS_BOTTOM, 1.0],
            "anchor": "x",
            "title": {"text": "km²"},
            "tickformat": ",.0f",
            "gridcolor": "#eeeeee",
            "zeroline": False,
        },
        "yaxis2": {
            "domain": [0.0, _MARKERS_TOP],
            "anchor": "x",
            "title": {"text": "stance"},
            "dtick": 1,
            "tickfont": {"size": 11},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [_stance_label(stance) for stance in reversed(stances_present)],
            "gridcolor": "#f5f5f5",
        },
        "shapes": shapes,
        "annotations": [
            {
                "text": text,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": top,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": title_font,
            }
            for text, top in (
                ("Ground gained per month (km²)", 1.0),
                ("Statements by stance (size: how many)", _MARKERS_TOP),
            )
        ],
    }
    return go.Figure({"data": data, "layout": layout})


def held_area(monthly: pd.DataFrame) -> go.Figure:
    """Russian-held area at the end of each month, km² (includes Crimea and pre-2022 Donbas)."""
    months = monthly.sort_values("month")
    figure = go.Figure(
        go.Scatter(
            x=[month_start(month) for month in months["month"]],
            y=months["held_by_russia_km2"],
            mode="lines",
            line={"color": RUSSIA_COLOUR, "width": 2},
            fill="tozeroy",
            fillcolor="rgba(198, 40, 40, 0.12)",
            name="Held by Russia",
            hovertemplate="%{x|%b %Y}: %{y:,.0f} km²<extra></extra>",
        )
    )
    figure.update_layout(
        font=_FONT,
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        template="none",
        showlegend=False,
    )
    figure.update_yaxes(
        title_text="Held by Russia (km²)", tickformat=",.0f", gridcolor="#eeeeee", automargin=True
    )
    figure.update_xaxes(title_text="Month", tickformat="%b %Y", type="date", automargin=True)
    return figure


def change_map(geometries: Any, *, month: str) -> go.Figure:
    """The month's change on a map: area held by Russia, and ground gained by each side.

    `geometries` is a GeoDataFrame in EPSG:4326 with `kind` and `area_km2`. The basemap is raster
    tiles that simply stay blank offline; the shapes and their legend remain readable.
    """
    figure = go.Figure()
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
    figure.update_layout(
        template="none",
        map={
            "style": "white-bg",
            "layers": [
                {
                    "below": "traces",
                    "sourcetype": "raster",
                    "sourceattribution": BASEMAP_ATTRIBUTION,
                    "source": [BASEMAP_TILES],
                }
            ],
            "center": centre,
            "zoom": zoom,
        },
        font=_FONT,
        height=620,
        margin={"l": 0, "r": 0, "t": 36, "b": 0},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    return figure


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


def selected_month(points: Iterable[Mapping[str, Any]]) -> str | None:
    """The month ("YYYY-MM") of the first clicked point of `net_gains`, or None."""
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, Sequence) and not isinstance(custom, str) and custom:
            custom = custom[0]
        if isinstance(custom, str) and len(custom) == 7:
            return custom
        x = point.get("x")
        if isinstance(x, str) and len(x) >= 7:
            return x[:7]
    return None


def statement_markers(statements: pd.DataFrame) -> pd.DataFrame:
    """One marker per month and stance: `month`, `stance`, `count`, and `hover` listing the
    statements (speaker, date, quote), oldest first, the first few in full."""
    columns = ["month", "stance", "count", "hover"]
    groups: dict[tuple[str, str], list[tuple[dt.date, str, str, str]]] = {}
    for date, speaker, affiliation, stance, quote in zip(
        (_as_date(value) for value in statements["date"]),
        statements["speaker"],
        statements["affiliation"] if "affiliation" in statements else [None] * len(statements),
        statements["stance"],
        statements["quote"],
        strict=True,
    ):
        key = (month_of(date), stance if isinstance(stance, str) else "other")
        groups.setdefault(key, []).append((date, speaker, affiliation, quote))
    rows = []
    for (month, stance), members in sorted(groups.items()):
        members.sort(key=lambda member: member[0])
        shown = [_statement_hover(*member) for member in members[:_HOVER_STATEMENTS]]
        title = f"<b>{month_label(month)} · {_escape(_stance_label(stance))} ({len(members)})</b>"
        hover = "<br><br>".join([title, *shown])
        if len(members) > len(shown):
            hover += f"<br><br>… and {len(members) - len(shown)} more: see the list below the chart"
        rows.append({"month": month, "stance": stance, "count": len(members), "hover": hover})
    return pd.DataFrame(rows, columns=columns)


def _statement_hover(date: dt.date, speaker: Any, affiliation: Any, quote: Any) -> str:
    text = quote if isinstance(quote, str) else ""
    if len(text) > _QUOTE_MAX_CHARS:
        text = text[: _QUOTE_MAX_CHARS - 1].rstrip() + "…"
    lines = textwrap.wrap(f"“{text}”", _QUOTE_WIDTH, break_long_words=False) or ["(no quote)"]
    who = _escape(str(speaker))
    if isinstance(affiliation, str) and affiliation:
        who = f"<b>{who}</b> ({_escape(affiliation)})"
    else:
        who = f"<b>{who}</b>"
    return "<br>".join([f"{who} · {date:%d %b %Y}", *(_escape(line) for line in lines)])


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _stance_label(stance: str) -> str:
    return stance.replace("_", " ")


def _statuses(months: pd.DataFrame) -> list[tuple[str, str]]:
    statuses = months["status"] if "status" in months else ["ok"] * len(months)
    return list(zip(months["month"], statuses, strict=True))


def _month_hover_label(month: str, status: str) -> str:
    label = f"<b>{month_label(month)}</b>"
    if status == "partial":
        label += " (partial month)"
    elif status == "gap":
        label += " (no snapshots: gap)"
    return label


def _month_axis_range(months: pd.Series) -> list[str] | None:
    if months.empty:
        return None
    end = month_start(next_month(months.iloc[-1]))
    return [f"{month_start(months.iloc[0]):%Y-%m-%d}", f"{end:%Y-%m-%d}"]


def _escape(text: str) -> str:
    """Keep quotes from being read as plotly's HTML-like hover markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
