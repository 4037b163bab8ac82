"""How old a source's figures are, in words: "ISW figures as of 2026-04-12 (236 days old)".

The as-of date is a monthly table's newest end-snapshot date. Today is the UTC date (snapshot
dates are UTC dates) unless a caller passes one, as the tests do.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.source_registry import short_label


def today_utc() -> dt.date:
    """Today's date in UTC."""
    return dt.datetime.now(dt.UTC).date()


def as_of_date(monthly: pd.DataFrame) -> dt.date | None:
    """The newest snapshot date in a monthly table, or None when it has none."""
    if "as_of" not in monthly:
        return None
    dates = pd.to_datetime(monthly["as_of"], errors="coerce").dropna()
    return dates.max().date() if len(dates) else None


def days_old(as_of: dt.date, today: dt.date | None = None) -> int:
    """Whole days from `as_of` to `today` (0 on the day itself)."""
    return ((today or today_utc()) - as_of).days


def age_in_words(as_of: dt.date, today: dt.date | None = None) -> str:
    """ "236 days old", "1 day old", "from today"."""
    days = days_old(as_of, today)
    if days <= 0:
        return "from today"
    return f"{days} day{'s' if days != 1 else ''} old"


def figures_as_of(source: str, monthly: pd.DataFrame, today: dt.date | None = None) -> str:
    """ "ISW figures as of 2026-04-12 (236 days old)", or "No ISW figures" for an empty table."""
    label = short_label(source)
    as_of = as_of_date(monthly)
    if as_of is None:
        return f"No {label} figures"
    return f"{label} figures as of {as_of:%Y-%m-%d} ({age_in_words(as_of, today)})"
