"""The live-sources panel (app_pages/live_sources_panel.py) through AppTest, against the loopback
server. It runs in a two-line script until the Data page (dashboard branch) calls `render()`."""

from __future__ import annotations

import datetime as dt
import io
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from fixture_server import FixtureServer, deepstate_raw_files
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from lib import sources
from lib.territory import EQUAL_AREA_CRS

TIMEOUT_SECONDS = 120
PANEL_SCRIPT = """
from app_pages import live_sources_panel

live_sources_panel.render()
"""


@pytest.fixture
def environment(tmp_path, monkeypatch) -> Path:
    """A fresh store and cache, and no live service reachable unless a test serves one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'statements.db'}")
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FRONTLINE_ISW_URL", f"http://127.0.0.1:{closed}/arcgis")
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", f"http://127.0.0.1:{closed}/api")
    monkeypatch.delenv("FRONTLINE_SNAPSHOTS", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def deepstate_server(territory_archive, environment, monkeypatch) -> Iterator[FixtureServer]:
    raw = deepstate_raw_files(territory_archive / "deepstate" / "raw_api_history")
    wanted = {dt.date(2025, 7, 13), dt.date(2025, 7, 14)}
    server = FixtureServer(
        {},
        {
            snapshot_id: path
            for snapshot_id, path in raw.items()
            if dt.datetime.fromtimestamp(snapshot_id, dt.UTC).date() in wanted
        },
    )
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", server.deepstate_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def data_page() -> AppTest:
    app = AppTest.from_string(PANEL_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def test_empty_cache_shows_coverage_and_the_comparison(environment):
    app = data_page()
    assert "Live sources" in [header.value for header in app.header]
    coverage = next(frame.value for frame in app.dataframe if "snapshots" in frame.value.columns)
    assert list(coverage["snapshots"]) == [0, 0]
    comparison = next(frame.value for frame in app.dataframe if "note" in frame.value.columns)
    march = comparison.set_index("month").loc["2026-03"]
    assert march["note"].startswith("ISW: Ukraine regained ground")


@pytest.mark.realdata
def test_refresh_now_fills_the_cache(deepstate_server):
    app = data_page()
    form_select = next(box for box in app.selectbox if box.label == "Source to refresh")
    form_select.set_value("deepstate")
    next(button for button in app.button if button.label == "Refresh now").click()
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    assert any("fetched 2, skipped 0, quarantined 0, failed 0" in s.value for s in app.success)
    coverage = next(frame.value for frame in app.dataframe if "snapshots" in frame.value.columns)
    assert coverage.set_index("source").loc["DeepStateMap", "snapshots"] == 2


def test_refresh_offline_says_so_and_keeps_the_cache(environment):
    app = data_page()
    next(button for button in app.button if button.label == "Refresh now").click()
    app.run()
    assert not app.exception
    warning = " ".join(w.value for w in app.warning)
    assert "Could not reach isw, deepstate; the cache is unchanged." in warning


def squares_geojson() -> bytes:
    """Two 10 km squares in eastern Ukraine: 200 km² in the equal-area CRS."""
    squares = [box(400_000, 0, 410_000, 10_000), box(420_000, 0, 430_000, 10_000)]
    frame = gpd.GeoDataFrame(geometry=squares, crs=EQUAL_AREA_CRS).to_crs(4326)
    return frame.to_json().encode()


def upload(app: AppTest, name: str, content: bytes, date: dt.date | None) -> AppTest:
    app.file_uploader[0].set_value((name, content, "application/octet-stream"))
    if date is not None:
        next(field for field in app.date_input if field.label == "Date of the snapshot").set_value(
            date
        )
    next(button for button in app.button if button.label == "Add snapshot").click()
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def test_upload_adds_a_snapshot(environment):
    app = upload(data_page(), "front.geojson", squares_geojson(), dt.date(2025, 7, 15))
    assert any(
        "front.geojson: snapshot of 2025-07-15 added to the upload cache" in s.value
        for s in app.success
    )
    coverage = next(frame.value for frame in app.dataframe if "snapshots" in frame.value.columns)
    assert coverage.set_index("source").loc["Uploads", "snapshots"] == 1


def test_a_refused_upload_says_why_and_stores_nothing(environment):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../evil.shp", b"x")
    app = upload(data_page(), "front.zip", archive.getvalue(), dt.date(2025, 7, 15))
    assert any("Not added: front.zip: unsafe path inside the zip" in e.value for e in app.error)
    assert not environment.exists()


STARTUP_SCRIPT = """
import pandas as pd
from app_pages.live_sources_panel import startup_notice

bundled = pd.DataFrame({"as_of": ["2026-04-12", "2026-04-05"]})
startup_notice("deepstate", bundled)
"""


def startup_app() -> AppTest:
    app = AppTest.from_string(STARTUP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def test_startup_offline_shows_the_bundled_banner_and_a_retry(environment):
    app = startup_app()
    assert [w.value for w in app.warning] == [
        "Offline: DeepStateMap could not be reached, so the figures are the bundled ones, "
        "as of 2026-04-12."
    ]
    app.button[0].click()
    app.run()
    assert len(app.warning) == 1, "retried, still offline"


@pytest.mark.realdata
def test_startup_online_fetches_recent_data_without_a_banner(deepstate_server, monkeypatch):
    monkeypatch.setattr("lib.sources.updater.STARTUP_RECENT_DAYS", 10_000)
    app = startup_app()
    assert not app.warning
    assert sources.has_cached_data("deepstate")
