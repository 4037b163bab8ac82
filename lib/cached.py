"""The app's caches: the only Streamlit import in lib/, and the only place with st.cache_data.

Each wrapper is keyed on cheap, hashable arguments (a source id, a database URL, month strings, a
folder and a signature of its files), never on a frame, and reads nothing but its arguments. The
pure functions they wrap stay uncached so tests and CLIs need no Streamlit runtime.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
import os
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import sqlalchemy
import streamlit as st

from lib import charts, claims, feeds, geography, sources, territory
from lib import statements as store
from lib.login_throttle import LoginThrottle
from lib.source_registry import VIEW_SOURCE_IDS, short_label
from lib.sources import compare
from lib.sources.schedule import refresh_if_due
from lib.territory.bundle import bundled_path
from lib.territory.totals import PeriodTotal, period_totals

# How long the first page view waits for the start-up fetch's first answer: enough for an offline
# machine to learn so (a refused connection or a failed name lookup takes milliseconds), short
# enough not to hold the first chart; a slower answer arrives in the background.
STARTUP_WAIT_SECONDS = 2.0

# Statements can change outside this session (another editor, the CLI); a few minutes is fresh
# enough for reading, and this session's own edits clear the caches at once.
STATEMENTS_TTL_SECONDS = 300


@st.cache_data(show_spinner=False)
def monthly(source: str, signature: str, counting: str = "assessed") -> pd.DataFrame:
    """The bundled monthly table of `source` counted as `counting`; `signature` changes when
    the file is rebuilt."""
    return territory.read_bundled_monthly(source, counting=counting)


def claim_check(text: str, said_on: dt.date) -> tuple[claims.Claim, tuple[claims.Verdict, ...]]:
    """`text` said on `said_on`, read and checked against the bundled figures of every source a
    view can show; cached per sentence, date and version of the bundled files."""
    return _claim_check(text, said_on.isoformat(), bundled_signatures())


@st.cache_data(show_spinner=False, max_entries=2048)
def _claim_check(
    text: str, said_on: str, signatures: tuple[tuple[str, str], ...]
) -> tuple[claims.Claim, tuple[claims.Verdict, ...]]:
    claim = claims.parse_claim(text, dt.date.fromisoformat(said_on))
    return claim, tuple(claims.check_claim(claim, _bundled_tables(signatures)))


def _bundled_tables(signatures: tuple[tuple[str, str], ...]) -> dict[str, pd.DataFrame]:
    """The bundled monthly tables (default counting); an unreadable one is empty (the sidebar
    reports it), so its months are simply without figures."""
    tables = {}
    for source, signature in signatures:
        try:
            tables[source] = monthly(source, signature)
        except (FileNotFoundError, ValueError):
            tables[source] = pd.DataFrame(columns=territory.BUNDLED_COLUMNS)
    return tables


def bundled_signature(source: str, counting: str = "assessed") -> str:
    """Modification time and size of the bundled table of `source` and `counting`, or
    "missing": a rebuilt table is read again without restarting the app."""
    return file_signature(bundled_path(source, counting=counting))


@st.cache_resource(show_spinner=False)
def login_throttle() -> LoginThrottle:
    """The server's one record of wrong editor passwords (per process, shared by sessions)."""
    return LoginThrottle()


@st.cache_resource(show_spinner=False)
def engine(database_url: str) -> sqlalchemy.Engine:
    """One engine (and connection pool) per database URL for the whole server."""
    return store.get_engine(database_url)


@st.cache_data(ttl=STATEMENTS_TTL_SECONDS, show_spinner=False)
def statements(
    database_url: str,
    from_month: str | None,
    to_month: str | None,
    stances: tuple[str, ...],
    actors: tuple[str, ...] = (),
    text: str | None = None,
) -> pd.DataFrame:
    """Statements dated within the month range, of the given stances and actors (speakers or
    affiliations; all when empty)."""
    return store.query_statements(
        engine(database_url),
        from_month=from_month,
        to_month=to_month,
        stances=stances,
        actors=actors,
        text=text or None,
    )


