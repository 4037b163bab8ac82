"""One refresh: list each feed, read each new article, extract its statements, queue new ones.

Per feed, the report says what happened to every listed item: repeated within the listing,
handled by an earlier refresh (never read or queued again, whatever its review), not about the
war, read with candidates queued or found duplicate, unreadable (a PDF, no text), or failed for
now (retried next time). A listing that cannot be read (refused connection, timeout, 429 or 500
after retries, truncated XML, an HTML page) is a problem of that feed only; the other feeds go on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from lib import config
from lib.extract import extract_statements
from lib.feeds import gdelt, queue, series
from lib.feeds.sources import FEED_NAMES, FeedItem, list_feed
from lib.feeds.web import (
    FEED_SETTINGS,
    PAGE_SETTINGS,
    FetchError,
    HttpClient,
    HttpSettings,
    UnreadablePage,
    read_article,
)

# An article is read for statements only when it names the war's parties or places; most of
# the Kremlin's and the UN's releases are about other things.
_ABOUT_THE_WAR = re.compile(
    r"\b(Ukrain\w*|Kiev|Kyiv|Donbas{1,2}|Donetsk|Luhansk|Lugansk|Zaporizh\w*|Zaporozh\w*|"
    r"Kherson|Crimea\w*)\b",
    re.IGNORECASE,
)


@dataclass
class FeedReport:
    """What a refresh did with one feed."""

    feed: str
    listed: int = 0
    repeated: int = 0
    seen_before: int = 0
    read: int = 0
    queued: int = 0
    duplicates: int = 0
    not_about_war: int = 0
    without_statements: int = 0
    unreadable: int = 0
    failed: int = 0
    series_months: int | None = None
    listing_complete: bool = True
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        text = (
            f"{self.feed}: listed {self.listed} ({self.repeated} repeated, "
            f"{self.seen_before} seen before), read {self.read}: queued {self.queued} "
            f"candidate(s), {self.duplicates} duplicate(s), {self.not_about_war} not about the "
            f"war, {self.without_statements} without statements, {self.unreadable} unreadable, "
            f"{self.failed} failed"
        )
        if not self.listing_complete:
            text += "; listing cut at GDELT's call limit, the rest comes next refresh"
        if self.series_months is not None:
            text += f"; diplomacy series: {self.series_months} month(s) cached"
        return text


@dataclass(frozen=True)
class RefreshSettings:
    """Clients' knobs; tests shorten the back-off and GDELT's pause through these, not patches."""

    feed_http: HttpSettings = FEED_SETTINGS
    page_http: HttpSettings = PAGE_SETTINGS
    gdelt_pause_seconds: float = gdelt.GDELT_PAUSE_SECONDS


def refresh(
    engine: Engine,
    *,
    feeds: Sequence[str] = FEED_NAMES,
    since: dt.date | None = None,
    settings: RefreshSettings | None = None,
    today: Callable[[], dt.date] = dt.date.today,
    progress: Callable[[str], None] | None = None,
) -> list[FeedReport]:
    """Refresh `feeds` into the review queue (and GDELT's monthly series); one report per feed."""
    settings = settings or RefreshSettings()
    unknown = [feed for feed in feeds if feed not in FEED_NAMES]
    if unknown:
        raise ValueError(f"unknown feed(s) {', '.join(unknown)}; known: {', '.join(FEED_NAMES)}")
    feed_client = HttpClient(settings.feed_http)
    page_client = HttpClient(settings.page_http)
    reports = []
    for feed in feeds:
        gdelt_client = (
            gdelt.GdeltClient(config.gdelt_url(), pause_seconds=settings.gdelt_pause_seconds)
            if feed == "gdelt"
            else None
        )
        report = FeedReport(feed)
        listing = list_feed(feed, feed_client, since=since, gdelt_client=gdelt_client, today=today)
        report.problems.extend(listing.problems)
        report.listing_complete = listing.complete
        _queue_items(engine, listing.items, report, page_client, progress)
        if gdelt_client is not None:
            _refresh_series(gdelt_client, report, today())
        queue.record_run(engine, feed, report.summary(), report.problems)
        reports.append(report)
    return reports


def _queue_items(
    engine: Engine,
    items: list[FeedItem],
    report: FeedReport,
    client: HttpClient,
    progress: Callable[[str], None] | None,
) -> None:
    report.listed = len(items)
    unique: dict[str, FeedItem] = {}
    for item in items:
        if item.url in unique:
            report.repeated += 1
        else:
            unique[item.url] = item
    known = queue.known_articles(engine, list(unique))
    for url, item in unique.items():
        if url in known and known[url][0] != queue.FAILED:
            report.seen_before += 1
            continue
        if progress:
            progress(f"{item.feed}: reading {url}")
        _handle_article(engine, item, report, client)


def _handle_article(engine: Engine, item: FeedItem, report: FeedReport, client: HttpClient) -> None:
    base = {
        "feed": item.feed,
        "url": item.url,
        "title": item.title,
        "source_name": item.source_name,
        "published": item.published,
    }
    try:
        page = read_article(client, item.url)
    except UnreadablePage as problem:
        report.unreadable += 1
        report.problems.append(str(problem))
        queue.record_article(
            engine, queue.ArticleRecord(**base, outcome=queue.UNREADABLE, detail=str(problem))
        )
        return
    except FetchError as problem:
        queue.record_article(
            engine, queue.ArticleRecord(**base, outcome=queue.FAILED, detail=str(problem))
        )
        report.failed += 1
        report.problems.append(str(problem))
        return
    report.read += 1
    text = page.text[: queue.MAX_ARTICLE_CHARS]
    title = item.title or page.title or ""
    base["title"] = title
    if not _ABOUT_THE_WAR.search(f"{title}\n{text}"):
        report.not_about_war += 1
        queue.record_article(engine, queue.ArticleRecord(**base, outcome=queue.NOT_ABOUT_WAR))
        return
    published = item.published or page.published
    candidates = [
        candidate.to_record()
        for candidate in extract_statements(
            text, published=published, source_name=item.source_name, source_url=item.url
        )
        if candidate.on_topic
    ]
    stored = queue.stored_duplicates(engine, candidates)
    new = [
        candidate for candidate, is_stored in zip(candidates, stored, strict=True) if not is_stored
    ]
    outcome = queue.QUEUED if candidates else queue.NO_STATEMENTS
    result = queue.record_article(
        engine, queue.ArticleRecord(**base, outcome=outcome, text=text), new
    )
    if result.already_handled:
        report.seen_before += 1
        return
    if not candidates:
        report.without_statements += 1
    report.queued += result.queued
    report.duplicates += result.duplicates + sum(stored)


def _refresh_series(client: gdelt.GdeltClient, report: FeedReport, today: dt.date) -> None:
    try:
        monthly: pd.DataFrame = client.monthly_volume(today)
    except (FetchError, gdelt.GdeltError) as problem:
        report.problems.append(f"diplomacy series not updated: {problem}")
        return
    series.write_series(monthly, fetched_on=today)
    report.series_months = len(monthly)
