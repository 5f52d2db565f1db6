"""Bringing a store's report facts up to its log (``foodtrace db report-facts``): a store written
before the facts existed has its old events indexed once (``GraphStore.prepare_report``); new events
are indexed by the append that stores them."""

from __future__ import annotations

from typing import Callable

from foodtrace.graph.store import GraphStore


def prepare(store: GraphStore, progress: Callable[[int, int], None] | None = None) -> int:
    """Index what the store lacks; ``progress(done, total)`` as it goes. Returns the events indexed."""
    return store.prepare_report(progress)


__all__ = ["prepare"]
