"""The inspector's picture of one lot: its backward and forward traces joined
into one layered DAG (ancestors left, descendants right, by depth), each lot
marked with what the food-safety rules find on it (failed tests, missing
certificates, gaps, recalls). The same trace as CSV rows is ``trace_table``;
grouped for drawing at any size, ``graph_groups``."""

from __future__ import annotations

from pydantic import BaseModel, Field

from foodtrace.graph.store import GraphStore
from foodtrace.services.safety.rules.config import RuleConfig, load_rules
from foodtrace.services.safety.rules.entry import own_findings
from foodtrace.services.safety.rules.facts import Facts
from foodtrace.services.safety.rules.findings import Reason, sort_findings, to_reason
from foodtrace.services.tracing.identifiers import resolve
from foodtrace.services.tracing.trace import LotNode, Trace, backward_trace, forward_trace

MARKS = {"failed_test": "failed_test", "missing_certificate": "missing_certificate",
         "missing_any": "missing_certificate", "certificate_short": "missing_certificate",
         "upstream_gap": "gap", "recalled": "recalled"}


class GraphNode(BaseModel):
    code: str
    layer: int  # < 0 ancestors, 0 the lot searched, > 0 descendants
    row: int = 0
    product: str | None = None
    party: str | None = None  # who made it (name)
    party_id: str | None = None  # who made it (id)
    party_kind: str | None = None  # the kind of that party (supermarket, wholesaler…)
    step: str | None = None  # the step that made it (slaughter, handoff, raising…)
    holders: list[str] = Field(default_factory=list)
    unconfirmed: bool = False
    marks: list[str] = Field(default_factory=list)  # failed_test, missing_certificate, gap, recalled
    reasons: list[Reason] = Field(default_factory=list)


class GraphEdge(BaseModel):
    source: str
    target: str
    kind: str | None = None
    quantity: float | None = None


class TraceGraph(BaseModel):
    root: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    layers: int
    rows: int
    truncated: bool = False


def _name(tr: Trace, party: str | None) -> str | None:
    p = tr.parties.get(party or "")
    return (p.name or p.id) if p else party


def _node(tr: Trace, n: LotNode, layer: int) -> GraphNode:
    maker = n.made_by.party if n.made_by else n.origin_party
    ref = tr.parties.get(maker or "")
    return GraphNode(code=n.code, layer=layer, product=n.product, unconfirmed=n.unconfirmed,
                     party=_name(tr, maker), party_id=maker, party_kind=ref.kind if ref else None,
                     step=(n.made_by.kind or n.made_by.type) if n.made_by else None,
                     holders=list(dict.fromkeys(_name(tr, h.party) or h.party for h in n.holders)))


def _mark(store: GraphStore, nodes: dict[str, GraphNode], cfg: RuleConfig) -> None:
    facts = Facts.from_lots(store, list(nodes))
    names = facts.names()
    for code, node in nodes.items():
        lf = facts.lot(code)
        found = [f for f in own_findings(facts, lf, cfg.rule_for(facts.receipt_product(lf)), cfg) if f.code in MARKS]
        node.marks = sorted({MARKS[f.code] for f in found})
        node.reasons = [to_reason(f, names) for f in sort_findings(found)]


def _order(nodes: dict[str, GraphNode], edges: list[GraphEdge]) -> int:
    """Rows within each layer: one barycentre pass outwards from the root (fewer crossings)."""
    by_layer: dict[int, list[GraphNode]] = {}
    for n in nodes.values():
        by_layer.setdefault(n.layer, []).append(n)
    nbrs: dict[str, list[str]] = {}
    for e in edges:
        nbrs.setdefault(e.source, []).append(e.target)
        nbrs.setdefault(e.target, []).append(e.source)
    order = sorted(by_layer, key=lambda d: (abs(d), d))
    for layer in order:
        def centre(n: GraphNode) -> float:
            placed = [nodes[m].row for m in nbrs.get(n.code, []) if m in nodes and abs(nodes[m].layer) < abs(layer)]
            return sum(placed) / len(placed) if placed else 0.0
        for i, n in enumerate(sorted(by_layer[layer], key=lambda n: (centre(n), n.code))):
            n.row = i
    return max((len(v) for v in by_layer.values()), default=1)


def trace_graph(store: GraphStore, code: str, limit: int | None = None, rules: RuleConfig | None = None) -> TraceGraph:
    lot = resolve(store, code)
    back, fwd = backward_trace(store, lot.code, limit), forward_trace(store, lot.code, limit)
    nodes: dict[str, GraphNode] = {}
    for n in back.lots:
        nodes[n.code] = _node(back, n, -n.depth)
    for n in fwd.lots:
        if n.code not in nodes:
            nodes[n.code] = _node(fwd, n, n.depth)
    seen, edges = set(), []
    for e in back.edges + fwd.edges:
        if (e.source, e.target) not in seen and e.source in nodes and e.target in nodes:
            seen.add((e.source, e.target))
            edges.append(GraphEdge(source=e.source, target=e.target, kind=e.kind, quantity=e.quantity))
    _mark(store, nodes, rules or load_rules())
    rows = _order(nodes, edges)
    layers = {n.layer for n in nodes.values()}
    return TraceGraph(root=lot.code, nodes=sorted(nodes.values(), key=lambda n: (n.layer, n.row)), edges=edges,
                      layers=len(layers), rows=rows, truncated=back.truncated or fwd.truncated)


def require_inspector(actor, store: GraphStore | None = None, code: str | None = None) -> None:
    """The console's graph and CSV show every holder: inspectors and administrators only; an inspector
    limited to areas only of a lot whose chain reaches them (``scope.py``)."""
    from foodtrace.services.capture.access import Action, require
    from foodtrace.services.capture.scope import require_lots_in_scope
    from foodtrace.services.tracing.identifiers import resolve

    require(actor, Action.READ_WHOLE_TRACE)
    if store is not None and code is not None and getattr(actor, "areas", ()):
        require_lots_in_scope(store, actor, [resolve(store, code).code], "code")
