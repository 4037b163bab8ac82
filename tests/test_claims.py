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
from lib.claims import CANNOT_CHECK, CONTRADICTED, SUPPORTED, check_claim, parse_claim

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
    assert "No other figures for 2026-05" in verdicts["other"].reason
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
