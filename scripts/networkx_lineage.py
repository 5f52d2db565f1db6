"""The lineage graph as the embedded store kept it before issue 22's walk part: a networkx ``DiGraph`` of lot
codes without attributes, filled in one pass over the live links. No longer part of the package: the
benchmark (``scripts/bench_walk.py``) and the tests compare the store's ``CompactLineage`` and its walk with it.

``networkx.DiGraph.add_edges_from`` checks and allocates per edge (a tuple-length test, a ``None``
test, two dict updates of the edge's attributes); ``fill`` fills the adjacency dicts directly — the same
nodes, in the same order, with the same neighbours, as ``add_edges_from`` makes.
"""

from __future__ import annotations

import networkx as nx


_NO_ATTRS: dict = {}


class LineageGraph(nx.DiGraph):
    """A networkx DiGraph of lot codes that carries no node or edge attributes:
    every node and edge shares one empty attribute dict (never written to),
    which saves two dict allocations per lot and link. Quantities and events
    live in SQLite."""

    node_attr_dict_factory = staticmethod(lambda: _NO_ATTRS)
    edge_attr_dict_factory = staticmethod(lambda: _NO_ATTRS)


def fill(g: LineageGraph, edges) -> LineageGraph:
    """Add ``edges`` ((parent, child) pairs) to ``g`` as ``add_edges_from`` would, without its per-edge work."""
    none = g.edge_attr_dict_factory()  # the shared empty dict
    node_attrs = g.node_attr_dict_factory()
    succ, pred, node = g._succ, g._pred, g._node
    for a, b in edges:
        s = succ.get(a)
        if s is None:
            if a is None:
                raise ValueError("None cannot be a node")
            succ[a] = s = {}
            pred[a] = {}
            node[a] = node_attrs
        p = pred.get(b)
        if p is None:
            if b is None:
                raise ValueError("None cannot be a node")
            succ[b] = {}
            pred[b] = p = {}
            node[b] = node_attrs
        s[b] = none
        p[a] = none
    nx._clear_cache(g)
    return g


__all__ = ["LineageGraph", "fill"]
