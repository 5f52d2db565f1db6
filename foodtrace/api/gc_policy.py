"""The serving process's garbage-collection policy (``foodtrace serve``'s workers only; see ``install``).

CPython's cyclic collector walks every tracked object of the oldest generation in each full collection,
and a server's oldest generation is mostly what it keeps on purpose: the lineage graph of the store
(millions of references) and the kept views and lot pieces (a few hundred pydantic objects each). Measured
on the 1M benchmark store (docs/performance.md, "First scans"), full collections paused a worker for
150–290 ms at a time while it kept its first thousand views, and the consumer page's tail latency was
those pauses.

The policy:

- once the store's lineage is loaded, collect once and freeze what survives (``gc.freeze``: moved to a
  permanent generation that collections do not walk);
- after every full collection, freeze its survivors likewise, so the next one walks only what was kept
  since;
- every ``SWEEP_S`` seconds, if a collection of the middle generation has moved anything into the oldest
  since the last full collection, run a full one: it walks what was kept in those few tenths of a second.
  CPython's own rule waits for 11 middle collections *and* for the oldest generation to grow by a quarter
  of what the last full collection kept; once the kept views and pieces churn (the caches full, old
  entries frozen and dying, new ones not frozen yet), that let 500,000–620,000 objects pile up and be
  walked at once — pauses of 0.5–0.75 s that made the trace API's p99 0.6 s (docs/performance.md);
- every ``FULL_EVERY_S`` seconds, unfreeze everything and collect it all once, so that a kept object that
  later became part of a garbage cycle (a closed connection, a replaced view) is still reclaimed: one
  longer pause an hour instead of one every few seconds.

Frozen objects are still freed by reference counting; only cycles among them wait for the hourly pass.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time

log = logging.getLogger(__name__)

FULL_EVERY_S = 3600.0
SWEEP_S = 0.1

_installed = False
_lock = threading.Lock()


def _freeze_survivors(phase: str, info: dict) -> None:
    # At the end of a full collection the younger generations are empty and every tracked object is
    # reachable: freezing then moves no garbage out of the collector's reach.
    if phase == "stop" and info.get("generation") == 2:
        gc.freeze()


def install() -> None:
    """Freeze the survivors of every full collection, in this process (idempotent). Called by the serving
    worker's app factory, not by ``create_app``: a test process creating many apps keeps the default."""
    global _installed
    with _lock:
        if not _installed:
            gc.callbacks.append(_freeze_survivors)
            _installed = True


def installed() -> bool:
    return _installed


def full_collection() -> float:
    """Unfreeze and collect everything once (the survivors are frozen again); the seconds it took."""
    t = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    return time.perf_counter() - t


def sweep() -> bool:
    """A full collection of what was kept since the last one (the rest is frozen) when a collection of the
    middle generation has moved anything into the oldest since; whether it ran."""
    if gc.get_count()[2] == 0:
        return False
    gc.collect(2)
    return True


async def keep(store_ready) -> None:
    """The policy's task for one app: once ``store_ready()`` returns (called in a worker thread: it waits
    for the lineage to load), a full collection; then a sweep every ``SWEEP_S`` seconds, and everything
    unfrozen and collected again every ``FULL_EVERY_S`` seconds."""
    try:
        await asyncio.to_thread(store_ready)
    except Exception:  # noqa: BLE001 — a store that cannot answer yet: its first request says why
        log.debug("store not ready for the first full collection", exc_info=True)
    while True:
        took = full_collection()
        log.debug("full garbage collection: %.1f ms, %d objects frozen", took * 1000, gc.get_freeze_count())
        due = time.monotonic() + FULL_EVERY_S
        while time.monotonic() < due:
            await asyncio.sleep(SWEEP_S)
            sweep()


__all__ = ["install", "installed", "full_collection", "sweep", "keep", "FULL_EVERY_S", "SWEEP_S"]
