"""Headline figures and computed sentences, on monthly tables built in code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.territory import narrative


def monthly(nets: list[float | None], start: str = "2025-01") -> pd.DataFrame:
    months = pd.period_range(start, periods=len(nets), freq="M").strftime("%Y-%m")
    net = [np.nan if value is None else value for value in nets]
    gained = [np.nan if value is None else max(value, 0) + 10 for value in nets]
    regained = [np.nan if value is None else max(-value, 0) + 10 for value in nets]
    return pd.DataFrame(
        {
            "month": list(months),
            "gained_by_russia_km2": gained,
            "regained_by_ukraine_km2": regained,
            "net_change_russia_km2": net,
            "status": ["gap" if value is None else "ok" for value in nets],
            "as_of": [f"{m}-28" for m in months],
        }
    )


def test_headline_reads_the_focused_row():
    table = monthly([100, -40])
    line = narrative.headline(table, "2025-02")
    assert line is not None
    assert line.gained_by_russia_km2 == 10
    assert line.regained_by_ukraine_km2 == 50
    assert line.net_change_russia_km2 == -40
    assert line.as_of == "2025-02-28"


def test_headline_of_a_gap_month_has_no_figures_and_an_unknown_month_none():
    table = monthly([100, None])
    line = narrative.headline(table, "2025-02")
    assert line is not None and line.net_change_russia_km2 is None and line.status == "gap"
    assert narrative.headline(table, "2030-01") is None


@pytest.mark.parametrize(
    ("net", "words"),
    [
        (330.4, "Russia +330 km²"),
        (-80, "Ukraine +80 km²"),
        (0.2, "no net change"),
        (None, "no figures (gap)"),
        (1234.0, "Russia +1,234 km²"),
    ],
)
def test_net_in_words(net, words):
    assert narrative.net_in_words(net) == words


def test_ukraine_streak_of_two_months():
    sentences = narrative.streak_sentences(monthly([100, 50, -20, -30]), "2025-04")
    assert sentences[0] == (
        "Ukraine regained more ground than it lost for 2 consecutive months (Mar 2025–Apr 2025)."
    )


def test_russia_streak_counts_back_to_the_last_change_of_side():
    sentences = narrative.streak_sentences(monthly([-5, 10, 20, 30, 40]), "2025-05")
    assert sentences[0].startswith("Russia gained more ground than it lost for 4 consecutive")


def test_a_gap_breaks_the_streak():
    sentences = narrative.streak_sentences(monthly([10, None, 20, 30]), "2025-04")
    assert "for 2 consecutive months (Mar 2025–Apr 2025)" in sentences[0]


def test_single_month_that_ends_an_opposite_run_says_so():
    sentences = narrative.streak_sentences(monthly([10, 20, 30, 40, -5]), "2025-05")
    assert sentences[0] == "Ukraine regained more ground than it lost in May 2025."
    assert (
        "That ends a run of 4 months in which Russia gained more ground than it lost." in sentences
    )


def test_first_such_month_since():
    sentences = narrative.streak_sentences(monthly([-3, 10, 20, 30, -5]), "2025-05")
    assert "The first such month since Jan 2025." in sentences


def test_largest_net_gain_since_an_earlier_month():
    sentences = narrative.streak_sentences(monthly([500, 10, 20, 30, 40, 450]), "2025-06")
    assert "Russia's largest monthly net gain since Jan 2025 (Russia +500 km²)." in sentences


def test_largest_net_gain_in_the_whole_table():
    sentences = narrative.streak_sentences(monthly([5, 10, 20, 30, 40, 450]), "2025-06")
    assert "Russia's largest monthly net gain in the figures (since Jan 2025)." in sentences


def test_no_net_change_and_unknown_month_give_no_sentences():
    assert narrative.streak_sentences(monthly([10, 0]), "2025-02") == []
    assert narrative.streak_sentences(monthly([10, None]), "2025-02") == []
    assert narrative.streak_sentences(monthly([10]), "2030-01") == []


def test_coverage_counts_statuses_and_reports_provenance():
    isw = monthly([10, None, 20])
    isw.loc[2, "status"] = "partial"
    isw["layer_recipe"] = "assessed_russian_control"
    isw["engine_version"] = "1"
    isw["attribution"] = "ISW"
    table = narrative.coverage({"isw": isw, "deepstate": monthly([5], start="2026-01")})
    first = table.iloc[0]
    assert (first["first_month"], first["last_month"], first["months"]) == ("2025-01", "2025-03", 3)
    assert (first["complete_months"], first["partial_months"], first["gap_months"]) == (1, 1, 1)
    assert first["as_of"] == "2025-03-28"
    assert first["layer_recipe"] == "assessed_russian_control"
    assert pd.isna(table.iloc[1]["layer_recipe"])


def test_incomplete_months():
    assert list(narrative.incomplete_months(monthly([10, None, 20]))["month"]) == ["2025-02"]


@pytest.mark.parametrize(
    ("net", "label"),
    [
        (120.0, "Net: Russia ahead"),
        (-3.0, "Net: Ukraine ahead"),
        (0.1, "Net: no change"),
        (None, "Net change"),
    ],
)
def test_net_label_names_the_side_ahead(net, label):
    assert narrative.net_label(net) == label
