"""The lineage walk (graph/lineage_walk.py) gives what the plain networkx breadth-first walk gave: the same
lots, the same links in the same order, the same cut under a limit — on random graphs, cycles and all."""

from __future__ import annotations

from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st
import networkx as nx

from foodtrace.graph.lineage_compact import CompactLineage
from scripts.networkx_lineage import LineageGraph, fill
from foodtrace.graph.lineage_walk import adjacency, walk
from foodtrace.graph.store import Lineage


def reference(g: nx.DiGraph, code: str, limit: int | None, forward: bool) -> Lineage:
    """The walk as EmbeddedStore._walk did it before (networkx views, a deque)."""
    if code not in g:
        return Lineage(code, frozenset([code]), ())
    step = g.successors if forward else g.predecessors
    seen, edges, queue, truncated = {code}, [], deque([code]), False
    while queue:
        node = queue.popleft()
        for nxt in step(node):
            edges.append((node, nxt) if forward else (nxt, node))
            if nxt not in seen:
                if limit is not None and len(seen) >= limit:
                    truncated = True
                    continue
                seen.add(nxt)
                queue.append(nxt)
    if truncated:
        edges = [(a, b) for a, b in edges if a in seen and b in seen]
    return Lineage(code, frozenset(seen), tuple(edges), truncated)


graphs = st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=50)


@settings(max_examples=150, deadline=None)
@given(graphs, st.integers(0, 15), st.one_of(st.none(), st.integers(0, 8)), st.booleans())
def test_the_walk_is_the_networkx_walk(pairs, start, limit, forward):
    edges = [(f"L{a}", f"L{b}") for a, b in pairs]
    g = fill(LineageGraph(), edges)
    code = f"L{start}"  # L15 is never in the graph
    want = reference(g, code, limit, forward)
    assert want == reference(nx.DiGraph(edges), code, limit, forward)
    for graph in (g, CompactLineage().add_links(edges)):  # the store's graph, and the networkx one it replaced
        got = walk(adjacency(graph, forward), code, limit, forward)
        assert got == want and got.edges == want.edges  # the order too


def test_a_lot_outside_the_graph_walks_to_itself():
    g = CompactLineage().add_links([("A", "B")])
    assert walk(adjacency(g, False), "Z", None, False) == Lineage("Z", frozenset({"Z"}), ())
    assert walk(adjacency(g, True), "B", 0, True) == Lineage("B", frozenset({"B"}), ())


def test_a_limit_cuts_the_walk_and_keeps_only_links_among_lots_kept():
    g = CompactLineage().add_links([("P1", "R"), ("P2", "R"), ("P3", "R"), ("F", "P1")])
    cut = walk(adjacency(g, False), "R", 2, False)
    assert cut == Lineage("R", frozenset({"R", "P1"}), (("P1", "R"),), truncated=True)
