"""URL parameters → view: every malformed or out-of-range value is a warning and a default."""

from __future__ import annotations

from urllib.parse import parse_qs

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.months import is_month, month_label, next_month
from lib.view_state import (
    MAX_SEARCH_CHARS,
    Choices,
    PageContext,
    ViewState,
    months_in_range,
    parse_view,
    share_link,
    share_query,
    statement_range,
)

MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
DEEPSTATE_MONTHS = ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]
STANCES = ("proposal", "openness", "rejection")
ACTORS = ("Volodymyr Zelensky", "Russia", "Ukraine")
CHOICES = Choices(
    months_by_source={"isw": MONTHS, "deepstate": DEEPSTATE_MONTHS},
    stances=STANCES,
    actors=ACTORS,
)
# ISW's figures end a month before DeepStateMap's: an ISW view still runs to 2025-07, focused on
# ISW's latest month by default.
DEFAULT_VIEW = ViewState("isw", "2025-01", "2025-07", "2025-06")
# As app.py builds them: ISW has a table with Kursk counted, DeepStateMap only its default.
COUNTED_CHOICES = Choices(
    months_by_source={"isw": MONTHS, "deepstate": DEEPSTATE_MONTHS},
    stances=STANCES,
    actors=ACTORS,
    countings_by_source={"isw": ("assessed", "kursk"), "deepstate": ("assessed",)},
)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({}, DEFAULT_VIEW, id="empty-gives-default"),
        pytest.param(
            {"from": "2025-02", "to": "2025-04", "month": "2025-03"},
            ViewState("isw", "2025-02", "2025-04", "2025-03"),
            id="full-range-and-month",
        ),
        pytest.param(
            {"to": "2025-04"},
            ViewState("isw", "2025-01", "2025-04", "2025-04"),
            id="month-defaults-to-end-of-range",
        ),
        pytest.param(
            {"source": "deepstate"},
            ViewState("deepstate", "2025-03", "2025-07", "2025-07"),
            id="source-switches-months",
        ),
        pytest.param(
            {"stance": ["proposal", "rejection"], "actor": ["Russia"]},
            ViewState(
                "isw", "2025-01", "2025-07", "2025-06", ("proposal", "rejection"), ("Russia",)
            ),
            id="repeated-list-keys",
        ),
        pytest.param(
            {"stance": ["proposal", "proposal"]},
            ViewState("isw", "2025-01", "2025-07", "2025-06", ("proposal",)),
            id="duplicate-list-values-once",
        ),
        pytest.param(
            {"month": ["2025-02", "2025-03"]},
            ViewState("isw", "2025-01", "2025-07", "2025-03"),
            id="single-key-twice-last-wins",
        ),
        pytest.param({"month": ""}, DEFAULT_VIEW, id="empty-value-is-absent"),
        pytest.param(
            {"month": "2025-07"},
            ViewState("isw", "2025-01", "2025-07", "2025-07"),
            id="month-past-the-source-kept-not-replaced",
        ),
        pytest.param(
            {"source": "isw", "to": "2025-07", "from": "2025-07"},
            ViewState("isw", "2025-07", "2025-07", "2025-07"),
            id="range-without-figures-focuses-its-end",
        ),
        pytest.param(
            {"scale": "clipped"},
            ViewState("isw", "2025-01", "2025-07", "2025-06", scale="clipped"),
            id="scale-chosen",
        ),
    ],
)
def test_valid_params_give_the_view_without_warnings(params, expected):
    parsed = parse_view(params, CHOICES)
    assert parsed.view == expected
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    ("params", "expected", "warning_fragment"),
    [
        pytest.param({"source": "bbc"}, DEFAULT_VIEW, "source='bbc'", id="unknown-source"),
        pytest.param({"month": "2025-13"}, DEFAULT_VIEW, "not a month", id="month-13"),
        pytest.param({"month": "March"}, DEFAULT_VIEW, "expected YYYY-MM", id="month-word"),
        pytest.param({"from": "2025-1"}, DEFAULT_VIEW, "from='2025-1'", id="from-short"),
        pytest.param({"month": "2019-01"}, DEFAULT_VIEW, "before the start", id="month-too-early"),
        pytest.param({"to": "2030-01"}, DEFAULT_VIEW, "outside the months", id="to-too-late"),
        pytest.param(
            {"from": "2025-04", "to": "2025-02"},
            ViewState("isw", "2025-01", "2025-02", "2025-02"),
            "from=2025-04 is after the end of the range (Feb 2025)",
            id="from-after-to",
        ),
        pytest.param(
            {"to": "2025-03", "month": "2025-05"},
            ViewState("isw", "2025-01", "2025-03", "2025-03"),
            "month=2025-05 is after the end of the range (Mar 2025)",
            id="month-after-to",
        ),
        pytest.param(
            {"source": "deepstate", "from": "2025-01"},
            ViewState("deepstate", "2025-03", "2025-07", "2025-07"),
            "outside the months with figures (Mar 2025–Jul 2025)",
            id="month-missing-in-source",
        ),
        pytest.param(
            {"stance": ["proposal", "peace"]},
            ViewState("isw", "2025-01", "2025-07", "2025-06", ("proposal",)),
            "stance='peace' is not a stance",
            id="unknown-stance-dropped",
        ),
        pytest.param(
            {"actor": "Nobody"},
            DEFAULT_VIEW,
            "actor='Nobody' matches no speaker",
            id="unknown-actor-dropped",
        ),
        pytest.param(
            {"scale": "log"}, DEFAULT_VIEW, "scale='log' is not a scale", id="unknown-scale"
        ),
    ],
)
def test_bad_params_warn_and_fall_back(params, expected, warning_fragment):
    parsed = parse_view(params, CHOICES)
    assert parsed.view == expected
    assert len(parsed.warnings) == 1
    assert warning_fragment in parsed.warnings[0]


