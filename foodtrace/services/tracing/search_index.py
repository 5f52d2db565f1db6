"""Bringing a store's search index up to its lots and parties (``foodtrace db search-index``): a store
written before the index existed has its old lots and parties indexed once (``GraphStore.prepare_search``);
new ones are indexed by the append that stores them."""

from __future__ import annotations

from typing import Callable

from foodtrace.graph.store import GraphStore


def prepare(store: GraphStore, progress: Callable[[int, int], None] | None = None) -> int:
    """Index what the store lacks; ``progress(done, total)`` as it goes. Returns the rows indexed."""
    return store.prepare_search(progress)


__all__ = ["prepare"]
