"""Calendar months as "YYYY-MM" strings: checks, arithmetic, day bounds and labels, in one place.

Every frame, URL and store query names a month as "YYYY-MM" (it sorts as text and reads in a
link); the arithmetic is pandas `Period`'s, so year ends and month lengths are never hand-written.
A malformed month raises ValueError naming the value, except `is_month`, which only answers.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def is_month(value: str) -> bool:
    """True for a well-formed "YYYY-MM" with a month between 01 and 12."""
    match = _MONTH_PATTERN.match(value)
    return bool(match) and 1 <= int(match.group(2)) <= 12


def to_period(month: str) -> pd.Period:
    """ "2025-10" → Period('2025-10', 'M'); ValueError for anything but a real "YYYY-MM"."""
    if not isinstance(month, str) or not is_month(month):
        raise ValueError(f"{month!r} is not a month in the form YYYY-MM")
    return pd.Period(month, freq="M")


def month_of(day: dt.date) -> str:
    """The month a date (or Timestamp) falls in: 2025-10-16 → "2025-10"."""
    return f"{day:%Y-%m}"


def next_month(month: str) -> str:
    """ "2025-12" → "2026-01"."""
    return str(to_period(month) + 1)


def first_day(month: str) -> dt.date:
    """ "2025-10" → 2025-10-01."""
    return to_period(month).start_time.date()


def last_day(month: str) -> dt.date:
    """ "2024-02" → 2024-02-29."""
    return to_period(month).end_time.date()


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Every month from the one holding `first` to the one holding `last`, inclusive, ascending."""
    return [str(period) for period in pd.period_range(first, last, freq="M")]


def month_label(month: str) -> str:
    """ "2025-10" → "Oct 2025", the way readers name a month."""
    return to_period(month).strftime("%b %Y")


def month_start(month: str) -> pd.Timestamp:
    """ "2025-10" → Timestamp 2025-10-01, the x position of a month's start on a date axis."""
    return to_period(month).start_time


def month_middle(month: str) -> str:
    """The 16th of `month` ("YYYY-MM-16"): where a month's bar and markers sit on a date axis."""
    return f"{to_period(month)}-16"
