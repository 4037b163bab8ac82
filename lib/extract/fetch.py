"""Fetching an article from its URL and reducing the page to its main text."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import requests
import trafilatura

USER_AGENT = "frontline-dashboard/0.1 (statement extraction; +https://github.com/)"
TIMEOUT_SECONDS = 20


class FetchError(RuntimeError):
    """The URL could not be fetched or held no article text; the message says which."""


def fetch_article(url: str) -> tuple[str, date | None, str | None]:
    """(main text, publication date if the page states one, title) of the article at `url`.

    trafilatura drops navigation, teasers and comments; what clutter survives (advertisement
    lines, "Read also") is handled by the extractor's layout rules.
    """
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS, headers={"User-Agent": USER_AGENT})
        response.raise_for_status()
    except requests.RequestException as error:
        raise FetchError(f"{url}: could not fetch the page ({error})") from error
    document = trafilatura.bare_extraction(
        response.text, url=url, include_comments=False, include_tables=False, with_metadata=True
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
