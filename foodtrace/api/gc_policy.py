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
- run a full collection after every ``FULL_AFTER + 1`` collections of the middle generation (CPython's
  default waits for 11, and for what was kept since the last full one to grow by a quarter of what that
  one kept: with a thousand views kept, 80,000 objects and 50 ms walked at once). Each walks only what the
  last three collections of the middle generation kept, ~21,000 objects, about 5 ms (Python 3.11 and 3.12;
  3.13's young threshold of 2,000 makes it ~72,000), and the garbage among
  them is reclaimed before the rest is frozen;
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
FULL_AFTER = 2  # the oldest generation's threshold: collections of the middle one before a full one

_installed = False
_lock = threading.Lock()


def _freeze_survivors(phase: str, info: dict) -> None:
    # At the end of a full collection the younger generations are empty and every tracked object is
    # reachable: freezing then moves no garbage out of the collector's reach.
    if phase == "stop" and info.get("generation") == 2:
        gc.freeze()


def install() -> None:
    """Freeze the survivors of every full collection and collect in full more often, in this process
    (idempotent). Called by the serving worker's app factory, not by ``create_app``: a test process
    creating many apps keeps the default."""
    global _installed
    with _lock:
        if not _installed:
            gc.callbacks.append(_freeze_survivors)
            young, middle, _ = gc.get_threshold()
            gc.set_threshold(young, middle, FULL_AFTER)
            _installed = True


def installed() -> bool:
    return _installed


def full_collection() -> float:
    """Unfreeze and collect everything once (the survivors are frozen again); the seconds it took."""
    t = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    return time.perf_counter() - t


async def keep(store_ready) -> None:
    """The policy's task for one app: once ``store_ready()`` returns (called in a worker thread: it waits
    for the lineage to load), a full collection; then one every ``FULL_EVERY_S`` seconds."""
    try:
        await asyncio.to_thread(store_ready)
    except Exception:  # noqa: BLE001 — a store that cannot answer yet: its first request says why
        log.debug("store not ready for the first full collection", exc_info=True)
    while True:
        took = full_collection()
        log.debug("full garbage collection: %.1f ms, %d objects frozen", took * 1000, gc.get_freeze_count())
        await asyncio.sleep(FULL_EVERY_S)


__all__ = ["install", "installed", "full_collection", "keep", "FULL_EVERY_S", "FULL_AFTER"]