@st.cache_data(ttl=STATEMENTS_TTL_SECONDS, show_spinner=False)
def statement_markers(
    database_url: str,
    from_month: str | None,
    to_month: str | None,
    stances: tuple[str, ...],
    actors: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The chart's markers (one per month and stance, with their hover text) for the statements
    `statements` returns with the same arguments: hundreds of hovers, built once per filter."""
    return charts.statement_markers(statements(database_url, from_month, to_month, stances, actors))


# Read-only once built (st.plotly_chart copies it into its message), so shared, not copied: a
# month change leaves the figure as it was and needs it again at once.
@st.cache_resource(ttl=STATEMENTS_TTL_SECONDS, show_spinner=False, max_entries=64)
def net_gains_figure(
    source: str,
    counting: str,
    signature: str,
    database_url: str,
    from_month: str | None,
    to_month: str | None,
    stances: tuple[str, ...],
    actors: tuple[str, ...],
    months: tuple[str, ...],
    scale: str | None,
) -> charts.SharedFigure:
    """The Overview chart (lib.charts.net_gains) of `source` counted as `counting` (`signature`
    its bundled file's) over `months`, with the statements `statements` returns for the filter:
    built, validated and turned into its dict form once per view rather than on every rerun."""
    table = monthly(source, signature, counting)
    disagreements, _ = comparison(bundled_signatures(), months)
    figure = charts.net_gains(
        table[table["month"].isin(months)],
        statements(database_url, from_month, to_month, stances, actors),
        months=list(months),
        scale=scale,
        disagreements=disagreements,
        source_label=short_label(source),
        markers=statement_markers(database_url, from_month, to_month, stances, actors),
    )
    return charts.SharedFigure(figure)


@st.cache_data(show_spinner=False, max_entries=256)
def comparison(
    signatures: tuple[tuple[str, str], ...], months: tuple[str, ...]
) -> tuple[dict[str, str], list[PeriodTotal]]:
    """For the months of a range: the months in which ISW and DeepStateMap name different sides
    as ahead (month → sentence), and each source's totals; keyed on the bundled files'
    signatures (`bundled_signatures()`)."""
    tables = _bundled_tables(signatures)
    disagreements = compare.leader_disagreements(tables["isw"], tables["deepstate"], list(months))
    return disagreements, period_totals(tables, months)


def bundled_signatures() -> tuple[tuple[str, str], ...]:
    """(source, signature) of the bundled table of every source a view can show."""
    return tuple((source, bundled_signature(source)) for source in VIEW_SOURCE_IDS)


@st.cache_data(ttl=STATEMENTS_TTL_SECONDS, show_spinner=False)
def actors(database_url: str) -> list[str]:
    """Every affiliation and speaker in the store, the values the `actor` filter accepts."""
    database = engine(database_url)
    return sorted(set(store.list_affiliations(database)) | set(store.list_speakers(database)))


def clear_statements() -> None:
    """Forget cached statements after this session changed the store."""
    statements.clear()
    statement_markers.clear()
    net_gains_figure.clear()
    actors.clear()


# Snapshot frames are large: keep the current folder's (per source) and let older ones go.
@st.cache_resource(show_spinner="Reading the snapshot files…", max_entries=2)
def snapshots(folder: str, source: str, signature: str) -> gpd.GeoDataFrame:
    """Snapshots of `source` read from `folder`, kept once per server (read-only after loading)."""
    return territory.load_snapshots(folder, source=source)


@st.cache_data(show_spinner="Computing the month's change…", max_entries=48)
def month_change(folder: str, source: str, signature: str, month: str) -> gpd.GeoDataFrame:
    """The month's held, gained and regained geometries (EPSG:4326) from `folder`."""
    return territory.month_change_geometries(snapshots(folder, source, signature), month)


@st.cache_data(show_spinner=False)
def diplomacy_series(path: str, signature: str) -> pd.DataFrame | None:
    """GDELT's monthly diplomacy series as `python -m lib.feeds refresh` cached it at `path`
    (None before the first refresh); `signature` (file_signature) changes when it is rewritten."""
    return feeds.read_series(Path(path))


@st.cache_resource(show_spinner=False)
def oblasts(path: str, signature: str) -> gpd.GeoDataFrame:
    """The bundled oblasts at `path` (EPSG:4326), read once per server (read-only after)."""
    return geography.read_oblasts(Path(path))


def folder_signature(folder: Path) -> str:
    """Count, newest modification time and total size of the files under `folder`: a cheap key
    that changes when snapshot files are added or replaced."""
    count = newest = total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            stat = (Path(root) / name).stat()
            count += 1
            newest = max(newest, stat.st_mtime_ns)
            total += stat.st_size
    return f"{count}:{newest}:{total}"


def file_signature(path: Path) -> str:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "missing"
    return f"{stat.st_mtime_ns}:{stat.st_size}"


def startup_attempt(source: str) -> concurrent.futures.Future:
    """The server's one start-up try at recent data of `source` (lib.sources.startup_refresh),
    running in the background; its result is None when data was already cached."""
    return _startup_attempt(source, sources.store_location(), sources.endpoint(source))


def retry_startup_attempt() -> None:
    """Forget the start-up attempts so the next `startup_attempt` tries again."""
    _startup_attempt.clear()


@st.cache_resource(show_spinner=False)
def _startup_attempt(source: str, location: str, endpoint: str) -> concurrent.futures.Future:
    # Once per server per store and endpoint: every session shares the answer, and no rerun
    # repeats the attempt. The worker thread ends with the attempt (bounded by its timeouts).
    executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="startup-refresh")
    attempt = executor.submit(sources.startup_refresh, source, cache_root=sources.root_at(location))
    executor.shutdown(wait=False)
    concurrent.futures.wait([attempt], timeout=STARTUP_WAIT_SECONDS)
    return attempt


def live_cache_signature(source: str) -> str:
    """The fetch cache's signature for `source`: a refresh or an upload changes the key. In the
    shared store it is the version every replica reads, so a refresh on one replica reaches the
    others at their next rerun."""
    return sources.open_store(source).signature()


# Like the snapshot folders: keep the current cache's frames and let older ones go.
@st.cache_resource(show_spinner="Reading the cached snapshots…", max_entries=2)
def live_snapshots(location: str, source: str, signature: str) -> gpd.GeoDataFrame:
    """The accepted snapshots of `source` in the store at `location` (`sources.store_location`;
    read-only)."""
    return sources.cached_snapshots(source, cache_root=sources.root_at(location))


@st.cache_data(show_spinner="Computing the month's change…", max_entries=48)
def live_month_change(location: str, source: str, signature: str, month: str) -> gpd.GeoDataFrame:
    """The month's held, gained and regained geometries (EPSG:4326) from the fetch cache."""
    return territory.month_change_geometries(live_snapshots(location, source, signature), month)


# How often each replica asks whether a scheduled refresh is due: often enough that the interval is
# kept to within a few minutes, rarely enough that asking (one lock try, one small query) is free.
SCHEDULE_CHECK_SECONDS = 120


@st.cache_resource(show_spinner=False)
def scheduled_refreshes(interval_seconds: int, location: str) -> threading.Event:
    """Once per server: a daemon thread that asks every SCHEDULE_CHECK_SECONDS (or the interval,
    if shorter) for a scheduled refresh of the live sources in the store at `location`. Every
    replica runs one; `refresh_if_due` lets one refresh per interval through, whichever asks.
    Setting the returned event ends the thread."""
    interval = dt.timedelta(seconds=interval_seconds)
    root = sources.root_at(location)
    stop = threading.Event()

    def ask_until_stopped() -> None:
        while not stop.is_set():
            try:
                refresh_if_due(interval, cache_root=root)
            except Exception:  # a failed try is retried at the next check; never end the loop
                logging.getLogger(__name__).exception("scheduled refresh failed")
            stop.wait(min(SCHEDULE_CHECK_SECONDS, interval_seconds))

    threading.Thread(target=ask_until_stopped, name="scheduled-refresh", daemon=True).start()
    return stop
