"""The one HTTP client every fetcher uses: timeouts, retries with back-off, a size cap, a deadline.

Two modes. JSON (`get_json`, the live map sources): public map services fail in ways a plain
`requests.get` hides: ArcGIS answers errors as HTTP 200 with an `{"error": ...}` body, proxies
answer HTML pages as 200, and connections drop mid-body. HTML (`get_html` with ARTICLE_SETTINGS,
article pages pasted into the app): a person is waiting, so fewer attempts, a smaller cap and an
overall deadline. Every failure becomes a `FetchError` whose message names the URL and what went
wrong, so the CLI and the app can show it in one line.

Bounds that hold whatever a server does: every call has an overall deadline (a server dripping a
byte every few seconds resets a read timeout forever, never a deadline), bodies are capped after
decompression (a gzip bomb stops at the cap), and redirects are followed only within the origin
that was asked (same host and port, http upgraded to https at most; MAX_REDIRECTS hops), so a
service or a pasted article cannot send the server to 127.0.0.1, another port or `file://`. A
caller (a whole refresh) may set `stop_at` to end every call by one moment.
"""

from __future__ import annotations

import email.message
import email.utils
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

log = logging.getLogger(__name__)

USER_AGENT = (
    "frontline-dashboard/0.1 (frontline-and-diplomacy dashboard: research on territorial change "
    "and peace-talk statements; python-requests; contact: see the project's README)"
)
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
# Hops followed within one origin (http -> https and a trailing-slash fix need two).
MAX_REDIRECTS = 5
# One call's overall limit in the map sources' mode: the services' real answers (under 4 MB) take
# seconds; 90 s leaves room for retries and a slow line, and bounds a dripping server.
REQUEST_DEADLINE_SECONDS = 90.0


class FetchError(Exception):
    """A request that failed for good (after any retries); the message is meant for users."""


@dataclass(frozen=True)
class HttpSettings:
    """Knobs of the client; tests shrink `backoff_base_seconds` and `max_bytes` to stay fast.

    `deadline_seconds` bounds one call as a whole (attempts, waits and the body's download).
    """

    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 60.0
    attempts: int = 4
    backoff_base_seconds: float = 2.0
    max_wait_seconds: float = 120.0
    max_bytes: int = 64 * 1024 * 1024
    # Courtesy pause between requests: both services are free and shared (ISW's ArcGIS quota is
    # per organisation, DeepStateMap asks API users to keep load low).
    min_interval_seconds: float = 0.25
    user_agent: str = USER_AGENT
    accept: str = "application/json, */*;q=0.5"
    deadline_seconds: float = REQUEST_DEADLINE_SECONDS


# Article pages for the statement extractor: a person waits for the answer, so one retry, a
# 30-second deadline (checked between reads, so at most 40 s with the 10-second read timeout),
# and a 10 MB cap (a news page with its inline scripts is rarely over 2 MB).
ARTICLE_SETTINGS = HttpSettings(
    read_timeout_seconds=10.0,
    attempts=2,
    backoff_base_seconds=1.0,
    max_wait_seconds=5.0,
    max_bytes=10 * 1024 * 1024,
    min_interval_seconds=0.0,
    accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    deadline_seconds=30.0,
)


def make_session(settings: HttpSettings | None = None) -> requests.Session:
    """A session sending our User-Agent and the settings' Accept; retries live in `HttpClient`."""
    settings = settings or HttpSettings()
    session = requests.Session()
    session.headers.update({"User-Agent": settings.user_agent, "Accept": settings.accept})
    return session


class _Retryable(Exception):
    """One failed attempt worth repeating; `wait_seconds` is the server's Retry-After, if any."""

    def __init__(self, message: str, wait_seconds: float | None = None) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


