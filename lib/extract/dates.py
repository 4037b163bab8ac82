"""When a statement was made, from the words around its attribution.

A weekday means the last such day on or before publication ("on Sunday" in a Wednesday paper is
three days earlier); "later in the day" and "hours later" point at the statement before;
"after the talks" points at the event the article reports. Without any of these the caller uses
the publication date, as a reader would.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from lib.extract.layout import MONTH_NAMES_PATTERN, month_number

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_EXPLICIT = re.compile(
    rf"\b(?:(?P<day1>\d{{1,2}})\s+(?P<month1>{MONTH_NAMES_PATTERN})\b"
    rf"|(?P<month2>{MONTH_NAMES_PATTERN})\.?\s+(?P<day2>\d{{1,2}})\b)(?:,?\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
_SAME_AS_PREVIOUS = re.compile(
    r"\b(?:later (?:in|on) the day|earlier (?:in|on) the day|the same day|that day|hours later"
    r"|minutes later|shortly (?:after|afterwards)|later that day)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"\b(?:after|following|during|at|opening|closing|on the sidelines of) (?:the )?"
    r"(?:talks|meeting|session|negotiations|summit|round|consultations)\b",
    re.IGNORECASE,
)
_EVENT_NOUN = re.compile(
    r"\b(?:talks|meeting|negotiations|summit|round|session|consultations)\b", re.IGNORECASE
)
_YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)
_TODAY = re.compile(r"\b(?:today|this morning|tonight|this evening)\b", re.IGNORECASE)


def weekday_on_or_before(weekday: str, published: date) -> date:
    """The last `weekday` (English name) on or before `published`."""
    target = WEEKDAYS.index(weekday.lower())
    return published - timedelta(days=(published.weekday() - target) % 7)


def explicit_or_weekday(context: str, published: date) -> date | None:
    """A calendar date ("29 March", "March 29, 2022") or weekday in `context`, resolved."""
    explicit = _EXPLICIT.search(context)
    if explicit:
        month = month_number(explicit.group("month1") or explicit.group("month2"))
        day = int(explicit.group("day1") or explicit.group("day2"))
        year = int(explicit.group("year")) if explicit.group("year") else published.year
        try:
            found = date(year, month, day) if month else None
        except ValueError:
            found = None
        if found and not explicit.group("year") and found > published + timedelta(days=7):
            found = found.replace(year=year - 1)
        if found:
            return found
    weekday = _WEEKDAY.search(context)
    if weekday:
        return weekday_on_or_before(weekday.group(1), published)
    if _YESTERDAY.search(context):
        return published - timedelta(days=1)
    if _TODAY.search(context):
        return published
    return None


def resolve_date(
    context: str, published: date, *, previous: date | None, event: date | None
) -> date | None:
    """The date the attribution words point at, or None when they give no clue."""
    if _SAME_AS_PREVIOUS.search(context) and previous:
        return previous
    found = explicit_or_weekday(context, published)
    if found:
        return found
    if _EVENT.search(context) and event:
        return event
    return None


def event_date(sentences: list[str], published: date) -> date | None:
    """The date of the talks or meeting the article reports: the first sentence that names
    such an event together with a past date."""
    for sentence in sentences:
        if _EVENT_NOUN.search(sentence):
            found = explicit_or_weekday(sentence, published)
            if found and found <= published:
                return found
    return None
