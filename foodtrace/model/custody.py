"""Custody: who held a lot, from when, and how much — derived from events."""

from __future__ import annotations

from datetime import datetime

from foodtrace.model.common import Frozen
from foodtrace.model.events import Aggregation, Commission, Handoff, RetailSale, Transformation
from foodtrace.model.vocab import Unit

CONSUMER = "consumer"


class Custody(Frozen):
    code: str
    party: str
    role: str  # origin | produced | received | issued | sold | packed | unpacked
    quantity: float | None = None
    unit: Unit | None = None
    since: datetime
    from_party: str | None = None
    event_id: str
    document: str | None = None


def custody_of(event, code: str) -> list[Custody]:
    """The custody facts ``event`` states about lot ``code`` (possibly none)."""
    out: list[Custody] = []
    t, eid = event.event_time, event.event_id
    if isinstance(event, Commission):
        for spec in event.lots:
            if spec.code == code:
                out.append(Custody(code=code, party=event.party, role="origin", quantity=spec.quantity,
                                   unit=spec.unit, since=t, event_id=eid))
    elif isinstance(event, Transformation):
        for spec in event.outputs:
            if spec.code == code:
                out.append(Custody(code=code, party=event.party, role="produced", quantity=spec.quantity,
                                   unit=spec.unit, since=t, event_id=eid))
    elif isinstance(event, Handoff):
        if event.lot.code == code:
            out.append(Custody(code=code, party=event.to_party, role="received", quantity=event.lot.quantity,
                               unit=event.lot.unit, since=t, from_party=event.from_party, event_id=eid,
                               document=event.document))
        if event.new_lot is not None and event.new_lot.code == code:
            out.append(Custody(code=code, party=event.to_party, role="issued", quantity=event.new_lot.quantity,
                               unit=event.new_lot.unit, since=t, from_party=event.from_party, event_id=eid,
                               document=event.document))
    elif isinstance(event, RetailSale):
        if event.lot.code == code or event.receipt == code:
            out.append(Custody(code=code, party=CONSUMER, role="sold", quantity=event.lot.quantity,
                               unit=event.lot.unit, since=t, from_party=event.party, event_id=eid,
                               document=event.receipt))
    elif isinstance(event, Aggregation):
        role = "packed" if event.action == "pack" else "unpacked"
        if code == event.parent and event.parent_lot is not None and event.action == "pack":
            out.append(Custody(code=code, party=event.party, role=role, quantity=event.parent_lot.quantity,
                               unit=event.parent_lot.unit, since=t, event_id=eid))
        elif code == event.parent:
            out.append(Custody(code=code, party=event.party, role=role, since=t, event_id=eid))
        for child in event.children:
            if child.code == code:
                out.append(Custody(code=code, party=event.party, role=role, quantity=child.quantity,
                                   unit=child.unit, since=t, event_id=eid, document=event.parent))
    return out
