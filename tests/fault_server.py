"""What the loopback test servers share: a threading HTTP server on a free 127.0.0.1 port that
records each request's path and hands out scripted misbehaviours (faults) to the handler."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FaultRecordingServer(ThreadingHTTPServer):
    """`faults` are objects with `path_contains` and `times`; `requests` lists (time, path)."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.faults: list[Any] = []
        self.requests: list[tuple[float, str]] = []
        self._lock = threading.Lock()

    def take_fault(self, path: str) -> Any | None:
        """Record the request; the first fault still due for `path` (used up once), or None."""
        with self._lock:
            self.requests.append((time.monotonic(), path))
            for fault in self.faults:
                if fault.times > 0 and fault.path_contains in path:
                    fault.times -= 1
                    return fault
        return None

    def take_fault_after_delay(self, path: str) -> Any | None:
        """As `take_fault`, but a "delay" fault is served here (sleep `seconds`, then answer
        normally), so the handler only sees faults that change the answer."""
        fault = self.take_fault(path)
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.seconds)
            return None
        return fault
