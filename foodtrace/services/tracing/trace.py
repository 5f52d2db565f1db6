"""Backward tracing (逆向可溯源) and forward tracking (顺向可追踪).

The store walks the lineage (each lot visited once); this service gathers, for
the lots reached, the event that made each, its holders, certificates, tests
and inputs applied, every event about it (``events``: observations — EPCIS
events stored as ``epcis_record``, such as scans without a change of custody,
transshipment, landing, sensor readings — marked ``observation``), and marks
unconfirmed gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from foodtrace.graph.readcache import ReadModel
from foodtrace.graph.store import GraphStore, Lineage
from foodtrace.model.custody import Custody, custody_of, repeated_reports
from foodtrace.model.event_base import optional
from foodtrace.model.events import Certificate, EpcisRecord, Handoff, InputApplication, Recall, RetailSale
from foodtrace.model.lots import Lot
from foodtrace.services.tracing.identifiers import plain_code, resolve, unknown_code


class PartyRef(BaseModel):
    id: str
    name: str | None = None
    kind: str | None = None
    area_code: str | None = None


class MadeBy(BaseModel):
    event_id: str
    type: str
    kind: str | None = None  # slaughter, cutting… / raising, harvest
    time: datetime
    party: str
    document: str | None = None


class CertView(BaseModel):
    event_id: str
    kind: str
    number: str
    issuer: str
    result: str
    time: datetime
    is_test: bool
    quantity: float | None = None
    unit: str | None = None
    measurements: list[dict] = Field(default_factory=list)


class InputView(BaseModel):
    event_id: str
    input_kind: str
    input_name: str
    interval_days: int
    time: datetime
    party: str


class EventRef(BaseModel):
    """One event about a lot, in event-time order; ``observation``: stored, not traced (``epcis_record``)."""

    event_id: str
    type: str
    time: datetime
    party: str
    observation: bool = False
    epcis_type: str | None = None
    biz_step: str | None = None


class LotNode(BaseModel):
    code: str
    depth: int
    product: str | None = None
    quantity: float | None = None
    unit: str | None = None
    origin_party: str | None = None
    created_at: datetime | None = None
    unconfirmed: bool = False
    made_by: MadeBy | None = None
    holders: list[Custody] = Field(default_factory=list)
    certificates: list[CertView] = Field(default_factory=list)
    tests: list[CertView] = Field(default_factory=list)
    inputs: list[InputView] = Field(default_factory=list)
    events: list[EventRef] = Field(default_factory=list)


class Edge(BaseModel):
    source: str = Field(serialization_alias="from")
    target: str = Field(serialization_alias="to")
    kind: str | None = None
    quantity: float | None = None
    event_id: str | None = None


class Trace(BaseModel):
    root: str
    direction: Literal["backward", "forward"]
    lots: list[LotNode]
    edges: list[Edge]
    gaps: list[str]  # unconfirmed lots: referenced, their own events not (yet) captured
    parties: dict[str, PartyRef]
    truncated: bool = False

    def lot(self, code: str) -> LotNode | None:
        return next((n for n in self.lots if n.code == code), None)


def _depths(lineage: Lineage, forward: bool) -> dict[str, int]:
    adj: dict[str, list[str]] = {}
    for a, b in lineage.edges:
        src, dst = (a, b) if forward else (b, a)
        adj.setdefault(src, []).append(dst)
    depth = {lineage.root: 0}
    frontier = [lineage.root]
    while frontier:
        nxt = []
        for n in frontier:
            for m in adj.get(n, ()):
                if m not in depth:
                    depth[m] = depth[n] + 1
                    nxt.append(m)
        frontier = nxt
    return depth


def _made_by(ev) -> MadeBy:
    kind = optional(ev, "kind") or optional(ev, "activity")
    doc = optional(ev, "document") or (ev.receipt if isinstance(ev, RetailSale) else None)
    return MadeBy(event_id=ev.event_id, type=ev.type, kind=getattr(kind, "value", kind), time=ev.event_time,
                  party=ev.party, document=doc)


def _cert(ev: Certificate) -> CertView:
    return CertView(event_id=ev.event_id, kind=ev.kind.value, number=ev.number, issuer=ev.issuer,
                    result=ev.result.value, time=ev.event_time, is_test=ev.kind.is_test, quantity=ev.quantity,
                    unit=ev.unit.value if ev.unit else None,
                    measurements=[m.model_dump() for m in ev.measurements])


def _ref(ev) -> EventRef:
    observed = isinstance(ev, EpcisRecord)
    return EventRef(event_id=ev.event_id, type=ev.type, time=ev.event_time, party=ev.party, observation=observed,
                    epcis_type=ev.epcis_type if observed else None, biz_step=ev.biz_step if observed else None)


def _creates(ev, code: str) -> bool:
    if isinstance(ev, RetailSale):
        return ev.receipt == code
    return any(s.code == code for s in ev.created_lots())


@dataclass(frozen=True)
class LotPiece:
    """One lot's part of any trace through it (its node at depth 0, the links its making created, the
    parties it names, the recalls naming it): built from the lot's own row and events only, so the store
    keeps it until an event touches that lot (``GraphStore.read_models``). Shared by every trace that
    reaches the lot: copy, never edit."""

    node: LotNode
    edges: tuple[Edge, ...]
    parties: frozenset[str]
    recalls: tuple[Recall, ...]
    stored: tuple = ()  # the lot's stored events (not retracted), as ``store.lot_events`` gave them


PIECE, PARTY = "lot_piece", "party_ref"


def _piece(code: str, lot: Lot | None, stored: list) -> LotPiece:
    lot = lot or Lot(code=code, unconfirmed=True)
    node = LotNode(code=code, depth=0, product=getattr(lot.product, "value", lot.product),
                   quantity=lot.quantity, unit=getattr(lot.unit, "value", lot.unit),
                   origin_party=lot.origin_party, created_at=lot.created_at, unconfirmed=lot.unconfirmed)
    edges: dict[tuple[str, str], Edge] = {}
    party_ids: set[str] = set()
    recalls = []
    repeated = repeated_reports([se.event for se in stored], code)  # a handoff reported by both sides: once
    for i, se in enumerate(stored):
        ev = se.event
        node.events.append(_ref(ev))
        if i not in repeated:
            node.holders.extend(custody_of(ev, code))
        if isinstance(ev, Certificate):
            (node.tests if ev.kind.is_test else node.certificates).append(_cert(ev))
            party_ids.add(ev.issuer)
        elif isinstance(ev, InputApplication):
            node.inputs.append(InputView(event_id=ev.event_id, input_kind=ev.input_kind.value,
                                         input_name=ev.input_name, interval_days=ev.interval_days,
                                         time=ev.event_time, party=ev.party))
        elif isinstance(ev, Recall):
            recalls.append(ev)
        if _creates(ev, code):
            node.made_by = _made_by(ev)
            for a, b, q in ev.links():
                if b == code:
                    edges[(a, b)] = Edge(source=a, target=b, kind=node.made_by.kind or ev.type, quantity=q,
                                         event_id=ev.event_id)
        party_ids.add(ev.party)
        if isinstance(ev, Handoff):
            party_ids.update((ev.from_party, ev.to_party))
    if node.origin_party:
        party_ids.add(node.origin_party)
    return LotPiece(node, tuple(edges.values()), frozenset(party_ids), tuple(recalls), tuple(stored))


class NotOwnCode(Exception):
    """``lot_pieces(own=code)``: no confirmed lot has this very code (nothing was kept)."""


def lot_pieces(store: GraphStore, codes, events: dict | None = None,
               lots: dict[str, Lot] | None = None, own: str | None = None) -> dict[str, LotPiece]:
    """Each lot's ``LotPiece``: kept by the store, built for those it does not keep (two queries for all
    of them). With ``events`` (code -> stored events, e.g. as of a past time, or as ``store.trace_parts``
    read them): built from those (and ``lots`` when already read), not kept. ``own``: one of ``codes``
    that must be a confirmed lot's own code (its row read with the others' instead of before them), else
    ``NotOwnCode`` and nothing is kept."""
    codes = list(codes)
    if events is not None:
        lots = lots if lots is not None else store.get_lots(codes)
        if own is not None and (own not in lots or lots[own].unconfirmed):
            raise NotOwnCode(own)
        return {c: _piece(c, lots.get(c), events.get(c, [])) for c in codes}

    def build(missing: list[str]) -> dict[str, ReadModel]:
        lots = store.get_lots(missing)
        if own in missing and (own not in lots or lots[own].unconfirmed):
            raise NotOwnCode(own)
        evs = store.lot_events(missing)
        return {c: ReadModel(_piece(c, lots.get(c), evs.get(c, [])), frozenset((c,))) for c in missing}

    pieces = store.read_models(PIECE, codes, build)
    if own is not None and (own not in pieces or pieces[own].node.unconfirmed):
        raise NotOwnCode(own)
    return pieces


def party_refs(store: GraphStore, ids, known: dict | None = None) -> dict[str, PartyRef]:
    """A ``PartyRef`` per id (just the id for a party not registered), kept until the party registers anew.
    ``known``: id -> party (or None: not registered) as already read (``TraceParts.parties``); the store is
    asked only for the others."""
    if known is not None:
        ids = list(ids)
        rest = party_refs(store, [i for i in ids if i not in known])
        return {i: _party_ref(i, known[i]) if i in known else rest[i] for i in ids}

    def build(missing: list[str]) -> dict[str, ReadModel]:
        found = store.get_parties(missing)
        return {pid: ReadModel(_party_ref(pid, found.get(pid)), frozenset(), frozenset((pid,))) for pid in missing}

    return store.read_models(PARTY, ids, build)


def _party_ref(pid: str, p) -> PartyRef:
    return PartyRef(id=pid, name=p.name, kind=p.kind.value, area_code=p.area_code) if p else PartyRef(id=pid)


def build_trace(store: GraphStore, lineage: Lineage, direction: str, events: dict | None = None,
                lots: dict[str, Lot] | None = None, parties: dict | None = None) -> Trace:
    """The full trace of ``lineage``. ``events`` (code -> stored events) replaces
    the store's current view of each lot's events (for a trace as of a past time, or as read in one
    round trip by ``store.trace_parts``); ``lots`` the lots and ``parties`` the parties when already read.

    Without ``events`` the trace is kept by the store as a read model (keyed by the walk itself: its
    direction, root, lots and links, so a walk cut by a limit, a page or what an operator may see is
    another trace) until an event touches one of its lots or re-registers a party it names. The
    trace returned may be shared with other callers: copy it, never edit it."""
    if events is not None:
        return assemble(store, lineage, direction, lot_pieces(store, sorted(lineage.lots), events, lots), parties)
    key = _walk_key(lineage, direction)

    def build(_: list[str]) -> dict[str, ReadModel]:
        tr = assemble(store, lineage, direction, lot_pieces(store, sorted(lineage.lots)))
        return {key: ReadModel(tr, frozenset(lineage.lots), frozenset(tr.parties))}

    return store.read_models(TRACE, [key], build)[key]


TRACE = "trace"
TRACE_ASKED = "trace_asked"  # a trace kept by what was asked (code, direction, limit): Neo4j


def _walk_key(lineage: Lineage, direction: str) -> str:
    links = sorted(f"{a}\x1e{b}" for a, b in lineage.edges)
    return "\x1f".join((direction, lineage.root, "cut" if lineage.truncated else "", *sorted(lineage.lots), "", *links))


def _asked(direction: str, code: str, limit: int | None) -> str:
    return "\x1f".join((direction, code, "" if limit is None else str(limit)))


def _trace(store: GraphStore, code: str, forward: bool, limit: int | None) -> Trace:
    direction = "forward" if forward else "backward"
    if store.traces_in_one_query:  # Neo4j: lineage, lots and events in one round trip; the trace kept by the ask
        plain = plain_code(code)
        if plain:  # a plain code names its own lot when there is one: no look-up first
            found = _one_query_trace(store, plain, forward, direction, limit)
            if found is not None:
                return found
        lot = resolve(store, code).code
        found = _one_query_trace(store, lot, forward, direction, limit)
        if found is None:  # resolved, then gone: lots are never removed, so only a wiped store
            raise unknown_code(code)
        return found
    code = resolve(store, code).code
    # the embedded store: the lineage from memory, the trace (or each lot's piece) kept as a read model
    return build_trace(store, store.forward(code, limit) if forward else store.backward(code, limit), direction)


def _one_query_trace(store: GraphStore, code: str, forward: bool, direction: str, limit: int | None) -> Trace | None:
    """The trace of lot ``code`` read in one query and kept by the ask; None when there is no lot ``code``."""
    key = _asked(direction, code, limit)

    def build(_: list[str]) -> dict[str, ReadModel]:
        # exact by the ask: an event that changes this walk names a lot already in it (a new link to one of
        # its lots, a retraction of one of its links), and so drops it
        parts = store.trace_parts(code, forward, limit)
        if code not in parts.lots:
            return {}  # no such lot: nothing to keep
        tr = build_trace(store, parts.lineage, direction, events=parts.events, lots=parts.lots,
                         parties=parts.parties)
        return {key: ReadModel(tr, frozenset(parts.lineage.lots), frozenset(tr.parties))}

    return store.read_models(TRACE_ASKED, [key], build).get(key)


def assemble(store: GraphStore, lineage: Lineage, direction: str, pieces: dict[str, LotPiece],
             parties: dict | None = None) -> Trace:
    """The trace of ``lineage`` from its lots' pieces: each node a copy at its depth, the edges, the parties."""
    depth = _depths(lineage, direction == "forward")
    nodes = [p.node.model_copy(update={"depth": depth.get(c, 0)}) for c, p in pieces.items()]
    nodes.sort(key=lambda n: (n.depth, n.code))
    edge_info = {(e.source, e.target): e for p in pieces.values() for e in p.edges}
    edges = [edge_info.get((a, b)) or Edge(source=a, target=b) for a, b in lineage.edges]
    party_ids = set().union(*(p.parties for p in pieces.values()))
    party_ids.discard("consumer")
    refs = party_refs(store, sorted(party_ids), parties)
    gaps = [n.code for n in nodes if n.unconfirmed]
    return Trace(root=lineage.root, direction=direction, lots=nodes, edges=edges, gaps=gaps,
                 parties={pid: refs[pid] for pid in sorted(party_ids)}, truncated=lineage.truncated)


def backward_trace(store: GraphStore, code: str, limit: int | None = None) -> Trace:
    """Every ancestor lot of ``code`` with how it was made, who held it, its
    certificates, tests and inputs, and any unconfirmed gaps."""
    return _trace(store, code, False, limit)



def forward_trace(store: GraphStore, code: str, limit: int | None = None) -> Trace:
    """Every descendant lot of ``code`` with its holders and the quantities they received."""
    return _trace(store, code, True, limit)



__all__ = ["Trace", "LotNode", "EventRef", "Edge", "LotPiece", "NotOwnCode", "backward_trace", "forward_trace",
           "build_trace", "lot_pieces", "assemble"]
