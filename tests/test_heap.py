"""lib.heap in a fresh interpreter (freezing this test process's heap would outlive the test)."""

from __future__ import annotations

import subprocess
import sys

from browser_support import REPO_ROOT

PROBE = """
import gc
import weakref
from lib import heap

class Node:
    pass

kept = Node()
cycle = Node()
cycle.self = cycle  # garbage once deleted, but only a collection can free it
cycle_ref = weakref.ref(cycle)
del cycle
before = gc.get_freeze_count()
heap.freeze_long_lived_objects()
frozen = gc.get_freeze_count()
created_later = [Node() for _ in range(10)]
heap.freeze_long_lived_objects()
print(before, frozen, gc.get_freeze_count(), cycle_ref() is None)
"""


def test_collects_then_freezes_what_is_alive_once():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    before, frozen, after_second_call, cycle_freed = result.stdout.split()
    assert int(before) == 0
    assert int(frozen) > 1_000  # at least the interpreter's own modules
    assert int(after_second_call) == int(frozen)
    assert cycle_freed == "True"  # garbage is collected, not frozen
