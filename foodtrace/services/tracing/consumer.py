"""The consumer's view of a lot (the QR code on a pack or a receipt): its
product, origin, slaughter or harvest time, journey through businesses,
certificates and tests, and recall status.

Built field by field from a backward trace (a whitelist): never quantities,
prices, document or certificate numbers, party ids, people's names or
contacts — only registered *business* names and kinds.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from foodtrace.graph.readcache import ReadModel
from foodtrace.graph.store import GraphStore
from foodtrace.model.events import Recall
from foodtrace.model.registry import ALL_LABELS as LABELS
from foodtrace.services.tracing.identifiers import resolve
from foodtrace.services.tracing.trace import LotNode, LotPiece, PartyRef, Trace, assemble, lot_pieces


class Label(BaseModel):
    zh: str
    en: str


class PublicModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)  # one kept view serves every scan: nobody may edit it


class Business(PublicModel):
    name: str | None  # None: an unregistered business
    kind: str | None
    kind_label: Label | None
    area_code: str | None


class Step(PublicModel):
    step: str  # raising, harvest, slaughter, cutting…, receive, retail_sale
    step_label: Label
    business: Business
    time: datetime


class CertificateOrTest(PublicModel):
    kind: str
    kind_label: Label
    is_test: bool
    result: str  # pass | fail
    result_label: Label
    issuer: Business
    time: datetime


class PublicLot(PublicModel):
    code: str
    product: str | None
    product_label: Label | None
    origins: list[Business]  # the farms or bases it began at
    slaughtered_at: datetime | None
    harvested_at: datetime | None
    journey: list[Step]
    businesses: list[Business]  # each business it passed through, in journey order
    certificates: list[CertificateOrTest]
    recalled: bool  # it, or a lot it was made from, is under recall
    recall_reasons: list[str]  # each recall's reason, as the office announced it
    complete: bool  # False when some upstream records have not been reported


def _label(value: str | None) -> dict | None:
    if value is None:
        return None
    zh, en = LABELS.get(value, (value, value))
    return {"zh": zh, "en": en}


def _business(ref: PartyRef | None) -> dict:
    """A business as plain data: the view is built as data and checked against ``PublicLot`` once."""
    if ref is None or ref.name is None:
        return {"name": None, "kind": None, "kind_label": None, "area_code": None}
    return {"name": ref.name, "kind": ref.kind, "kind_label": _label(ref.kind), "area_code": ref.area_code}


def _steps(tr: Trace) -> list[tuple[datetime, str, str]]:
    """(time, step, party id) of every event on the lot's path: each lot's
    making, and each plain receipt by the party that then made the next lot.
    In time order; at equal times upstream first, a lot's making before its receipt."""
    nodes = {n.code: n for n in tr.lots}
    out: dict[tuple[str, str], tuple] = {}
    for n in tr.lots:
        if n.made_by is None:
            continue
        mb = n.made_by
        party = mb.party
        if mb.type == "handoff":
            party = next((h.party for h in n.holders if h.role == "issued"), party)
        step = "receive" if mb.type == "handoff" else (mb.kind or mb.type)
        out[(mb.event_id, party)] = (mb.time, -n.depth, 0, step, party)
    for e in tr.edges:
        parent, child = nodes.get(e.source), nodes.get(e.target)
        if parent is None or child is None or child.made_by is None:
            continue
        maker = child.made_by.party
        for h in parent.holders:
            if h.role == "received" and h.party == maker and (h.event_id, maker) not in out:
                out[(h.event_id, maker)] = (h.since, -parent.depth, 1, "receive", maker)
    return [(time, step, party) for time, _, _, step, party in sorted(out.values())]


def _first(nodes: list[LotNode], kind: str) -> datetime | None:
    return next((n.made_by.time for n in nodes if n.made_by and n.made_by.kind == kind), None)


class ReadyView:
    """A lot's public view kept as its JSON (what the public API sends; about 2.5 KB, where the objects
    would take ten times that); ``lot`` reads it back for the page."""

    __slots__ = ("json", "__weakref__")

    def __init__(self, lot: PublicLot):
        self.json = lot.model_dump_json().encode()

    @property
    def lot(self) -> PublicLot:
        return PublicLot.model_validate_json(self.json)


def public_view(store: GraphStore, code: str) -> PublicLot:
    """What a consumer may see of lot ``code`` (a trace code, receipt code or QR link)."""
    return ready_view(store, code).lot


