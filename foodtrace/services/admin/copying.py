"""Copying a whole event log between stores (embedded <-> Neo4j)."""

from __future__ import annotations

from typing import Callable

from foodtrace.graph.store import GraphStore

BATCH = 2000


def copy_log(src: GraphStore, dst: GraphStore, progress: Callable[[int], None] | None = None,
             batch: int = BATCH) -> int:
    """Append every event of ``src`` to ``dst`` in log order, keeping event ids
    and record times; retractions are replayed as the error declarations they
    are. Safe to re-run: events already in ``dst`` are no-ops. Returns the
    number of events read."""
    dst.init_schema()
    chunk: list = []
    total = 0
    for stored in src.iter_log():
        chunk.append(stored.event)
        if len(chunk) >= batch:
            dst.append(chunk)
            total += len(chunk)
            if progress:
                progress(len(chunk))
            chunk = []
    if chunk:
        dst.append(chunk)
        total += len(chunk)
        if progress:
            progress(len(chunk))
    return total
