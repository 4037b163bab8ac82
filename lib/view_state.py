"""The view as it lives in the URL: parsing, validation and the share link, without Streamlit.

A view is the source, a month range, a focused month, the stance and actor filters, and the
Statements page's search text. It is carried in the query string
(`?from=YYYY-MM&to=YYYY-MM&month=YYYY-MM&source=isw&stance=…&actor=…&q=…`, list keys repeated,
defaults left out). Anything a user can type into a URL is accepted here:
a malformed or out-of-range value becomes a warning naming the parameter plus a sensible default,
never an exception, so a mistyped share link still opens a working page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from lib.months import is_month, month_label
from lib.source_registry import VIEW_SOURCE_IDS

FROM_KEY = "from"
TO_KEY = "to"
MONTH_KEY = "month"
SOURCE_KEY = "source"
STANCE_KEY = "stance"
ACTOR_KEY = "actor"
# The Statements page's search box: bound on that page (the only one that searches), read here.
SEARCH_KEY = "q"
URL_KEYS = (SOURCE_KEY, FROM_KEY, TO_KEY, MONTH_KEY, STANCE_KEY, ACTOR_KEY, SEARCH_KEY)
# Longer than any useful search, short enough to keep a shared link readable.
MAX_SEARCH_CHARS = 200

DEFAULT_SOURCE = "isw"
# The default range: recent enough that a month's bars are not dwarfed by the 2022 front moves.
DEFAULT_RANGE_MONTHS = 24

QueryParams = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class Choices:
    """What a view may select: months per source (ascending "YYYY-MM"), stances, actors."""

    months_by_source: Mapping[str, Sequence[str]]
    stances: Sequence[str]
    actors: Sequence[str] = ()

    def months(self, source: str) -> list[str]:
        return sorted(self.months_by_source.get(source, ()))


@dataclass(frozen=True)
class ViewState:
    """One fully resolved view. Months are "YYYY-MM"; `focused_month` lies in the range."""

    source: str
    from_month: str | None
    to_month: str | None
    focused_month: str | None
    stances: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    search: str = ""


@dataclass(frozen=True)
class PageContext:
    """What the shared sidebar hands to its page: the view, its choices, each source's monthly
    table (empty when its bundled file could not be read) and the statements store's URL."""

    view: ViewState
    choices: Choices
    monthly_by_source: Mapping[str, pd.DataFrame]
    database_url: str

    @property
    def monthly(self) -> pd.DataFrame:
        """The monthly table of the view's source."""
        return self.monthly_by_source[self.view.source]


@dataclass(frozen=True)
class ParsedView:
    view: ViewState
    warnings: tuple[str, ...] = field(default=())


def parse_view(params: QueryParams, choices: Choices) -> ParsedView:
    """Resolve query parameters into a view, with one warning per value that had to be dropped.

    Single-valued keys given twice use the last value (as the browser-bound widgets do). The
    range ends at the latest month and spans DEFAULT_RANGE_MONTHS unless narrowed (`to` is read
    first, so a link with only `to` shows the months up to it); the focused month defaults to
    the last month of the range.
    """
    warnings: list[str] = []

    source = _last(params, SOURCE_KEY)
    if source is None:
        source = DEFAULT_SOURCE
    elif source not in VIEW_SOURCE_IDS:
        warnings.append(
            f"source={source!r} is not a known source (one of {', '.join(VIEW_SOURCE_IDS)}); "
            f"showing {DEFAULT_SOURCE}."
        )
        source = DEFAULT_SOURCE

    months = choices.months(source)
    to_month = _parse_month(params, TO_KEY, months, warnings, fallback="the latest month")
    range_end = to_month or (months[-1] if months else None)
    from_candidates = [m for m in months if range_end is None or m <= range_end]
    range_start = _parse_month(
        params,
        FROM_KEY,
        from_candidates,
        warnings,
        fallback=f"the {DEFAULT_RANGE_MONTHS} months up to {_label_or_none(range_end)}",
        after=range_end,
    ) or default_from_month(from_candidates)
    in_range = [m for m in from_candidates if range_start is None or m >= range_start]
    focused = _parse_month(
        params,
        MONTH_KEY,
        in_range,
        warnings,
        fallback="the latest month in range",
        before=range_start,
        after=range_end,
    )
    if focused is None and in_range:
        focused = in_range[-1]

    stances = _parse_list(
        params,
        STANCE_KEY,
        choices.stances,
        warnings,
        unknown=lambda value: (
            f"stance={value!r} is not a stance (one of {', '.join(choices.stances)}); ignored."
        ),
    )
    actors = _parse_list(
        params,
        ACTOR_KEY,
        choices.actors,
        warnings,
        unknown=lambda value: (
            f"actor={value!r} matches no speaker or affiliation in the statements; ignored."
        ),
    )
    search = " ".join((_last(params, SEARCH_KEY) or "").split())
    if len(search) > MAX_SEARCH_CHARS:
        warnings.append(
            f"{SEARCH_KEY}= is {len(search)} characters long; searching for its first "
            f"{MAX_SEARCH_CHARS}."
        )
        search = search[:MAX_SEARCH_CHARS]
    view = ViewState(
        source=source,
        from_month=range_start,
        to_month=range_end,
        focused_month=focused,
        stances=stances,
        actors=actors,
        search=search,
    )
    return ParsedView(view=view, warnings=tuple(warnings))


