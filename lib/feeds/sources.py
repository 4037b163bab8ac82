"""The feeds: the Kremlin's English Atom feeds, the UN press releases (RSS), GDELT's article list.

Each listing becomes `FeedItem`s (a URL to read, its title and date). Atom and RSS are parsed by
feedparser, which copes with every dialect the two publishers have used; a document that is not
a feed (an HTML error page served as 200) or stops mid-way (truncated XML) is refused as a whole,
so a half-read listing never passes for the feed's content.
"""

from __future__ import annotations

import datetime as dt
import xml.sax
from collections.abc import Callable
from dataclasses import dataclass

import feedparser

from lib import config
from lib.feeds import gdelt
from lib.feeds.web import FetchError, HttpClient

FEED_NAMES = ("kremlin", "un", "gdelt")


class FeedError(Exception):
    """A feed document that could not be used; the message names the URL and the problem."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a listing: the article to read, and what the listing says about it."""

    feed: str
    url: str
    title: str
    published: dt.date | None
    source_name: str


@dataclass
class Listing:
    """What one feed listed, and the problems of the documents that could not be read."""

    items: list[FeedItem]
    problems: list[str]
    complete: bool = True  # False when GDELT's listing stopped at its call limit


def parse_feed(feed: str, url: str, document: str) -> list[FeedItem]:
    """The entries of an Atom or RSS document; FeedError when it is not a complete feed."""
    parsed = feedparser.parse(document)
    if not parsed.version:
        head = document.lstrip()[:200].lower()
        if head.startswith(("<!doctype html", "<html")) or "<html" in head:
            title = parsed.feed.get("title") or _html_title(document)
            raise FeedError(
                f"{url}: got an HTML page instead of a feed"
                + (f" ({title!r})" if title else "")
                + "; the site may be down or blocking us"
            )
        raise FeedError(f"{url}: not an Atom or RSS feed")
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXParseException):
        raise FeedError(
            f"{url}: the feed's XML breaks off at line {problem.getLineNumber()} "
            f"({problem.getMessage()}); truncated or malformed, nothing taken from it"
        )
    source_name = parsed.feed.get("title") or url
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link.startswith(("http://", "https://")):
            continue
        items.append(
            FeedItem(
                feed=feed,
                url=link,
                title=(entry.get("title") or "").strip(),
                published=_entry_date(entry),
                source_name=source_name,
            )
        )
    return items


def _entry_date(entry: feedparser.FeedParserDict) -> dt.date | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None


def _html_title(document: str) -> str:
    lowered = document[:4096].lower()
    start, end = lowered.find("<title>"), lowered.find("</title>")
    return document[start + 7 : end].strip() if 0 <= start < end else ""


def feed_urls(feed: str) -> list[str]:
    """The configured URL(s) of `feed` (environment variables, see lib/config.py)."""
    if feed == "kremlin":
        return config.kremlin_feed_urls()
    if feed == "un":
        return [config.un_feed_url()]
    if feed == "gdelt":
        return [config.gdelt_url()]
    raise ValueError(f"unknown feed {feed!r}; known: {', '.join(FEED_NAMES)}")


def list_feed(
    feed: str,
    client: HttpClient,
    *,
    since: dt.date | None,
    gdelt_client: gdelt.GdeltClient | None = None,
    today: Callable[[], dt.date] = dt.date.today,
) -> Listing:
    """Items of `feed` published on or after `since` (all the feed holds when None).

    One document failing (Kremlin has two) does not stop the others; each problem is kept.
    """
    items: list[FeedItem] = []
    problems: list[str] = []
    if feed == "gdelt":
        assert gdelt_client is not None, "the gdelt feed needs a GdeltClient"
        start = since or today() - dt.timedelta(days=gdelt.DEFAULT_WINDOW_DAYS)
        try:
            listed = gdelt_client.article_list(start, today())
        except (FetchError, gdelt.GdeltError) as error:
            return Listing([], [str(error)])
        items = [
            FeedItem(
                feed="gdelt",
                url=article.url,
                title=article.title,
                published=article.seen,
                source_name=article.domain,
            )
            for article in listed.articles
        ]
        return Listing(items, problems, complete=listed.complete)
    for url in feed_urls(feed):
        try:
            items.extend(parse_feed(feed, url, client.get_html(url)))
        except (FetchError, FeedError) as error:
            problems.append(str(error))
    if since is not None:
        items = [item for item in items if item.published is None or item.published >= since]
    return Listing(items, problems)
