"""The snapshot store in PostgreSQL (lib/sources/shared_store.py) and scheduled refreshes
(lib/sources/schedule.py), on a fresh schema per test.

Replicas are stand-ins that share nothing but the database: separate engines in threads, or
separate processes where a replica is killed mid-write.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import sqlalchemy as sa
from browser_support import free_port
from shapely.geometry import box

from lib import sources, territory
from lib import statements as store
from lib.source_registry import LIVE_SOURCE_IDS
from lib.sources import cache as cache_module
from lib.sources.cache import CacheError, open_store
from lib.sources.schedule import refresh_if_due
from lib.sources.shared_store import PostgresSnapshotStore, snapshot_entries
from lib.sources.updater import RefreshSummary
from lib.territory import EQUAL_AREA_CRS, snapshots_from_layers

REPO_ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.postgres


def square_snapshot(day: dt.date, side_km: float) -> gpd.GeoDataFrame:
    """One "upload" snapshot: a square of `side_km` in the equal-area CRS (side² km² held)."""
    layer = gpd.GeoDataFrame(
        geometry=[box(0, 0, side_km * 1000, side_km * 1000)], crs=EQUAL_AREA_CRS
    )
    return snapshots_from_layers(day, {"held": layer}, source="upload", label="test square")


@pytest.fixture
def database_url(postgres_schema_url, monkeypatch, tmp_path) -> str:
    """The fresh schema, migrated (the snapshot tables come with the store's migrations), as
    every replica's DATABASE_URL; the file cache points at an empty folder nothing should use,
    the live sources at a closed loopback port."""
    monkeypatch.setenv("DATABASE_URL", postgres_schema_url)
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "unused-file-cache"))
    closed = free_port()  # nothing listens there: no test reaches a live source
    monkeypatch.setenv("FRONTLINE_ISW_URL", f"http://127.0.0.1:{closed}/arcgis")
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", f"http://127.0.0.1:{closed}/api")
    monkeypatch.delenv("FRONTLINE_SNAPSHOTS", raising=False)
    store.get_engine(postgres_schema_url, seed=False)
    return postgres_schema_url


@pytest.fixture
def replica_store(database_url) -> Iterator[Callable[..., PostgresSnapshotStore]]:
    """Opens the store as another replica would: its own engine, nothing shared but the
    database (engines disposed after the test)."""
    engines: list[sa.Engine] = []

    def open_replica(source: str = "upload") -> PostgresSnapshotStore:
        engines.append(sa.create_engine(database_url))
        return PostgresSnapshotStore(engines[-1], source)

    yield open_replica
    for engine in engines:
        engine.dispose()


def test_postgresql_database_url_opens_the_shared_store(database_url, tmp_path):
    assert isinstance(open_store("upload"), PostgresSnapshotStore)
    assert isinstance(open_store("upload", tmp_path), cache_module.SnapshotCache)


def test_the_shared_store_answers_through_the_interface(database_url):
    shared = open_store("upload")
    assert (shared.exists(), shared.signature()) == (False, "missing")
    assert shared.snapshots().empty and shared.contents().last_refresh is None
    first, second = dt.date(2025, 7, 1), dt.date(2025, 7, 2)
    with shared.lock():
        assert shared.store(square_snapshot(first, 10), version="a").outcome == "stored"
        signature = shared.signature()
        verdict = shared.store(square_snapshot(second, 5), version="b")
        shared.record_refresh({"started_at": "2025-07-02T00:00:00+00:00", "fetched": 1})
    assert verdict.outcome == "quarantined"
    assert shared.signature() not in {signature, "missing"}
    contents = open_store("upload").contents()
    assert list(contents.accepted) == [first]
    assert contents.accepted[first]["area_km2"] == pytest.approx(100.0)
    assert contents.accepted[first]["version"] == "a"
    assert contents.quarantined[second]["reason"] == verdict.reason
    assert contents.last_refresh == {"started_at": "2025-07-02T00:00:00+00:00", "fetched": 1}
    snapshots = open_store("upload").snapshots()
    assert list(snapshots["date"]) == [first]
    assert snapshots.crs == EQUAL_AREA_CRS
    assert snapshots.geometry.area.iloc[0] / 1e6 == pytest.approx(100.0)


def test_a_write_on_one_replica_changes_the_signature_the_others_read(database_url, replica_store):
    writer, reader = replica_store(), replica_store()
    before = reader.signature()
    with writer.lock():
        writer.store(square_snapshot(dt.date(2025, 7, 1), 10), version="a")
    assert reader.signature() != before
    assert list(reader.contents().accepted) == [dt.date(2025, 7, 1)]
    after_store = reader.signature()
    writer.record_refresh({"started_at": "2025-07-01T00:00:00+00:00"})
    assert reader.signature() != after_store


def test_one_refresh_of_a_source_at_a_time_across_replicas(database_url, replica_store):
    first, second = replica_store(), replica_store()
    held_elsewhere = pytest.raises(CacheError, match="another refresh of 'upload' is running")
    with first.lock(), held_elsewhere, second.lock():
        pass
    with second.lock():  # released with the first
        pass
    with first.lock(), replica_store("isw").lock():  # other sources are free
        pass


KILLED_WRITER = textwrap.dedent(
    """
    import datetime as dt, sys, time
    import geopandas as gpd
    from shapely.geometry import box
    from lib.sources import shared_store
    from lib.sources.cache import open_store
    from lib.territory import EQUAL_AREA_CRS, snapshots_from_layers

    def square(day, side_km):
        layer = gpd.GeoDataFrame(
            geometry=[box(0, 0, side_km * 1000, side_km * 1000)], crs=EQUAL_AREA_CRS
        )
        return snapshots_from_layers(day, {"held": layer}, source="upload", label="square")

    store = open_store("upload")
    with store.lock():
        store.store(square(dt.date(2025, 7, 1), 10), version="done")
        put = shared_store.PostgresSnapshotStore._put

        def put_then_hang(self, *args, **kwargs):
            put(self, *args, **kwargs)
            print("writing", flush=True)
            time.sleep(600)

        shared_store.PostgresSnapshotStore._put = put_then_hang
        store.store(square(dt.date(2025, 7, 8), 10), version="half")
    """
)


def test_a_replica_killed_mid_refresh_leaves_nothing_half_written(database_url, replica_store):
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER],
        cwd=REPO_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout.readline().decode().strip() == "writing"
        survivor = replica_store()
        signature_while_writing = survivor.signature()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        process.stdout.close()
    contents = survivor.contents()
    assert list(contents.accepted) == [dt.date(2025, 7, 1)]
    assert contents.accepted[dt.date(2025, 7, 1)]["version"] == "done"
    assert survivor.signature() == signature_while_writing
    with survivor.engine.connect() as connection:
        rows = connection.execute(sa.select(sa.func.count()).select_from(snapshot_entries))
        assert rows.scalar_one() == 1
    deadline = time.monotonic() + 30
    while True:  # PostgreSQL ends the dead backend's session, and with it the advisory lock
        try:
            with survivor.lock():
                survivor.store(square_snapshot(dt.date(2025, 7, 8), 10), version="again")
            break
        except CacheError:
            assert time.monotonic() < deadline, "the killed replica's lock was never released"
            time.sleep(0.2)
    assert list(survivor.contents().accepted) == [dt.date(2025, 7, 1), dt.date(2025, 7, 8)]


def test_three_replicas_asking_at_once_refresh_once_per_interval(database_url, replica_store):
    started = threading.Barrier(3)
    runs: list[str] = []

    def run_refresh() -> RefreshSummary:
        """What a refresh leaves in the shared log, slowly enough for the others to overlap."""
        runs.append(threading.current_thread().name)
        time.sleep(1.0)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        for source in LIVE_SOURCE_IDS:
            replica_store(source).record_refresh({"started_at": stamp})
        return RefreshSummary()

    outcomes = {}

    def replica(name: str) -> None:
        started.wait()
        outcomes[name] = refresh_if_due(dt.timedelta(hours=6), run_refresh=run_refresh)

    threads = [threading.Thread(target=replica, args=(f"replica-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(runs) == 1
    assert sorted(outcome.ran for outcome in outcomes.values()) == [False, False, True]
    later = refresh_if_due(dt.timedelta(hours=6), run_refresh=run_refresh)
    assert not later.ran and "next scheduled refresh is due" in later.reason
    assert len(runs) == 1
    due_again = refresh_if_due(
        dt.timedelta(hours=6),
        run_refresh=run_refresh,
        now=lambda: dt.datetime.now(dt.UTC) + dt.timedelta(hours=7),
    )
    assert due_again.ran and len(runs) == 2


def upload_on_another_replica(database_url: str, path: Path) -> None:
    """`store_upload` of `path` in a process of its own, as another replica's Data page runs it."""
    script = (
        "import sys; from pathlib import Path; from lib import sources; "
        "path = Path(sys.argv[1]); outcome = sources.store_upload(path.read_bytes(), path.name); "
        "assert [r.outcome for r in outcome.results.values()] == ['stored'], outcome"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=REPO_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        timeout=300,
    )


@pytest.mark.realdata
def test_the_map_follows_snapshots_another_replica_stored(database_url, territory_archive):
    from streamlit.testing.v1 import AppTest

    weeks = territory_archive / "isw" / "lemonde_weekly_topojson"
    for day in ("2025-04-27", "2025-05-11"):
        upload_on_another_replica(database_url, weeks / f"{day}_control_map.topojson")
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=180)
    app.query_params["month"] = "2025-05"
    app.switch_page("pages/map.py")
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    first = [metric.value for metric in app.metric]
    assert len(first) == 3

    upload_on_another_replica(database_url, weeks / "2025-05-25_control_map.topojson")
    app.run()
    assert not app.exception
    change = territory.month_change_geometries(open_store("isw").snapshots(), "2025-05")
    areas = change.groupby("kind")["area_km2"].sum()
    expected = [
        f"{areas.get(kind, 0):,.0f} km²"
        for kind in ("gained_by_russia", "regained_by_ukraine", "held_by_russia")
    ]
    assert [metric.value for metric in app.metric] == expected != first


def test_a_replica_with_a_refresh_interval_asks_for_scheduled_refreshes(database_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from lib import cached

    monkeypatch.setenv("FRONTLINE_REFRESH_INTERVAL_S", "3600")
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=180)
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    stop = cached.scheduled_refreshes(3600, sources.store_location())
    try:
        deadline = time.monotonic() + 60
        while open_store("deepstate").contents().last_refresh is None:  # only the schedule
            assert time.monotonic() < deadline, "no scheduled refresh reached the shared log"
            time.sleep(0.5)
    finally:
        stop.set()
        cached.scheduled_refreshes.clear()
    report = open_store("deepstate").contents().last_refresh
    assert report["failed"] == 1 and "cannot list snapshots" in report["problems"][0]
