"""Bringing a store's report facts up to its log (``foodtrace db report-facts``): a store written
before the facts existed has its old events indexed once (``GraphStore.prepare_report``); new events
are indexed by the append that stores them."""

from __future__ import annotations

from typing import Callable

from foodtrace.graph.store import GraphStore


def prepare(store: GraphStore, progress: Callable[[int, int], None] | None = None) -> int:
    """Index what the store lacks; ``progress(done, total)`` as it goes. Returns the events indexed."""
    return store.prepare_report(progress)


def differences(store: GraphStore, replay: GraphStore) -> list[tuple[str, str]]:
    """Where ``store``'s report facts differ from those of ``replay`` (the same log appended afresh;
    ``foodtrace db verify``): ``(subject, reason)`` pairs. Only for a store that keeps the facts beside its
    log (the embedded store); on others they are the log itself."""
    from foodtrace.graph.embedded import EmbeddedStore
    from foodtrace.graph.report_facts_codec import decode

    if not isinstance(store, EmbeddedStore):
        return []
    out = []
    if store.report_tally(None, None) != replay.report_tally(None, None):
        out.append(("report_facts", "the counts by type and party differ from the log's"))
    mine = [(decode(f), by) for _, f, by in store.report_facts(None)]
    theirs = [(decode(f), by) for _, f, by in replay.report_facts(None)]
    if mine != theirs:
        first = next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b), min(len(mine), len(theirs)))
        out.append(("report_facts", f"the facts differ from the log's from the {first + 1}th on"))
    return out


__all__ = ["prepare", "differences"]
