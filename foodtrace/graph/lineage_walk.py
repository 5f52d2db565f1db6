"""The embedded store's lineage walk: breadth first from a lot over its parents (backward) or children
(forward), the lots reached and the links among them.

The walk reads the lineage graph's adjacency directly (``CompactLineage._pred`` / ``._succ``: lot code
-> tuple of neighbours; a networkx graph's dicts of dicts work too) instead of networkx's
``predecessors``/``successors`` views (a method call, a ``try`` and an iterator object per lot) and keeps its queue in a list read by an index while it
grows (the order a ``deque`` popped from the left gives, without the pops). The result is the same
``Lineage`` as before, edge for edge and in the same order: ``tests/unit/test_lineage_walk.py``
checks it against the plain networkx walk on random graphs, with and without a limit.

While the graph loads in the background (a large store just opened), ``SqlAdjacency`` answers the
same ``get`` from SQLite, one indexed lookup per lot.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable, Mapping, Protocol

from foodtrace.graph.lineage_load import sql_step
from foodtrace.graph.store import Lineage

_INF = float("inf")


class Adjacency(Protocol):
    def get(self, code: str) -> Iterable[str] | None: ...


def adjacency(graph, forward: bool) -> Mapping[str, Iterable[str]]:
    """The lineage graph's neighbours of each lot in the walk's direction (children forward, parents backward)."""
    return graph._succ if forward else graph._pred


class SqlAdjacency:
    """``get`` of the live links in SQLite (the graph is still loading): each neighbour once, as the graph orders them."""

    def __init__(self, conn: sqlite3.Connection, forward: bool):
        self._conn, self._forward = conn, forward

    def get(self, code: str) -> list[str]:
        return sql_step(self._conn, code, self._forward)


def walk(adj: Adjacency, code: str, limit: int | None, forward: bool) -> Lineage:
    """The lots reachable from ``code`` over ``adj`` and every link met among them, breadth first; at most
    ``limit`` lots (``truncated`` when a lot was left out: then only links between lots kept)."""
    get = adj.get
    nbrs = get(code)
    if not nbrs:
        return Lineage(code, frozenset((code,)), ())
    cap = _INF if limit is None else limit
    seen = {code}
    add, queue = seen.add, [code]
    push = queue.append
    edges: list[tuple[str, str]] = []
    edge = edges.append
    truncated = False
    node, i = code, 0
    while True:  # the queue grows behind ``i``: breadth first
        if nbrs:
            for nxt in nbrs:
                edge((node, nxt) if forward else (nxt, node))
                if nxt not in seen:
                    if len(seen) >= cap:
                        truncated = True
                        continue
                    add(nxt)
                    push(nxt)
        i += 1
        if i == len(queue):
            break
        node = queue[i]
        nbrs = get(node)
    if truncated:
        edges = [(a, b) for a, b in edges if a in seen and b in seen]
    return Lineage(code, frozenset(seen), tuple(edges), truncated)


__all__ = ["SqlAdjacency", "adjacency", "walk"]
