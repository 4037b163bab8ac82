"""Claim checks: the parser's reading of each shape of claim, the verdicts on small tables built
in code, and the seed's ISW sentence against the bundled figures."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO_ROOT

from lib import territory
from lib.claims import (
    CANNOT_CHECK,
    CONTRADICTED,
    SUPPORTED,
    Verdict,
    check_claim,
    parse_claim,
    understood,
    verdict_summary,
)

JUNE_3 = dt.date(2026, 6, 3)


@pytest.mark.parametrize(
    ("text", "date", "side", "direction", "months", "each_month"),
    [
        pytest.param(
            "Ukraine has retaken more territory than it has lost for two consecutive months",
            JUNE_3,
            "ukraine",
            "ahead",
            ["2026-04", "2026-05"],
            True,
            id="consecutive",
        ),
        pytest.param(
            "Russian forces gained more ground than they lost for the third month in a row",
            JUNE_3,
            "russia",
            "ahead",
            ["2026-03", "2026-04", "2026-05"],
            True,
            id="in-a-row",
        ),
        pytest.param(
            "Russia has lost ground since January",
            JUNE_3,
            "russia",
            "behind",
            ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"],
            False,
            id="since",
        ),
        pytest.param(
            "Kyiv made a net gain this year",
            dt.date(2026, 3, 15),
            "ukraine",
            "ahead",
            ["2026-01", "2026-02"],
            False,
            id="this-year",
        ),
        pytest.param(
            "Russia made a net gain in November",
            JUNE_3,
            "russia",
            "ahead",
            ["2025-11"],
            False,
            id="month-without-year-is-the-last-one",
        ),
        pytest.param(
            "Ukrainian forces lost territory last month",
            JUNE_3,
            "ukraine",
            "behind",
            ["2026-05"],
            False,
            id="last-month",
        ),
        pytest.param(
            "Russia captured 1,200 km² from March to May 2025",
            JUNE_3,
            "russia",
            "ahead",
            ["2025-03", "2025-04", "2025-05"],
            False,
            id="span-with-amount",
        ),
    ],
)
def test_parse_reads_side_direction_and_period(text, date, side, direction, months, each_month):
    claim = parse_claim(text, date)
    assert (claim.side, claim.direction, list(claim.months), claim.each_month) == (
        side,
        direction,
        months,
        each_month,
    )
    assert claim.understood


def test_parse_reads_an_amount_and_the_cited_source():
    claim = parse_claim("Russia occupied 449 km² in May, DeepStateMap said", JUNE_3)
    assert (claim.measure, claim.amount_km2, claim.cited_source) == ("gained", 449.0, "deepstate")


def test_an_unreadable_claim_says_what_was_not_understood():
    claim = parse_claim("The front is moving in May", JUNE_3)
    assert not claim.understood
    assert claim.months == ("2026-05",)
    assert "whose ground" in claim.not_understood[0]


def _table(rows: list[tuple[str, float, float, str]]) -> pd.DataFrame:
    """Monthly table from (month, gained by Russia, regained by Ukraine, status) rows."""
    return pd.DataFrame(
        [
            {
                "month": month,
                "gained_by_russia_km2": gained if status != "gap" else None,
                "regained_by_ukraine_km2": regained if status != "gap" else None,
                "net_change_russia_km2": gained - regained if status != "gap" else None,
                "status": status,
                "as_of": f"{month}-28" if status != "gap" else None,
            }
            for month, gained, regained, status in rows
        ]
    )


def test_verdicts_per_source_supported_contradicted_and_missing_months():
    claim = parse_claim(
        "Ukraine has retaken more territory than it has lost for two consecutive months", JUNE_3
    )
    tables = {
        "isw": _table([("2026-04", 10, 30, "ok"), ("2026-05", 5, 8, "ok")]),
        "deepstate": _table([("2026-04", 10, 30, "ok"), ("2026-05", 50, 8, "ok")]),
        "other": _table([("2026-04", 10, 30, "ok")]),
    }
    verdicts = {verdict.source: verdict for verdict in check_claim(claim, tables)}
    assert verdicts["isw"].verdict == SUPPORTED
    assert verdicts["deepstate"].verdict == CONTRADICTED
    assert "2026-05 Russia +50 km², Ukraine +8 km²" in verdicts["deepstate"].reason
    assert verdicts["other"].verdict == CANNOT_CHECK
    assert "No other figures yet for 2026-05" in verdicts["other"].reason
    assert "as of 2026-04-28" in verdicts["other"].reason


def test_a_total_claim_uses_the_sum_and_a_gap_month_cannot_be_checked():
    claim = parse_claim("Russia has lost ground since April", JUNE_3)
    mixed = _table([("2026-04", 10, 30, "ok"), ("2026-05", 15, 0, "ok")])
    assert check_claim(claim, {"isw": mixed})[0].verdict == SUPPORTED  # -20 + 15 < 0
    gap = _table([("2026-04", 10, 30, "ok"), ("2026-05", 0, 0, "gap")])
    assert check_claim(claim, {"isw": gap})[0].verdict == CANNOT_CHECK


def test_an_amount_is_supported_only_near_our_figure():
    table = _table([("2026-05", 400, 10, "ok")])
    near = parse_claim("Russia captured 449 km² in May", JUNE_3)
    far = parse_claim("Russia captured 900 km² in May", JUNE_3)
    assert check_claim(near, {"isw": table})[0].verdict == SUPPORTED
    assert check_claim(far, {"isw": table})[0].verdict == CONTRADICTED


def test_the_seed_isw_sentence_against_the_bundled_figures():
    """ISW's figures end in April 2026, so ISW cannot be checked for May; DeepStateMap can."""
    claim = parse_claim(
        "Ukraine has retaken more territory than it has lost for two consecutive months", JUNE_3
    )
    tables = {source: territory.read_bundled_monthly(source) for source in ("isw", "deepstate")}
    verdicts = {verdict.source: verdict for verdict in check_claim(claim, tables)}
    assert verdicts["isw"].verdict == CANNOT_CHECK
    assert "2026-05" in verdicts["isw"].reason
    assert verdicts["deepstate"].verdict in {SUPPORTED, CONTRADICTED}


