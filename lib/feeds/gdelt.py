"""GDELT 2.0 DOC API: the article list of a negotiations query, and its monthly coverage volume.

GDELT asks for at most one request every 5 seconds and answers faster callers with HTTP 429 (or,
at times, HTTP 200) and the text "Please limit requests to one every 5 seconds". The client keeps
that pause between its own calls (`pause_seconds`, shortened by tests through the parameter) and
waits at least as long before retrying a refused call. An article list holds at most 250 records,
so a busy window is walked oldest first, each call starting where the previous one ended.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lib.feeds.web import FEED_SETTINGS, FetchError, HttpClient

log = logging.getLogger(__name__)

GDELT_PAUSE_SECONDS = 5.0
RATE_LIMIT_TEXT = "Please limit requests to one every 5 seconds"
MAX_RECORDS = 250
# Calls one article-list refresh may make (8 × 250 records): a backlog beyond that is left for
# the next refresh, which starts where this one stopped.
MAX_LIST_CALLS = 8
RATE_LIMIT_ATTEMPTS = 3
DEFAULT_WINDOW_DAYS = 3
# Coverage in English of talks, ceasefire and peace plans that names Ukraine. The same query
# feeds the review queue and the monthly series, so the chart counts what the queue draws from.
QUERY = (
    '(ceasefire OR "peace talks" OR negotiations OR "peace deal" OR "peace plan") '
    "(Ukraine OR Ukrainian) sourcelang:english"
)
SERIES_START = dt.date(2022, 2, 1)
CITATION = (
    "Machine-coded coverage volume from the GDELT Project (https://www.gdeltproject.org/), "
    "GDELT 2.0 DOC API full-text search of worldwide online news"
)


class GdeltError(Exception):
    """GDELT answered, but not with what was asked for; the message says what it said."""


@dataclass(frozen=True)
class GdeltArticle:
    url: str
    title: str
    seen: dt.date | None
    domain: str


@dataclass(frozen=True)
class ArticleList:
    articles: list[GdeltArticle]
    complete: bool  # False when MAX_LIST_CALLS ran out before the window's end


class GdeltClient:
    """Calls to one DOC API endpoint, never closer together than `pause_seconds`."""

    def __init__(
        self,
        url: str,
        *,
        pause_seconds: float = GDELT_PAUSE_SECONDS,
        client: HttpClient | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url
        self.pause_seconds = pause_seconds
        self.sleep = sleep
        # A refused call waits at least the pause before its retry (longer if Retry-After says).
        settings = dataclasses.replace(
            FEED_SETTINGS,
            min_interval_seconds=0.0,
            backoff_base_seconds=pause_seconds,
            accept="application/json, */*;q=0.5",
        )
        self.client = client or HttpClient(settings)
        self._last_answer_at: float | None = None

    def call(self, params: dict[str, Any]) -> dict[str, Any]:
        """One DOC API answer as JSON; GdeltError for an answer that is not, FetchError when no
        answer came."""
        url = f"{self.url}?{urllib.parse.urlencode({**params, 'format': 'json'})}"
        for attempt in range(1, RATE_LIMIT_ATTEMPTS + 1):
            self._keep_pause()
            try:
                text = self.client.get_html(url)
            except FetchError as error:
                # The query string is long and the same every time: name the endpoint and mode.
                raise FetchError(
                    str(error).replace(url, f"{self.url} ({params['mode']})")
                ) from None
            finally:
                self._last_answer_at = time.monotonic()
            if RATE_LIMIT_TEXT.casefold() not in text[:500].casefold():
                return _decode(f"{self.url} ({params['mode']})", text)
            if attempt == RATE_LIMIT_ATTEMPTS:
                raise GdeltError(
                    f"{self.url} ({params['mode']}): GDELT still asks us to slow down after "
                    f"{attempt} attempts "
                    f"({text.strip()[:120]!r})"
                )
            log.warning(
                "%s (%s): GDELT asks us to slow down; retrying in %.1f s",
                self.url,
                params["mode"],
                self.pause_seconds,
            )
        raise AssertionError("unreachable: the loop returns or raises")

    def _keep_pause(self) -> None:
        """Wait until `pause_seconds` have passed since the last answer (counted from the answer,
        not the request, so GDELT never sees two calls closer than the pause)."""
        if self._last_answer_at is None:
            return
        remaining = self.pause_seconds - (time.monotonic() - self._last_answer_at)
        if remaining > 0:
            self.sleep(remaining)

    def article_list(self, start: dt.date, end: dt.date) -> ArticleList:
        """Articles GDELT saw from `start` to `end` (inclusive days), oldest first, each once."""
        window_start = dt.datetime.combine(start, dt.time.min)
        window_end = dt.datetime.combine(end, dt.time.max.replace(microsecond=0))
        found: dict[str, GdeltArticle] = {}
        for _ in range(MAX_LIST_CALLS):
            answer = self.call(
                {
                    "query": QUERY,
                    "mode": "artlist",
                    "maxrecords": MAX_RECORDS,
                    "sort": "dateasc",
                    "startdatetime": f"{window_start:%Y%m%d%H%M%S}",
                    "enddatetime": f"{window_end:%Y%m%d%H%M%S}",
                }
            )
            records = answer.get("articles") or []
            latest = window_start
            for record in records:
                article = _article(record)
                if article is not None:
                    found.setdefault(article.url, article)
                seen = _seen_time(record.get("seendate"))
                if seen is not None and seen > latest:
                    latest = seen
            if len(records) < MAX_RECORDS:
                return ArticleList(list(found.values()), complete=True)
            if latest <= window_start:
                # 250 records within one second: no later start makes progress.
                return ArticleList(list(found.values()), complete=False)
            window_start = latest
        return ArticleList(list(found.values()), complete=False)

    def monthly_volume(self, end: dt.date, start: dt.date = SERIES_START) -> pd.DataFrame:
        """Articles matching QUERY per month (`articles`) and all articles GDELT monitored
        (`all_articles`), from `start`'s month to `end`'s; one row per month, oldest first."""
        answer = self.call(
            {
                "query": QUERY,
                "mode": "timelinevolraw",
                "timelinesmooth": 0,
                "startdatetime": f"{start:%Y%m%d}000000",
                "enddatetime": f"{end:%Y%m%d}235959",
            }
        )
        timeline = answer.get("timeline") or []
        points = timeline[0].get("data", []) if timeline else []
        rows = []
        for point in points:
            seen = _seen_time(point.get("date"))
            if seen is None:
                raise GdeltError(f"{self.url}: timeline point without a readable date: {point!r}")
            rows.append(
                {
                    "month": f"{seen:%Y-%m}",
                    "articles": int(point.get("value") or 0),
                    "all_articles": int(point.get("norm") or 0),
                }
            )
        frame = pd.DataFrame(rows, columns=["month", "articles", "all_articles"])
        return frame.groupby("month", as_index=False).sum().sort_values("month")


def _decode(url: str, text: str) -> dict[str, Any]:
    stripped = text.strip()
    if not stripped:
        raise GdeltError(f"{url}: empty answer")
    if stripped.startswith("<"):
        raise GdeltError(f"{url}: got an HTML page instead of JSON; the service may be down")
    if not stripped.startswith(("{", "[")):
        raise GdeltError(f"{url}: GDELT answered {stripped[:200]!r} instead of JSON")
    try:
        # GDELT's titles sometimes carry raw control characters, which strict JSON forbids.
        answer = json.loads(stripped, strict=False)
    except ValueError as error:
        position = getattr(error, "pos", 0)
        if position >= len(stripped) - 1024:
            raise GdeltError(
                f"{url}: JSON ends early after {len(text):,} characters (truncated response)"
            ) from None
        raise GdeltError(f"{url}: answer is not valid JSON ({error})") from None
    if not isinstance(answer, dict):
        raise GdeltError(f"{url}: expected a JSON object, got {type(answer).__name__}")
    return answer


def _seen_time(value: Any) -> dt.datetime | None:
    """GDELT's "20250312T143000Z" as a naive UTC datetime."""
    try:
        return dt.datetime.strptime(str(value), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None


def _article(record: dict[str, Any]) -> GdeltArticle | None:
    url = str(record.get("url") or "")
    if not url.startswith(("http://", "https://")):
        return None
    seen = _seen_time(record.get("seendate"))
    return GdeltArticle(
        url=url,
        title=str(record.get("title") or "").strip(),
        seen=seen.date() if seen else None,
        domain=str(record.get("domain") or urllib.parse.urlsplit(url).hostname or ""),
    )
