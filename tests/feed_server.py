"""A real HTTP server on 127.0.0.1 that answers like the Kremlin's Atom feeds, the UN's RSS feed,
GDELT's DOC API and the article pages they link to.

The documents are written for the tests in the shapes the real services use (Atom with
`<entry><id><link href>`, RSS 2.0 `<item><link><pubDate>`, GDELT's `{"articles": [...]}` and
`{"timeline": [{"series", "data": [{"date", "value", "norm"}]}]}`); the article prose is invented.
Faults are queued on `server.faults` and consumed by the first matching requests, as in
tests/fixture_server.py.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from fault_server import FaultRecordingServer

KREMLIN_NEWS = "/kremlin/events/president/news/feed"
KREMLIN_TRANSCRIPTS = "/kremlin/events/president/transcripts/feed"
UN_FEED = "/un/en/rss.xml"
GDELT = "/gdelt/api/v2/doc/doc"
GDELT_RATE_LIMIT = (
    "Please limit requests to one every 5 seconds or contact kalev.leetaru5@gmail.com for "
    "larger queries."
)


@dataclass
class Page:
    title: str
    published: dt.date
    paragraphs: list[str]


# Invented articles in the register of each publisher; statements the extractor can read.
PAGES: dict[str, Page] = {
    "/kremlin/events/president/news/70001": Page(
        "Telephone conversation with President of Turkey Recep Tayyip Erdogan",
        dt.date(2026, 11, 20),
        [
            "Vladimir Putin had a telephone conversation with President of Turkey Recep Tayyip "
            "Erdogan.",
            "Vladimir Putin said Russia was ready to resume direct talks with Ukraine in Istanbul "
            "without preconditions.",
            "The leaders also discussed trade and energy projects between the two countries.",
        ],
    ),
    "/kremlin/events/president/news/70002": Page(
        "Meeting with Governor of Tula Region",
        dt.date(2026, 11, 21),
        [
            "The President met with the Governor of Tula Region to discuss the regional budget.",
            "The Governor said the new hospital in Tula would open in the spring.",
        ],
    ),
    "/kremlin/events/president/transcripts/70003": Page(
        "Answers to media questions",
        dt.date(2026, 11, 22),
        [
            "Dmitry Peskov told reporters that a ceasefire in Ukraine could only follow a written "
            "agreement on monitoring.",
            "He added that the Kremlin had not yet received the new European proposals.",
        ],
    ),
    "/un/press/2026/sgsm30001": Page(
        "Secretary-General welcomes prisoner exchange between Russian Federation and Ukraine",
        dt.date(2026, 11, 21),
        [
            "UN Secretary-General Antonio Guterres said the exchange should open the way to a "
            "ceasefire and to negotiations on a just peace in Ukraine.",
            "Ukrainian Foreign Minister Andrii Sybiha rejected any talks held under the threat "
            "of new strikes.",
        ],
    ),
    "/news/istanbul-round": Page(
        "Istanbul offers to host a new round of talks",
        dt.date(2026, 11, 22),
        [
            "Russian President Vladimir Putin said Russia was ready to resume direct talks with "
            "Ukraine in Istanbul without any preconditions.",
            "Turkish Foreign Minister Hakan Fidan said Turkey was ready to host the next round "
            "of negotiations between Russia and Ukraine in Istanbul.",
        ],
    ),
}
PDF_PATH = "/un/press/2026/report.pdf"
HUGE_PATH = "/un/press/2026/huge-annex"
HUGE_BYTES = 10 * 1024 * 1024 + 1
# Items of the UN feed that link to something other than an article page.
ATTACHMENTS = {
    PDF_PATH: Page("Report of the Secretary-General (PDF)", dt.date(2026, 11, 21), ["Report."]),
    HUGE_PATH: Page("Annex to the report", dt.date(2026, 11, 21), ["Annex."]),
}


@dataclass
class Fault:
    """One misbehaviour for requests whose path contains `path_contains`, `times` times.

    kind: "status" (HTTP `status`, `body`, `headers`), "html" (an HTML error page as 200),
    "truncate" (the body cut in half), "delay" (sleep `seconds`, then answer normally),
    "rate_limit_200" (GDELT's slow-down text as HTTP 200).
    """

    kind: str
    path_contains: str = ""
    times: int = 1
    status: int = 500
    body: str = "Internal Server Error"
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


class FeedServer(FaultRecordingServer):
    def __init__(self) -> None:
        super().__init__(_Handler)
        # Extra GDELT article-list records (e.g. hundreds, to make the list page).
        self.extra_gdelt_articles: list[dict[str, str]] = []
        # Feed items that list one URL twice (a repeating feed).
        self.repeat_items = False

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def kremlin_urls(self) -> str:
        return f"{self.base}{KREMLIN_NEWS},{self.base}{KREMLIN_TRANSCRIPTS}"

    @property
    def un_url(self) -> str:
        return f"{self.base}{UN_FEED}"

    @property
    def gdelt_url(self) -> str:
        return f"{self.base}{GDELT}"

    def paths(self, prefix: str) -> list[str]:
        return [path for _, path in self.requests if path.startswith(prefix)]


@contextmanager
def serving_feeds() -> Iterator[FeedServer]:
    """A FeedServer on a free loopback port while the block runs."""
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port() -> int:
    """A loopback port nothing listens on: a connection there is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read `server.requests`."""

    def do_GET(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        query = {key: values[-1] for key, values in urllib.parse.parse_qs(parsed.query).items()}
        fault = self.server.take_fault_after_delay(self.path)
        if parsed.path == HUGE_PATH:
            self._stream_huge()
            return
        status, body, content_type = self._route(parsed.path, query)
        if fault is None:
            self._send(status, body, content_type)
        elif fault.kind == "status":
            self._send(fault.status, fault.body.encode(), "text/html", fault.headers)
        elif fault.kind == "html":
            page = (
                b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                b"<body><h1>Bad Gateway</h1></body></html>"
            )
            self._send(200, page, "text/html; charset=utf-8")
        elif fault.kind == "truncate":
            self._send(200, body[: len(body) // 2], content_type)
        elif fault.kind == "rate_limit_200":
            self._send(200, GDELT_RATE_LIMIT.encode(), "text/html")
        else:
            raise ValueError(f"unknown fault kind {fault.kind!r}")

    def _send(self, status: int, body: bytes, content_type: str, headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return

    def _stream_huge(self) -> None:
        """10 MB of HTML without a Content-Length, as a dynamic page would send it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        chunk = b"<p>" + b"annex " * 10_000 + b"</p>\n"
        try:
            for _ in range(HUGE_BYTES // len(chunk) + 1):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            return

    def _route(self, path: str, query: dict[str, str]) -> tuple[int, bytes, str]:
        base = self.server.base
        if path in (KREMLIN_NEWS, KREMLIN_TRANSCRIPTS):
            kind = "news" if path == KREMLIN_NEWS else "transcripts"
            keys = [key for key in PAGES if key.startswith(f"/kremlin/events/president/{kind}/")]
            if kind == "news":
                # The transcript is listed in the news feed too, as the Kremlin does.
                keys.append("/kremlin/events/president/transcripts/70003")
            return 200, atom(base, keys, repeat=self.server.repeat_items), "application/atom+xml"
        if path == UN_FEED:
            keys = ["/un/press/2026/sgsm30001", *ATTACHMENTS]
            return 200, rss(base, keys, repeat=self.server.repeat_items), "application/rss+xml"
        if path == GDELT:
            return self._gdelt(query)
        if path == PDF_PATH:
            return 200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", "application/pdf"
        if path in PAGES:
            return 200, article_html(PAGES[path]).encode(), "text/html; charset=utf-8"
        if path.startswith("/news/other-"):
            page = Page("Weather", dt.date(2026, 11, 20), ["Rain is expected in the north."])
            return 200, article_html(page).encode(), "text/html; charset=utf-8"
        return 404, b"<html><body>Not Found</body></html>", "text/html"

    def _gdelt(self, query: dict[str, str]) -> tuple[int, bytes, str]:
        mode = query.get("mode", "").lower()
        start = dt.datetime.strptime(query["startdatetime"], "%Y%m%d%H%M%S")
        end = dt.datetime.strptime(query["enddatetime"], "%Y%m%d%H%M%S")
        if mode == "artlist":
            base = self.server.base
            records = [
                {
                    "url": f"{base}/news/istanbul-round",
                    "url_mobile": "",
                    "title": PAGES["/news/istanbul-round"].title,
                    "seendate": "20261122T083000Z",
                    "socialimage": "",
                    "domain": "example-news.test",
                    "language": "English",
                    "sourcecountry": "Turkey",
                },
                *self.server.extra_gdelt_articles,
            ]
            chosen = [
                record
                for record in records
                if start <= dt.datetime.strptime(record["seendate"], "%Y%m%dT%H%M%SZ") <= end
            ]
            chosen.sort(key=lambda record: record["seendate"])
            chosen = chosen[: int(query.get("maxrecords", 75))]
            answer: dict[str, Any] = {"articles": chosen} if chosen else {}
            return 200, json.dumps(answer).encode(), "application/json; charset=utf-8"
        if mode == "timelinevolraw":
            data = []
            day = start.date()
            while day <= end.date():
                data.append(
                    {"date": f"{day:%Y%m%d}T000000Z", "value": day.day % 5, "norm": 100_000}
                )
                day += dt.timedelta(days=1)
            answer = {
                "query_details": {"title": query.get("query", ""), "date_resolution": "day"},
                "timeline": [{"series": "Article Count", "data": data}],
            }
            return 200, json.dumps(answer).encode(), "application/json; charset=utf-8"
        return 200, b"Invalid mode.", "text/html"


def article_html(page: Page) -> str:
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in page.paragraphs)
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{page.title}</title>"
        f'<meta property="article:published_time" content="{page.published}T10:00:00Z">'
        "</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{page.title}</h1>{body}</article>"
        "<footer>All content is available under the site's licence.</footer></body></html>"
    )


