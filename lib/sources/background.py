"""A refresh running in a thread of its own, so that whoever started it can watch and cancel it.

The thread calls a refresh (lib.sources.updater.refresh) with two callbacks: one records its
progress, the other answers whether a cancel was asked. The refresh asks between steps, before
each source and each snapshot download, so a cancel never cuts a download or a write in half: it
takes effect when the current snapshot is stored (or has failed), and what was stored stays.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from lib.sources.updater import Progress, RefreshSummary, StopCheck

# What the thread runs: a refresh given the progress callback and the cancel check.
RefreshRun = Callable[[Progress, StopCheck], RefreshSummary]


@dataclass(frozen=True)
class RefreshProgress:
    """The refresh's last report: `done` of `total` snapshots of the current source, and what it
    is doing; `total` is 0 until a source has listed its snapshots."""

    done: int
    total: int
    message: str


class BackgroundRefresh:
    """One refresh, started at construction in a daemon thread (a server that stops mid-refresh
    loses only the snapshot being downloaded: every write is atomic)."""

    def __init__(self, run: RefreshRun) -> None:
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._progress = RefreshProgress(0, 0, "Listing the available snapshots")
        self._summary: RefreshSummary | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(
            target=self._run, args=(run,), name="snapshot-refresh", daemon=True
        )
        self._thread.start()

    def _run(self, run: RefreshRun) -> None:
        try:
            summary = run(self._report, self._cancel.is_set)
        except Exception as error:  # handed to the page by `summary()`, not lost in the thread
            with self._lock:
                self._error = error
            return
        with self._lock:
            self._summary = summary

    def _report(self, done: int, total: int, message: str) -> None:
        with self._lock:
            self._progress = RefreshProgress(done, total, message)

    @property
    def progress(self) -> RefreshProgress:
        with self._lock:
            return self._progress

    def cancel(self) -> None:
        """Ask the refresh to stop at its next step."""
        self._cancel.set()

    @property
    def cancel_asked(self) -> bool:
        return self._cancel.is_set()

    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout_seconds: float) -> bool:
        """Wait until the refresh ends or `timeout_seconds` pass; whether it has ended."""
        self._thread.join(timeout_seconds)
        return not self._thread.is_alive()

    def summary(self) -> RefreshSummary:
        """The finished refresh's summary; raises what ended it, if it raised."""
        if self.running():
            raise RuntimeError("the refresh is still running")
        with self._lock:
            if self._error is not None:
                raise self._error
            assert self._summary is not None
            return self._summary
