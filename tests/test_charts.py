"""Figures read through fig.data and fig.layout, nothing rendered."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from app_pages.statement_cards import STANCE_BADGE_COLOURS
from lib import charts, map_figures


def monthly_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": ["2025-09", "2025-10", "2025-11", "2025-12"],
            "gained_by_russia_km2": [400.0, 350.0, np.nan, 120.0],
            "regained_by_ukraine_km2": [50.0, 20.0, np.nan, 200.0],
            "net_change_russia_km2": [350.0, 330.0, np.nan, -80.0],
            "held_by_russia_km2": [113_000.0, 113_330.0, np.nan, 113_250.0],
            "status": ["ok", "ok", "gap", "partial"],
        }
    )


def statements_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "date": [dt.date(2025, 10, 3), dt.date(2025, 10, 20), dt.date(2025, 12, 1)],
            "speaker": ["Volodymyr Zelensky", "Dmitry Peskov", "Marco <b>Rubio</b>"],
            "affiliation": ["Ukraine", "Russia", "United States"],
            "stance": ["proposal", "rejection", "proposal"],
            "quote": ["We are ready for a ceasefire along the line.", "No talks now.", "x" * 500],
        }
    )


def test_two_sides_have_two_clearly_different_fixed_colours():
    figure = charts.net_gains(monthly_frame(), statements_frame())
    bars = {trace.name: trace for trace in figure.data if trace.type == "bar"}
    assert bars["Gained by Russia"].marker.color == charts.RUSSIA_COLOUR
    assert bars["Regained by Ukraine"].marker.color == charts.UKRAINE_COLOUR
    assert charts.RUSSIA_COLOUR != charts.UKRAINE_COLOUR


def test_bars_carry_gains_up_and_regains_down_and_the_net_is_a_line():
    figure = charts.net_gains(monthly_frame(), statements_frame())
    by_name = {trace.name: trace for trace in figure.data}
    assert list(by_name["Gained by Russia"].y[:2]) == [400.0, 350.0]
    assert list(by_name["Regained by Ukraine"].y[:2]) == [-50.0, -20.0]
    net = by_name["Net change (Russia's view)"]
    assert net.type == "scatter" and "lines" in net.mode
    assert list(net.y) == pytest.approx([350.0, 330.0, np.nan, -80.0], nan_ok=True)
    assert net.connectgaps is False


def statement_trace(figure):
    return next(trace for trace in figure.data if trace.yaxis == "y2")


def test_statements_are_markers_by_stance_on_the_lower_subplot_sharing_the_month_axis():
    figure = charts.net_gains(monthly_frame(), statements_frame())
    markers = statement_trace(figure)
    assert list(markers.y) == ["proposal", "rejection", "proposal"]
    assert list(markers.x) == ["2025-10-16", "2025-10-16", "2025-12-16"]
    assert list(markers.marker.color) == [
        charts.STANCE_COLOURS["proposal"],
        charts.STANCE_COLOURS["rejection"],
        charts.STANCE_COLOURS["proposal"],
    ]
    assert {trace.xaxis for trace in figure.data} == {"x"}
    assert figure.layout.yaxis.domain[0] > figure.layout.yaxis2.domain[1]


def test_statement_hover_names_speaker_date_and_quote_and_escapes_markup():
    figure = charts.net_gains(monthly_frame(), statements_frame())
    customdata = statement_trace(figure).customdata
    first_hover = customdata[0][1]
    assert "Volodymyr Zelensky" in first_hover
    assert "03 Oct 2025" in first_hover
    assert "ready for a ceasefire" in first_hover
    long_hover = customdata[2][1]
    assert "&lt;b&gt;Rubio" in long_hover
    assert long_hover.endswith("…”")


def test_axes_have_units_and_months_read_like_oct_2025():
    figure = charts.net_gains(monthly_frame(), statements_frame())
    assert "km²" in figure.layout.yaxis.title.text
    assert figure.layout.xaxis.tickformat == "%b %Y"
    assert figure.layout.xaxis.title.text == "Month"
    assert "Oct 2025" in figure.data[0].customdata[1][1]


def test_the_figure_leaves_the_focused_month_to_the_page():
    """No band and no dimming in the figure: a month change must leave it unchanged
    (app_pages/chart_focus.py draws the band), and a selection Plotly keeps dims nothing."""
    figure = charts.net_gains(monthly_frame(), statements_frame())
    assert not [s for s in figure.layout.shapes if s.fillcolor == charts.FOCUS_COLOUR]
    assert all(trace.unselected.marker.opacity == 1 for trace in figure.data)


def test_a_shared_figure_is_the_same_figure_turned_into_a_dict_once():
    """Streamlit's plotly_chart asks for the dict form on every rerun; a cached figure gives
    the one it made first, equal to what the plain figure gives."""
    plain = charts.net_gains(monthly_frame(), statements_frame())
    shared = charts.SharedFigure(plain)
    first = shared.to_dict()
    assert first == plain.to_dict()
    assert shared.to_dict() is first


def test_gap_and_partial_months_say_so_in_the_hover():
    figure = charts.net_gains(monthly_frame(), statements_frame())
    labels = [custom[1] for custom in figure.data[0].customdata]
    assert "gap" in labels[2]
    assert "partial" in labels[3]


def test_empty_statements_still_draw_the_bars():
    empty = statements_frame().iloc[0:0]
    figure = charts.net_gains(monthly_frame(), empty)
    assert [trace.name for trace in figure.data] == [
        "Gained by Russia",
        "Regained by Ukraine",
        "Net change (Russia's view)",
        "Partial month (hatched)",
        "No figures",
    ]


def test_every_trace_carries_its_month_for_a_click():
    figure = charts.net_gains(monthly_frame(), statements_frame())
    assert statement_trace(figure).customdata[1][0] == "2025-10"
    assert figure.data[0].customdata[3][0] == "2025-12"


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        pytest.param([], None, id="nothing-clicked"),
        pytest.param([{"customdata": ["2025-10", "label"]}], "2025-10", id="bar-customdata"),
        pytest.param([{"customdata": "2025-11"}], "2025-11", id="scalar-customdata"),
        pytest.param([{"x": "2025-09-01"}], "2025-09", id="x-only"),
        pytest.param([{"y": 3}], None, id="no-month"),
    ],
)
def test_selected_month(points, expected):
    assert charts.selected_month(points) == expected


def test_held_area_has_units():
    figure = charts.held_area(monthly_frame())
    assert "km²" in figure.layout.yaxis.title.text
    assert figure.data[0].line.color == charts.RUSSIA_COLOUR


def test_held_area_has_no_drag_mode_so_a_swipe_over_it_scrolls_a_phone():
    assert charts.held_area(monthly_frame()).layout.dragmode is False


def test_net_gains_axes_are_fixed_so_no_drag_moves_the_months():
    layout = charts.net_gains(monthly_frame(), statements_frame()).layout
    axes = [layout.xaxis, layout.yaxis, layout.yaxis2]
    assert [axis.fixedrange for axis in axes] == [True, True, True]


def test_change_map_draws_each_kind_in_its_side_colour_with_its_area():
    geometries = gpd.GeoDataFrame(
        {
            "kind": ["held_by_russia", "gained_by_russia", "regained_by_ukraine"],
            "area_km2": [100_000.0, 120.5, 30.0],
        },
        geometry=[box(33, 46, 39, 49), box(37.5, 48, 37.6, 48.1), box(35, 47, 35.05, 47.05)],
        crs="EPSG:4326",
    )
    figure = map_figures.change_map(geometries, month="2025-10")
    names = [trace.name for trace in figure.data]
    assert names == [
        "Held by Russia (end of month): 100,000 km²",
        "Gained by Russia: 120 km²",
        "Regained by Ukraine: 30 km²",
    ]
    assert figure.data[1].colorscale[0][1] == charts.RUSSIA_COLOUR
    assert figure.data[2].colorscale[0][1] == charts.UKRAINE_COLOUR
    assert figure.layout.map.style == "white-bg"
    assert figure.layout.map.layers[0].sourcetype == "raster"


def test_map_view_frames_the_changes_not_the_whole_held_area():
    geometries = gpd.GeoDataFrame(
        {"kind": ["held_by_russia", "gained_by_russia"], "area_km2": [1.0, 1.0]},
        geometry=[box(30, 44, 40, 52), box(37.0, 48.0, 38.0, 48.5)],
        crs="EPSG:4326",
    )
    centre, zoom = map_figures.map_view(geometries)
    assert centre == {"lon": pytest.approx(37.5), "lat": pytest.approx(48.25)}
    held_only = geometries[geometries["kind"] == "held_by_russia"]
    wide_centre, wide_zoom = map_figures.map_view(held_only)
    assert wide_centre == {"lon": pytest.approx(35.0), "lat": pytest.approx(48.0)}
    assert 3 <= wide_zoom < zoom <= 11


def test_every_stance_of_the_store_has_a_marker_and_a_badge_colour():
    from lib.statements import STANCES

    assert set(charts.STANCE_COLOURS) == set(STANCES)
    assert set(STANCE_BADGE_COLOURS) == set(STANCES)
    assert not {charts.RUSSIA_COLOUR, charts.UKRAINE_COLOUR} & set(charts.STANCE_COLOURS.values())
    assert not {"red", "blue"} & set(STANCE_BADGE_COLOURS.values())


def test_many_statements_in_one_month_and_stance_share_one_marker():
    many = pd.DataFrame(
        {
            "date": [dt.date(2025, 10, day) for day in range(1, 8)],
            "speaker": [f"Speaker {day}" for day in range(1, 8)],
            "affiliation": ["X"] * 7,
            "stance": ["proposal"] * 7,
            "quote": [f"Quote {day}" for day in range(1, 8)],
        }
    )
    markers = charts.statement_markers(many)
    assert list(markers["count"]) == [7]
    hover = markers["hover"].iloc[0]
    assert "Oct 2025 · proposal (7)" in hover
    assert "Speaker 1" in hover and "Speaker 4" in hover and "Speaker 5" not in hover
    assert "and 3 more" in hover


def trace_named(figure, name: str):
    return next(trace for trace in figure.data if trace.name == name)


def test_partial_months_are_hatched_in_the_bars_themselves():
    figure = charts.net_gains(monthly_frame(), statements_frame())
    for name in ("Gained by Russia", "Regained by Ukraine"):
        pattern = trace_named(figure, name).marker.pattern
        assert list(pattern.shape) == ["", "", "", "/"]
    key = trace_named(figure, "Partial month (hatched)")
    assert key.marker.pattern.shape == "/" and len(key.x) == 0
    whole = monthly_frame().assign(status="ok")
    assert "Partial month (hatched)" not in [
        t.name for t in charts.net_gains(whole, statements_frame()).data
    ]


def test_months_without_figures_are_shaded_and_say_why_never_zero_bars():
    months = ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
    figure = charts.net_gains(
        monthly_frame(), statements_frame(), months=months, source_label="ISW"
    )
    assert len(trace_named(figure, "Gained by Russia").y) == 4
    no_figures = trace_named(figure, "No figures")
    assert [custom[0] for custom in no_figures.customdata] == ["2025-11", "2026-01", "2026-02"]
    hovers = [custom[1] for custom in no_figures.customdata]
    assert "gap" in hovers[0]
    assert hovers[1] == "<b>Jan 2026</b>: no ISW figures yet"
    labels = [annotation.text for annotation in figure.layout.annotations]
    assert labels.count("no ISW figures yet") == 1
    bands = [shape for shape in figure.layout.shapes if shape.fillcolor == charts.NO_FIGURES_FILL]
    assert [pd.Timestamp(band.x0) for band in bands] == [
        pd.Timestamp(day) for day in ("2025-11-01", "2026-01-01", "2026-02-01")
    ]
    assert figure.layout.xaxis.range[1] == "2026-03-01"


def whole_war_frame() -> pd.DataFrame:
    """Two huge months of 2022, then 24 ordinary ones of a few hundred km²."""
    months = [str(month) for month in pd.period_range("2022-03", "2024-04", freq="M")]
    gained = [48_000.0, 10_000.0] + [300.0 + 10 * index for index in range(24)]
    regained = [5_800.0, 50_000.0] + [100.0] * 24
    return pd.DataFrame(
        {
            "month": months,
            "gained_by_russia_km2": gained,
            "regained_by_ukraine_km2": regained,
            "net_change_russia_km2": [g - r for g, r in zip(gained, regained, strict=True)],
            "held_by_russia_km2": [100_000.0] * len(months),
            "status": ["ok"] * len(months),
        }
    )


def test_whole_war_is_clipped_automatically_with_the_tall_bars_labelled():
    whole_war = whole_war_frame()
    figure = charts.net_gains(whole_war, statements_frame())
    bottom, top = figure.layout.yaxis.range
    assert 530 < top < 1_000 and -1_000 < bottom < -100
    labels = {a.text for a in figure.layout.annotations if a.textangle == -90}
    assert labels == {"▲ 48,000", "▼ 5,800", "▲ 10,000", "▼ 50,000"}
    assert figure.layout.yaxis.title.text == "km² (clipped at 530; ▲▼ taller bars)"
    recent = charts.net_gains(whole_war.tail(24), statements_frame())
    assert recent.layout.yaxis.range[1] < 1_000
    assert recent.layout.yaxis.title.text == "km²"


def test_a_chosen_scale_overrides_the_automatic_one():
    full = charts.net_gains(whole_war_frame(), statements_frame(), scale="full")
    assert full.layout.yaxis.range[1] > 48_000
    assert full.layout.yaxis.title.text == "km²"
    clipped = charts.net_gains(monthly_frame(), statements_frame(), scale="clipped")
    assert clipped.layout.yaxis.range[1] > 400


def test_months_where_the_sources_disagree_are_marked_above_the_bars():
    figure = charts.net_gains(
        monthly_frame(),
        statements_frame(),
        disagreements={"2025-12": "ISW: Ukraine ahead by 80 km²; DeepStateMap: Russia ahead"},
    )
    marks = trace_named(figure, "Sources disagree on who was ahead")
    assert list(marks.x) == ["2025-12-16"]
    assert marks.customdata[0][0] == "2025-12"
    assert "DeepStateMap: Russia ahead" in marks.customdata[0][1]
    assert 400 < marks.y[0] < figure.layout.yaxis.range[1]


def test_the_bars_keep_most_of_a_phones_width():
    """Issue 12: at 390 px the bars were ~7 px wide beside a wide left margin. The margins and
    the gap between months leave 24 months about 11 px each on a 390-px screen."""
    statements = statements_frame().assign(stance=["battlefield_claim", "rejection", "proposal"])
    layout = charts.net_gains(monthly_frame(), statements).layout
    plot_width = 390 - 32 - layout.margin.l - layout.margin.r  # Streamlit's page padding
    bar_width = plot_width / 24 * (1 - layout.bargap)
    assert bar_width >= 10.5, bar_width
    # Two-word stances break onto two lines, so the margin fits the longest word.
    assert list(layout.yaxis2.ticktext) == ["proposal", "rejection", "battlefield<br>claim"]
    assert list(layout.yaxis2.tickvals) == ["proposal", "rejection", "battlefield claim"]


def test_the_map_draws_the_bundled_oblasts_under_the_change():
    from lib import geography

    oblasts = geography.read_oblasts()
    assert len(oblasts) == 27 and oblasts.is_valid.all()
    assert geography.oblasts_path().stat().st_size < 300_000
    alone = map_figures.change_map(None, month="2025-05", outline=oblasts)
    assert [trace.name for trace in alone.data] == ["Oblasts"]
    layers = alone.layout.map.layers
    assert [layer.sourcetype for layer in layers] == ["raster", "geojson", "geojson"]
    assert layers[1].sourceattribution == "Borders: Natural Earth"
    west, south, east, north = map_figures.UKRAINE_BOUNDS
    assert west < alone.layout.map.center.lon < east and south < alone.layout.map.center.lat < north
    squares = gpd.GeoDataFrame(
        {"kind": ["held_by_russia"], "area_km2": [100.0]},
        geometry=[box(37.0, 47.0, 37.1, 47.1)],
        crs=4326,
    )
    over = map_figures.change_map(squares, month="2025-05", outline=oblasts)
    assert [trace.name.split(":")[0] for trace in over.data] == [
        "Oblasts",
        "Held by Russia (end of month)",
    ]
