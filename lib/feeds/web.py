"""Fetching feeds and article pages through the project's one HTTP client, as text.

Feeds are XML and article pages HTML, which the client's JSON mode refuses as error pages, so
both come through its text mode (`get_html`): the same timeouts, retries on connection errors,
429 (honouring Retry-After) and 5xx, and a size cap. What a feed item links to is checked here:
a PDF or a page without article text is refused with a message naming the URL.
"""

from __future__ import annotations

import email.message
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import requests
import trafilatura

from lib.sources.http import FetchError, HttpClient, HttpSettings

# Feed documents are a few hundred kilobytes; a news page with its inline scripts is rarely over
# 2 MB. Anything bigger is not what a feed item should link to, and is abandoned mid-download.
FEED_SETTINGS = HttpSettings(
    attempts=3,
    max_bytes=5 * 1024 * 1024,
    min_interval_seconds=0.5,
)
FEED_ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"
PAGE_SETTINGS = HttpSettings(
    read_timeout_seconds=20.0,
    attempts=2,
    max_bytes=5 * 1024 * 1024,
    min_interval_seconds=0.5,
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_PDF_MAGIC = "%PDF-"


class TextClient(HttpClient):
    """The shared client without its JSON mode's refusal of markup (feeds and pages are markup).

    Its `get_html` mirrors the text mode of lib/http.py, which replaces this class once it lands.
    """

    @staticmethod
    def _refuse_html(url: str, content: bytes, headers: Mapping[str, str]) -> None:
        """Markup is what feeds and pages are made of; each caller checks what it expected."""

    def get_html(self, url: str) -> str:
        """The text at `url`, decoded by the charset its Content-Type declares (else UTF-8)."""
        content, headers = self.get_bytes(url)
        message = email.message.Message()
        message["Content-Type"] = headers.get("Content-Type", "")
        charset = message.get_content_charset() or "utf-8"
        try:
            return content.decode(charset, errors="replace")
        except LookupError:
            return content.decode("utf-8", errors="replace")


def text_client(settings: HttpSettings, accept: str) -> TextClient:
    """A client with `settings` asking for `accept` (a feed's or a page's media types)."""
    session = requests.Session()
    session.headers.update({"User-Agent": settings.user_agent, "Accept": accept})
    return TextClient(settings=settings, session=session)


@dataclass(frozen=True)
class ArticlePage:
    """The main text of an article page, as trafilatura reads it."""

    text: str
    published: date | None
    title: str | None


class UnreadablePage(Exception):
    """The page was fetched but holds no article text (a PDF, an empty page); not worth retrying."""


def read_article(client: TextClient, url: str) -> ArticlePage:
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
    "FEED_ACCEPT",
    "FEED_SETTINGS",
    "PAGE_ACCEPT",
    "PAGE_SETTINGS",
    "ArticlePage",
    "FetchError",
    "HttpSettings",
    "TextClient",
    "UnreadablePage",
    "read_article",
    "text_client",
]
