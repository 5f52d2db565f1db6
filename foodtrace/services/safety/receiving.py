"""Market entry (市场准入): a supermarket, market or canteen registers an
incoming lot by its supplier's trace code (or the QR link) and gets accept or
reject with every reason. An accept records the handoff (the receiver issues
its own receipt code as ``new_lot``); a reject records an ``entry_refusal``.

The checks here are about this delivery: the lot exists and is confirmed, the
supplier held it, the unit is the lot's, the supplier still holds the quantity
delivered. The food-safety rules engine (``services/rules/entry.check_entry``:
certificates and tests upstream, withdrawal periods, designated slaughter,
recalls, mass balance…) adds its reasons; its "quantity_exceeds" (what is left
of the lot at all) is left out, as the supplier's own holding is the stricter
measure.

Need to know: a refusal names a supplier only when the request did (a supplier
guessed from the lot's holders is not a fact about this delivery), no reason
tells how much a supplier holds (and the gate's check answers a party that
never held the lot nothing about the quantity: ``tells_stock``), and an operator's reasons from the rules
engine are worded for the receiver (no upstream codes, other parties' ids or
certificate numbers). Only this real receipt records anything; the gate's
check (GET /api/v1/entry/{code}) records nothing.

A code no lot has whose GS1 key has a wrong check digit is a typing error, not a lot to refuse: it is
answered 422 naming ``code`` and the right digit, and nothing is recorded (``capture.check_digits``).
"""

from __future__ import annotations

from datetime import datetime
import secrets
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from foodtrace.errors import Conflict, FoodtraceError, InvalidInput, NotFound
from foodtrace.graph.store import GraphStore
from foodtrace.i18n import TEXT, label
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.services.capture.door import record
from foodtrace.services.capture.custody import RECEIPTS
from foodtrace.model.common import Code, EventId, Instant, NonNegativeNumber, PartyId, PositiveNumber, Text
from foodtrace.model.custody import CONSUMER, holding
from foodtrace.model.declared import Declared
from foodtrace.model.entry import EntryRefusal, RefusalReason
from foodtrace.model.events import Handoff
from foodtrace.model.lots import Lot
from foodtrace.model.vocab import Unit
from foodtrace.services.capture.access import Action, Principal, require, require_acts_for
from foodtrace.services.capture.check_digits import wrong_check_digit
from foodtrace.services.capture.visibility import sees_all
from foodtrace.services.safety.entry_reasons import for_receiver
from foodtrace.services.safety.rules import RuleConfig, check_entry
from foodtrace.services.tracing.identifiers import bad_code, resolve

EPSILON = 1e-6
RULES_LEFT_OUT = {"quantity_exceeds", "unknown_lot"}  # the checks here answer these per supplier
STOCK_REASONS = frozenset({"quantity_exceeds", "quantity_not_covered"})  # answer "is that much left?"


class EntryRequest(BaseModel):
    """An incoming delivery presented at the receiver's door."""

    model_config = ConfigDict(extra="forbid")

    code: Code = Field(description="The supplier's trace code, or the URL from its QR code")
    receiver: PartyId = Field(description="The receiving party (this key's party for an operator)")
    supplier: PartyId | None = Field(None, description="Who delivers; default: the lot's latest holder")
    quantity: PositiveNumber
    unit: Unit
    document: Text = Field(description="The delivery document's number (送货单 / 批发凭证)")
    event_time: Instant | None = Field(None, description="When it arrived (default: now)")
    receipt_code: Code | None = Field(None, description="The trace code the receiver issues (default: generated)")
    event_id: EventId | None = Field(None, description="Make retries safe: the same id answers the same decision")
    unit_price: NonNegativeNumber | None = Field(None, description="Settlement: price per unit (private to the "
                                                 "parties and the office)")
    amount: NonNegativeNumber | None = Field(None, description="Settlement: the amount paid (private)")
    declared: Declared | None = Field(None, description="The quantity as written, when in another unit "
                                      "(e.g. 50 斤 for 25 kg): kept on the receipt beside the stored one")
    expect: Literal["accept", "reject"] | None = Field(
        None, description="The decision the clerk saw at the check (GET /api/v1/entry/{code}): when the decision "
                          "now differs nothing is recorded and the answer is 409, so a refusal is never recorded "
                          "as a receipt nor a receipt as a refusal")


Reason = RefusalReason  # a reason to refuse: code, zh, en


class Decision(BaseModel):
    accept: bool
    decision: Literal["accept", "reject"]
    reasons: list[Reason] = Field(description="Every reason for a reject (empty on accept)")
    lot: str | None = Field(None, description="The lot the presented code names, when known")
    supplier: str | None = None
    receipt_code: str | None = Field(None, description="On accept: the receiver's new trace code for the lot")
    event_id: str = Field(description="The recorded handoff or entry_refusal event")
    replayed: bool = Field(False, description="True when this answers a retry of an earlier request")


