"""The view as it lives in the URL: parsing, validation and the share link, without Streamlit.

A view is the source, how its figures are counted, a month range, a focused month, the stance
and actor filters, the Statements page's search text and the Overview chart's scale. It is
carried in the query string
(`?source=isw&counting=kursk&from=YYYY-MM&to=YYYY-MM&month=YYYY-MM&stance=…&actor=…&q=…&scale=…`,
list keys repeated, defaults left out). A view's months run from its source's first month to the
latest month of any source, so a month past a source's last snapshot can be chosen and is shown
as having no figures yet, never replaced by another month. Anything a user can type into a URL
is accepted here: a malformed or out-of-range value becomes a warning naming the parameter plus a
sensible default, never an exception, so a mistyped share link still opens a working page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from lib.months import is_month, month_label
from lib.source_registry import VIEW_SOURCE_IDS, long_label
from lib.territory import countings

FROM_KEY = "from"
TO_KEY = "to"
MONTH_KEY = "month"
SOURCE_KEY = "source"
COUNTING_KEY = "counting"
STANCE_KEY = "stance"
ACTOR_KEY = "actor"
# The Statements page's search box: bound on that page (the only one that searches), read here.
SEARCH_KEY = "q"
# The Overview chart's km² axis: the whole range, or clipped with the taller bars labelled. Left
# out of the URL, the chart chooses from the range's figures (lib.chart_scale.automatic_scale).
SCALE_KEY = "scale"
SCALES = ("full", "clipped")
URL_KEYS = (
    SOURCE_KEY,
    COUNTING_KEY,
    FROM_KEY,
    TO_KEY,
    MONTH_KEY,
    STANCE_KEY,
    ACTOR_KEY,
    SEARCH_KEY,
    SCALE_KEY,
)
# Longer than any useful search, short enough to keep a shared link readable.
MAX_SEARCH_CHARS = 200

DEFAULT_SOURCE = "isw"
DEFAULT_COUNTING = countings.DEFAULT_COUNTING
# The default range: recent enough that a month's bars are not dwarfed by the 2022 front moves.
DEFAULT_RANGE_MONTHS = 24

QueryParams = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class Choices:
    """What a view may select: months per source (ascending "YYYY-MM"), stances, actors, and
    the countings with figures per source (just the default when a source is not listed)."""

    months_by_source: Mapping[str, Sequence[str]]
    stances: Sequence[str]
    actors: Sequence[str] = ()
    countings_by_source: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def months(self, source: str) -> list[str]:
        """The months a view of `source` may select: every month from the source's first to the
        latest month of any source, so months past its last snapshot stay selectable."""
        own = self.months_with_figures(source)
        if not own:
            return []
        latest = max(max(months) for months in self.months_by_source.values() if months)
        return [str(month) for month in pd.period_range(own[0], latest, freq="M")]

    def months_with_figures(self, source: str) -> list[str]:
        """The months of the source's own monthly table."""
        return sorted(self.months_by_source.get(source, ()))

    def countings(self, source: str) -> list[str]:
        return list(self.countings_by_source.get(source, (DEFAULT_COUNTING,)))


@dataclass(frozen=True)
class ViewState:
    """One fully resolved view. Months are "YYYY-MM"; `focused_month` lies in the range; `scale`
    is one of SCALES, or None for the chart's automatic choice."""

    source: str
    from_month: str | None
    to_month: str | None
    focused_month: str | None
    stances: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    search: str = ""
    counting: str = DEFAULT_COUNTING
    scale: str | None = None


@dataclass(frozen=True)
class PageContext:
    """What the shared sidebar hands to its page: the view, its choices, each source's monthly
    table (empty when its bundled file could not be read), the statements store's URL, and the
    tables counted otherwise than by default, keyed by (source, counting)."""

    view: ViewState
    choices: Choices
    monthly_by_source: Mapping[str, pd.DataFrame]
    database_url: str
    counted_monthly: Mapping[tuple[str, str], pd.DataFrame] = field(default_factory=dict)

    @property
    def monthly(self) -> pd.DataFrame:
        """The monthly table of the view's source, counted as the view says."""
        if self.view.counting != DEFAULT_COUNTING:
            return self.counted_monthly[self.view.source, self.view.counting]
        return self.monthly_by_source[self.view.source]

    @property
    def figures_label(self) -> str:
        """The source and, when not the default, the counting: what the figures are."""
        label = long_label(self.view.source)
        if self.view.counting == DEFAULT_COUNTING:
            return label
        return f"{label}, {countings.PHRASES[self.view.counting]}"


