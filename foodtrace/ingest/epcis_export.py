"""A lot's trace (or any events) as an EPCIS 2.0 JSON-LD document.

Events captured from EPCIS are written back exactly as received (each once,
with its own ``@context`` of prefixes); an error declaration is written as the
declared event with its ``errorDeclaration``. Native events get the standard
EPCIS fields a partner system understands (commission -> ObjectEvent ADD,
transformation -> TransformationEvent, handoff -> ObjectEvent with source and
destination, aggregation -> AggregationEvent, a refusal at market entry ->
ObjectEvent inspecting / non_conformant, …) plus the whole event in
``ft:event``, so that importing the document gives the same events again.
Party registrations are master data, not events, and are left out.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable
from urllib.parse import quote

from foodtrace.graph.store import GraphStore, StoredEvent
from foodtrace.model.lots import Lot
from foodtrace.ingest.epcis import FT_NS, GS1_CONTEXT, now_iso
from foodtrace.model.codes import lot_uri, party_uri
from foodtrace.model.event_base import to_json

UOM = {"kg": "KGM"}  # counts (head, piece) carry no unit of measure
STEP = {"slaughter": "killing", "repacking": "repackaging"}


def document(events: list[dict]) -> dict:
    return {"@context": [GS1_CONTEXT, {"ft": FT_NS}], "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": now_iso(), "epcisBody": {"eventList": events}}


def export_events(stored: Iterable[StoredEvent], lookup=None) -> dict:
    """An EPCIS document of these stored events, in the order given.
    ``lookup(ids)`` finds events that error declarations retract."""
    out: list[dict] = []
    seen: set[str] = set()
    for se in stored:
        ev = se.event
        if ev.type == "party_registration":
            continue
        item = ev.epcis if ev.epcis is not None else _native(ev, lookup)
        if item is None:
            continue
        key = json.dumps(item, sort_keys=True, ensure_ascii=False)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return document(out)


def export_lot(store: GraphStore, lot: Lot, codes: Iterable[str] | None = None,
               keep: Callable[[Any], bool] | None = None) -> dict:
    """Every event of the lots in ``lot``'s backward and forward trace —
    retracted ones with their error declarations — as one EPCIS document.
    ``codes`` replaces the trace's lots and ``keep`` chooses among their events, when given."""
    if codes is None:
        codes = set(store.backward(lot.code).lots) | set(store.forward(lot.code).lots)
    by_seq: dict[int, StoredEvent] = {}
    for events in store.lot_events(sorted(codes), include_retracted=True).values():
        for se in events:
            if keep is None or keep(se.event):
                by_seq[se.seq] = se
    declarations = {se.retracted_by for se in by_seq.values() if se.retracted_by}
    for se in store.get_events(sorted(declarations)).values():
        by_seq[se.seq] = se
    ordered = sorted(by_seq.values(), key=lambda se: (se.event.event_time, se.seq))
    return export_events(ordered, _lookup(store))


def export_log(store: GraphStore) -> dict:
    """Every event of the store as one EPCIS document."""
    return export_events(store.iter_log(), _lookup(store))


def epcis_event(ev, lookup=None) -> dict | None:
    """One stored event in its EPCIS form: as received when it came as EPCIS, else the standard
    fields of a native event with the whole event in ``ft:event`` (None: no EPCIS form)."""
    return ev.epcis if ev.epcis is not None else _native(ev, lookup)


def _lookup(store: GraphStore):
    return lambda ids: {k: v.event for k, v in store.get_events(ids).items()}


# -- native events -> standard EPCIS fields ------------------------------------


def _qty(code: str, quantity: float | None, unit) -> dict:
    out: dict = {"epcClass": lot_uri(code)}
    if quantity is not None:
        out["quantity"] = quantity
    u = UOM.get(getattr(unit, "value", unit))
    if u:
        out["uom"] = u
    return out


def _event_uri(eid: str) -> str:
    return eid if ":" in eid and " " not in eid else "urn:foodtrace:event:" + quote(eid, safe="")


def _native(ev, lookup) -> dict | None:
    base = {"eventTime": ev.event_time.isoformat(), "eventTimeZoneOffset": ev.event_time.strftime("%z")[:3] + ":"
            + ev.event_time.strftime("%z")[3:], "eventID": _event_uri(ev.event_id),
            "bizLocation": {"id": party_uri(ev.party)}}
    t = ev.type
    if t == "commission":
        body = {"type": "ObjectEvent", "action": "ADD", "bizStep": "commissioning", "disposition": "active",
                "quantityList": [_qty(x.code, x.quantity, x.unit) for x in ev.lots]}
    elif t == "transformation":
        body = {"type": "TransformationEvent", "bizStep": STEP.get(ev.kind.value, "commissioning"),
                "inputQuantityList": [_qty(x.code, x.quantity, x.unit) for x in ev.inputs],
                "outputQuantityList": [_qty(x.code, x.quantity, x.unit) for x in ev.outputs]}
    elif t == "handoff":
        body = {"type": "ObjectEvent", "action": "OBSERVE",
                "bizStep": "shipping" if ev.action.value == "ship" else "receiving",
                "quantityList": [_qty(ev.lot.code, ev.lot.quantity, ev.lot.unit)],
                "sourceList": [{"type": "owning_party", "source": party_uri(ev.from_party)}],
                "destinationList": [{"type": "owning_party", "destination": party_uri(ev.to_party)}]}
        if ev.document:
            body["bizTransactionList"] = [{"type": "desadv",
                                           "bizTransaction": "urn:foodtrace:document:" + quote(ev.document, safe="")}]
    elif t in ("certificate", "input_application"):
        body = {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "inspecting" if t == "certificate" else "other",
                "epcList": [lot_uri(c) for c in ev.lots]}
        if t == "certificate":
            body["certificationInfo"] = "urn:foodtrace:certificate:" + quote(ev.number, safe="")
    elif t == "retail_sale":
        body = {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "retail_selling",
                "quantityList": [_qty(ev.lot.code, ev.lot.quantity, ev.lot.unit)]}
    elif t == "aggregation":
        body = {"type": "AggregationEvent", "action": "ADD" if ev.action == "pack" else "DELETE",
                "bizStep": "packing" if ev.action == "pack" else "unpacking", "parentID": lot_uri(ev.parent),
                "childQuantityList": [_qty(c.code, c.quantity, c.unit) for c in ev.children]}
    elif t == "entry_refusal" and ev.lot:
        body = {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "inspecting", "disposition": "non_conformant",
                "quantityList": [_qty(ev.lot, ev.quantity, ev.unit)]}
    elif t == "error_declaration":
        target = (lookup(ev.retracts[:1]) if lookup else {}).get(ev.retracts[0])
        shell = _native(target, None) if target is not None and target.epcis is None else None
        body = {k: v for k, v in (shell or {"type": "ObjectEvent", "action": "OBSERVE"}).items()
                if k not in ("eventTime", "eventTimeZoneOffset", "eventID", "bizLocation", "ft:event")}
        body["errorDeclaration"] = {"declarationTime": ev.event_time.isoformat(), "reason": "incorrect_data",
                                    "correctiveEventIDs": [_event_uri(c) for c in ev.corrective_event_ids]}
        base["eventID"] = _event_uri(ev.retracts[0])  # a declaration names the declared event
        if target is not None:
            base["eventTime"] = target.event_time.isoformat()
    else:
        return None
    native = json.loads(to_json(ev))
    native.pop("record_time", None)
    return {**base, **body, "ft:event": native}