LONG_MONTHS = [f"{year}-{month:02d}" for year in (2022, 2023, 2024, 2025) for month in range(1, 13)]
LONG_CHOICES = Choices({"isw": LONG_MONTHS}, STANCES)


def test_default_range_is_the_last_24_months():
    view = parse_view({}, LONG_CHOICES).view
    assert (view.from_month, view.to_month, view.focused_month) == ("2024-01", "2025-12", "2025-12")
    assert share_query(view, LONG_CHOICES) == ""
    assert statement_range(view, LONG_CHOICES) == (None, None)


def test_a_link_with_only_to_shows_the_24_months_up_to_it():
    view = parse_view({"to": "2023-06"}, LONG_CHOICES).view
    assert (view.from_month, view.to_month) == ("2022-01", "2023-06")
    assert share_query(view, LONG_CHOICES) == "to=2023-06"
    assert statement_range(view, LONG_CHOICES) == (None, "2023-06")


def test_an_explicit_early_start_is_kept_in_the_link():
    view = parse_view({"from": "2022-01"}, LONG_CHOICES).view
    assert share_query(view, LONG_CHOICES) == "from=2022-01"
    assert statement_range(view, LONG_CHOICES) == ("2022-01", None)


def test_no_months_at_all_gives_an_empty_range_not_an_error():
    parsed = parse_view({"month": "2025-01"}, Choices({}, STANCES))
    assert parsed.view == ViewState("isw", None, None, None)
    assert "has no figures" in parsed.warnings[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-10", True), ("2025-00", False), ("2025-13", False), ("25-10", False), ("", False)],
)
def test_is_month(value, expected):
    assert is_month(value) is expected


@pytest.mark.parametrize(
    ("month", "following"), [("2025-01", "2025-02"), ("2025-11", "2025-12"), ("2025-12", "2026-01")]
)
def test_next_month(month, following):
    assert next_month(month) == following


def test_month_label_reads_like_a_reader_would():
    assert month_label("2025-10") == "Oct 2025"
    assert month_label("2022-02") == "Feb 2022"


def test_months_in_range():
    view = ViewState("isw", "2025-02", "2025-04", "2025-03")
    assert months_in_range(view, CHOICES) == ["2025-02", "2025-03", "2025-04"]


def test_statement_range_leaves_default_ends_open():
    assert statement_range(DEFAULT_VIEW, CHOICES) == (None, None)
    narrowed = ViewState("isw", "2025-02", "2025-04", "2025-03")
    assert statement_range(narrowed, CHOICES) == ("2025-02", "2025-04")
    assert statement_range(ViewState("isw", "2025-01", "2025-03", "2025-03"), CHOICES) == (
        None,
        "2025-03",
    )


def test_default_view_has_an_empty_share_query():
    assert share_query(DEFAULT_VIEW, CHOICES) == ""
    assert share_link("http://host/map", DEFAULT_VIEW, CHOICES) == "http://host/map"


def test_months_of_a_source_run_to_the_latest_month_of_any_source():
    assert CHOICES.months("isw") == [*MONTHS, "2025-07"]
    assert CHOICES.months_with_figures("isw") == MONTHS
    assert CHOICES.months("deepstate") == DEEPSTATE_MONTHS


def test_a_month_without_figures_stays_in_the_link():
    view = ViewState("isw", "2025-01", "2025-07", "2025-07")
    assert share_query(view, CHOICES) == "month=2025-07"
    assert parse_view(parse_qs(share_query(view, CHOICES)), CHOICES).view == view


def test_share_query_repeats_list_keys():
    view = ViewState("deepstate", "2025-04", "2025-06", "2025-05", ("proposal",), ("Russia",))
    assert share_query(view, CHOICES) == (
        "source=deepstate&from=2025-04&to=2025-06&month=2025-05&stance=proposal&actor=Russia"
    )