@dataclass(frozen=True)
class ParsedView:
    view: ViewState
    warnings: tuple[str, ...] = field(default=())


def parse_view(params: QueryParams, choices: Choices) -> ParsedView:
    """Resolve query parameters into a view, with one warning per value that had to be dropped.

    Single-valued keys given twice use the last value (as the browser-bound widgets do). The
    range ends at the latest month of any source and spans DEFAULT_RANGE_MONTHS unless narrowed
    (`to` is read first, so a link with only `to` shows the months up to it); the focused month
    defaults to the latest month of the range with figures from the source.
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
    counting = _parse_counting(params, source, choices, warnings)

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
    if focused is None:
        focused = default_focused_month(source, in_range, choices)

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
    scale = _last(params, SCALE_KEY)
    if scale is not None and scale not in SCALES:
        warnings.append(
            f"scale={scale!r} is not a scale (one of {', '.join(SCALES)}); choosing automatically."
        )
        scale = None
    view = ViewState(
        source=source,
        from_month=range_start,
        to_month=range_end,
        focused_month=focused,
        stances=stances,
        actors=actors,
        search=search,
        counting=counting,
        scale=scale,
    )
    return ParsedView(view=view, warnings=tuple(warnings))


def default_from_month(months_up_to_end: Sequence[str]) -> str | None:
    """The default start of the range: DEFAULT_RANGE_MONTHS months ending at the last given."""
    if not months_up_to_end:
        return None
    return months_up_to_end[max(len(months_up_to_end) - DEFAULT_RANGE_MONTHS, 0)]


def default_focused_month(
    source: str, months_in_view_range: Sequence[str], choices: Choices
) -> str | None:
    """The focused month when none is chosen: the latest month of the range with figures from
    `source`, else the range's last month."""
    with_figures = set(choices.months_with_figures(source))
    candidates = [month for month in months_in_view_range if month in with_figures]
    if candidates:
        return candidates[-1]
    return months_in_view_range[-1] if months_in_view_range else None


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
    if view.counting != DEFAULT_COUNTING:
        pairs.append((COUNTING_KEY, view.counting))
    if view.from_month and view.from_month != default_from:
        pairs.append((FROM_KEY, view.from_month))
    if view.to_month and view.to_month != default_to:
        pairs.append((TO_KEY, view.to_month))
    default_focus = default_focused_month(view.source, months_in_range(view, choices), choices)
    if view.focused_month and view.focused_month != default_focus:
        pairs.append((MONTH_KEY, view.focused_month))
    pairs.extend((STANCE_KEY, stance) for stance in view.stances)
    pairs.extend((ACTOR_KEY, actor) for actor in view.actors)
    if view.search:
        pairs.append((SEARCH_KEY, view.search))
    if view.scale is not None:
        pairs.append((SCALE_KEY, view.scale))
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


def _parse_counting(params: QueryParams, source: str, choices: Choices, warnings: list[str]) -> str:
    """The link's counting when `source` has figures counted so, else the default with a
    warning that says why (e.g. no bundled figures count ISW's claimed layer)."""
    value = _last(params, COUNTING_KEY)
    if value is None or value in choices.countings(source):
        return value or DEFAULT_COUNTING
    reason = countings.not_bundled_reason(source, value)
    if reason is None:
        reason = "its bundled figures could not be read"
    warnings.append(
        f"{COUNTING_KEY}={value!r}: {reason}. Showing {countings.PHRASES[DEFAULT_COUNTING]}."
    )
    return DEFAULT_COUNTING


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