def atom(base: str, keys: list[str], *, repeat: bool = False) -> bytes:
    entries = []
    for key in keys + (keys[:1] if repeat else []):
        page = PAGES[key]
        stamp = f"{page.published}T12:00:00+03:00"
        entries.append(
            f"<entry><id>{base}{key}</id><title>{page.title}</title>"
            f'<link rel="alternate" type="text/html" href="{base}{key}"/>'
            f"<published>{stamp}</published><updated>{stamp}</updated>"
            f"<summary>{page.paragraphs[0]}</summary></entry>"
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
        f"<id>{base}/kremlin</id><title>President of Russia</title>"
        f"<updated>2026-11-22T12:00:00+03:00</updated>"
        f'<link rel="self" href="{base}{KREMLIN_NEWS}"/>' + "".join(entries) + "</feed>\n"
    )
    return document.encode("utf-8")


def rss(base: str, keys: list[str], *, repeat: bool = False) -> bytes:
    items = []
    for key in keys + (keys[:1] if repeat else []):
        page = PAGES.get(key) or ATTACHMENTS[key]
        stamp = dt.datetime.combine(page.published, dt.time(9, 30)).strftime(
            "%a, %d %b %Y %H:%M:%S +0000"
        )
        items.append(
            f"<item><title>{page.title}</title><link>{base}{key}</link>"
            f'<guid isPermaLink="true">{base}{key}</guid><pubDate>{stamp}</pubDate>'
            f"<description>{page.paragraphs[0]}</description></item>"
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>UN Press</title><link>{base}/un</link>"
        "<description>Meetings coverage and press releases</description>"
        + "".join(items)
        + "</channel></rss>\n"
    )
    return document.encode("utf-8")