def test_search_text_is_part_of_the_link():
    view = parse_view({"q": "  Istanbul   talks "}, CHOICES).view
    assert view.search == "Istanbul talks"
    assert share_query(view, CHOICES) == "q=Istanbul+talks"


def test_an_overlong_search_is_cut_with_a_warning():
    parsed = parse_view({"q": "x" * (MAX_SEARCH_CHARS + 5)}, CHOICES)
    assert parsed.view.search == "x" * MAX_SEARCH_CHARS
    assert parsed.warnings == (
        f"q= is {MAX_SEARCH_CHARS + 5} characters long; searching for its first "
        f"{MAX_SEARCH_CHARS}.",
    )


@given(
    source=st.sampled_from(["isw", "deepstate"]),
    bounds=st.lists(st.integers(0, 6), min_size=3, max_size=3),
    stances=st.lists(st.sampled_from(STANCES), unique=True),
    actors=st.lists(st.sampled_from(ACTORS), unique=True),
    search=st.text(max_size=30).map(lambda text: " ".join(text.split())),
    scale=st.sampled_from([None, "full", "clipped"]),
)
def test_share_link_round_trips_every_valid_view(source, bounds, stances, actors, search, scale):
    months = CHOICES.months(source)
    first, focus, last = sorted(min(index, len(months) - 1) for index in bounds)
    view = ViewState(
        source,
        months[first],
        months[last],
        months[focus],
        tuple(stances),
        tuple(actors),
        search=search,
        scale=scale,
    )
    link = share_link("http://host/", view, CHOICES)
    params = parse_qs(link.partition("?")[2])
    parsed = parse_view(params, CHOICES)
    assert parsed.warnings == ()
    assert parsed.view == view


# No deadline: other test runs share the machine's two cores, and a slow example is no failure.
@settings(deadline=None)
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["from", "to", "month", "source", "counting", "stance", "actor", "scale", "other"]
        ),
        st.lists(st.text(max_size=12) | st.sampled_from(["kursk", "claimed"]), max_size=3),
    )
)
def test_any_params_give_a_view_inside_the_choices(params):
    view = parse_view(params, COUNTED_CHOICES).view
    assert view.counting in COUNTED_CHOICES.countings(view.source)
    months = CHOICES.months(view.source)
    assert view.from_month in months
    assert view.to_month in months
    assert view.from_month <= view.focused_month <= view.to_month
    assert set(view.stances) <= set(STANCES)
    assert set(view.actors) <= set(ACTORS)
    assert view.scale in (None, "full", "clipped")


def test_counting_kursk_is_kept_and_carried_by_the_link():
    parsed = parse_view({"counting": "kursk"}, COUNTED_CHOICES)
    assert parsed.warnings == ()
    assert parsed.view == ViewState("isw", "2025-01", "2025-07", "2025-06", counting="kursk")
    assert share_query(parsed.view, COUNTED_CHOICES) == "counting=kursk"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        pytest.param({"counting": "claimed"}, "no claimed layer", id="claimed-not-bundled"),
        pytest.param(
            {"source": "deepstate", "counting": "kursk"},
            "only ISW maps the Ukrainian salient",
            id="kursk-is-isw-only",
        ),
        pytest.param({"counting": "sideways"}, "is not a counting", id="unknown-counting"),
    ],
)
def test_a_counting_without_figures_warns_why_and_falls_back(params, fragment):
    parsed = parse_view(params, COUNTED_CHOICES)
    assert parsed.view.counting == "assessed"
    assert len(parsed.warnings) == 1
    assert fragment in parsed.warnings[0]
    assert "Showing ground in Ukraine only." in parsed.warnings[0]


def test_a_counting_whose_table_could_not_be_read_falls_back():
    parsed = parse_view({"counting": "kursk"}, CHOICES)
    assert parsed.view.counting == "assessed"
    assert "could not be read" in parsed.warnings[0]


def test_page_context_gives_the_table_of_the_views_counting():
    default = pd.DataFrame({"month": ["2025-01"], "net_change_russia_km2": [10.0]})
    with_kursk = pd.DataFrame({"month": ["2025-01"], "net_change_russia_km2": [-5.0]})
    view = parse_view({"counting": "kursk"}, COUNTED_CHOICES).view
    context = PageContext(
        view, COUNTED_CHOICES, {"isw": default}, "sqlite://", {("isw", "kursk"): with_kursk}
    )
    assert context.monthly is with_kursk
    assert context.figures_label == "ISW (Institute for the Study of War), with Kursk oblast"
    default_context = PageContext(DEFAULT_VIEW, COUNTED_CHOICES, {"isw": default}, "sqlite://")
    assert default_context.monthly is default
