"""The console's trace graph at any size: lots grouped by layer and holder, expanded on demand.

A forward trace of a lot of pigs can reach a thousand lots and more: carcasses, cuts, and a receipt
at every market, supermarket and canteen. Drawn one box per lot it is unreadable. Here the lots of
one layer (depth from the lot searched) made by one party in one step become one group node ("37
lots received at 北华农贸市场"); when a layer still has more than ``layer_max`` nodes, the groups and
lots of one kind of party in one step are folded again into a group of that kind ("212 lots at 48
supermarkets"). Groups open on request (``expand``: their ids), and the lot in ``focus`` is drawn on
its own beside the groups its siblings stay in. Edges between groups are summed (how many links). The lot searched is never grouped; a
group of fewer than ``min_group`` lots is shown as its lots.

Grouping happens here, on the server, so the page receives tens of nodes whatever the trace's size;
each group lists its members' codes so the page can search them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable, Literal

from pydantic import BaseModel, Field

from foodtrace.services.tracing.graph import GraphEdge, GraphNode, TraceGraph
from foodtrace.services.safety.rules.findings import Reason

MIN_GROUP = 3
LAYER_MAX = 8


class ViewNode(BaseModel):
    id: str  # a lot's code prefixed "lot:", or a group's id ("party:…" or "kind:…")
    type: Literal["lot", "party_group", "kind_group"]
    layer: int
    count: int = 1  # lots in it
    code: str | None = None  # a lot node's code
    product: str | None = None  # a lot's product; a group's when all of its lots share one
    step: str | None = None
    party: str | None = None  # name of the maker (lot, party group)
    party_id: str | None = None
    party_kind: str | None = None
    parties: int = 1  # distinct makers in it
    holders: list[str] = Field(default_factory=list)
    unconfirmed: bool = False
    marks: list[str] = Field(default_factory=list)
    mark_counts: dict[str, int] = Field(default_factory=dict)  # mark -> lots in the node with it
    reasons: list[Reason] = Field(default_factory=list)  # a lot node's reasons
    members: list[str] = Field(default_factory=list)  # codes of the lots in a group
    root: bool = False
    focus: bool = False


class ViewEdge(BaseModel):
    source: str
    target: str
    count: int = 1  # lot-to-lot links it stands for


class GroupedGraph(BaseModel):
    root: str
    lots: int = Field(description="Lots in the whole trace")
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    layers: int
    expanded: list[str] = Field(default_factory=list, description="Group ids opened in this answer")
    truncated: bool = False


def party_group_id(n: GraphNode) -> str:
    return f"party:{n.layer}:{n.party_id or '-'}:{n.step or '-'}"


def kind_group_id(n: GraphNode) -> str:
    return f"kind:{n.layer}:{n.party_kind or '-'}:{n.step or '-'}"


def _lot(n: GraphNode, root: str, focus: str | None) -> ViewNode:
    return ViewNode(id="lot:" + n.code, type="lot", layer=n.layer, code=n.code, product=n.product, step=n.step,
                    party=n.party, party_id=n.party_id, party_kind=n.party_kind, holders=n.holders,
                    unconfirmed=n.unconfirmed, marks=n.marks, mark_counts={m: 1 for m in n.marks},
                    reasons=n.reasons, root=n.code == root, focus=n.code == focus)


def _group(gid: str, kind: Literal["party_group", "kind_group"], lots: list[GraphNode]) -> ViewNode:
    first = lots[0]
    makers = {n.party_id for n in lots}
    products = {n.product for n in lots}
    marks: Counter[str] = Counter(m for n in lots for m in n.marks)
    return ViewNode(id=gid, type=kind, layer=first.layer, count=len(lots),
                    product=first.product if len(products) == 1 else None, step=first.step,
                    party=first.party if len(makers) == 1 else None,
                    party_id=first.party_id if len(makers) == 1 else None, party_kind=first.party_kind,
                    parties=len(makers), unconfirmed=any(n.unconfirmed for n in lots),
                    marks=sorted(marks), mark_counts=dict(sorted(marks.items())),
                    members=sorted(n.code for n in lots))


def _items(g: TraceGraph, expand: set[str], alone: set[str],
           min_group: int) -> dict[int, list[tuple[str, list[GraphNode]]]]:
    """Per layer: (party group id or lot id, its lots) — a party group unless small or opened; the
    lots in ``alone`` (the root, the lot in focus) always on their own."""
    buckets: dict[str, list[GraphNode]] = defaultdict(list)
    for n in g.nodes:
        buckets["lot:" + n.code if n.code in alone else party_group_id(n)].append(n)
    items: dict[int, list[tuple[str, list[GraphNode]]]] = defaultdict(list)
    for gid, lots in buckets.items():
        if gid.startswith("lot:") or len(lots) < min_group or gid in expand:
            items[lots[0].layer].extend(("lot:" + n.code, [n]) for n in lots)
        else:
            items[lots[0].layer].append((gid, lots))
    return items


def _fold(layer_items: list[tuple[str, list[GraphNode]]], alone: set[str], expand: set[str],
          layer_max: int) -> list[tuple[str, list[GraphNode]]]:
    """A layer with more than ``layer_max`` items: fold the items of one party kind and step together
    (unless that kind group or the item's party group is opened, or the item is a lot kept alone)."""
    if len(layer_items) <= layer_max:
        return layer_items
    by_kind: dict[str, list[tuple[str, list[GraphNode]]]] = defaultdict(list)
    kept: list[tuple[str, list[GraphNode]]] = []
    for item in layer_items:
        lots = item[1]
        first = lots[0]
        if {kind_group_id(first), party_group_id(first)} & expand or (len(lots) == 1 and first.code in alone):
            kept.append(item)
        else:
            by_kind[kind_group_id(first)].append(item)
    for kid, group in by_kind.items():
        if len(group) == 1:
            kept.append(group[0])
        else:
            kept.append((kid, [n for _, lots in group for n in lots]))
    return kept


def group_graph(g: TraceGraph, expand: Iterable[str] = (), focus: str | None = None, *,
                min_group: int = MIN_GROUP, layer_max: int = LAYER_MAX) -> GroupedGraph:
    """The trace graph ``g`` with its lots grouped (see the module doc)."""
    opened = set(expand)
    alone = {g.root} | ({focus} if focus else set())
    nodes: list[ViewNode] = []
    where: dict[str, str] = {}  # lot code -> the id of the node it is drawn in
    items = _items(g, opened, alone, min_group)
    for layer in sorted(items):
        for nid, lots in _fold(items[layer], alone, opened, layer_max):
            if nid.startswith("lot:"):
                nodes.append(_lot(lots[0], g.root, focus))
            else:
                nodes.append(_group(nid, "kind_group" if nid.startswith("kind:") else "party_group", lots))
            for n in lots:
                where[n.code] = nid
    return GroupedGraph(root=g.root, lots=len(g.nodes), nodes=nodes, edges=_edges(g.edges, where),
                        layers=g.layers, expanded=sorted(opened), truncated=g.truncated)


def _edges(edges: list[GraphEdge], where: dict[str, str]) -> list[ViewEdge]:
    counts: Counter[tuple[str, str]] = Counter()
    for e in edges:
        a, b = where.get(e.source), where.get(e.target)
        if a and b and a != b:
            counts[(a, b)] += 1
    return [ViewEdge(source=a, target=b, count=c) for (a, b), c in counts.items()]


__all__ = ["group_graph", "GroupedGraph", "ViewNode", "ViewEdge", "party_group_id", "kind_group_id"]
