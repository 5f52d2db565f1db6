"""Loading the embedded store's lineage graph on open, in bulk.

``networkx.DiGraph.add_edges_from`` checks and allocates per edge (a tuple-length test, a ``None``
test, two dict updates of the edge's attributes); on a store of a million events that was most of the
time it took to open. The lineage graph carries no attributes (``LineageGraph``: every node and edge
shares one empty dict), so its adjacency dicts are filled here directly, in one pass over the live
links — the same nodes, in the same order, with the same neighbours, as ``add_edges_from`` makes.
"""

from __future__ import annotations

import gc
import sqlite3

import networkx as nx

from foodtrace.graph.sqlite_support import LineageGraph

LIVE_LINKS = "SELECT parent, child FROM links WHERE seq <= ? AND seq NOT IN (SELECT seq FROM retractions)"


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


def load_lineage(conn: sqlite3.Connection, top: int) -> LineageGraph:
    """The lineage graph of the live (not retracted) links up to sequence number ``top``. The cyclic
    garbage collector is paused meanwhile: two dicts per lot, none of them garbage, would otherwise set
    off collections that walk the growing graph again and again (half the load time at 200k events)."""
    cur = conn.execute(LIVE_LINKS, (top,))
    g = LineageGraph()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        while rows := cur.fetchmany(65536):
            fill(g, rows)
    finally:
        if was_enabled:
            gc.enable()
    return g
