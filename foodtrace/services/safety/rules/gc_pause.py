"""The cyclic garbage collector paused while the rules' facts are folded and checked.

A district's fold builds millions of small objects (lots, uses, certificates, findings) that are not
garbage until the report is done, and none of them form cycles; every automatic full collection walks
all of them again. At 1M events that was about a third of the year's report (docs/performance.md,
"The first report of a period"). Within ``gc_paused()`` no automatic collection runs; acyclic garbage
is still freed at once by reference counts. Re-entrant and shared by threads: the collector is enabled
again when the last report leaves, and only if it was enabled when the first came in.
"""

from __future__ import annotations

from contextlib import contextmanager
import gc
import threading
from typing import Iterator

_lock = threading.Lock()
_inside = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    global _inside, _was_enabled
    with _lock:
        if _inside == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _was_enabled:
                gc.enable()


__all__ = ["gc_paused"]
