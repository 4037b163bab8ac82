"""Refresh the cache from the sources (the updater), read it back, and report its state.

A refresh lists each source's dates, downloads only what is new or republished, checks each
snapshot on arrival and stores it atomically. Failures are counted and described, never fatal to
what is already cached: a source that cannot be reached leaves its cache exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from lib import config
from lib.http import FetchError, HttpClient, HttpSettings
from lib.source_registry import LIVE_SOURCE_IDS
from lib.sources.archive import ArchiveSource, infer_source
from lib.sources.base import Source
from lib.sources.cache import CacheError, SnapshotStore, open_store
from lib.sources.deepstate import DeepStateSource
from lib.sources.isw import IswSource
from lib.sources.normalise import EmptySnapshot

# What `refresh --source` accepts: the live sources, and "archive" (a folder of dated files
# stored under the source its file names name).
FETCHER_NAMES = (*LIVE_SOURCE_IDS, "archive")
# Consecutive failed downloads after which a source is left for the next refresh: past this the
# service is down or blocking us, and hammering it helps nobody.
MAX_CONSECUTIVE_FAILURES = 3
# What the app fetches at its first start: two months give the map its geometry and the latest
# months their figures, in seconds; the full history is one "Refresh now" away.
STARTUP_RECENT_DAYS = 62
# Listing a live source's snapshots for someone waiting in the app: one retry after half a
# second, then give up. Offline (a failed name lookup, a refused connection) that is under two
# seconds per source, where the batch client's four attempts with back-off took about 15.
INTERACTIVE_LISTING = HttpSettings(
    connect_timeout_seconds=5.0, read_timeout_seconds=30.0, attempts=2, backoff_base_seconds=0.5
)
# A whole refresh ends by this, whatever the services do (each request also has its own
# deadline); what is left waits for the next refresh. A first full DeepStateMap history (some
# 1,500 daily snapshots of 0.6 MB) takes about 20 minutes on a good line. The start-up try, with
# a page view waiting on it, gets STARTUP_DEADLINE_SECONDS.
REFRESH_DEADLINE_SECONDS = 3600.0
STARTUP_DEADLINE_SECONDS = 60.0
# What one bad answer may raise beyond FetchError/ValueError while being read and repaired: it
# fails that snapshot alone (deep nesting, NaN coordinates in GEOS, an absurd number).
SNAPSHOT_ERRORS = (
    FetchError,
    ValueError,
    RecursionError,
    OverflowError,
    shapely.errors.GEOSException,
)

Progress = Callable[[int, int, str], None]
# Asked between steps (before each source and each download): True stops the refresh there.
StopCheck = Callable[[], bool]
STATUS_COLUMNS = [
    "source",
    "snapshots",
    "layers",
    "first_date",
    "last_date",
    "age_days",
    "quarantined",
    "last_refresh",
    "problems",
]


@dataclass
class RefreshSummary:
    """Counts over all sources of one refresh, and every problem in words."""

    fetched: int = 0
    skipped: int = 0
    quarantined: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    # Where a cancelled refresh stopped ("after 2 of 5 deepstate snapshot(s)"); "" if it ran on.
    cancelled: str = ""

    def line(self) -> str:
        return (
            f"fetched {self.fetched}, skipped {self.skipped}, "
            f"quarantined {self.quarantined}, failed {self.failed}"
        )

    @property
    def ok(self) -> bool:
        return self.failed == 0


def make_source(name: str, client: HttpClient) -> Source:
    """The fetcher registered under `name`; "archive" reads the FRONTLINE_SNAPSHOTS folder."""
    if name == "isw":
        return IswSource(client)
    if name == "deepstate":
        return DeepStateSource(client)
    if name == "archive":
        folder = config.snapshots_dir()
        if folder is None:
            raise FetchError(
                "FRONTLINE_SNAPSHOTS is not set: point it at a folder of dated snapshot files"
            )
        return ArchiveSource(folder)
    raise ValueError(f"unknown source {name!r}; choose one of {', '.join(FETCHER_NAMES)}")


def refresh(
    source: str | None = None,
    since: dt.date | None = None,
    progress: Progress | None = None,
    *,
    client: HttpClient | None = None,
    cache_root: Path | None = None,
    quick_listing: bool = False,
    deadline_seconds: float = REFRESH_DEADLINE_SECONDS,
    should_stop: StopCheck | None = None,
) -> RefreshSummary:
    """Bring the cache up to date for `source` (default: every live source) from `since` on.

    `progress(done, total, message)` is called before and after each download. When a live
    source cannot even list its dates and FRONTLINE_SNAPSHOTS holds that source's archive, the
    archive is used instead. `client` carries the HTTP settings (timeouts, retries, size cap);
    `quick_listing` lists with INTERACTIVE_LISTING instead, so an unreachable source is known in
    seconds while the downloads keep the client's retries. Everything ends by `deadline_seconds`;
    snapshots not reached are left for the next refresh.

    `should_stop()` is asked before each source and each download, never during one: once it
    answers True the refresh stops there, keeps the snapshots stored so far (each is stored
    whole, lib/sources/cache.py), records the refresh as usual and says in `summary.cancelled`
    how far it got.
    """
    client = client or HttpClient()
    stop_at = client.stop_at = time.monotonic() + deadline_seconds
    summary = RefreshSummary()
    names = (source,) if source else LIVE_SOURCE_IDS
    for position, name in enumerate(names):
        if summary.cancelled or (should_stop is not None and should_stop()):
            left = f"{', '.join(names[position:])} not refreshed"
            summary.cancelled = f"{summary.cancelled}; {left}" if summary.cancelled else left
            break
        fetcher = make_source(name, client)
        lister = None
        if quick_listing:
            lister = make_source(name, HttpClient(INTERACTIVE_LISTING, stop_at=stop_at))
        outcome = _refresh_one(
            fetcher,
            open_store(fetcher.name, cache_root),
            since,
            progress,
            stop_at,
            lister=lister,
            should_stop=should_stop,
        )
        if outcome.listing_failed and name in LIVE_SOURCE_IDS:
            fallback = _archive_fallback(name)
            if fallback is not None:
                outcome.problems.append(f"{name}: using the archive {fallback.folder} instead")
                outcome = _merge(
                    outcome,
                    _refresh_one(
                        fallback,
                        open_store(name, cache_root),
                        since,
                        progress,
                        stop_at,
                        should_stop=should_stop,
                    ),
                )
        summary.fetched += outcome.fetched
        summary.skipped += outcome.skipped
        summary.quarantined += outcome.quarantined
        summary.failed += outcome.failed
        summary.problems.extend(outcome.problems)
        summary.cancelled = outcome.cancelled
        if outcome.listing_failed:
            summary.unreachable.append(name)
    return summary


def endpoint(source: str) -> str:
    """The base URL a live source is fetched from (configuration)."""
    return {"isw": config.isw_url, "deepstate": config.deepstate_url}[source]()


def has_cached_data(source: str, *, cache_root: Path | None = None) -> bool:
    """Whether `source` has at least one accepted snapshot in the cache."""
    return bool(open_store(source, cache_root).contents().accepted)


def startup_refresh(
    source: str = "isw",
    *,
    recent_days: int | None = None,
    timeout_seconds: float = 5.0,
    cache_root: Path | None = None,
) -> RefreshSummary | None:
    """At app start with nothing cached: one quick try for the last `recent_days` (default
    STARTUP_RECENT_DAYS) of `source`.

    One attempt per request and short timeouts, so an offline start costs seconds, not minutes;
    `summary.unreachable` then names the source and the app shows its bundled figures instead.
    Returns None when data is already cached (nothing to do).
    """
    if has_cached_data(source, cache_root=cache_root):
        return None
    quick = HttpClient(
        HttpSettings(
            connect_timeout_seconds=timeout_seconds,
            read_timeout_seconds=timeout_seconds * 4,
            attempts=1,
        )
    )
    days = STARTUP_RECENT_DAYS if recent_days is None else recent_days
    since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days)
    return refresh(
        source,
        since,
        client=quick,
        cache_root=cache_root,
        deadline_seconds=STARTUP_DEADLINE_SECONDS,
    )


@dataclass
class _SourceOutcome(RefreshSummary):
    listing_failed: bool = False


def last_refresh_reached(source: str, *, cache_root: Path | None = None) -> bool:
    """Whether the newest refresh recorded for `source` reached its live service (an upload
    records none, so it never says a source is online)."""
    report = open_store(source, cache_root).contents().last_refresh or {}
    return bool(report.get("reached_live"))


def _refresh_one(
    fetcher: Source,
    cache: SnapshotStore,
    since: dt.date | None,
    progress: Progress | None,
    stop_at: float,
    *,
    lister: Source | None = None,
    should_stop: StopCheck | None = None,
) -> _SourceOutcome:
    outcome = _SourceOutcome()
    started = dt.datetime.now(dt.UTC)
    try:
        with cache.lock():
            try:
                _download_new(
                    fetcher,
                    cache,
                    since,
                    progress,
                    outcome,
                    stop_at,
                    lister=lister,
                    should_stop=should_stop,
                )
            finally:
                # Written even when something unforeseen ends the refresh, so `status` and the
                # Data page show when it ran and what went wrong.
                _record_refresh(fetcher, cache, started, outcome, lister)
    except CacheError as error:
        outcome.failed += 1
        outcome.problems.append(str(error))
    return outcome


def _record_refresh(
    fetcher: Source,
    cache: SnapshotStore,
    started: dt.datetime,
    outcome: _SourceOutcome,
    lister: Source | None,
) -> None:
    for source in (lister, fetcher):
        outcome.problems.extend(getattr(source, "problems", []))
    cache.record_refresh(
        {
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "origin": fetcher.description,
            "fetched": outcome.fetched,
            "skipped": outcome.skipped,
            "quarantined": outcome.quarantined,
            "failed": outcome.failed,
            "reached_live": not outcome.listing_failed and not isinstance(fetcher, ArchiveSource),
            "cancelled": outcome.cancelled,
            "problems": outcome.problems[-20:],
        }
    )


def _download_new(
    fetcher: Source,
    cache: SnapshotStore,
    since: dt.date | None,
    progress: Progress | None,
    outcome: _SourceOutcome,
    stop_at: float,
    *,
    lister: Source | None = None,
    should_stop: StopCheck | None = None,
) -> None:
    name = fetcher.name
    try:
        available = (lister or fetcher).list_dates(since)
    except FetchError as error:
        outcome.failed += 1
        outcome.listing_failed = True
        outcome.problems.append(f"{name}: cannot list snapshots: {error}")
        return
    accepted = cache.contents().accepted
    wanted = [
        remote
        for remote in available
        if (accepted.get(remote.date) or {}).get("version") != remote.version
    ]
    outcome.skipped += len(available) - len(wanted)
    consecutive_failures = 0
    for done, remote in enumerate(wanted):
        if should_stop is not None and should_stop():
            outcome.cancelled = f"after {done} of {len(wanted)} {name} snapshot(s)"
            break
        if time.monotonic() >= stop_at:
            outcome.failed += 1
            outcome.problems.append(
                f"{name}: the refresh reached its deadline; {len(wanted) - done} snapshot(s) "
                "left for the next refresh"
            )
            break
        if progress:
            progress(done, len(wanted), f"{name} {remote.date}")
        try:
            try:
                result = cache.store(fetcher.fetch_snapshot(remote), version=remote.version)
            except EmptySnapshot as empty:
                result = cache.reject(remote.date, str(empty), version=remote.version)
        except SNAPSHOT_ERRORS as error:
            outcome.failed += 1
            consecutive_failures += 1
            outcome.problems.append(f"{name} {remote.date}: {error}")
            if consecutive_failures >= MAX_CONSECUTIVE_FAILURES:
                left = len(wanted) - done - 1
                outcome.problems.append(
                    f"{name}: {consecutive_failures} failures in a row; stopped, "
                    f"{left} snapshot(s) left for the next refresh"
                )
                break
            continue
        consecutive_failures = 0
        if result.outcome == "quarantined":
            outcome.quarantined += 1
            outcome.problems.append(f"{name} {remote.date}: quarantined: {result.reason}")
        else:
            outcome.fetched += 1
    if progress and not outcome.cancelled:
        progress(len(wanted), len(wanted), f"{name} done")


def _archive_fallback(name: str) -> ArchiveSource | None:
    folder = config.snapshots_dir()
    if folder is None or not folder.is_dir() or infer_source(folder) != name:
        return None
    return ArchiveSource(folder, name=name)


def _merge(first: _SourceOutcome, second: _SourceOutcome) -> _SourceOutcome:
    # The live listing failure is replaced by the archive's outcome, not counted twice.
    return _SourceOutcome(
        fetched=first.fetched + second.fetched,
        skipped=first.skipped + second.skipped,
        quarantined=first.quarantined + second.quarantined,
        failed=first.failed - 1 + second.failed,
        problems=first.problems + second.problems,
        listing_failed=second.listing_failed,
        cancelled=second.cancelled,
    )


def cached_snapshots(source: str, *, cache_root: Path | None = None) -> gpd.GeoDataFrame:
    """The accepted cached snapshots of `source`, the engine's snapshots frame (oldest first).

    Unreadable files are skipped and listed in `attrs["problems"]`; quarantined ones never appear.
    """
    return open_store(source, cache_root).snapshots()


def status(*, cache_root: Path | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """One row per source (uploads when any): coverage, the layers measured, age of the newest
    snapshot, quarantined dates, last refresh and problems."""
    today = today or dt.datetime.now(dt.UTC).date()
    rows = []
    uploads = ("upload",) if open_store("upload", cache_root).exists() else ()
    for name in (*LIVE_SOURCE_IDS, *uploads):
        cache = open_store(name, cache_root)
        contents = cache.contents()
        dates = sorted(contents.accepted)
        last_refresh = contents.last_refresh or {}
        problems = list(cache.problems) + list(last_refresh.get("problems", []))
        problems += [
            f"{day}: quarantined: {entry.get('reason', '')}"
            for day, entry in sorted(contents.quarantined.items())
        ]
        rows.append(
            {
                "source": name,
                "snapshots": len(dates),
                "layers": "; ".join(
                    sorted({entry.get("layers", "") for entry in contents.accepted.values()})
                ),
                "first_date": dates[0] if dates else None,
                "last_date": dates[-1] if dates else None,
                "age_days": (today - dates[-1]).days if dates else None,
                "quarantined": len(contents.quarantined),
                "last_refresh": last_refresh.get("finished_at"),
                "problems": problems,
            }
        )
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)
