"""Slowing down password guessing: back-off per session after wrong passwords, and a cap per server.

Without it the editor password could be tried about six times a second (one Streamlit rerun per
try). Two limits apply, because a guesser can open a new session for every try:

- per session, the first FREE_FAILURES wrong passwords cost nothing (typos happen); each further
  one doubles the wait before the next try, from 2 s up to SESSION_MAX_WAIT_SECONDS;
- per server process, at most SERVER_MAX_FAILURES wrong passwords in any SERVER_WINDOW_SECONDS;
  past that every session waits until the oldest failure leaves the window (about 80 guesses an
  hour per replica, where the old page allowed 20,000).

A right password clears its session's count, not the server's: the server cap counts guesses,
and a guesser who also knows the password gains nothing from it. While a wait runs, the password
is not even compared, so waiting is the only way on. The state lives in memory, one per process
(`lib/cached.py` keeps one for the server); a restart forgets it, which costs a guesser a restart.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

FREE_FAILURES = 3
SESSION_BASE_WAIT_SECONDS = 2.0
SESSION_MAX_WAIT_SECONDS = 300.0
SERVER_MAX_FAILURES = 20
SERVER_WINDOW_SECONDS = 900.0
# Sessions forgotten after this long without a failure, so the table cannot grow without bound.
SESSION_MEMORY_SECONDS = 3600.0
MAX_TRACKED_SESSIONS = 10_000


@dataclass
class _SessionFailures:
    count: int = 0
    last_failure: float = 0.0


@dataclass
class LoginThrottle:
    """Attempt bookkeeping for one password; thread-safe (app sessions run in threads)."""

    clock: Callable[[], float] = time.monotonic
    _sessions: dict[str, _SessionFailures] = field(default_factory=dict)
    _server_failures: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, session: str) -> float:
        """Seconds before `session` may try a password; 0 when it may try now."""
        with self._lock:
            now = self.clock()
            self._forget_old(now)
            waits = [0.0]
            failures = self._sessions.get(session)
            if failures is not None and failures.count >= FREE_FAILURES:
                backoff = SESSION_BASE_WAIT_SECONDS * 2 ** (failures.count - FREE_FAILURES)
                waits.append(failures.last_failure + min(backoff, SESSION_MAX_WAIT_SECONDS) - now)
            if len(self._server_failures) >= SERVER_MAX_FAILURES:
                oldest_that_counts = self._server_failures[-SERVER_MAX_FAILURES]
                waits.append(oldest_that_counts + SERVER_WINDOW_SECONDS - now)
            return max(waits)

    def check(self, session: str, password_is_right: Callable[[], bool]) -> bool | float:
        """Try a password for `session`: True (right), False (wrong, counted), or the seconds to
        wait (nothing compared). `password_is_right` runs only when a try is allowed."""
        wait = self.wait_seconds(session)
        if wait > 0:
            return wait
        if password_is_right():
            with self._lock:
                self._sessions.pop(session, None)
            return True
        with self._lock:
            now = self.clock()
            failures = self._sessions.setdefault(session, _SessionFailures())
            failures.count += 1
            failures.last_failure = now
            self._server_failures.append(now)
            if len(self._sessions) > MAX_TRACKED_SESSIONS:
                oldest = min(self._sessions, key=lambda key: self._sessions[key].last_failure)
                del self._sessions[oldest]
        return False

    def _forget_old(self, now: float) -> None:
        while self._server_failures and self._server_failures[0] <= now - SERVER_WINDOW_SECONDS:
            self._server_failures.popleft()
        stale = [
            key
            for key, failures in self._sessions.items()
            if failures.last_failure <= now - SESSION_MEMORY_SECONDS
        ]
        for key in stale:
            del self._sessions[key]
