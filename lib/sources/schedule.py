"""Scheduled refreshes: once per interval across every replica sharing the store, never at once.

Every replica (and the compose `refresh` service, or the Kubernetes CronJob) may ask for a
scheduled refresh whenever it likes; `refresh_if_due(interval)` runs one only when no refresh of
the live sources is running anywhere and the shared refresh log shows none started within the
interval. The lock is PostgreSQL's advisory lock when the store is in PostgreSQL (all replicas
take it on the same database), else an flock beside the file cache (one machine); either is
dropped with the process that held it, so a replica killed mid-refresh blocks nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lib import config
from lib.source_registry import LIVE_SOURCE_IDS
from lib.sources.cache import open_store, shared_engine
from lib.sources.shared_store import advisory_lock
from lib.sources.updater import RefreshSummary, refresh

SCHEDULE_LOCK_NAME = "scheduled-refresh"


@dataclass(frozen=True)
class ScheduleOutcome:
    """What a scheduled call did: `ran` with the refresh's summary, or skipped and why."""

    ran: bool
    reason: str
    summary: RefreshSummary | None = None


def last_refresh_started(cache_root: Path | None = None) -> dt.datetime | None:
    """When the least recently refreshed live source was last refreshed; None if one never was."""
    started = []
    for source in LIVE_SOURCE_IDS:
        report = open_store(source, cache_root).contents().last_refresh
        if not report or not report.get("started_at"):
            return None
        started.append(dt.datetime.fromisoformat(report["started_at"]))
    return min(started) if started else None


def refresh_if_due(
    interval: dt.timedelta,
    *,
    cache_root: Path | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    run_refresh: Callable[[], RefreshSummary] | None = None,
) -> ScheduleOutcome:
    """Refresh every live source unless a refresh runs elsewhere or the last one started less
    than `interval` ago. `run_refresh` defaults to `refresh()` of the live sources."""
    with schedule_lock(cache_root) as acquired:
        if not acquired:
            return ScheduleOutcome(False, "a scheduled refresh is running on another replica")
        last = last_refresh_started(cache_root)
        if last is not None and now() - last < interval:
            return ScheduleOutcome(
                False,
                f"the live sources were refreshed at {last:%Y-%m-%d %H:%M} UTC; the next "
                f"scheduled refresh is due at {last + interval:%Y-%m-%d %H:%M} UTC",
            )
        summary = (run_refresh or (lambda: refresh(cache_root=cache_root)))()
        return ScheduleOutcome(True, f"refreshed: {summary.line()}", summary)


@contextlib.contextmanager
def schedule_lock(cache_root: Path | None = None) -> Iterator[bool]:
    """Try the one lock of scheduled refreshes; yields whether this process holds it."""
    engine = shared_engine() if cache_root is None else None
    if engine is not None:
        with advisory_lock(engine, SCHEDULE_LOCK_NAME) as acquired:
            yield acquired
        return
    folder = cache_root or config.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".schedule.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