@dataclass
class HttpClient:
    """GET JSON or HTML with timeouts, retries (connection errors, 429/5xx, ArcGIS 200-errors),
    a size cap and an optional overall deadline."""

    settings: HttpSettings = field(default_factory=HttpSettings)
    session: requests.Session | None = None
    sleep: Callable[[float], None] = time.sleep
    # A time.monotonic() moment after which no call runs on (a whole refresh's deadline), or None.
    stop_at: float | None = None

    last_request_at: float | None = None
    # Body bytes (after decompression) of every successful call: a pager caps its total with it.
    bytes_received: int = 0

    def __post_init__(self) -> None:
        if self.session is None:
            self.session = make_session(self.settings)

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """The decoded JSON body of `url`, or `FetchError` once the attempts are used up."""
        content, _ = self._get(url, params, expect_json=True)
        self.bytes_received += len(content)
        return self._decode(url, content)

    def get_html(self, url: str) -> str:
        """The text of the page at `url`, decoded by the charset its Content-Type declares (UTF-8
        when it declares none, undecodable bytes replaced), or `FetchError`."""
        content, headers = self._get(url, None, expect_json=False)
        self.bytes_received += len(content)
        message = email.message.Message()
        message["Content-Type"] = headers.get("Content-Type", "")
        charset = message.get_content_charset() or "utf-8"
        try:
            return content.decode(charset, errors="replace")
        except LookupError:
            return content.decode("utf-8", errors="replace")

    def _get(
        self, url: str, params: Mapping[str, Any] | None, *, expect_json: bool
    ) -> tuple[bytes, requests.structures.CaseInsensitiveDict]:
        """The body and headers of `url`: retried, capped, within the deadline if one is set.
        With `expect_json`, HTML pages and ArcGIS errors answered as 200 are refused or retried."""
        attempts = max(1, self.settings.attempts)
        deadline = time.monotonic() + self.settings.deadline_seconds
        if self.stop_at is not None and self.stop_at < deadline:
            deadline = self.stop_at
        for attempt in range(1, attempts + 1):
            try:
                return self._attempt(url, params, deadline, expect_json)
            except _Retryable as problem:
                if attempt == attempts:
                    raise FetchError(f"{problem} (gave up after {attempts} attempts)") from None
                wait = self._wait_seconds(attempt, problem.wait_seconds)
                if time.monotonic() + wait >= deadline:
                    raise FetchError(f"{problem} ({self._deadline_text()} spent)") from None
                log.warning(
                    "%s; retrying in %.1f s (attempt %d of %d)",
                    problem,
                    wait,
                    attempt + 1,
                    attempts,
                )
                self.sleep(wait)
        raise AssertionError("unreachable: the loop returns or raises")

    def _wait_seconds(self, attempt: int, retry_after: float | None) -> float:
        """Retry-After when the server gave one, else exponential back-off; never above the cap."""
        wait = (
            retry_after
            if retry_after is not None
            else self.settings.backoff_base_seconds * 2 ** (attempt - 1)
        )
        return max(0.0, min(wait, self.settings.max_wait_seconds))

    def _deadline_text(self) -> str:
        if self.stop_at is not None and self.stop_at < time.monotonic() + 1:
            return "the refresh's deadline"
        return f"the {self.settings.deadline_seconds:g}-second deadline"

    def _attempt(
        self,
        url: str,
        params: Mapping[str, Any] | None,
        deadline: float,
        expect_json: bool,
    ) -> tuple[bytes, requests.structures.CaseInsensitiveDict]:
        assert self.session is not None
        if self.last_request_at is not None:
            elapsed = time.monotonic() - self.last_request_at
            if elapsed < self.settings.min_interval_seconds:
                self.sleep(self.settings.min_interval_seconds - elapsed)
        self.last_request_at = time.monotonic()
        connect_timeout = self.settings.connect_timeout_seconds
        read_timeout = self.settings.read_timeout_seconds
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{url}: no complete response within {self._deadline_text()}")
        connect_timeout, read_timeout = (
            min(connect_timeout, remaining),
            min(read_timeout, remaining),
        )
        try:
            with self._follow(url, params, (connect_timeout, read_timeout)) as response:
                if response.status_code in RETRYABLE_STATUS:
                    raise _Retryable(
                        f"{url}: HTTP {response.status_code} {response.reason}",
                        parse_retry_after(response.headers.get("Retry-After")),
                    )
                if response.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {response.status_code} {response.reason}")
                content = self._read_capped(url, response, deadline)
                headers = response.headers
        except requests.exceptions.ConnectTimeout:
            raise _Retryable(f"{url}: connection timed out") from None
        except requests.exceptions.ReadTimeout:
            raise _Retryable(
                f"{url}: no response within {self.settings.read_timeout_seconds:g} s"
            ) from None
        except requests.exceptions.ConnectionError as error:
            raise _Retryable(f"{url}: cannot connect ({_root_cause(error)})") from None
        except requests.exceptions.ChunkedEncodingError:
            raise _Retryable(
                f"{url}: connection dropped before the response was complete"
            ) from None
        if expect_json:
            self._refuse_html(url, content, headers)
            self._refuse_arcgis_error(url, content)
        return content, headers

    def _follow(
        self, url: str, params: Mapping[str, Any] | None, timeout: tuple[float, float]
    ) -> requests.Response:
        """The response to `url` after following redirects that stay within its origin."""
        assert self.session is not None
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self.session.get(
                    current, params=params, timeout=timeout, stream=True, allow_redirects=False
                )
            except (ValueError, requests.exceptions.InvalidURL) as error:
                # requests parses a redirect's Location even when not following it.
                raise FetchError(
                    f"{url}: a malformed address, or redirected to a malformed address ({error})"
                ) from None
            if not response.is_redirect:
                return response
            location = response.headers.get("Location", "")
            response.close()
            current = _redirect_target(url, current, location)
            params = None  # the Location holds the whole address
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects; stopped")

    def _read_capped(self, url: str, response: requests.Response, deadline: float) -> bytes:
        """The body, read in chunks so an oversized or overdue response is abandoned, not held."""
        limit = self.settings.max_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(
                f"{url}: response of {int(declared):,} bytes is over the {limit:,}-byte cap"
            )
        chunks: list[bytes] = []
        received = 0
        for chunk in self._chunks(url, response, deadline):
            received += len(chunk)
            if received > limit:
                raise FetchError(
                    f"{url}: response is over the {limit:,}-byte cap; download stopped"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _chunks(self, url: str, response: requests.Response, deadline: float) -> Iterator[bytes]:
        """The body in pieces, each what a single read brings (decompressed: urllib3 inflates at
        most a bounded amount per read, so a gzip bomb meets the cap in steps): a server dripping
        a byte every few seconds never completes a requests chunk, and the read timeout bounds
        each wait for bytes, not the whole body. The deadline is checked after every read, so a
        call ends at most one read timeout after it.
        """
        while True:
            try:
                chunk = response.raw.read1(64 * 1024, decode_content=True)
            except urllib3.exceptions.ReadTimeoutError as error:
                raise requests.exceptions.ReadTimeout(error) from None
            except urllib3.exceptions.ProtocolError as error:
                raise requests.exceptions.ChunkedEncodingError(error) from None
            if not chunk:
                return
            yield chunk
            if time.monotonic() > deadline:
                raise FetchError(
                    f"{url}: no complete response within {self._deadline_text()}; download stopped"
                )

    @staticmethod
    def _refuse_html(url: str, content: bytes, headers: Mapping[str, str]) -> None:
        """Proxies, captive portals and maintenance pages answer 200 with HTML instead of data."""
        content_type = headers.get("Content-Type", "").lower()
        if "text/html" in content_type or content.lstrip()[:1] == b"<":
            title = _html_title(content)
            raise FetchError(
                f"{url}: got an HTML page instead of JSON"
                + (f" ({title!r})" if title else "")
                + "; the service may be down or blocking us"
            )

    @staticmethod
    def _refuse_arcgis_error(url: str, content: bytes) -> None:
        """ArcGIS reports errors, rate limits included, as HTTP 200 with {"error": {...}}."""
        head = content.lstrip()[:200]
        if not head.startswith(b"{") or b'"error"' not in content[:4096]:
            return
        try:
            body = json.loads(content)
        except ValueError:
            return
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return
        code = error.get("code")
        details = "; ".join(str(d) for d in error.get("details") or [] if d)
        message = f"{url}: service error {code}: {error.get('message', 'no message')}" + (
            f" ({details})" if details else ""
        )
        if code in RETRYABLE_STATUS:
            raise _Retryable(message)
        raise FetchError(message)

    @staticmethod
    def _decode(url: str, content: bytes) -> Any:
        if not content.strip():
            raise FetchError(f"{url}: empty response body")
        # Decoded first so the parser's error position counts the same characters as `text`; a
        # multi-byte character cut by truncation becomes U+FFFD and a parse error at the end.
        text = content.decode("utf-8", errors="replace")
        try:
            return json.loads(text)
        except RecursionError:
            raise FetchError(f"{url}: JSON nested too deeply to be map data") from None
        except ValueError as error:
            # A parse error within the last kilobyte (or an unclosed string) means the body
            # stopped mid-document: a dropped connection or a proxy cutting it short.
            position = getattr(error, "pos", 0)
            if position >= len(text.rstrip()) - 1024 or "Unterminated string" in str(error):
                raise FetchError(
                    f"{url}: JSON ends early after {len(content):,} bytes (truncated response)"
                ) from None
            raise FetchError(f"{url}: response is not valid JSON ({error})") from None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _redirect_target(original: str, current: str, location: str) -> str:
    """Where a redirect from `current` may go: the same host and port as `original` (http may
    become https on its default port); FetchError naming the refused target otherwise."""
    try:
        target = urljoin(current, location.strip())
        asked, going = urlsplit(original), urlsplit(target)
        asked_port, going_port = asked.port, going.port
    except ValueError:
        raise FetchError(
            f"{original}: redirected to a malformed address ({location[:200]!r})"
        ) from None
    if going.scheme not in ("http", "https") or not going.hostname:
        raise FetchError(
            f"{original}: redirected to {target[:200]!r}; only http(s) addresses are followed"
        )
    default_ports = {"http": 80, "https": 443}
    same_host = going.hostname == asked.hostname
    same_port = (going_port or default_ports[going.scheme]) == (
        asked_port or default_ports[asked.scheme]
    )
    upgraded = (
        asked.scheme == "http"
        and going.scheme == "https"
        and asked_port in (None, 80)
        and going_port in (None, 443)
    )
    downgraded = asked.scheme == "https" and going.scheme == "http"
    if not same_host or downgraded or not (same_port or upgraded):
        raise FetchError(
            f"{original}: redirected to {target[:200]!r}, outside {asked.scheme}://{asked.netloc}; "
            "not followed"
        )
    return target


def _root_cause(error: BaseException) -> str:
    """A short reason ("Connection refused") rather than urllib3's nested repr."""
    text = str(error)
    if "Remote end closed connection" in text or "RemoteDisconnected" in text:
        return "the server closed the connection without answering"
    for marker in (
        "Connection refused",
        "Name or service not known",
        "Temporary failure in name resolution",
        "Connection reset",
        "Network is unreachable",
    ):
        if marker in text:
            return marker
    return type(error).__name__


def _html_title(content: bytes) -> str:
    text = content[:4096].decode("utf-8", "replace")
    start = text.lower().find("<title>")
    end = text.lower().find("</title>")
    return text[start + 7 : end].strip() if 0 <= start < end else ""