def default_from_month(months_up_to_end: Sequence[str]) -> str | None:
    """The default start of the range: DEFAULT_RANGE_MONTHS months ending at the last given."""
    if not months_up_to_end:
        return None
    return months_up_to_end[max(len(months_up_to_end) - DEFAULT_RANGE_MONTHS, 0)]


def months_in_range(view: ViewState, choices: Choices) -> list[str]:
    """The available months of the view's source between its `from` and `to`, inclusive."""
    return [
        month
        for month in choices.months(view.source)
        if (view.from_month is None or month >= view.from_month)
        and (view.to_month is None or month <= view.to_month)
    ]


def statement_range(view: ViewState, choices: Choices) -> tuple[str | None, str | None]:
    """The month range for listing statements: an end left at its default is open, so
    statements before the first or after the latest month with figures are still listed."""
    default_from, default_to = _default_range(view, choices)
    from_month = view.from_month if view.from_month != default_from else None
    to_month = view.to_month if view.to_month != default_to else None
    return from_month, to_month


def share_query(view: ViewState, choices: Choices) -> str:
    """The query string that reproduces `view`, defaults left out (empty for the default view)."""
    default_from, default_to = _default_range(view, choices)
    pairs: list[tuple[str, str]] = []
    if view.source != DEFAULT_SOURCE:
        pairs.append((SOURCE_KEY, view.source))
    if view.from_month and view.from_month != default_from:
        pairs.append((FROM_KEY, view.from_month))
    if view.to_month and view.to_month != default_to:
        pairs.append((TO_KEY, view.to_month))
    if view.focused_month and view.focused_month != view.to_month:
        pairs.append((MONTH_KEY, view.focused_month))
    pairs.extend((STANCE_KEY, stance) for stance in view.stances)
    pairs.extend((ACTOR_KEY, actor) for actor in view.actors)
    if view.search:
        pairs.append((SEARCH_KEY, view.search))
    return urlencode(pairs)


def share_link(base_url: str, view: ViewState, choices: Choices) -> str:
    """`base_url` (scheme, host and page path, no query) plus the view's query string."""
    query = share_query(view, choices)
    return f"{base_url}?{query}" if query else base_url


def _default_range(view: ViewState, choices: Choices) -> tuple[str | None, str | None]:
    months = choices.months(view.source)
    default_to = months[-1] if months else None
    up_to_end = [m for m in months if view.to_month is None or m <= view.to_month]
    return default_from_month(up_to_end), default_to


def _label_or_none(month: str | None) -> str:
    return month_label(month) if month else "the latest month"


def _values(params: QueryParams, key: str) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def _last(params: QueryParams, key: str) -> str | None:
    values = [value for value in _values(params, key) if value != ""]
    return values[-1] if values else None


def _parse_month(
    params: QueryParams,
    key: str,
    allowed: Sequence[str],
    warnings: list[str],
    *,
    fallback: str,
    before: str | None = None,
    after: str | None = None,
) -> str | None:
    value = _last(params, key)
    if value is None:
        return None
    if not is_month(value):
        warnings.append(f"{key}={value!r} is not a month (expected YYYY-MM); showing {fallback}.")
        return None
    if value in allowed:
        return value
    if before is not None and value < before:
        reason = f"is before the start of the range ({month_label(before)})"
    elif after is not None and value > after:
        reason = f"is after the end of the range ({month_label(after)})"
    elif allowed:
        reason = (
            f"is outside the months with figures "
            f"({month_label(allowed[0])}–{month_label(allowed[-1])})"
        )
    else:
        reason = "has no figures"
    warnings.append(f"{key}={value} {reason}; showing {fallback}.")
    return None


def _parse_list(
    params: QueryParams,
    key: str,
    allowed: Sequence[str],
    warnings: list[str],
    *,
    unknown: Callable[[str], str],
) -> tuple[str, ...]:
    known = set(allowed)
    selected: list[str] = []
    for value in _values(params, key):
        if not value or value in selected:
            continue
        if value in known:
            selected.append(value)
        else:
            warnings.append(unknown(value))
    return tuple(selected)
