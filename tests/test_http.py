"""The shared client's HTML mode against a real server on loopback: charset, cap, deadline."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

import pytest
from fixture_server import send_page, serving

from lib.http import ARTICLE_SETTINGS, USER_AGENT, FetchError, HttpClient

PAGE = "<html><head><title>Заява</title></head><body><p>Переговори тривають.</p></body></html>"


class _PageHandler(BaseHTTPRequestHandler):
    user_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _PageHandler.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/cp1251":
            send_page(self, PAGE.encode("cp1251"), "text/html; charset=windows-1251")
        elif self.path == "/no-charset":
            send_page(self, PAGE.encode("utf-8"), "text/html")
        elif self.path == "/large":
            send_page(self, b"<p>" + b"x" * 4096 + b"</p>", "text/html", declare_length=False)
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            # A byte at a time, each well within the read timeout, for longer than the deadline.
            try:
                for _ in range(200):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                return
        else:
            self.send_error(404)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def page_server() -> Iterator[str]:
    with serving(_PageHandler) as base_url:
        yield base_url


@pytest.mark.parametrize("path", ["/cp1251", "/no-charset"], ids=["declared-cp1251", "utf-8"])
def test_html_mode_decodes_by_the_declared_charset(page_server: str, path: str) -> None:
    assert HttpClient(ARTICLE_SETTINGS).get_html(page_server + path) == PAGE


def test_html_mode_sends_the_projects_user_agent(page_server: str) -> None:
    _PageHandler.user_agents.clear()
    HttpClient(ARTICLE_SETTINGS).get_html(page_server + "/no-charset")
    assert _PageHandler.user_agents == [USER_AGENT]
    assert "frontline-and-diplomacy dashboard" in USER_AGENT


def test_html_mode_stops_a_page_over_the_cap(page_server: str) -> None:
    client = HttpClient(dataclasses.replace(ARTICLE_SETTINGS, max_bytes=1024))
    with pytest.raises(FetchError, match=r"/large: response is over the 1,024-byte cap"):
        client.get_html(page_server + "/large")


def test_html_mode_cuts_a_dripping_page_at_the_deadline(page_server: str) -> None:
    client = HttpClient(dataclasses.replace(ARTICLE_SETTINGS, deadline_seconds=0.5))
    with pytest.raises(FetchError, match=r"/drip: no complete response within the 0.5-second"):
        client.get_html(page_server + "/drip")


def test_html_mode_reports_a_missing_page_without_retrying(page_server: str) -> None:
    _PageHandler.user_agents.clear()
    with pytest.raises(FetchError, match=r"/gone: HTTP 404"):
        HttpClient(ARTICLE_SETTINGS).get_html(page_server + "/gone")
    assert len(_PageHandler.user_agents) == 1
