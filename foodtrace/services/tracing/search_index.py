"""Bringing a store's search index up to its lots and parties (``foodtrace db search-index``): a store
written before the index existed has its old lots and parties indexed once (``GraphStore.prepare_search``);
new ones are indexed by the append that stores them."""

from __future__ import annotations

from typing import Callable

from foodtrace.graph.store import GraphStore


def prepare(store: GraphStore, progress: Callable[[int, int], None] | None = None, rebuild: bool = False) -> int:
    """Index what the store lacks (``rebuild``: everything anew); ``progress(done, total)`` as it goes.
    Returns the rows indexed."""
    return store.prepare_search(progress, rebuild)


def differences(store: GraphStore) -> list[tuple[str, str]]:
    """(subject, reason) of each lot and party whose search index row is missing or out of step with it
    (``foodtrace db verify``); only for a store that keeps the index beside its tables (the embedded store)."""
    from foodtrace.graph.embedded import EmbeddedStore

    if not isinstance(store, EmbeddedStore):
        return []
    return [(f"{table}:{key}", "its search index row differs (foodtrace db search-index --rebuild)")
            for table, key in store.search_index_stale()]


__all__ = ["prepare", "differences"]
