"""Grouping the console's trace graph (no I/O): lots by layer and holder, folded by kind of party
when a layer is crowded, opened on request; the box texts fit their box in both languages."""

from __future__ import annotations

from foodtrace.render.trace_view import WIDTH, node_text, short_code, width
from foodtrace.services.tracing.graph import GraphEdge, GraphNode, TraceGraph
from foodtrace.services.tracing.graph_groups import group_graph, kind_group_id, party_group_id


def fan(retailers: int = 30, per: int = 10) -> TraceGraph:
    """ROOT -> 2 wholesale lots at W -> per × retailers receipts (10 per retailer)."""
    nodes = [GraphNode(code="ROOT", layer=0, party_id="F", party="Farm", step="raising", party_kind="scale_farm")]
    nodes += [GraphNode(code=f"W{i}", layer=1, party_id="W", party="Wholesaler", step="handoff",
                        party_kind="wholesaler") for i in range(2)]
    kinds = ("supermarket", "farmers_market")
    nodes += [GraphNode(code=f"R{r}-{j}", layer=2, party_id=f"R{r}", party=f"北华农贸市场{r}", step="handoff",
                        party_kind=kinds[r % 2], marks=["recalled"] if (r, j) == (2, 3) else [])
              for r in range(retailers) for j in range(per)]
    edges = [GraphEdge(source="ROOT", target=f"W{i}") for i in range(2)]
    edges += [GraphEdge(source=f"W{(r + j) % 2}", target=f"R{r}-{j}") for r in range(retailers) for j in range(per)]
    return TraceGraph(root="ROOT", nodes=nodes, edges=edges, layers=3, rows=retailers * per)


def test_a_crowded_layer_folds_into_kinds_of_party_and_opens_on_request():
    g = fan()
    v = group_graph(g)
    assert sum(n.count for n in v.nodes) == len(g.nodes) == 303
    by_id = {n.id: n for n in v.nodes}
    assert set(by_id) == {"lot:ROOT", "lot:W0", "lot:W1", "kind:2:supermarket:handoff", "kind:2:farmers_market:handoff"}
    market = by_id["kind:2:supermarket:handoff"]
    assert market.count == 150 and market.parties == 15 and market.party is None
    assert market.mark_counts == {"recalled": 1} and "R2-3" in market.members
    assert {(e.source, e.target): e.count for e in v.edges}[("lot:W0", "kind:2:supermarket:handoff")] == 75
    opened = {n.id: n for n in group_graph(g, ["kind:2:supermarket:handoff"]).nodes}
    assert "kind:2:supermarket:handoff" not in opened and opened["party:2:R2:handoff"].count == 10
    lots = {n.id for n in group_graph(g, ["kind:2:supermarket:handoff", "party:2:R2:handoff"]).nodes}
    assert {f"lot:R2-{j}" for j in range(10)} <= lots and "party:2:R2:handoff" not in lots


def test_small_groups_stay_lots_the_root_and_the_focus_stand_alone():
    g = fan(retailers=4, per=2)  # 2 lots per retailer: under the group size
    ids = {n.id for n in group_graph(g).nodes}
    assert "lot:R1-1" in ids and not [i for i in ids if i.startswith(("party:", "kind:"))]
    g = fan()
    v = group_graph(g, focus="R2-3")
    focus = next(n for n in v.nodes if n.id == "lot:R2-3")
    assert focus.focus and focus.marks == ["recalled"]
    folded = next(n for n in v.nodes if n.id == "kind:2:supermarket:handoff")
    assert folded.count == 149 and "R2-3" not in folded.members
    assert party_group_id(g.nodes[5]) == "party:2:R0:handoff" and kind_group_id(g.nodes[5]) == "kind:2:supermarket:handoff"


def test_box_texts_fit_and_speak_the_language():
    g = fan()
    g.nodes[0].code = "3301065104202501020000006"
    g.root = g.nodes[0].code
    for e in g.edges[:2]:
        e.source = g.root
    v = group_graph(g)
    for lang in ("zh", "en"):
        for n in v.nodes:
            text = node_text(n, lang)
            assert all(width(line) <= WIDTH for line in text.label.split("\n"))
            assert len(text.label.split("\n")) <= 3
    root = node_text(v.nodes[0], "zh")
    assert short_code(g.root) in root.label and g.root in root.title  # shortened in the box, whole in the description
    group = node_text(next(n for n in v.nodes if n.type == "kind_group"), "zh")
    assert group.label.startswith("150 批次 · 交接") and "超市 15 家" in group.label and "⚠已召回 1" in group.label
    group_en = node_text(next(n for n in v.nodes if n.type == "kind_group"), "en")
    assert group_en.label.startswith("150 lots · handoff") and "15 × supermarket" in group_en.label
