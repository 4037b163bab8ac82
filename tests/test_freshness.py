"""The age of a source's figures, with today passed in."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib import freshness


def table(as_of: list[object]) -> pd.DataFrame:
    return pd.DataFrame({"month": [f"2026-0{i + 1}" for i in range(len(as_of))], "as_of": as_of})


def test_figures_as_of_with_their_age_in_days():
    monthly = table([dt.date(2026, 3, 22), dt.date(2026, 4, 12), None])
    sentence = freshness.figures_as_of("isw", monthly, today=dt.date(2026, 12, 2))
    assert sentence == "ISW figures as of 2026-04-12 (234 days old)"


@pytest.mark.parametrize(
    ("today", "words"),
    [
        pytest.param(dt.date(2026, 4, 12), "from today", id="same-day"),
        pytest.param(dt.date(2026, 4, 13), "1 day old", id="one-day"),
        pytest.param(dt.date(2026, 5, 12), "30 days old", id="a-month"),
    ],
)
def test_age_in_words(today, words):
    assert freshness.age_in_words(dt.date(2026, 4, 12), today) == words


def test_a_table_without_dates_has_no_figures():
    assert freshness.figures_as_of("deepstate", table([None]), today=dt.date(2026, 1, 1)) == (
        "No DeepStateMap figures"
    )
    assert freshness.as_of_date(table(["2026-02-01", "not a date"])) == dt.date(2026, 2, 1)


def test_today_is_the_utc_date():
    assert freshness.today_utc() == dt.datetime.now(dt.UTC).date()