def ready_view(store: GraphStore, code: str) -> ReadyView:
    """``public_view`` and its JSON, kept by the store as a read model (``GraphStore.read_model``): built
    once, then served as is until an event touches a lot it was built from (a recall, a retraction, a new
    certificate or test upstream) or re-registers a party it names."""
    plain = code.strip()
    if plain and "://" not in plain and not plain.startswith(("(", "urn:")):
        kept = store.read_model(READ_MODEL, plain)  # a kept key is a lot's own code: resolve would name it
        if kept is not None:
            return kept
    found = resolve(store, code).code
    return store.read_model(READ_MODEL, found, lambda: _build(store, found))


READ_MODEL = "public_lot"


def kept_view(store: GraphStore, code: str) -> ReadyView | None:
    """The view of ``code`` if the store has it kept and can say so without waiting (an event loop
    asks this first; ``ready_view`` in a worker thread otherwise)."""
    plain = code.strip()
    if plain and "://" not in plain and not plain.startswith(("(", "urn:")):
        return store.kept_now(READ_MODEL, plain)
    return None


def _build(store: GraphStore, code: str) -> ReadModel:
    lineage = store.backward(code)
    pieces = lot_pieces(store, sorted(lineage.lots))  # most are kept: upstream lots are shared by many packs
    tr = assemble(store, lineage, "backward", pieces)
    return ReadModel(ReadyView(_public(tr, _recalls(pieces))), lineage.lots, frozenset(tr.parties))


def _recalls(pieces: dict[str, LotPiece]) -> list[Recall]:
    """The recalls (not retracted) naming a lot of the lineage, oldest first: whether open or closed, the
    lot stays recalled for the consumer."""
    found = {r.recall_id: r for p in pieces.values() for r in p.recalls}
    return sorted(found.values(), key=lambda r: r.event_time)


def _public(tr: Trace, recalls: list[Recall]) -> PublicLot:
    """The view as plain data, validated into ``PublicLot`` (its whitelist) in one call."""
    root = tr.lot(tr.root)
    nodes = sorted(tr.lots, key=lambda n: (n.depth, n.code))
    journey = [{"step": step, "step_label": _label(step), "business": _business(tr.parties.get(pid)), "time": time}
               for time, step, pid in _steps(tr)]
    businesses: list[dict] = []
    for s in journey:
        if s["business"] not in businesses:
            businesses.append(s["business"])
    certs = sorted((c for n in nodes for c in n.certificates + n.tests), key=lambda c: (c.time, c.kind))
    origin_ids = dict.fromkeys(n.made_by.party for n in reversed(nodes) if n.made_by and n.made_by.type == "commission")
    return PublicLot.model_validate({
        "code": tr.root,
        "product": root.product if root else None,
        "product_label": _label(root.product if root else None),
        "origins": [_business(tr.parties.get(pid)) for pid in origin_ids],
        "slaughtered_at": _first(nodes, "slaughter"),
        "harvested_at": _first(nodes, "harvest"),
        "journey": journey,
        "businesses": businesses,
        "certificates": [{"kind": c.kind, "kind_label": _label(c.kind), "is_test": c.is_test, "result": c.result,
                          "result_label": _label(c.result), "issuer": _business(tr.parties.get(c.issuer)),
                          "time": c.time} for c in certs],
        "recalled": bool(recalls),
        "recall_reasons": [r.reason for r in recalls],
        "complete": not tr.gaps,
    })


def consumer_complaint(store: GraphStore, code: str, description: str, contact: str | None = None):
    """A consumer's "report a problem" on the lot behind a QR code: filed
    online as a complaint on that lot (the office sees it in its complaint list)."""
    from foodtrace.errors import InvalidInput, detail
    from foodtrace.services.safety.complaints import file_complaint

    description = (description or "").strip()
    if not description:
        raise InvalidInput("describe the problem", [detail(None, "description", "empty")])
    if len(description) > 500:
        raise InvalidInput("the description is longer than 500 characters",
                           [detail(None, "description", "at most 500 characters")])
    contact = (contact or "").strip()[:200] or None
    from foodtrace.services.capture.principal import system

    # recorded by the public form itself (no key, no person): ``captured_by`` "system:complaint_form"
    return file_complaint(store, [code], description, channel="online", by="consumer", complainant=contact,
                          principal=system("complaint_form", "consumer"))
