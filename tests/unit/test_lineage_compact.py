"""The compact lineage graph (graph/lineage_compact.py) is the networkx DiGraph the store kept before, as
far as the store reads it: nodes, links, each lot's children and parents in order, after any sequence of
links added (twice, to itself) and removed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
import networkx as nx
import pytest

from foodtrace.graph.lineage_compact import CompactLineage, load_links
from foodtrace.graph.lineage_walk import adjacency, walk

steps = st.lists(st.tuples(st.booleans(), st.integers(0, 9), st.integers(0, 9)), max_size=80)


@settings(max_examples=200, deadline=None)
@given(steps)
def test_it_is_the_digraph_it_replaced(ops):
    g, ref = CompactLineage(), nx.DiGraph()
    for add, x, y in ops:
        a, b = f"L{x}", f"L{y}"
        if add:
            g.add_links([(a, b)])
            ref.add_edge(a, b)
        elif ref.has_edge(a, b):
            g.remove_link(a, b)
            ref.remove_edge(a, b)
        else:
            with pytest.raises(KeyError):
                g.remove_link(a, b)
    assert (g.number_of_nodes(), g.number_of_edges()) == (ref.number_of_nodes(), ref.number_of_edges())
    assert sorted(g.links()) == sorted(ref.edges)
    for n in ref:
        assert n in g
        assert list(g.successors(n)) == list(ref.successors(n))
        assert list(g.predecessors(n)) == list(ref.predecessors(n))
    for i in range(11):
        code = f"L{i}"
        assert (code in g) == (code in ref)
        for forward in (False, True):
            assert g.has_link(code, "L0") == ref.has_edge(code, "L0")
            assert walk(adjacency(g, forward), code, None, forward).lots == (
                {code} | (nx.descendants(ref, code) if forward else nx.ancestors(ref, code)) if code in ref else {code})


def test_loading_in_chunks_is_adding():
    rows = [("A", "B"), ("A", "C"), ("B", "D"), ("A", "B"), ("D", "D")]
    g = load_links([rows[:2], rows[2:]])
    assert g.links() == [("A", "B"), ("A", "C"), ("B", "D"), ("D", "D")]
    assert (g.number_of_nodes(), g.number_of_edges()) == (4, 4)
    assert g.predecessors("D") == ("B", "D") and g.successors("C") == ()
    with pytest.raises(ValueError):
        g.add_links([(None, "A")])