def reason(which: str, **values) -> Reason:
    zh, en = TEXT[f"entry.{which}"]
    return Reason(code=which, zh=zh.format(**values), en=en.format(**values))


def held_quantity(store: GraphStore, code: str, party: str, unit: Unit) -> float:
    """How much of lot ``code`` (in ``unit``) ``party`` holds now (``model.custody.holding``)."""
    events = [se.event for se in store.lot_events([code]).get(code, [])]
    return holding(events, code, party, unit)


def tells_stock(store: GraphStore, who: Principal, code: str | None, receiver: str) -> bool:
    """Whether the gate's check answers ``who`` (asking for ``receiver``) whether a quantity exceeds what
    is left of lot ``code``: an inspector or administrator, or a party that made or held the lot. To anyone
    else the answer to "is that much left?" for quantity after quantity would tell a competitor's stock, so
    its check leaves the quantity out and the receipt (POST /api/v1/receipts) checks it, on record."""
    if sees_all(who) or code is None:
        return True
    lot = store.get_lot(code)
    return (lot is not None and lot.origin_party == receiver) or \
        any(c.party == receiver for c in store.holders([code]).get(code, []))


def without_stock(reasons: list, shown: bool) -> list:
    """``reasons`` as the gate's check gives them: without the quantity reasons unless ``shown``."""
    return reasons if shown else [r for r in reasons if r.code not in STOCK_REASONS]


def likely_supplier(store: GraphStore, code: str, receiver: str, unit: Unit) -> str | None:
    """Who delivers ``code`` when the request does not say: of the parties that
    took custody of it (not the receiver, not a consumer), the latest that still
    holds some; else the latest at all."""
    facts = sorted((c for c in store.holders([code]).get(code, []) if c.party not in (receiver, CONSUMER)),
                   key=lambda c: c.since, reverse=True)
    holding = next((c.party for c in facts if held_quantity(store, code, c.party, unit) > EPSILON), None)
    return holding or (facts[0].party if facts else None)


def rule_reasons(store: GraphStore, code: str, req: EntryRequest, at: datetime,
                 rules: RuleConfig | None, full: bool = True) -> list[Reason]:
    """The rules engine's reasons to refuse ``quantity`` of lot ``code`` at ``req.receiver``
    (unless ``full``, worded for the receiver: ``entry_reasons.for_receiver``)."""
    decision = check_entry(store, code, req.receiver, req.quantity, at=at, rules=rules)
    found = [r for r in decision.reasons if r.code not in RULES_LEFT_OUT]
    if not full:
        found = for_receiver(found, code)
    return [Reason(code=r.code, zh=r.zh[:500], en=r.en[:500]) for r in found]


def core_reasons(store: GraphStore, req: EntryRequest) -> tuple[Lot | None, str | None, list[Reason]]:
    """The checks the core knows: (the lot, the supplier, every reason to refuse)."""
    try:
        lot = resolve(store, req.code)
    except NotFound:
        return None, req.supplier, [reason("unknown_lot", code=req.code)]
    if lot.unconfirmed or lot.product is None:
        return lot, req.supplier, [reason("unconfirmed_lot", code=lot.code)]
    reasons: list[Reason] = []
    supplier = req.supplier or likely_supplier(store, lot.code, req.receiver, req.unit)
    holders = {p for c in store.holders([lot.code]).get(lot.code, []) for p in (c.party, c.from_party)}
    if lot.origin_party:
        holders.add(lot.origin_party)
    if supplier is None:
        reasons.append(reason("no_supplier", code=lot.code))
    elif supplier not in holders:
        reasons.append(reason("not_from_supplier", code=lot.code, supplier=supplier))
    elif lot.unit is not None and lot.unit != req.unit:
        reasons.append(reason("unit_mismatch", lot_unit=label(lot.unit.value), unit=label(req.unit.value),
                              lot_unit_en=label(lot.unit.value, "en"), unit_en=label(req.unit.value, "en")))
    else:
        held = held_quantity(store, lot.code, supplier, req.unit)
        if held + EPSILON < req.quantity:
            reasons.append(reason("quantity_not_covered", quantity=f"{req.quantity:g}",
                                  unit=label(req.unit.value), unit_en=label(req.unit.value, "en")))
    return lot, supplier, reasons


