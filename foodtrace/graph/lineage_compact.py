"""The embedded store's lineage graph in memory: for each lot code, the tuple of its children and the tuple of
its parents (two dicts, ``_succ`` and ``_pred``).

It replaced a networkx ``DiGraph`` (dict of dicts: two dicts per lot, 184 bytes each even with one
neighbour, and a third dict of node attributes), which the store only ever walked, asked for a lot's
children, extended and cut. A tuple of one neighbour is 48 bytes and one allocation: the graph of the 1M
store takes less memory, loads in fewer allocations, and a walk reads a lot's neighbours with one dict
look-up and a tuple (``graph/lineage_walk.py``). Lot degrees are small (in the demo district at most 5
children and 1 parent), so a tuple rebuilt when a link is added or removed costs little.

It behaves as the DiGraph did, which ``tests/unit/test_lineage_compact.py`` checks against networkx on
random sequences of additions and removals: a link added twice is there once; neighbours are in the
order their links were first added (a link removed and added again goes last); a lot stays a node when
its last link is removed.
"""

from __future__ import annotations

import gc
from typing import Iterable

_NONE: tuple = ()


class CompactLineage:
    """Lot lineage: ``_succ[code]`` the children of a lot, ``_pred[code]`` its parents (tuples, no duplicates)."""

    __slots__ = ("_succ", "_pred", "_nodes", "_edges")

    def __init__(self) -> None:
        self._succ: dict[str, tuple[str, ...]] = {}
        self._pred: dict[str, tuple[str, ...]] = {}
        self._nodes = 0
        self._edges = 0

    # -- building ---------------------------------------------------------------------------------------

    def add_links(self, links: Iterable[tuple[str, str]]) -> "CompactLineage":
        """Add (parent, child) links; one already there is left as it is. Every node has an entry in both
        dicts (``()`` when it has no children, or no parents)."""
        succ, pred = self._succ, self._pred
        for a, b in links:
            if a is None or b is None:
                raise ValueError("None cannot be a node")
            s = succ.get(a)
            if s is None:  # a new node
                succ[a], pred[a] = (b,), _NONE
                self._nodes += 1
            elif b in s:
                continue
            else:
                succ[a] = s + (b,)
            p = pred.get(b)
            if p is None:
                pred[b], succ[b] = (a,), _NONE
                self._nodes += 1
            else:
                pred[b] = p + (a,)
            self._edges += 1
        return self

    def remove_link(self, a: str, b: str) -> None:
        """Remove the link from ``a`` to ``b`` (both stay nodes); a ``KeyError`` if there is none."""
        s = self._succ.get(a, _NONE)
        if b not in s:
            raise KeyError((a, b))
        self._succ[a] = tuple(x for x in s if x != b)
        self._pred[b] = tuple(x for x in self._pred[b] if x != a)
        self._edges -= 1

    # -- reading ----------------------------------------------------------------------------------------

    def __contains__(self, code: object) -> bool:
        return code in self._succ

    def has_link(self, a: str, b: str) -> bool:
        return b in self._succ.get(a, _NONE)

    def successors(self, code: str) -> tuple[str, ...]:
        return self._succ[code]

    def predecessors(self, code: str) -> tuple[str, ...]:
        return self._pred[code]

    def number_of_nodes(self) -> int:
        return self._nodes

    def number_of_edges(self) -> int:
        return self._edges

    def links(self) -> list[tuple[str, str]]:
        """Every link, by parent in the order parents were added, each parent's children in order."""
        return [(a, b) for a, children in self._succ.items() for b in children]


def load_links(rows_in_chunks: Iterable[list[tuple[str, str]]]) -> CompactLineage:
    """A ``CompactLineage`` of links read in chunks, the cyclic garbage collector paused meanwhile (the
    graph is millions of new objects, none of them garbage: collections would walk it again and again)."""
    g = CompactLineage()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for rows in rows_in_chunks:
            g.add_links(rows)
    finally:
        if was_enabled:
            gc.enable()
    return g


__all__ = ["CompactLineage", "load_links"]
