"""Fetching an article from its URL and reducing the page to its main text."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import trafilatura

from lib.http import ARTICLE_SETTINGS, FetchError, HttpClient


def fetch_article(
    url: str, client: HttpClient | None = None
) -> tuple[str, date | None, str | None]:
    """(main text, publication date if the page states one, title) of the article at `url`.

    The page comes through the shared client in its HTML mode (size cap, overall deadline);
    trafilatura drops navigation, teasers and comments; what clutter survives (advertisement
    lines, "Read also") is handled by the extractor's layout rules. Raises FetchError.
    """
    page = (client or HttpClient(ARTICLE_SETTINGS)).get_html(url)
    document = trafilatura.bare_extraction(
        page, url=url, include_comments=False, include_tables=False, with_metadata=True
    )
    text = document.text if document is not None else None
    if not text or not text.strip():
        raise FetchError(f"{url}: no article text found on the page")
    published = None
    if document.date:
        try:
            published = date.fromisoformat(document.date[:10])
        except ValueError:
            published = None
    return text, published, document.title


def outlet_name(url: str) -> str:
    """A readable source name for a URL: its host without "www."."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")
