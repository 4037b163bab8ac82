import datetime as dt

import pytest

from lib.months import (
    first_day,
    last_day,
    month_label,
    month_middle,
    month_of,
    month_start,
    months_between,
    next_month,
    to_period,
)


@pytest.mark.parametrize(
    ("month", "first", "last"),
    [
        pytest.param("2025-10", dt.date(2025, 10, 1), dt.date(2025, 10, 31), id="31-days"),
        pytest.param("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), id="leap-february"),
        pytest.param("2025-02", dt.date(2025, 2, 1), dt.date(2025, 2, 28), id="february"),
        pytest.param("2025-12", dt.date(2025, 12, 1), dt.date(2025, 12, 31), id="december"),
    ],
)
def test_first_and_last_day(month, first, last):
    assert first_day(month) == first
    assert last_day(month) == last
    assert first_day(next_month(month)) == last + dt.timedelta(days=1)


def test_months_between_spans_year_ends_inclusive():
    assert months_between(dt.date(2024, 11, 30), dt.date(2025, 2, 1)) == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    ]
    assert months_between(dt.date(2025, 3, 5), dt.date(2025, 3, 6)) == ["2025-03"]


def test_positions_on_a_date_axis():
    assert month_start("2025-10") == dt.datetime(2025, 10, 1)
    assert month_middle("2025-10") == "2025-10-16"
    assert month_of(dt.date(2025, 10, 16)) == "2025-10"


@pytest.mark.parametrize("value", ["2025-13", "2025-5", "25-10", "", "2025-10-01"])
def test_malformed_months_raise_naming_the_value(value):
    with pytest.raises(ValueError, match=f"{value!r} is not a month in the form YYYY-MM"):
        to_period(value)
    with pytest.raises(ValueError, match="is not a month"):
        month_label(value)
