"""Fetching feeds and article pages through the project's one HTTP client (lib/http.py), as text.

Feeds are XML and article pages HTML, which the client's JSON mode refuses as error pages, so
both come through its HTML mode (`get_html`): the same timeouts, retries on connection errors,
429 (honouring Retry-After) and 5xx, and a size cap. What a feed item links to is checked here:
a PDF or a page without article text is refused with a message naming the URL.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import trafilatura

from lib.http import (
    ARTICLE_SETTINGS,
    REQUEST_DEADLINE_SECONDS,
    FetchError,
    HttpClient,
    HttpSettings,
)

FEED_SETTINGS = HttpSettings(
    attempts=3,
    # Feed documents are a few hundred kilobytes.
    max_bytes=5 * 1024 * 1024,
    min_interval_seconds=0.5,
    accept="application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5",
)
# The article fetch's settings, for a batch instead of a waiting person: the batch deadline per
# page (REQUEST_DEADLINE_SECONDS, not a person's 30 s; a dripping server is still cut there), a
# pause between pages, and a 5 MB cap, since a page behind a feed item is an article (a news
# page with its inline scripts is rarely over 2 MB), not a report or a dump.
PAGE_SETTINGS = dataclasses.replace(
    ARTICLE_SETTINGS,
    read_timeout_seconds=20.0,
    max_bytes=5 * 1024 * 1024,
    min_interval_seconds=0.5,
    deadline_seconds=REQUEST_DEADLINE_SECONDS,
)
_PDF_MAGIC = "%PDF-"


@dataclass(frozen=True)
class ArticlePage:
    """The main text of an article page, as trafilatura reads it."""

    text: str
    published: date | None
    title: str | None


class UnreadablePage(Exception):
    """The page was fetched but holds no article text (a PDF, an empty page); not worth retrying."""


def read_article(client: HttpClient, url: str) -> ArticlePage:
    """The article at `url`: FetchError when it cannot be fetched now, UnreadablePage when it was
    fetched but is not an article."""
    page = client.get_html(url)
    if page.lstrip().startswith(_PDF_MAGIC):
        raise UnreadablePage(f"{url}: the page is a PDF document, not an article")
    document = trafilatura.bare_extraction(
        page, url=url, include_comments=False, include_tables=False, with_metadata=True
    )
    text = document.text if document is not None else None
    if not text or not text.strip():
        raise UnreadablePage(f"{url}: no article text found on the page")
    published = None
    if document.date:
        try:
            published = date.fromisoformat(document.date[:10])
        except ValueError:
            published = None
    return ArticlePage(text=text, published=published, title=document.title)


__all__ = [
    "FEED_SETTINGS",
    "PAGE_SETTINGS",
    "ArticlePage",
    "FetchError",
    "HttpClient",
    "HttpSettings",
    "UnreadablePage",
    "read_article",
]
