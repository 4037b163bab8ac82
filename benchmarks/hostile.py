"""Every hostile input of issue 15, at the sizes that broke the app, each under a watchdog.

Each case runs in its own process (started afresh: `python benchmarks/hostile.py --case NAME`)
with a CPU-time limit (RLIMIT_CPU) and an address-space ceiling (RLIMIT_AS, a guard for the
machine) and is killed if it runs past the wall-clock limit. The probe prints, per case, what the
app answered, the wall time and the peak resident memory: of the case's process and of the
largest process it started (the upload reader runs in a child), whose sum bounds the peak of the
case as a whole. A case passes when the answer is the expected one and it stays under 1.5 GB and
2 minutes. Hostile files are generated here at run time (tests/hostile_inputs.py); hostile
services run on loopback (tests/hostile_server.py). Cases needing PostgreSQL
(TEST_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test) say so if it is
missing.

Usage: python benchmarks/hostile.py [--case NAME]...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))
sys.path.insert(0, str(REPO_ROOT))

MEMORY_LIMIT_BYTES = int(1.5 * 1024**3)
TIME_LIMIT_SECONDS = 120
# A guard, not the measure: the upload reader raises its own ceiling to 4 GB of address space.
ADDRESS_SPACE_GUARD_BYTES = 6 * 1024**3
DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

CASES: dict[str, tuple[str, Callable[[Path], str]]] = {}


def case(item: str) -> Callable[[Callable[[Path], str]], Callable[[Path], str]]:
    """Register a case: `item` is its number in the issue; the function returns what the app
    said, and raises AssertionError when the answer is not the expected one."""

    def register(function: Callable[[Path], str]) -> Callable[[Path], str]:
        CASES[function.__name__] = (item, function)
        return function

    return register


@contextmanager
def hostile_service(**settings: object) -> Iterator[str]:
    from fixture_server import serving
    from hostile_server import HostileHandler

    for name, value in settings.items():
        setattr(HostileHandler, name, value)
    with serving(HostileHandler) as base_url:
        yield base_url


def postgres_schema() -> str:
    """A fresh schema on the test PostgreSQL; its URL (search_path set)."""
    import sqlalchemy as sa

    base = sa.make_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL)
    schema = f"hostile_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def refused_upload(name: str, data: bytes) -> str:
    from lib.territory import UploadError, load_uploaded

    try:
        load_uploaded(name, data, date="2024-01-31")
    except UploadError as error:
        return str(error)
    raise AssertionError(f"{name} was accepted")


def quarantined_upload(folder: Path, name: str, data: bytes) -> str:
    import datetime as dt

    from lib.sources import store_upload

    day = dt.date(2022, 2, 26)
    result = store_upload(data, name, date=day, cache_root=folder).results[day]
    assert result.outcome == "quarantined", result
    return result.reason


@case("1")
def concurrent_edits_on_postgresql(folder: Path) -> str:
    from concurrent.futures import ThreadPoolExecutor

    from lib import statements as store

    engine = store.get_engine(postgres_schema(), seed=False)
    record = {"date": "2025-05-11", "speaker": "A", "stance": "proposal", "quote": "q"}
    statement_id = store.add_statement(engine, record, added_by="probe")
    fields = ["role", "affiliation", "source_name", "stance", "mediators", "quote_is_paraphrase"]
    lost = 0
    for round_ in range(1, 11):
        values = {
            "role": f"r{round_}",
            "affiliation": f"a{round_}",
            "source_name": f"s{round_}",
            "stance": store.STANCES[round_ % 9],
            "mediators": [f"m{round_}"],
            "quote_is_paraphrase": round_ % 2 == 1,
        }
        start = threading.Barrier(len(fields))

        def edit(field: str, values=values, start=start) -> None:
            start.wait()
            store.update_statement(engine, statement_id, {field: values[field]}, edited_by=field)

        with ThreadPoolExecutor(len(fields)) as pool:
            list(pool.map(edit, fields))
        stored = store.query_statements(engine).set_index("id").loc[statement_id]
        lost += sum(stored[field] != values[field] for field in fields)
    assert lost == 0, f"{lost} changes lost"
    return "6 editors x 10 rounds on PostgreSQL: 0 of 60 changes lost"


@case("2")
def data_page_writes_without_password(folder: Path) -> str:
    from streamlit.testing.v1 import AppTest

    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder / 'statements.db'}",
        FRONTLINE_CACHE_DIR=str(folder / "cache"),
        FRONTLINE_ISW_URL="http://127.0.0.1:9/arcgis",
        FRONTLINE_DEEPSTATE_URL="http://127.0.0.1:9/api",
        FRONTLINE_EDITOR_PASSWORD="the desk's password",
    )
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=110)
    app.switch_page("pages/data.py")
    app.run()
    buttons = {button.label for button in app.button}
    assert not {"Refresh now", "Add snapshot"} & buttons, buttons
    assert "Unlock editing" in buttons
    return "Data page without the password: no Refresh now, no upload; a password form"


@case("3")
def swapped_latitude_longitude(folder: Path) -> str:
    import shapely
    from hostile_inputs import UKRAINE_LONLAT, polygon_geojson

    ring = shapely.get_coordinates(shapely.transform(UKRAINE_LONLAT, lambda xy: xy[:, ::-1]))
    return quarantined_upload(folder, "front.geojson", polygon_geojson([ring]))


@case("3")
def degrees_declared_as_web_mercator(folder: Path) -> str:
    import shapely
    from hostile_inputs import UKRAINE_LONLAT

    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": shapely.geometry.mapping(UKRAINE_LONLAT),
            }
        ],
    }
    return quarantined_upload(folder, "front.geojson", json.dumps(collection).encode())


@case("2, 3")
def whole_world_as_early_isw_snapshot(folder: Path) -> str:
    import numpy as np
    from hostile_inputs import polygon_geojson

    world = np.array([[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]], dtype=float)
    return quarantined_upload(
        folder, "2022-02-26_assessed_russian_control.geojson", polygon_geojson([world])
    )


@case("4")
def geoparquet_of_30_million_rows(folder: Path) -> str:
    from hostile_inputs import repeated_rows_parquet

    data = repeated_rows_parquet(30_000_000)
    return f"{len(data) / 1024:.0f} KB file: " + refused_upload("rows.parquet", data)


@case("5")
def self_intersecting_polygon_100k_vertices(folder: Path) -> str:
    from hostile_inputs import polygon_geojson, star_ring

    return refused_upload("star.geojson", polygon_geojson([star_ring(100_000)]))


@case("5")
def shapefile_of_2_million_vertices(folder: Path) -> str:
    import geopandas as gpd
    import shapely
    from hostile_inputs import star_ring

    from lib.territory.upload import MAX_UPLOAD_BYTES

    frame = gpd.GeoDataFrame(geometry=[shapely.Polygon(star_ring(2_000_000))], crs="EPSG:4326")
    frame.to_file(folder / "held.shp")
    archive = folder / "held.zip"
    import zipfile

    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for part in ("held.shp", "held.shx", "held.dbf", "held.prj"):
            zipped.write(folder / part, part)
    data = archive.read_bytes()
    assert len(data) <= MAX_UPLOAD_BYTES, len(data)
    return f"{len(data) / 1e6:.0f} MB zip: " + refused_upload("held.zip", data)


@case("6")
def zip_whose_directory_lies(folder: Path) -> str:
    from hostile_inputs import lying_zip, shapefile_members

    data = lying_zip(shapefile_members(1_900_000_000))
    return f"{len(data) / 1e6:.1f} MB zip of 1.9 GB: " + refused_upload("lying.zip", data)


@case("6")
def kmz_whose_directory_lies(folder: Path) -> str:
    from hostile_inputs import lying_zip

    data = lying_zip({"doc.kml": 1_900_000_000})
    return f"{len(data) / 1e6:.1f} MB KMZ of 1.9 GB: " + refused_upload("lying.kmz", data)


@case("6")
def corrupt_deflate_stream(folder: Path) -> str:
    from hostile_inputs import corrupt_deflate_zip, kml_document

    data = corrupt_deflate_zip({"doc.kml": kml_document() + b" " * 10_000_000})
    return refused_upload("corrupt.kmz", data)


def _import(folder: Path, name: str, data: bytes) -> str:
    from lib.statements.__main__ import main

    path = folder / name
    path.write_bytes(data)
    log = folder / "stderr.txt"
    with open(log, "w") as stderr:
        saved, sys.stderr = sys.stderr, stderr
        try:
            status = main(["import", str(path), "--database", f"sqlite:///{folder / 's.db'}"])
        finally:
            sys.stderr = saved
    lines = log.read_text().splitlines()
    assert status == 1, status
    return f"exit 1, {len(lines)} lines printed; last: {lines[-1]}"


@case("7")
def json_of_empty_records_64_mb(folder: Path) -> str:
    from hostile_inputs import json_of_empty_records

    return _import(folder, "empties.json", json_of_empty_records(63 * 1024 * 1024))


@case("7")
def csv_of_one_character_lines_64_mb(folder: Path) -> str:
    from hostile_inputs import csv_of_one_character_lines

    return _import(folder, "letters.csv", csv_of_one_character_lines(63 * 1024 * 1024))


@case("8")
def refresh_of_a_trickling_service(folder: Path) -> str:
    from lib.sources import updater

    with hostile_service(trickle_interval=2.0, trickle_seconds=3600.0) as base_url:
        os.environ["FRONTLINE_DEEPSTATE_URL"] = base_url + "/trickle"
        summary = updater.refresh("deepstate", cache_root=folder)
    assert summary.unreachable == ["deepstate"], summary
    return summary.problems[0]


@case("8")
def upload_while_a_startup_fetch_stalls(folder: Path) -> str:
    import shapely
    from hostile_inputs import UKRAINE_LONLAT, polygon_geojson

    from lib.sources import UploadError, store_upload, updater

    with hostile_service(trickle_interval=2.0, trickle_seconds=3600.0) as base_url:
        os.environ["FRONTLINE_ISW_URL"] = base_url + "/trickle"
        stalled = threading.Thread(
            target=updater.startup_refresh, kwargs={"cache_root": folder}, daemon=True
        )
        stalled.start()
        time.sleep(3)
        data = polygon_geojson([shapely.get_coordinates(UKRAINE_LONLAT)])
        try:
            store_upload(data, "2024-01-31_control.geojson", cache_root=folder)
        except UploadError as error:
            message = str(error)
        else:
            raise AssertionError("stored while the cache was locked")
        stalled.join()
    return message


@case("9")
def arcgis_paging_that_never_ends(folder: Path) -> str:
    from lib.http import FetchError, HttpClient
    from lib.sources.isw import IswSource

    with hostile_service(features_per_page=1000) as base_url:
        source = IswSource(HttpClient(), base_url=base_url + "/arcgis", live_layer=None)
        [remote] = source.list_dates()
        try:
            source.fetch_snapshot(remote)
        except FetchError as error:
            return str(error).split(": ", 1)[1]
    raise AssertionError("paging never stopped")


@case("10")
def article_gzip_bomb_of_8_gb(folder: Path) -> str:
    from lib.extract.fetch import fetch_article
    from lib.http import FetchError

    with hostile_service(bomb_bytes=8 * 1024**3) as base_url:
        try:
            fetch_article(base_url + "/gzip-bomb")
        except FetchError as error:
            return str(error).split(": ", 1)[1]
    raise AssertionError("the bomb was read")


@case("10")
def article_from_a_slow_server(folder: Path) -> str:
    from lib.extract.fetch import fetch_article
    from lib.http import FetchError

    with hostile_service(trickle_interval=2.0, trickle_seconds=3600.0) as base_url:
        try:
            fetch_article(base_url + "/trickle")
        except FetchError as error:
            return str(error).split(": ", 1)[1]
    raise AssertionError("the page came")


@case("11")
def deepstate_nan_deep_and_1e300(folder: Path) -> str:
    from lib.sources import updater
    from lib.sources.cache import open_store

    with hostile_service(deep_levels=1_000_000) as base_url:
        os.environ["FRONTLINE_DEEPSTATE_URL"] = base_url + "/api"
        summary = updater.refresh("deepstate", cache_root=folder)
    last = open_store("deepstate", folder).contents().last_refresh
    assert (summary.fetched, summary.failed) == (1, 2), summary
    assert last is not None and last["failed"] == 2
    return f"{summary.line()}; last refresh recorded"


@case("12")
def redirects_off_the_origin(folder: Path) -> str:
    from lib.http import FetchError, HttpClient

    answers = []
    with hostile_service() as base_url:
        for kind in ("integer-host", "file", "malformed"):
            try:
                HttpClient().get_json(f"{base_url}/redirect/{kind}")
            except FetchError as error:
                answers.append(str(error).split(": ", 1)[1][:60])
            else:
                raise AssertionError(f"{kind} followed")
    return " | ".join(answers)


@case("13")
def added_at_past_the_end_of_time(folder: Path) -> str:
    record = {
        "date": "2025-05-11",
        "speaker": "A",
        "stance": "proposal",
        "quote": "q",
        "added_at": "9999-12-31T23:59:59-01:00",
    }
    return _import(folder, "late.json", json.dumps([record]).encode())


@case("13")
def number_of_5000_digits(folder: Path) -> str:
    return _import(folder, "digits.json", b'[{"date": ' + b"9" * 5000 + b"}]")


@case("14")
def markdown_in_a_link_parameter(folder: Path) -> str:
    from markdown_support import links_in

    from lib.markdown_text import literal

    phishing = "[Session expired - sign in again](http://203.0.113.9/login) www.evil.example"
    assert links_in(literal(phishing)) == []
    return "links rendered in the warning: 0"


@case("15")
def password_guessing(folder: Path) -> str:
    from lib.login_throttle import LoginThrottle

    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    compared = 0
    while now[0] < 3600:  # an hour of six tries a second, each from a new session
        if throttle.check(f"session {compared}-{now[0]}", lambda: False) is False:
            compared += 1
        now[0] += 1 / 6
    assert compared <= 100, compared
    return f"passwords compared in an hour at 6 tries/s: {compared} (of 21,600 tries)"


@case("16")
def opposite_order_imports_on_postgresql(folder: Path) -> str:
    from concurrent.futures import ThreadPoolExecutor

    from lib import statements as store

    engine = store.get_engine(postgres_schema(), seed=False)
    refused = 0
    for round_ in range(5):
        rows = [
            {"date": "2025-05-11", "speaker": "A", "stance": "proposal", "quote": f"{round_} {n}"}
            for n in range(200)
        ]
        start = threading.Barrier(2)

        def run(ordered, start=start):
            start.wait()
            return store.import_records(engine, ordered, added_by="probe", source_label="f")

        with ThreadPoolExecutor(2) as pool:
            reports = list(pool.map(run, [rows, rows[::-1]]))
        refused += sum(not report.ok for report in reports)
    assert refused == 0, refused
    return "5 rounds of two 200-row imports in opposite orders: 0 refused"


@case("17")
def geojson_of_2_million_vertices(folder: Path) -> str:
    from hostile_inputs import circle_ring, polygon_geojson

    return refused_upload("huge.geojson", polygon_geojson([circle_ring(1_999_990)]))[:160] + "…"


@case("17")
def coordinate_of_1e308(folder: Path) -> str:
    from hostile_inputs import huge_coordinate_geojson

    return refused_upload("far.geojson", huge_coordinate_geojson())


def run_case(name: str) -> None:
    """In the case's own process: run it, print one JSON line with the outcome and memory."""
    _, function = CASES[name]
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        try:
            answer, ok = function(Path(folder)), True
        except AssertionError as error:
            answer, ok = f"unexpected answer: {error}", False
        except Exception as error:  # the probe reports what broke instead of stopping
            answer, ok = f"{type(error).__name__}: {error}", False
    print(
        json.dumps(
            {
                "ok": ok,
                "answer": answer,
                "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            }
        )
    )


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT_SECONDS, TIME_LIMIT_SECONDS + 5))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_GUARD_BYTES, ADDRESS_SPACE_GUARD_BYTES))
    os.setsid()  # its own process group, so a timeout ends the readers it started too


