"""The live-sources panel (app_pages/live_sources_panel.py) on the Data page and the start-up fetch,
through AppTest from app.py, against the loopback server (or a closed loopback port: offline)."""

from __future__ import annotations

import datetime as dt
import io
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from fixture_server import Fault, FixtureServer, deepstate_raw_files, isw_control_files
from markdown_support import shown_text
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from app_pages import live_sources_panel
from lib import login_throttle, sources
from lib.territory import EQUAL_AREA_CRS

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT_SECONDS = 120
SIGN_IN_SECRETS = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "test cookie secret",
        "client_id": "frontline",
        "client_secret": "test client secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    },
    "editors": {"emails": ["desk@example.org"]},
}


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
    monkeypatch.delenv("FRONTLINE_EDITOR_PASSWORD", raising=False)
    monkeypatch.delenv("FRONTLINE_EDITORS", raising=False)
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
    """The Data page for an editor signed in through OpenID Connect (refresh and upload are
    editors' writes)."""
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    app.secrets = SIGN_IN_SECRETS
    app.user = {"is_logged_in": True, "email": "desk@example.org", "email_verified": True}
    app.switch_page("pages/data.py")
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def finish_refresh(app: AppTest) -> None:
    """Wait for the refresh that Refresh now started (it runs in a thread), then rerun the page,
    as the progress fragment does once it sees the refresh has ended."""
    assert app.session_state[live_sources_panel.REFRESH_JOB_KEY].wait(TIMEOUT_SECONDS)
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]


def test_password_guessing_is_slowed_down(environment, monkeypatch):
    """After the free wrong tries, even the right password is not compared until the wait ends."""
    monkeypatch.setenv("FRONTLINE_EDITOR_PASSWORD", "desk password")
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    app.switch_page("pages/data.py")
    app.run()

    def unlock(password: str) -> list[str]:
        next(box for box in app.text_input if box.label == "Editor password").input(password)
        next(box for box in app.text_input if box.label.startswith("Your name")).input("Desk")
        next(button for button in app.button if button.label == "Unlock editing").click()
        app.run()
        assert not app.exception, [exception.value for exception in app.exception]
        return [error.value for error in app.error]

    for _ in range(login_throttle.FREE_FAILURES):
        assert any("Wrong password" in error for error in unlock("a guess"))
    assert any("Too many wrong passwords" in error for error in unlock("desk password"))
    assert "Refresh now" not in {button.label for button in app.button}


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
    finish_refresh(app)
    assert any("fetched 2, skipped 0, quarantined 0, failed 0" in s.value for s in app.success)
    coverage = next(frame.value for frame in app.dataframe if "snapshots" in frame.value.columns)
    assert coverage.set_index("source").loc["DeepStateMap", "snapshots"] == 2


def test_refresh_offline_says_so_and_keeps_the_cache(environment):
    app = data_page()
    next(button for button in app.button if button.label == "Refresh now").click()
    app.run()
    finish_refresh(app)
    warning = " ".join(w.value for w in app.warning)
    assert "Could not reach isw, deepstate; the cache is unchanged." in warning


@pytest.mark.realdata
def test_a_cancelled_refresh_keeps_what_it_stored_and_says_so(deepstate_server):
    """Issue 12: while a refresh runs, its progress and a Cancel button stand in for the form;
    cancelled during its first download (the server takes seconds over it), the refresh stores
    that snapshot whole, fetches no other, and the page says where it stopped."""
    deepstate_server.faults.append(Fault("delay", "/geojson", seconds=5.0))
    app = data_page()
    next(box for box in app.selectbox if box.label == "Source to refresh").set_value("deepstate")
    next(button for button in app.button if button.label == "Refresh now").click()
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    labels = [button.label for button in app.button]
    assert "Refresh now" not in labels
    next(button for button in app.button if button.label == "Cancel refresh").click()
    app.run()
    assert any(caption.value.startswith("Cancelling") for caption in app.caption)
    assert "Cancel refresh" not in [button.label for button in app.button]

    finish_refresh(app)
    shown = " ".join(info.value for info in app.info)
    assert (
        "Refresh cancelled (after 1 of 2 deepstate snapshot(s)): fetched 1, skipped 0, "
        "quarantined 0, failed 0" in shown
    )
    assert "Refresh now" in [button.label for button in app.button]
    coverage = next(frame.value for frame in app.dataframe if "snapshots" in frame.value.columns)
    assert coverage.set_index("source").loc["DeepStateMap", "snapshots"] == 1
    downloads = [path for _, path in deepstate_server.requests if "/geojson" in path]
    assert len(downloads) == 1


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
        "front.geojson: snapshot of 2025-07-15 added to the upload cache" in shown_text(s.value)
        for s in app.success
    )
    coverage = next(frame.value for frame in app.dataframe if "snapshots" in frame.value.columns)
    assert coverage.set_index("source").loc["Uploads", "snapshots"] == 1


def test_a_refused_upload_says_why_and_stores_nothing(environment):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../evil.shp", b"x")
    app = upload(data_page(), "front.zip", archive.getvalue(), dt.date(2025, 7, 15))
    assert any(
        "Not added: front.zip: unsafe path inside the zip" in shown_text(e.value) for e in app.error
    )
    assert not (environment / "upload").exists()


@pytest.fixture
def isw_server(territory_archive, environment, monkeypatch) -> Iterator[FixtureServer]:
    """Two real ISW weeks on the loopback server, the ISW endpoint pointing at it."""
    weeks = isw_control_files(territory_archive / "isw" / "lemonde_weekly_topojson")
    wanted = sorted(weeks)[-2:]
    server = FixtureServer({day: weeks[day] for day in wanted}, {})
    monkeypatch.setenv("FRONTLINE_ISW_URL", server.isw_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.realdata
def test_startup_online_fetches_recent_data_without_a_banner(isw_server, monkeypatch):
    monkeypatch.setattr("lib.sources.updater.STARTUP_RECENT_DAYS", 10_000)
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not sources.has_cached_data("isw") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sources.has_cached_data("isw"), "the background start-up fetch stored nothing"
    app.run()
    assert not [w for w in app.warning if w.value.startswith("Offline")]
    assert not [c for c in app.caption if "in the background" in c.value]


def test_the_uploader_states_the_engines_limit_not_streamlits(environment):
    """Issue 12: the uploader said 200 MB (Streamlit's default), the README 50 MB."""
    from lib.territory.upload import MAX_UPLOAD_BYTES

    readme = (Path(APP).parent / "README.md").read_text()
    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    assert data_page().file_uploader[0].proto.max_upload_size_mb == limit_mb
    assert f"GeoParquet up to {limit_mb} MB" in readme
