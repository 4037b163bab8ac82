"""The feeds in the app, through AppTest from app.py: GDELT's diplomacy series on the Overview and
the editors' review queue on the Statements page, both filled from the loopback feed server."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest
from test_app import unlock

from lib import feeds
from lib import statements as store
from lib.feeds.web import FEED_SETTINGS, PAGE_SETTINGS
from tests.feed_server import FeedServer, closed_port, serving_feeds

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT_SECONDS = 120
TODAY = dt.date(2026, 11, 24)
FAST = feeds.RefreshSettings(
    feed_http=dataclasses.replace(FEED_SETTINGS, backoff_base_seconds=0.01, min_interval_seconds=0),
    page_http=dataclasses.replace(PAGE_SETTINGS, backoff_base_seconds=0.01, min_interval_seconds=0),
    gdelt_pause_seconds=0.05,
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serving_feeds() as server:
        yield server


@pytest.fixture
def engine(server, tmp_path, monkeypatch) -> sa.Engine:
    """A seeded store on a temporary file; the feeds on the local server, the live map sources
    on a closed port and an empty fetch cache, so nothing touches the internet."""
    url = f"sqlite:///{tmp_path / 'statements.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    port = closed_port()
    monkeypatch.setenv("FRONTLINE_ISW_URL", f"http://127.0.0.1:{port}/arcgis")
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", f"http://127.0.0.1:{port}/api")
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FRONTLINE_KREMLIN_FEED_URL", server.kremlin_urls)
    monkeypatch.setenv("FRONTLINE_UN_FEED_URL", server.un_url)
    monkeypatch.setenv("FRONTLINE_GDELT_URL", server.gdelt_url)
    monkeypatch.delenv("FRONTLINE_EDITOR_PASSWORD", raising=False)
    monkeypatch.delenv("FRONTLINE_SNAPSHOTS", raising=False)
    return store.get_engine(url)


def run_app(params: dict | None = None, page: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    for key, value in (params or {}).items():
        app.query_params[key] = value
    if page:
        app.switch_page(page)
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def test_the_overview_draws_the_diplomacy_series_under_the_territorial_chart(engine):
    feeds.refresh(engine, feeds=["gdelt"], settings=FAST, today=lambda: TODAY)
    app = run_app({"from": "2025-01", "to": "2025-12", "month": "2025-06"})
    territorial, diplomacy = (json.loads(chart.proto.spec) for chart in app.get("plotly_chart"))
    bars = diplomacy["data"][0]
    assert bars["name"] == "Articles on negotiations"
    assert bars["x"] == territorial["data"][0]["x"]  # the same twelve months, the same positions
    assert diplomacy["layout"]["xaxis"]["range"] == territorial["layout"]["xaxis"]["range"]
    series = feeds.read_series().set_index("month")
    assert bars["y"] == [int(series.loc[f"2025-{month:02d}", "articles"]) for month in range(1, 13)]
    captions = " ".join(caption.value for caption in app.caption)
    assert "GDELT Project (https://www.gdeltproject.org/)" in captions
    assert "never added to the statements" in captions


def test_the_overview_says_how_to_fetch_the_series_before_the_first_refresh(engine):
    app = run_app()
    assert len(app.get("plotly_chart")) == 1
    assert any("python -m lib.feeds refresh --feed gdelt" in c.value for c in app.caption)


def test_an_editor_approves_rejects_and_marks_off_topic_from_the_queue(engine, monkeypatch):
    feeds.refresh(engine, feeds=["un", "gdelt"], settings=FAST, today=lambda: TODAY)
    pending = feeds.list_queue(engine)
    before = len(store.query_statements(engine))
    monkeypatch.setenv("FRONTLINE_EDITOR_PASSWORD", "pw")
    app = run_app(page="pages/statements.py")
    unlock(app, "pw", "Queue Editor")
    assert any(f"**{len(pending)}** candidate(s) from the feeds" in m.value for m in app.markdown)
    app.session_state["review_queue_table"] = {
        "edited_rows": {
            0: {"action": "approve", "stance": "proposal"},
            1: {"action": "reject"},
            2: {"action": "off-topic"},
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    next(b for b in app.button if b.label == "Apply the chosen actions").click().run()
    assert not app.exception, [exception.value for exception in app.exception]
    assert any("approved as statement #" in success.value for success in app.success)
    stored = store.query_statements(engine)
    assert len(stored) == before + 1
    added = stored[stored["added_by"] == "Queue Editor"].iloc[0]
    first = pending.iloc[0]
    assert (added["speaker"], added["quote"], added["stance"]) == (
        first["speaker"],
        first["quote"],
        "proposal",
    )
    statuses = feeds.list_queue(engine, statuses=()).set_index("id")["status"]
    assert [statuses[number] for number in pending["id"][:3]] == [
        feeds.APPROVED,
        feeds.REJECTED,
        feeds.OFF_TOPIC,
    ]
    assert (statuses == feeds.PENDING).sum() == len(pending) - 3
