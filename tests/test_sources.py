"""lib/sources against a real HTTP server on 127.0.0.1 serving the shared archives in the sources'
real response shapes; no internet, no mocks of HTTP. Each fault test ends by checking that the
cache is as it was and that the problem is described in words a user can act on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from fixture_server import Fault, FixtureServer, deepstate_raw_files, isw_control_files

from lib.http import FetchError, parse_retry_after
from lib.sources import (
    BackgroundRefresh,
    HttpClient,
    HttpSettings,
    SnapshotCache,
    cached_snapshots,
    has_cached_data,
    last_refresh_reached,
    refresh,
    startup_refresh,
    status,
)
from lib.sources.plausibility import implausible_jump
from lib.sources.updater import INTERACTIVE_LISTING
from lib.territory import load_snapshots, monthly_change

REPO_ROOT = Path(__file__).resolve().parent.parent
ISW_DATES = (dt.date(2024, 1, 7), dt.date(2024, 1, 14), dt.date(2024, 1, 21))
DEEPSTATE_DAYS = (dt.date(2025, 7, 12), dt.date(2025, 7, 13), dt.date(2025, 7, 14))


def fast_client(**overrides) -> HttpClient:
    """Short timeouts and back-off so fault tests take a second, and a record of every wait."""
    settings = {
        "connect_timeout_seconds": 2.0,
        "read_timeout_seconds": 10.0,
        "attempts": 3,
        "backoff_base_seconds": 0.01,
        "min_interval_seconds": 0.0,
        **overrides,
    }
    waits: list[float] = []
    client = HttpClient(HttpSettings(**settings), sleep=waits.append)
    client.waits = waits  # type: ignore[attr-defined]
    return client


def serve(server: FixtureServer) -> Iterator[FixtureServer]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server(territory_archive: Path, tmp_path: Path, monkeypatch) -> Iterator[FixtureServer]:
    """A few real ISW weeks and DeepState days, with the config pointing every source at them."""
    isw = isw_control_files(territory_archive / "isw" / "lemonde_weekly_topojson")
    deepstate = deepstate_raw_files(territory_archive / "deepstate" / "raw_api_history")
    fixture = FixtureServer(
        {day: isw[day] for day in ISW_DATES},
        {
            snapshot_id: path
            for snapshot_id, path in deepstate.items()
            if dt.datetime.fromtimestamp(snapshot_id, dt.UTC).date() in DEEPSTATE_DAYS
        },
    )
    monkeypatch.setenv("FRONTLINE_ISW_URL", fixture.isw_url)
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", fixture.deepstate_url)
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FRONTLINE_SNAPSHOTS", raising=False)
    yield from serve(fixture)


def cache_state(source: str) -> dict:
    """What a user can rely on: the accepted dates with their areas, all files readable."""
    snapshots = cached_snapshots(source)
    assert not snapshots.attrs.get("problems"), snapshots.attrs.get("problems")
    folder = Path(os.environ["FRONTLINE_CACHE_DIR"]) / source
    assert not list(folder.rglob(".tmp-*")), "a temporary file was left behind"
    return dict(zip(snapshots["date"], snapshots["area_km2"].round(6), strict=True))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.realdata
def test_refresh_fetches_everything_once_then_only_what_is_new(server):
    summary = refresh(client=fast_client())
    assert (summary.fetched, summary.failed, summary.quarantined) == (6, 0, 0), summary.problems
    assert sorted(cache_state("isw")) == list(ISW_DATES)
    assert sorted(cache_state("deepstate")) == list(DEEPSTATE_DAYS)

    downloads_before = len(server.requests)
    again = refresh(client=fast_client())
    assert (again.fetched, again.skipped, again.failed) == (0, 6, 0)
    new_requests = [path for _, path in server.requests[downloads_before:]]
    assert not [path for path in new_requests if "/geojson" in path or "TIMESTAMP" in path]


@pytest.mark.realdata
def test_isw_pages_through_every_feature(server):
    refresh("isw", client=fast_client())
    offsets = {
        path.split("resultOffset=")[1].split("&")[0]
        for _, path in server.requests
        if "TIMESTAMP" in path
    }
    assert {"0", "3"} <= offsets, "the one-day query was not paged"
    for day in ISW_DATES:
        from_file = load_snapshots(
            server.isw_files[day], source="isw", layers="control", cache=False
        )
        assert cache_state("isw")[day] == round(from_file["area_km2"].iloc[0], 6)


@pytest.mark.realdata
def test_since_limits_the_dates_fetched(server):
    summary = refresh("deepstate", since=DEEPSTATE_DAYS[1], client=fast_client())
    assert summary.fetched == 2
    assert sorted(cache_state("deepstate")) == list(DEEPSTATE_DAYS[1:])


@pytest.mark.realdata
def test_a_later_snapshot_of_a_cached_day_replaces_it(server):
    refresh("deepstate", client=fast_client())
    last_id = max(server.deepstate_files)
    server.deepstate_files[last_id + 60] = server.deepstate_files[last_id]
    summary = refresh("deepstate", client=fast_client())
    assert (summary.fetched, summary.skipped) == (1, 2)
    entry = SnapshotCache(Path(os.environ["FRONTLINE_CACHE_DIR"]), "deepstate").entry(
        DEEPSTATE_DAYS[-1]
    )
    assert entry["version"] == str(last_id + 60)


@pytest.fixture
def cached(server) -> dict:
    """A cache already holding the served snapshots, and its state before the fault."""
    assert refresh(client=fast_client()).fetched == 6
    return {"isw": cache_state("isw"), "deepstate": cache_state("deepstate")}


def newer_deepstate_day(server) -> None:
    """Publish one more DeepState day, so the next refresh has something to download."""
    last_id = max(server.deepstate_files)
    server.deepstate_files[last_id + 86400] = server.deepstate_files[last_id]


def assert_intact(cached: dict) -> None:
    assert cache_state("isw") == cached["isw"]
    assert cache_state("deepstate") == cached["deepstate"]


@pytest.mark.realdata
def test_connection_refused_leaves_the_cache_and_says_so(cached, monkeypatch):
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", f"http://127.0.0.1:{closed_port()}/api")
    client = fast_client()
    summary = refresh("deepstate", client=client)
    assert summary.failed == 1
    assert "cannot list snapshots" in summary.problems[0]
    assert "cannot connect (Connection refused)" in summary.problems[0]
    assert "gave up after 3 attempts" in summary.problems[0]
    assert client.waits == [0.01, 0.02], "exponential back-off between attempts"
    assert_intact(cached)
    assert "cannot connect" in status().set_index("source").loc["deepstate", "problems"][0]


@pytest.mark.realdata
def test_only_a_refresh_that_reached_the_source_says_it_is_online(server, monkeypatch):
    refresh("deepstate", client=fast_client())
    assert last_refresh_reached("deepstate")
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", f"http://127.0.0.1:{closed_port()}/api")
    refresh("deepstate", client=fast_client())
    assert not last_refresh_reached("deepstate")
    assert not last_refresh_reached("isw"), "no refresh recorded: not known to be online"


def test_quick_listing_gives_up_on_an_unreachable_source_after_one_retry(tmp_path, monkeypatch):
    """Issue 12: Refresh now offline held the page for about 30 s (four attempts per source,
    with back-off); the app lists with INTERACTIVE_LISTING and keeps the client's retries for
    downloads only."""
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", f"http://127.0.0.1:{closed_port()}/api")
    monkeypatch.delenv("FRONTLINE_SNAPSHOTS", raising=False)
    summary = refresh("deepstate", client=fast_client(), quick_listing=True)
    assert summary.unreachable == ["deepstate"]
    assert f"gave up after {INTERACTIVE_LISTING.attempts} attempts" in summary.problems[0]
    assert INTERACTIVE_LISTING.attempts == 2
    assert INTERACTIVE_LISTING.backoff_base_seconds <= 0.5
    assert not last_refresh_reached("deepstate")


@pytest.mark.realdata
def test_a_server_that_does_not_answer_times_out(cached, server):
    newer_deepstate_day(server)
    server.faults.append(Fault("delay", "/geojson", times=3, seconds=1.5))
    summary = refresh("deepstate", client=fast_client(read_timeout_seconds=0.3))
    assert summary.failed == 1
    assert "no response within 0.3 s" in summary.problems[0]
    assert_intact(cached)


@pytest.mark.realdata
def test_a_500_then_success_is_retried(cached, server):
    newer_deepstate_day(server)
    server.faults.append(Fault("status", "/geojson", status=500))
    client = fast_client()
    summary = refresh("deepstate", client=client)
    assert (summary.fetched, summary.failed) == (1, 0), summary.problems
    assert client.waits == [0.01]
    assert len(cache_state("deepstate")) == 4


@pytest.mark.realdata
@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(
            Fault("status", "/geojson", status=429, headers={"Retry-After": "7"}),
            id="http-429-retry-after-seconds",
        ),
        pytest.param(Fault("arcgis_error", "/geojson", status=429), id="arcgis-200-error-429"),
    ],
)
def test_rate_limits_wait_then_succeed(cached, server, fault):
    newer_deepstate_day(server)
    server.faults.append(fault)
    client = fast_client(max_wait_seconds=30)
    summary = refresh("deepstate", client=client)
    assert (summary.fetched, summary.failed) == (1, 0), summary.problems
    assert client.waits == ([7.0] if fault.kind == "status" else [0.01])


@pytest.mark.realdata
def test_retry_after_is_capped(cached, server):
    newer_deepstate_day(server)
    server.faults.append(Fault("status", "/geojson", status=503, headers={"Retry-After": "3600"}))
    client = fast_client(max_wait_seconds=5)
    assert refresh("deepstate", client=client).fetched == 1
    assert client.waits == [5]


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("fault", "message"),
    [
        pytest.param(Fault("truncate", "/geojson"), "JSON ends early after", id="truncated-json"),
        pytest.param(
            Fault("html", "/geojson"),
            "got an HTML page instead of JSON ('Service Unavailable')",
            id="html-page-as-200",
        ),
        pytest.param(
            Fault("oversize", "/geojson", size=3_000_000),
            "response is over the 2,000,000-byte cap; download stopped",
            id="over-size-cap",
        ),
        pytest.param(Fault("status", "/geojson", status=404), "HTTP 404 Not Found", id="http-404"),
    ],
)
def test_bad_responses_fail_the_snapshot_not_the_cache(cached, server, fault, message):
    newer_deepstate_day(server)
    server.faults.append(fault)
    summary = refresh("deepstate", client=fast_client(max_bytes=2_000_000))
    assert (summary.fetched, summary.failed) == (0, 1)
    assert message in summary.problems[0]
    assert summary.problems[0].startswith("deepstate 2025-07-15: http://127.0.0.1:")
    assert_intact(cached)
    assert refresh("deepstate", client=fast_client()).fetched == 1, "the next refresh recovers"


@pytest.mark.realdata
def test_a_valid_response_with_no_features_is_quarantined(cached, server):
    newer_deepstate_day(server)
    server.faults.append(Fault("empty", "/geojson"))
    summary = refresh("deepstate", client=fast_client())
    assert (summary.fetched, summary.quarantined, summary.failed) == (0, 1, 0)
    assert "2025-07-15: quarantined: no features in the response" in summary.problems[0]
    assert_intact(cached)
    row = status().set_index("source").loc["deepstate"]
    assert row["quarantined"] == 1
    assert refresh("deepstate", client=fast_client()).fetched == 1, "quarantined days are retried"
    assert status().set_index("source").loc["deepstate", "quarantined"] == 0


@pytest.mark.realdata
def test_an_implausible_jump_is_quarantined(cached, server, territory_archive):
    advances = territory_archive / "isw" / "lemonde_weekly_topojson"
    next_week = dt.date(2024, 1, 28)
    server.isw_files[next_week] = advances / f"{next_week}_russian_advances.topojson"
    summary = refresh("isw", client=fast_client())
    assert summary.quarantined == 1
    assert "isw 2024-01-28: quarantined: held area changed -" in summary.problems[0]
    assert "more than the 29% judged plausible" in summary.problems[0]
    assert_intact(cached)
    quarantine = Path(os.environ["FRONTLINE_CACHE_DIR"]) / "isw" / "quarantine"
    kept_aside = next(quarantine.glob("2024-01-28-*.parquet"))
    assert gpd.read_parquet(kept_aside)["area_km2"].iloc[0] < 5000


@pytest.mark.realdata
def test_repeated_failures_stop_the_source(server):
    server.faults.append(Fault("status", "/geojson", status=404, times=10))
    summary = refresh("deepstate", client=fast_client())
    assert summary.failed == 3
    assert "3 failures in a row; stopped, 0 snapshot(s) left" in summary.problems[-1]


@pytest.mark.realdata
def test_an_unreadable_cached_file_is_reported_not_raised(cached):
    folder = Path(os.environ["FRONTLINE_CACHE_DIR"]) / "isw" / "snapshots"
    next(folder.glob(f"{ISW_DATES[0]}-*.parquet")).write_bytes(b"PAR1 not really")
    snapshots = cached_snapshots("isw")
    assert sorted(snapshots["date"]) == list(ISW_DATES[1:])
    assert "2024-01-07 unreadable" in snapshots.attrs["problems"][0]


@pytest.mark.realdata
def test_killed_mid_refresh_the_next_refresh_completes(server):
    server.faults.append(Fault("delay", "/geojson", times=100, seconds=0.4))
    index = Path(os.environ["FRONTLINE_CACHE_DIR"]) / "deepstate" / "index.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "lib.sources", "refresh", "--source", "deepstate"],
        cwd=REPO_ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if index.exists() and json.loads(index.read_text())["snapshots"]:
                break
            time.sleep(0.05)
        time.sleep(0.1)  # into the next download's delay
        assert process.poll() is None, "the refresh finished before it could be interrupted"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    partial = cache_state("deepstate")
    assert 1 <= len(partial) < len(DEEPSTATE_DAYS)

    server.faults.clear()
    summary = refresh("deepstate", client=fast_client())
    assert summary.failed == 0
    assert (summary.fetched, summary.skipped) == (len(DEEPSTATE_DAYS) - len(partial), len(partial))
    assert sorted(cache_state("deepstate")) == list(DEEPSTATE_DAYS)


@pytest.mark.realdata
def test_a_cancel_stops_the_refresh_after_the_snapshot_it_is_fetching(server):
    """Cancelled while its second (slow) download runs, the refresh stores that snapshot whole,
    starts no other, says where it stopped and records the refresh; the next one fetches only
    the rest."""
    server.faults.append(Fault("delay", "/geojson", times=len(DEEPSTATE_DAYS), seconds=1.5))
    job = BackgroundRefresh(
        lambda progress, should_stop: refresh(
            "deepstate", None, progress, client=fast_client(), should_stop=should_stop
        )
    )
    deadline = time.monotonic() + 60
    # Reported as the second download starts: the first snapshot is stored.
    while job.progress.done < 1 and job.running() and time.monotonic() < deadline:
        time.sleep(0.02)
    job.cancel()
    assert job.wait(60)
    summary = job.summary()
    assert summary.cancelled == f"after 2 of {len(DEEPSTATE_DAYS)} deepstate snapshot(s)"
    assert (summary.fetched, summary.failed) == (2, 0), summary.problems
    assert len([path for _, path in server.requests if "/geojson" in path]) == 2
    stored = cache_state("deepstate")
    assert len(stored) == 2
    index = json.loads(
        (Path(os.environ["FRONTLINE_CACHE_DIR"]) / "deepstate" / "index.json").read_text()
    )
    assert index["last_refresh"]["cancelled"] == summary.cancelled

    rest = refresh("deepstate", client=fast_client())
    assert (rest.fetched, rest.skipped, rest.failed, rest.cancelled) == (1, 2, 0, "")
    assert sorted(cache_state("deepstate")) == list(DEEPSTATE_DAYS)


def test_a_cancel_before_the_first_source_touches_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    summary = refresh(client=fast_client(), should_stop=lambda: True)
    assert summary.cancelled == "isw, deepstate not refreshed"
    assert (summary.fetched, summary.failed, summary.problems) == (0, 0, [])
    assert not (tmp_path / "cache").exists()


@pytest.mark.realdata
def test_cli_refresh_and_status(server):
    refreshed = subprocess.run(
        [sys.executable, "-m", "lib.sources", "refresh"],
        cwd=REPO_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refreshed.returncode == 0, refreshed.stderr
    assert refreshed.stdout.startswith("fetched 6, skipped 0, quarantined 0, failed 0")
    assert "deepstate done" in refreshed.stderr, "progress bar"
    shown = subprocess.run(
        [sys.executable, "-m", "lib.sources", "status"],
        cwd=REPO_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0
    assert "isw: 3 snapshots (control), 2024-01-07 … 2024-01-21; newest is" in shown.stdout
    assert "deepstate: 3 snapshots (occupied+crimea+ordlo), 2025-07-12 … 2025-07-14" in shown.stdout


@pytest.mark.realdata
def test_cli_unreachable_source_exits_non_zero_with_one_line(server, monkeypatch):
    monkeypatch.setenv("FRONTLINE_ISW_URL", f"http://127.0.0.1:{closed_port()}/arcgis")
    result = subprocess.run(
        [sys.executable, "-m", "lib.sources", "refresh", "--source", "isw", "--attempts", "2"],
        cwd=REPO_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("fetched 0, skipped 0, quarantined 0, failed 1")
    assert "problem: isw: cannot list snapshots:" in result.stderr
    assert "Connection refused" in result.stderr
    assert "gave up after 2 attempts" in result.stderr
    assert "retrying in 2.0 s (attempt 2 of 2)" in result.stderr, "retries are announced"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(["refresh", "--since", "2024-13-01"], "is not a date", id="bad-date"),
        pytest.param(["refresh", "--source", "wikipedia"], "invalid choice", id="bad-source"),
    ],
)
def test_cli_rejects_bad_arguments(arguments, message):
    result = subprocess.run(
        [sys.executable, "-m", "lib.sources", *arguments],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert message in result.stderr


def test_cli_archive_without_folder_is_a_one_line_error(tmp_path):
    env = {**os.environ, "FRONTLINE_CACHE_DIR": str(tmp_path)}
    env.pop("FRONTLINE_SNAPSHOTS", None)
    result = subprocess.run(
        [sys.executable, "-m", "lib.sources", "refresh", "--source", "archive"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "error: FRONTLINE_SNAPSHOTS is not set: point it at a folder of dated snapshot files"
    )


@pytest.mark.realdata
def test_archive_is_the_fallback_when_a_live_source_is_unreachable(
    territory_archive, tmp_path, monkeypatch
):
    folder = tmp_path / "deepstate_archive"
    folder.mkdir()
    raw = territory_archive / "deepstate" / "raw_api_history"
    for path in sorted(raw.glob("2025-07-1[234]T*_raw.geojson")):
        (folder / path.name).symlink_to(path)
    monkeypatch.setenv("FRONTLINE_SNAPSHOTS", str(folder))
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", f"http://127.0.0.1:{closed_port()}/api")
    summary = refresh("deepstate", client=fast_client(attempts=1))
    assert (summary.fetched, summary.failed) == (3, 0), summary.problems
    assert "deepstate: using the archive" in summary.problems[1]
    assert sorted(cached_snapshots("deepstate")["date"]) == list(DEEPSTATE_DAYS)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        pytest.param(None, None, id="absent"),
        pytest.param("120", 120.0, id="delta-seconds"),
        pytest.param("Sat, 28 Nov 2026 18:01:00 GMT", 60.0, id="http-date"),
        pytest.param("Sat, 28 Nov 2026 17:00:00 GMT", 0.0, id="http-date-in-the-past"),
        pytest.param("soon", None, id="garbage"),
    ],
)
def test_parse_retry_after(header, seconds):
    now = dt.datetime(2026, 11, 28, 18, 0, tzinfo=dt.UTC)
    assert parse_retry_after(header, now=now) == seconds


@pytest.mark.parametrize(
    ("previous", "current", "days", "date", "implausible"),
    [
        pytest.param(120_444, 112_952, 6, dt.date(2022, 9, 11), False, id="kharkiv-6-days"),
        pytest.param(118_015, 114_686, 1, dt.date(2022, 9, 10), False, id="kharkiv-1-day"),
        pytest.param(133_165, 103_646, 7, dt.date(2022, 4, 3), False, id="kyiv-withdrawal"),
        pytest.param(79_615, 119_441, 3, dt.date(2022, 2, 27), False, id="invasion-opening"),
        pytest.param(114_000, 57_000, 1, dt.date(2025, 7, 15), True, id="layer-missing"),
        pytest.param(114_000, 130_000, 1, dt.date(2025, 7, 15), True, id="stray-polygon"),
        pytest.param(114_000, 40_000, 365, dt.date(2025, 7, 15), True, id="capped-long-gap"),
    ],
)
def test_implausible_jump(previous, current, days, date, implausible):
    assert bool(implausible_jump(previous, current, days, date)) is implausible


def test_fetch_error_names_the_url_for_refused_connections():
    client = HttpClient(HttpSettings(attempts=1, connect_timeout_seconds=1))
    url = f"http://127.0.0.1:{closed_port()}/api/history/public"
    with pytest.raises(
        FetchError, match=r"/api/history/public: cannot connect \(Connection refused"
    ):
        client.get_json(url)


@pytest.mark.realdata
def test_startup_refresh_fetches_recent_data_once(server):
    recent_days = (dt.datetime.now(dt.UTC).date() - DEEPSTATE_DAYS[0]).days
    first = startup_refresh("deepstate", recent_days=recent_days)
    assert first is not None
    assert (first.fetched, first.unreachable) == (3, [])
    assert startup_refresh("deepstate") is None, "nothing to do once data is cached"


def test_startup_refresh_offline_names_the_unreachable_source(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("FRONTLINE_ISW_URL", f"http://127.0.0.1:{closed_port()}/arcgis")
    monkeypatch.delenv("FRONTLINE_SNAPSHOTS", raising=False)
    summary = startup_refresh("isw", timeout_seconds=1)
    assert summary is not None
    assert summary.unreachable == ["isw"]
    assert not has_cached_data("isw")


@pytest.mark.realdata
def test_the_live_isw_layer_adds_todays_snapshot(server):
    server.live_days_after_newest = 5
    summary = refresh("isw", client=fast_client())
    assert summary.fetched == len(ISW_DATES) + 1
    state = cache_state("isw")
    live_day = ISW_DATES[-1] + dt.timedelta(days=5)
    assert state[live_day] == state[ISW_DATES[-1]], "same features, dated by the last edit"
    live_queries = [path for _, path in server.requests if "FeatureServer/49/query" in path]
    assert live_queries and "where=1%3D1" in live_queries[0]


@pytest.mark.realdata
def test_full_refresh_gives_the_same_monthly_table_as_the_files(
    territory_archive, tmp_path, monkeypatch
):
    """Done-when check: the whole served archive through HTTP, the cache and the engine."""
    isw_folder = territory_archive / "isw" / "lemonde_weekly_topojson"
    deepstate_folder = territory_archive / "deepstate" / "raw_api_history"
    fixture = FixtureServer(
        isw_control_files(isw_folder), deepstate_raw_files(deepstate_folder), max_record_count=4
    )
    monkeypatch.setenv("FRONTLINE_ISW_URL", fixture.isw_url)
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", fixture.deepstate_url)
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    for _ in serve(fixture):
        # Generous timeouts: this test is about equality, and a loaded CI machine is slow.
        summary = refresh(client=fast_client(read_timeout_seconds=60))
    assert (summary.quarantined, summary.failed) == (0, 0), summary.problems
    assert summary.fetched == len(fixture.isw_files) + len(fixture.deepstate_files)

    for source, folder, layers in (
        ("isw", isw_folder, "control"),
        ("deepstate", deepstate_folder, None),
    ):
        from_files = load_snapshots(folder, source=source, layers=layers, cache=False)
        from_cache = cached_snapshots(source)
        assert list(from_cache["date"]) == list(from_files["date"])
        pd.testing.assert_frame_equal(
            monthly_change(from_cache), monthly_change(from_files), check_exact=True
        )


@pytest.mark.realdata
def test_requests_are_spaced_by_the_courtesy_interval(server):
    client = fast_client(min_interval_seconds=30.0)  # recorded, not slept: the test stays fast
    refresh("deepstate", client=client)
    assert len(client.waits) == len(DEEPSTATE_DAYS), "one pause before each request but the first"
    assert all(25 < wait <= 30 for wait in client.waits)


@pytest.mark.realdata
def test_an_unreadable_index_is_never_overwritten(cached, server):
    index = Path(os.environ["FRONTLINE_CACHE_DIR"]) / "deepstate" / "index.json"
    index.write_text('{"snapshots": {"2025-07-12": ')
    files_before = sorted(index.parent.rglob("*.parquet"))
    newer_deepstate_day(server)
    summary = refresh("deepstate", client=fast_client())
    assert summary.failed == 1
    assert "index.json: unreadable, so nothing is written; move it aside" in summary.problems[0]
    assert index.read_text() == '{"snapshots": {"2025-07-12": '
    assert sorted(index.parent.rglob("*.parquet")) == files_before
    assert "unreadable index" in cached_snapshots("deepstate").attrs["problems"][0]


@pytest.mark.realdata
def test_archive_source_reads_each_date_with_the_live_recipe(
    territory_archive, tmp_path, monkeypatch
):
    weekly = territory_archive / "isw" / "lemonde_weekly_topojson"
    folder = tmp_path / "isw_archive"
    folder.mkdir()
    for day in ISW_DATES:
        for path in weekly.glob(f"{day}_*.topojson"):
            (folder / path.name).symlink_to(path)
    monkeypatch.setenv("FRONTLINE_SNAPSHOTS", str(folder))
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    summary = refresh("archive")
    assert (summary.fetched, summary.failed) == (3, 0), summary.problems
    snapshots = cached_snapshots("isw")
    assert set(snapshots["layers"]) == {"control"}, "advances files are there but not counted"
    from_files = load_snapshots(folder, source="isw", layers="control", cache=False)
    assert list(snapshots["area_km2"]) == list(from_files["area_km2"])

    assert refresh("archive").skipped == 3
    edited = folder / f"{ISW_DATES[1]}_control_map.topojson"
    edited.unlink()
    edited.write_bytes((weekly / f"{ISW_DATES[2]}_control_map.topojson").read_bytes())
    again = refresh("archive")
    assert (again.fetched, again.skipped) == (1, 2), "an edited file is read again"
    areas = cached_snapshots("isw").set_index("date")["area_km2"]
    assert areas[ISW_DATES[1]] == areas[ISW_DATES[2]]
