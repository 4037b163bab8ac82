"""The server's Python heap: keep the long-lived part out of the garbage collector's way.

Streamlit runs a full `gc.collect()` after every script run (its `runner.postScriptGC`). With
geopandas, plotly and SQLAlchemy loaded, that pass walks some 160,000 long-lived objects, about
85 ms here, holding the GIL while the run's last messages wait to be sent: every filter change
showed that much later. Frozen objects are skipped by every later collection, so the pass walks
only what the runs themselves create, and still frees it. The one collection before the freeze
falls at the end of the server's first complete run, once per process.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_long_lived_objects() -> None:
    """Collect once, then freeze what is alive; does nothing after the first call.

    Call it after a complete script run, when the libraries, the caches and the module-level
    tables exist: what is frozen is never collected, which suits only objects kept for the
    life of the process.
    """
    global _frozen
    with _lock:
        if _frozen:
            return
        gc.collect()
        gc.freeze()
        _frozen = True