def _replay(store: GraphStore, req: EntryRequest) -> Decision | None:
    """The decision already recorded under ``req.event_id``, if any."""
    if req.event_id is None:
        return None
    se = store.get_events([req.event_id]).get(req.event_id)
    if se is None:
        return None
    ev = se.event
    if isinstance(ev, Handoff) and ev.to_party == req.receiver and ev.new_lot is not None:
        return Decision(accept=True, decision="accept", reasons=[], lot=ev.lot.code, supplier=ev.from_party,
                        receipt_code=ev.new_lot.code, event_id=ev.event_id, replayed=True)
    if isinstance(ev, EntryRefusal) and ev.party == req.receiver and ev.presented == req.code:
        return Decision(accept=False, decision="reject", reasons=list(ev.reasons),
                        lot=ev.lot, supplier=ev.from_party, event_id=ev.event_id, replayed=True)
    raise keyed(Conflict, "receive_event_used", [refusal(None, "event_id", "receive_event_used_reason")],
                event=req.event_id)


def _receipt_code(store: GraphStore, req: EntryRequest, when: datetime) -> str:
    if req.receipt_code is None:
        return f"{req.receiver}-{when:%Y%m%d}-{secrets.token_hex(5).upper()}"
    existing = store.get_lot(req.receipt_code)
    if existing is not None and not existing.unconfirmed:
        raise keyed(InvalidInput, "receive_lot_exists", [refusal(None, "receipt_code", "receive_choose_another")],
                    code=req.receipt_code)
    return req.receipt_code


def receive(store: GraphStore, principal: Principal | None, req: EntryRequest,
            rules: RuleConfig | None = None) -> Decision:
    """Decide on an incoming lot and record the decision (see the module doc)."""
    who = require(principal, Action.RECEIVE)
    require_acts_for(who, req.receiver, "receiver")
    if req.supplier is not None and req.supplier == req.receiver:
        raise keyed(InvalidInput, "receive_same_party", [refusal(None, "supplier", "receive_is_receiver")])
    if req.receiver not in store.get_parties([req.receiver]):
        raise keyed(InvalidInput, "receive_unregistered", [refusal(None, "receiver", "receive_not_registered")],
                    receiver=req.receiver)
    replayed = _replay(store, req)
    if replayed is not None:
        return replayed
    when = req.event_time or datetime.now().astimezone()
    lot, supplier, reasons = core_reasons(store, req)
    if lot is None and (wrong := wrong_check_digit(req.code)) is not None:
        raise bad_code(wrong)  # a typing error, not a lot to refuse at the gate: nothing recorded (422)
    if lot is not None and lot.product is not None and not lot.unconfirmed:
        seen = {r.code for r in reasons}
        reasons += [r for r in rule_reasons(store, lot.code, req, when, rules, sees_all(who)) if r.code not in seen]
    # the check the clerk saw left the quantity out for a stranger to the lot: compare with that, so the
    # refusal for the quantity is recorded (an entry_refusal naming the asker), not answered 409 unrecorded
    seen_at_check = without_stock(reasons, lot is None or tells_stock(store, who, lot.code, req.receiver))
    if req.expect is not None and req.expect != ("reject" if seen_at_check else "accept"):
        raise keyed(Conflict, "receive_decision_changed",
                    [refusal(None, "expect", "receive_now_reject" if reasons else "receive_now_accept")])
    base = {"event_time": when.isoformat(), "party": req.receiver}
    if req.event_id:
        base["event_id"] = req.event_id
    if reasons:
        ev = {**base, "type": "entry_refusal", "presented": req.code, "quantity": req.quantity,
              "unit": req.unit.value, "document": req.document, "reasons": [r.model_dump() for r in reasons]}
        if lot is not None:
            ev["lot"] = lot.code
        if req.supplier is not None:  # a supplier guessed from the lot's holders is not named in a refusal
            ev["from_party"] = req.supplier
        res = _capture(store, who, ev, rules)
        return Decision(accept=False, decision="reject", reasons=reasons, lot=lot.code if lot else None,
                        supplier=req.supplier, event_id=res)
    code = _receipt_code(store, req, when)
    ev = {**base, "type": "handoff", "action": "receive", "from_party": supplier, "to_party": req.receiver,
          "lot": {"code": lot.code, "quantity": req.quantity, "unit": req.unit.value}, "document": req.document,
          "new_lot": {"code": code, "product": lot.product.value, "quantity": req.quantity, "unit": req.unit.value}}
    ev.update({k: v for k, v in (("unit_price", req.unit_price), ("amount", req.amount)) if v is not None})
    if req.declared is not None:
        ev["declared"] = req.declared.model_dump()
    return Decision(accept=True, decision="accept", reasons=[], lot=lot.code, supplier=supplier, receipt_code=code,
                    event_id=_capture(store, who, ev, rules))


def _capture(store: GraphStore, who: Principal, ev: dict, rules: RuleConfig | None) -> str:
    try:
        res = record(store, who, [ev], rules=rules, via=RECEIPTS)
    except FoodtraceError as exc:  # name the request's fields, not the recorded event's
        for d in exc.details:
            d["position"] = None
        raise
    return (res.stored + res.duplicates)[0]
