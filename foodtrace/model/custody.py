"""Custody: who held a lot, from when, and how much — derived from events."""

from __future__ import annotations

from collections import Counter

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


def repeated_reports(events, code: str) -> set[int]:
    """The positions in ``events`` (a lot's events, in order) of the handoffs of lot ``code`` that are
    the other side's report of a handoff already reported: a ship and a receive with the same parties,
    quantity, unit and document, or without a document each paired with one of the other side's.
    The custody such a report states is already stated (``holding`` counts the handoff once)."""
    out: set[int] = set()
    seen: set[tuple] = set()
    unmatched: Counter = Counter()
    for i, ev in enumerate(events):
        if not isinstance(ev, Handoff) or ev.lot.code != code:
            continue
        key = (ev.from_party, ev.to_party, ev.lot.quantity, ev.lot.unit, ev.document)
        if ev.document is not None:
            if key in seen:
                out.add(i)
            seen.add(key)
            continue
        action = str(getattr(ev.action, "value", ev.action))
        other = (key, "receive" if action == "ship" else "ship")
        if unmatched[other]:
            unmatched[other] -= 1
            out.add(i)
        else:
            unmatched[(key, action)] += 1
    return out


def holding(events, code: str, party: str, unit: Unit) -> float:
    """How much of lot ``code`` (in ``unit``) ``party`` holds after ``events`` (the lot's events, in
    order): what it made or received, less what it passed on, used or sold. A lot received and
    relabelled at once (a handoff with ``new_lot``) counts under the new code; one handoff reported
    by both sides (a ship and a receive with the same document, or without one: the same parties and
    quantity, each report paired with one of the other side's) counts once."""
    held = 0.0
    events = list(events)
    repeated = repeated_reports(events, code)  # the other side's reports of handoffs already counted
    for n, ev in enumerate(events):
        if isinstance(ev, (Commission, Transformation)) and ev.party == party:
            held += sum(s.quantity for s in ev.created_lots() if s.code == code and s.unit == unit)
        if isinstance(ev, Transformation) and ev.party == party:
            held -= sum(i.quantity for i in ev.inputs if i.code == code and i.unit == unit)
        elif isinstance(ev, Handoff):
            if ev.new_lot is not None and ev.new_lot.code == code and ev.to_party == party and ev.new_lot.unit == unit:
                held += ev.new_lot.quantity
            if ev.lot.code == code and ev.lot.unit == unit and n not in repeated:
                if ev.to_party == party and ev.new_lot is None:
                    held += ev.lot.quantity
                if ev.from_party == party:
                    held -= ev.lot.quantity
        elif isinstance(ev, RetailSale) and ev.lot.code == code and ev.party == party and ev.lot.unit == unit:
            held -= ev.lot.quantity
    return round(held, 6)