def probe(name: str) -> bool:
    item, _ = CASES[name]
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, __file__, "--run", name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_limits,
        cwd=REPO_ROOT,
    )
    try:
        stdout, stderr = process.communicate(timeout=TIME_LIMIT_SECONDS + 10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        stdout, stderr = "", "killed at the wall-clock limit"
    seconds = time.monotonic() - started
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        print(f"[{item:>5}] {name:<42} FAIL {seconds:6.1f} s  (exit {process.returncode}: {tail})")
        return False
    report = json.loads(lines[-1])
    own, child = report["self_kb"] * 1024, report["children_kb"] * 1024
    within = own + child <= MEMORY_LIMIT_BYTES and seconds <= TIME_LIMIT_SECONDS
    ok = report["ok"] and within
    print(
        f"[{item:>5}] {name:<42} {'ok  ' if ok else 'FAIL'} {seconds:6.1f} s  "
        f"peak {own / 2**20:5.0f} MB (+ child {child / 2**20:4.0f} MB)  {report['answer']}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="default: all")
    parser.add_argument("--run", choices=sorted(CASES), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.run:
        run_case(arguments.run)
        return 0
    print(
        f"limits per case: {MEMORY_LIMIT_BYTES / 2**30:.1f} GB peak resident memory, "
        f"{TIME_LIMIT_SECONDS} s"
    )
    results = [probe(name) for name in arguments.case or CASES]
    print(f"{sum(results)} of {len(results)} cases within the limits with the expected answer")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
