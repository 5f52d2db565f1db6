"""Property: on any DAG, y is in forward(x) exactly when x is in backward(y)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import networkx as nx

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.builders import transform


@st.composite
def dags(draw):
    n = draw(st.integers(min_value=2, max_value=25))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))
    # orient every edge low -> high: a DAG by construction
    parents: dict[int, set[int]] = {}
    for a, b in edges:
        if a != b:
            lo, hi = min(a, b), max(a, b)
            parents.setdefault(hi, set()).add(lo)
    return n, parents


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags())
def test_forward_backward_duality(dag):
    n, parents = dag
    store = open_store("memory://")
    try:
        events = [transform([f"N{p}" for p in sorted(ps)], [f"N{child}"], kind="mixing")
                  for child, ps in sorted(parents.items())]
        if events:
            capture(store, events)
        g = nx.DiGraph((f"N{p}", f"N{c}") for c, ps in parents.items() for p in ps)
        nodes = [f"N{i}" for i in range(n)]
        fwd = {x: store.forward(x).lots for x in nodes}
        back = {y: store.backward(y).lots for y in nodes}
        for x in nodes:
            for y in nodes:
                assert (y in fwd[x]) == (x in back[y])
            expected = (nx.descendants(g, x) if x in g else set()) | {x}
            assert fwd[x] == expected
    finally:
        store.close()
