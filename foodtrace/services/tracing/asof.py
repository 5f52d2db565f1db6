"""Traces "as the store knew it" at a past record time — for disputes and for
the evidence kept with an enforcement case.

An event counts if it was recorded at or before ``at``; a retraction counts
only if the retracting event was recorded at or before ``at``. The walk is
breadth-first over each lot's events (retracted ones included, then judged),
one store call per level, so it touches only the reachable lots and works on
every backend.
"""

from __future__ import annotations

from datetime import datetime

from foodtrace.errors import InvalidInput
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore, Lineage, StoredEvent
from foodtrace.services.tracing.identifiers import resolve
from foodtrace.services.tracing.trace import Trace, build_trace


def _known_at(store: GraphStore, evs: dict[str, list[StoredEvent]], at: datetime) -> dict[str, list[StoredEvent]]:
    by_ids = {se.retracted_by for lst in evs.values() for se in lst if se.retracted_by}
    retracted_at = {eid: se.event.record_time for eid, se in store.get_events(by_ids).items()} if by_ids else {}
    out: dict[str, list[StoredEvent]] = {}
    for code, lst in evs.items():
        kept = []
        for se in lst:
            if se.event.record_time is None or se.event.record_time > at:
                continue
            when = retracted_at.get(se.retracted_by) if se.retracted_by else None
            if when is not None and when <= at:
                continue
            kept.append(StoredEvent(se.seq, se.event, None))
        out[code] = kept
    return out


def lineage_as_of(store: GraphStore, code: str, at: datetime, forward: bool = False,
                  limit: int | None = None) -> tuple[Lineage, dict[str, list[StoredEvent]]]:
    """The lineage of ``code`` as recorded by ``at``, and each reached lot's events as known then."""
    if at.tzinfo is None:
        raise keyed(InvalidInput, "trace_asof_zone", [refusal(None, "as_of", "trace_asof_zone")])
    seen = {code}
    frontier = [code]
    edges: set[tuple[str, str]] = set()
    known: dict[str, list[StoredEvent]] = {}
    truncated = False
    while frontier:
        level = _known_at(store, store.lot_events(frontier, include_retracted=True), at)
        known.update(level)
        nxt = []
        for c, lst in level.items():
            for se in lst:
                for a, b, _ in se.event.links():
                    if (a if forward else b) != c:
                        continue
                    other = b if forward else a
                    edges.add((a, b))
                    if other not in seen:
                        if limit is not None and len(seen) >= limit:
                            truncated = True
                            continue
                        seen.add(other)
                        nxt.append(other)
        frontier = nxt
    edges = {(a, b) for a, b in edges if a in seen and b in seen}
    return Lineage(code, frozenset(seen), tuple(sorted(edges)), truncated), known


def trace_as_of(store: GraphStore, code: str, at: datetime, forward: bool = False,
                limit: int | None = None) -> Trace:
    """The backward (or forward) trace of ``code`` as the store knew it at record time ``at``."""
    lot = resolve(store, code)
    lineage, known = lineage_as_of(store, lot.code, at, forward, limit)
    return build_trace(store, lineage, "forward" if forward else "backward", events=known)
