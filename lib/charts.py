"""Plotly figures for the pages: functions that take frames and return figures, nothing drawn here.

Frames follow the contracts: `monthly` has one row per month ("YYYY-MM" in `month`,
`gained_by_russia_km2`, `regained_by_ukraine_km2`, `net_change_russia_km2`, `held_by_russia_km2`,
`status`); `statements` has one row per statement (`date` as datetime.date, `speaker`, `stance`,
`quote`, …). The two sides keep one colour each across every page (the map's figures, in
`lib/map_figures.py`, use the same ones).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from lib.chart_scale import ValueAxis, value_axis
from lib.months import month_label, month_middle, month_of, month_start, next_month
from lib.statements import STANCES

RUSSIA_COLOUR = "#c62828"
UKRAINE_COLOUR = "#1565c0"
NET_COLOUR = "#212121"
HELD_COLOUR = "#e9a19b"
FOCUS_COLOUR = "rgba(255, 193, 7, 0.22)"
NO_FIGURES_COLOUR = "#757575"
NO_FIGURES_FILL = "rgba(158, 158, 158, 0.12)"
DISAGREEMENT_COLOUR = "#6d4c41"

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

# The bars take the upper part of the figure, the statement markers the lower.
_BARS_BOTTOM = 0.45
_MARKERS_TOP = 0.34
# Charts use plotly.js's own defaults ("none" template) and are drawn without Streamlit's theme:
# either template costs more to draw than the whole figure, on every month change. The font is
# the page's own: Streamlit's stylesheet names it "Source Sans" (older releases "Source Sans Pro").
FONT = {"family": "Source Sans, Source Sans Pro, sans-serif", "size": 13}
_QUOTE_WIDTH = 70
_QUOTE_MAX_CHARS = 240
_HOVER_STATEMENTS = 4
# Fixed margins that fit the widest labels (the stance names on the left, "Month" below, the
# legend above) instead of axis `automargin`, which makes plotly.js measure the labels and draw
# the figure a second time: three times the cost of the draw itself, on every month change.
# The left margin holds "−10,000" and the stance names, two-word ones on two lines: every pixel
# more is a pixel less for the bars on a 390-px phone (24 months share about 280 px there).
NET_GAINS_MARGIN = {"l": 72, "r": 12, "t": 70, "b": 45}


def net_gains(
    monthly: pd.DataFrame,
    statements: pd.DataFrame,
    *,
    months: Sequence[str] | None = None,
    scale: str | None = None,
    disagreements: Mapping[str, str] | None = None,
    source_label: str | None = None,
    markers: pd.DataFrame | None = None,
) -> go.Figure:
    """Gross gains of each side as bars, the net as a line, and the statements beneath by stance.

    Russian gains rise above zero and Ukrainian regains fall below it, so the bars stack to the
    net; partial months are hatched. `months` is the range shown (default: `monthly`'s months):
    a month of it without figures (a gap, or past the source's last snapshot) is shaded and
    labelled, never drawn as zero. `scale` is lib.chart_scale's FULL or CLIPPED (None: chosen
    from the figures); clipped bars are labelled with their value. `disagreements` (month →
    sentence) marks the months in which another source names the other side as ahead. Every
    trace carries its month in `customdata[0]` so a click can focus that month. `markers` is
    `statement_markers(statements)` when the caller keeps it cached (its hover text is most of
    the figure's cost with hundreds of statements). The figure is assembled as one spec and
    validated once. It does not show the focused month (app_pages/chart_focus.py draws that
    band in the page), so a month change leaves it unchanged and the browser keeps it.
    """
    by_month = monthly.sort_values("month")
    range_months = list(months) if months is not None else list(by_month["month"])
    by_month = by_month[by_month["month"].isin(range_months)]
    axis = value_axis(by_month, scale)
    if markers is None:
        markers = statement_markers(statements)
    # Only the months on the axis: markers outside it are never seen, and their hover text made
    # the figure ten times larger (about 150 KB sent and parsed on every month change).
    markers = markers[markers["month"].isin(range_months)]
    stances_present = [s for s in STANCES if s in set(markers["stance"])]
    stances_present += sorted(set(markers["stance"]) - set(STANCES))
    without_figures = _months_without_figures(by_month, range_months, source_label)
    data = _month_traces(by_month)
    if "partial" in set(by_month.get("status", ())):
        data.append(_partial_key())
    if without_figures:
        data.append(_no_figures_trace(without_figures))
    if disagreements:
        data.append(_disagreement_trace(disagreements, range_months, axis))
    if len(markers):
        data.append(_statement_trace(markers))
    for trace in data:
        # A click selects a point, and Plotly would dim every other one until the next click,
        # even after the month was changed elsewhere: the focused month's band shows the focus.
        trace["unselected"] = {"marker": {"opacity": 1}}
    shapes = _net_gains_shapes(without_figures)
    layout = _net_gains_layout(range_months, stances_present, shapes, axis)
    layout["annotations"].extend(_no_figures_labels(without_figures, len(range_months)))
    layout["annotations"].extend(_outlier_labels(axis))
    return go.Figure({"data": data, "layout": layout})


class SharedFigure(go.Figure):
    """A figure finished when built and then only read (shared from a cache): its dict form is
    computed once.

    Why: Streamlit's plotly_chart calls `to_dict()` on every rerun, a deep copy of every trace
    and a pass over every array, about a fifth of the Overview's script time on a month change,
    for a figure that has not changed. Nothing may change a SharedFigure after it is built."""

    def __init__(self, figure: go.Figure) -> None:
        super().__init__(figure)
        self._dict_form: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        if self._dict_form is None:
            self._dict_form = super().to_dict()
        return self._dict_form


def _month_traces(months: pd.DataFrame) -> list[dict[str, Any]]:
    """The upper row: Russian gains and Ukrainian regains as bars, the net as a line."""
    month_ids = list(months["month"])
    labels = [_month_hover_label(month, status) for month, status in _statuses(months)]
    regained = [float(value) for value in months["regained_by_ukraine_km2"]]
    common: dict[str, Any] = {
        "x": [month_middle(month) for month in month_ids],
        "xaxis": "x",
        "yaxis": "y",
    }
    hatches = {
        "shape": ["/" if status == "partial" else "" for _, status in _statuses(months)],
        "fillmode": "overlay",
        "fgcolor": "white",
        "size": 6,
        "solidity": 0.4,
    }
    return [
        {
            "type": "bar",
            "name": "Gained by Russia",
            "y": [float(value) for value in months["gained_by_russia_km2"]],
            "marker": {"color": RUSSIA_COLOUR, "pattern": hatches},
            "customdata": [[m, label] for m, label in zip(month_ids, labels, strict=True)],
            "hovertemplate": "%{customdata[1]}<br>Gained by Russia: %{y:,.0f} km²<extra></extra>",
            **common,
        },
        {
            "type": "bar",
            "name": "Regained by Ukraine",
            "y": [-value for value in regained],
            "marker": {"color": UKRAINE_COLOUR, "pattern": hatches},
            "customdata": [
                [m, label, value]
                for m, label, value in zip(month_ids, labels, regained, strict=True)
            ],
            "hovertemplate": (
                "%{customdata[1]}<br>Regained by Ukraine: %{customdata[2]:,.0f} km²<extra></extra>"
            ),
            **common,
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
            **common,
        },
    ]


def _statement_trace(markers: pd.DataFrame) -> dict[str, Any]:
    """The lower row: one marker per month and stance, sized by how many statements it holds."""
    counts = [int(count) for count in markers["count"]]
    return {
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
                STANCE_COLOURS.get(stance, STANCE_COLOURS["other"]) for stance in markers["stance"]
            ],
            "line": {"width": 1, "color": "white"},
        },
        "customdata": [
            [month, hover, count]
            for month, hover, count in zip(markers["month"], markers["hover"], counts, strict=True)
        ],
        "hovertemplate": "%{customdata[1]}<extra></extra>",
        "showlegend": False,
    }


def _partial_key() -> dict[str, Any]:
    """A legend entry showing the hatching of partial months (no bars of its own)."""
    return {
        "type": "bar",
        "name": "Partial month (hatched)",
        "x": [],
        "y": [],
        "xaxis": "x",
        "yaxis": "y",
        "marker": {
            "color": NO_FIGURES_COLOUR,
            "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": "white", "size": 6},
        },
        "hoverinfo": "skip",
    }


def _months_without_figures(
    months: pd.DataFrame, range_months: Sequence[str], source_label: str | None
) -> list[tuple[str, str]]:
    """(month, why) for each month of the range without figures: a gap in the table, a month
    past the source's last one ("no figures yet"), or one before its first."""
    statuses = dict(_statuses(months))
    whose = f"{source_label} " if source_label else ""
    with_figures = sorted(month for month, status in statuses.items() if status != "gap")
    last = with_figures[-1] if with_figures else None
    missing = []
    for month in range_months:
        status = statuses.get(month)
        if status is not None and status != "gap":
            continue
        if status == "gap":
            why = "no snapshot at one end (gap)"
        elif last is None or month > last:
            why = f"no {whose}figures yet"
        else:
            why = f"no {whose}figures"
        missing.append((month, why))
    return missing


def _no_figures_trace(without_figures: list[tuple[str, str]]) -> dict[str, Any]:
    """A hover and click target at zero for each month without figures."""
    return {
        "type": "scatter",
        "name": "No figures",
        "x": [month_middle(month) for month, _ in without_figures],
        "y": [0.0] * len(without_figures),
        "xaxis": "x",
        "yaxis": "y",
        "mode": "markers",
        "marker": {"symbol": "line-ew-open", "size": 14, "color": NO_FIGURES_COLOUR},
        "customdata": [
            [month, f"<b>{month_label(month)}</b>: {why}"] for month, why in without_figures
        ],
        "hovertemplate": "%{customdata[1]}<extra></extra>",
        "showlegend": False,
    }


def _no_figures_labels(
    without_figures: list[tuple[str, str]], months_shown: int
) -> list[dict[str, Any]]:
    """One label per run of consecutive months without figures for the same reason: across the
    run when it spans a fifth of the axis or more, else upright in it."""
    labels = []
    for run in _runs(without_figures):
        first, why = run[0]
        start, end = month_start(first), month_start(next_month(run[-1][0]))
        labels.append(
            {
                "text": why,
                "x": f"{start + (end - start) / 2:%Y-%m-%d}",
                "xref": "x",
                "y": 0.5,
                "yref": "y domain",
                "textangle": 0 if len(run) * 5 >= months_shown else -90,
                "showarrow": False,
                "font": {"size": 11, "color": "#616161"},
            }
        )
    return labels


def _runs(without_figures: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    runs: list[list[tuple[str, str]]] = []
    for month, why in without_figures:
        if runs and runs[-1][-1][1] == why and next_month(runs[-1][-1][0]) == month:
            runs[-1].append((month, why))
        else:
            runs.append([(month, why)])
    return runs


def _disagreement_trace(
    disagreements: Mapping[str, str], range_months: Sequence[str], axis: ValueAxis
) -> dict[str, Any]:
    """A marker above the bars of each month in which the sources name different sides."""
    shown = [month for month in range_months if month in disagreements]
    return {
        "type": "scatter",
        "name": "Sources disagree on who was ahead",
        "x": [month_middle(month) for month in shown],
        "y": [axis.marker_level_km2] * len(shown),
        "xaxis": "x",
        "yaxis": "y",
        "mode": "markers",
        "marker": {
            "symbol": "diamond-open",
            "size": 11,
            "color": DISAGREEMENT_COLOUR,
            "line": {"width": 2},
        },
        "customdata": [
            [month, f"<b>{month_label(month)}</b>: sources disagree<br>{disagreements[month]}"]
            for month in shown
        ],
        "hovertemplate": "%{customdata[1]}<extra></extra>",
    }


def _outlier_labels(axis: ValueAxis) -> list[dict[str, Any]]:
    """The value of each bar that passes a clipped axis, written at the edge it passes."""
    return [
        {
            "text": f"{'▲' if kind == 'gained' else '▼'} {value:,.0f}",
            "x": month_middle(month),
            "xref": "x",
            "y": axis.top_km2 if kind == "gained" else axis.bottom_km2,
            "yref": "y",
            "yanchor": "top" if kind == "gained" else "bottom",
            "textangle": -90,
            "showarrow": False,
            "bgcolor": "rgba(255, 255, 255, 0.85)",
            "font": {"size": 10, "color": RUSSIA_COLOUR if kind == "gained" else UKRAINE_COLOUR},
        }
        for month, kind, value in axis.outliers
    ]


def _net_gains_shapes(without_figures: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The zero line and a grey band over months without figures."""
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
    shapes.extend(
        {
            "type": "rect",
            "xref": "x",
            "yref": "y domain",
            "x0": f"{month_start(month):%Y-%m-%d}",
            "x1": f"{month_start(next_month(month)):%Y-%m-%d}",
            "y0": 0,
            "y1": 1,
            "fillcolor": NO_FIGURES_FILL,
            "line": {"width": 0},
            "layer": "below",
        }
        for month, _ in without_figures
    )
    return shapes


def _net_gains_layout(
    range_months: Sequence[str],
    stances_present: Sequence[str],
    shapes: list[dict[str, Any]],
    axis: ValueAxis,
) -> dict[str, Any]:
    """Two rows on one month axis: km² above, the stances (in the store's order) below."""
    # Every axis is fixed (`fixedrange`): Streamlit turns a selectable chart's `dragmode` False
    # into "pan", and a drag would then slide the months off the axis; with fixed axes a drag
    # moves nothing, and on a touch screen app_pages/chart_touch.py turns it into a page scroll.
    date_axis = {
        "type": "date",
        "tickformat": "%b %Y",
        "hoverformat": "%b %Y",
        "ticklabelmode": "period",
        "showgrid": False,
        "range": _month_axis_range(pd.Series(list(range_months), dtype=str)),
        "fixedrange": True,
    }
    # Notes go on the vertical axis title, which has room on a phone; the bars' title does not.
    value_title = "km²"
    if axis.clipped_at_km2 is not None:
        value_title = f"km² (clipped at {axis.clipped_at_km2:,.0f}; ▲▼ taller bars)"
    title_font = {"size": 13, "color": "#424242"}
    return {
        "barmode": "relative",
        "bargap": 0.06,
        "hovermode": "closest",
        "clickmode": "event+select",
        "dragmode": False,
        "font": FONT,
        "margin": NET_GAINS_MARGIN,
        "height": 620,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.06, "x": 0},
        "template": "none",
        "xaxis": {**date_axis, "anchor": "y2", "title": {"text": "Month"}},
        "yaxis": {
            "domain": [_BARS_BOTTOM, 1.0],
            "anchor": "x",
            "title": {"text": value_title},
            "range": [axis.bottom_km2, axis.top_km2],
            "tickformat": ",.0f",
            "gridcolor": "#eeeeee",
            "zeroline": False,
            "fixedrange": True,
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
            "tickmode": "array",
            "tickvals": [_stance_label(stance) for stance in stances_present],
            "ticktext": [_stance_label(stance).replace(" ", "<br>") for stance in stances_present],
            "gridcolor": "#f5f5f5",
            "fixedrange": True,
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
    # No drag mode: Plotly's default would zoom on a drag and, on a touch screen, cancel the
    # swipe that scrolls the page (it leaves touches alone only without a drag mode).
    figure.update_layout(
        dragmode=False,
        font=FONT,
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