def test_cli_prints_the_agreed_json():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lib.claims",
            "check",
            "ISW: Ukraine has retaken more territory than it has lost for two consecutive months",
            "--date",
            "2026-06-03",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=True,
    )
    payload = json.loads(result.stdout)
    assert payload["claim"]["months"] == ["2026-04", "2026-05"]
    assert payload["claim"]["cited_source"] == "isw"
    assert [verdict["source"] for verdict in payload["verdicts"]] == ["isw", "deepstate"]
    for verdict in payload["verdicts"]:
        assert set(verdict) == {"source", "verdict", "months", "reason"}
        assert verdict["verdict"] in {"supported", "contradicted", "cannot_check"}


def test_months_past_the_last_snapshot_are_no_figures_yet_and_earlier_holes_are_not():
    claim = parse_claim("Russia has lost ground since March", JUNE_3)
    ended = _table([("2026-03", 10, 30, "ok"), ("2026-04", 10, 30, "ok")])
    [after_end] = check_claim(claim, {"isw": ended})
    assert after_end.reason.startswith("No ISW figures yet for 2026-05 ")
    hole = _table([("2026-03", 10, 30, "ok"), ("2026-04", 0, 0, "gap"), ("2026-05", 1, 2, "ok")])
    [with_gap] = check_claim(claim, {"isw": hole})
    assert with_gap.reason.startswith("No ISW figures for 2026-04 ")


def test_occupied_only_months_of_a_source_with_a_grey_zone_say_so():
    claim = parse_claim("Russia made a net gain from March to April", JUNE_3)
    table = _table([("2026-03", 30, 10, "ok"), ("2026-04", 30, 10, "ok")])
    deepstate = table.assign(grey_zone=["separated", "not separable"])
    isw = table.assign(grey_zone=["not separable", "not separable"])
    verdicts = {v.source: v for v in check_claim(claim, {"isw": isw, "deepstate": deepstate})}
    assert verdicts["deepstate"].verdict == SUPPORTED
    assert "figures for 2026-04 come from files of the occupied area only" in (
        verdicts["deepstate"].reason
    )
    assert "grey" not in verdicts["isw"].reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "ISW: Ukraine has retaken more territory than it has lost for two consecutive months",
            "Ukraine gained more ground than it lost · in each month, Apr 2026–May 2026 "
            '("two consecutive months") · cites ISW · said on 2026-06-03',
            id="consecutive",
        ),
        pytest.param(
            "Russia captured 449 km² in May",
            'Russia took 449 km² · in May 2026 ("in May") · cites no source · said on 2026-06-03',
            id="amount",
        ),
        pytest.param(
            "Russia has lost ground since April",
            "Russia lost more ground than it gained · in total, Apr 2026–May 2026 "
            '("since April") · cites no source · said on 2026-06-03',
            id="total",
        ),
        pytest.param(
            "The front is quiet",
            "whose ground and which way: ? · period: ? · cites no source · said on 2026-06-03",
            id="unreadable",
        ),
    ],
)
def test_what_was_understood_in_words(text, expected):
    assert understood(parse_claim(text, JUNE_3)) == expected


def test_verdict_summary_names_each_source():
    verdicts = [
        Verdict("isw", CANNOT_CHECK, ("2026-05",), ""),
        Verdict("deepstate", CONTRADICTED, ("2026-05",), ""),
    ]
    assert verdict_summary(verdicts) == "ISW: cannot be checked · DeepStateMap: contradicted"
