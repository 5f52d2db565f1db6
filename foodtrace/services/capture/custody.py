"""Custody at capture: a party passes on, uses, sells or packs only lots it holds, and no more
than it holds (``model.custody.holding`` over the lot's stored events and the batch so far); a
business records a receive only after its supplier shipped the lot to it (otherwise it goes
through the entry gate, ``/api/v1/receipts``); a lot under recall is not passed on — refused,
not recorded-and-flagged, because a recall's whole point is that the goods stop moving, and a
refused handoff leaves the holder's confirmation (or the inspector) to account for them.

An event stored already (the same id: a replay, a ledger imported twice) is not checked again: the
store answers it as a duplicate, or refuses other content under its id as a conflict. Nor is it
counted again: what a party holds counts each stored event once, however often a batch replays it.

Lots the store does not know yet (a placeholder: a partner reported before its supplier) are let
through: nothing is known to check, and the rules engine flags the gap until the upstream
records arrive. A lot whose creating event was retracted is not such a placeholder: it is held by
nobody (its maker included) until it is created again.

These are the rules of what a business (or an inspector) records itself. The office's own
loads — an administrator's key, the command line, the system — record the district's reports as
they come (a partner's EPCIS file, a ledger, the demo), inconsistencies included: the rules
engine (mass balance, recalls reached) is what finds those, and ``captured_by`` names who loaded
them. Recall confirmations are checked for everyone.

A refusal says only what its caller may see (``refusal_cut``): the recall a lot is under is named to
a caller who may read the lot, and what another party holds (the sender of a receive) is not said to
an operator — not even whether it holds none or too little.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator, Sequence

from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.model.custody import holding
from foodtrace.model.event_base import _Event
from foodtrace.model.events import Aggregation, ErrorDeclaration, Handoff, Recall, RecallConfirmation, RetailSale, Transformation
from foodtrace.model.vocab import HandoffAction, Unit
from foodtrace.services.capture.principal import Principal
from foodtrace.services.capture.refusal_cut import recalled, tells_holding
from foodtrace.services.capture.visibility import sees_all

EPSILON = 1e-6
RECEIPTS = "/api/v1/receipts"  # the entry gate: a receipt it accepted needs no shipment record


def _outgoing(ev: _Event) -> Iterator[tuple[str, str, str, float | None, Unit | None]]:
    """(field, party, lot code, quantity, unit) for each lot ``ev`` has a party pass on, use, sell or pack."""
    if isinstance(ev, Handoff):
        yield "lot", ev.from_party, ev.lot.code, ev.lot.quantity, ev.lot.unit
    elif isinstance(ev, Transformation):
        for i, inp in enumerate(ev.inputs):
            yield f"inputs[{i}]", ev.party, inp.code, inp.quantity, inp.unit
    elif isinstance(ev, RetailSale):
        yield "lot", ev.party, ev.lot.code, ev.lot.quantity, ev.lot.unit
    elif isinstance(ev, Aggregation) and ev.action == "pack":
        for i, child in enumerate(ev.children):
            yield f"children[{i}]", ev.party, child.code, child.quantity, child.unit


def check_custody(store: GraphStore, principal: Principal, events: Sequence[_Event], via: str | None = None) -> list[dict]:
    """Every outgoing use of a lot its party does not hold (enough of), every receive a business
    records without a shipment to it, every passing-on of a recalled lot — as error details."""
    confirmations = [(pos, ev) for pos, ev in enumerate(events) if isinstance(ev, RecallConfirmation)]
    if principal.is_admin and not confirmations:
        return []  # the office's own load, no confirmation in it: nothing below applies (no stored events read)
    stored_ids = store.get_events([ev.event_id for ev in events if ev.event_id])
    replayed = {pos for pos, ev in enumerate(events) if ev.event_id in stored_ids}  # a no-op: checked when stored
    uses = [] if principal.is_admin else [(pos, ev, *u) for pos, ev in enumerate(events) if pos not in replayed
                                          for u in _outgoing(ev)]
    if not uses and not confirmations:
        return []
    lots_seen = _Seen(store, events, replayed, sorted({u[4] for u in uses}))
    problems: list[dict] = []
    for pos, ev, fld, party, code, qty, unit in uses:
        history = lots_seen.history(code, pos)
        live = lots_seen.created(code, pos, history)
        if not live and not lots_seen.ever_created(code, pos):
            continue  # a placeholder: reported before its upstream; the rules flag the gap
        recall = next((e.recall_id for e in history if isinstance(e, Recall)), None)
        if recall is not None and not isinstance(ev, Aggregation):
            problems.append(recalled(store, principal, pos, f"{fld}.code", code, recall))
            continue
        if isinstance(ev, Handoff) and ev.action == HandoffAction.RECEIVE \
                and _shipped(lots_seen.history(code, pos, any_code=True), ev):
            continue  # the receiving side's report of a shipment whose sender's holding was checked at the ship
        unit = unit or lots_seen.unit(code)
        # a lot whose creation is retracted is held by nobody until it is created again
        held = holding(history, code, party, unit) if unit is not None and live else 0.0
        if not tells_holding(principal, party):  # the sender of a receive: what it holds is not the caller's to learn
            if via != RECEIPTS and getattr(ev, "to_party", None) == principal.party:
                continue  # refused below as not shipped to the caller, whatever the sender holds
            if held <= EPSILON or qty is not None and held + EPSILON < qty:  # neither none nor how much is said
                problems.append(refusal(pos, fld, "custody_sender_short", party=party, code=code))
        elif held <= EPSILON:
            problems.append(refusal(pos, f"{fld}.code", "custody_not_held", party=party, code=code))
        elif qty is not None and held + EPSILON < qty:
            why = refusal(pos, f"{fld}.quantity", "custody_holds_only", party=party, held=f"{held:g}",
                          unit=unit.value, code=code) if party == principal.party else \
                refusal(pos, f"{fld}.quantity", "custody_not_enough", party=party, code=code)
            problems.append(why)
    for pos, ev in enumerate(events):
        if isinstance(ev, Handoff) and ev.action == HandoffAction.RECEIVE and not principal.is_admin \
                and pos not in replayed and via != RECEIPTS and ev.to_party == principal.party \
                and not _shipped(lots_seen.history(ev.lot.code, pos, any_code=True), ev):
            problems.append(refusal(pos, "action", "custody_not_shipped", code=ev.lot.code,
                                    from_party=ev.from_party, to_party=ev.to_party))
    problems.extend(_confirmations(store, principal, events, confirmations))
    return problems


class _Seen:
    """What is known of the lots a batch uses: their stored events (live and retracted) and the
    batch's own events. The batch counts each event once — a replay of a stored event (retracted
    ones included) is left out, it is counted as stored — and an event stops counting at the
    position of the batch that retracts it."""

    def __init__(self, store: GraphStore, events: Sequence[_Event], replayed: set[int], codes: list[str]):
        self.events, self.replayed = events, replayed
        stored = store.lot_events(codes, include_retracted=True) if codes else {}
        self.stored = {c: [se.event for se in ses if se.retracted_by is None] for c, ses in stored.items()}
        self.retracted_creators = {c for c, ses in stored.items()
                                   if any(se.retracted_by is not None and c in se.event.created_codes() for se in ses)}
        self.lots = store.get_lots(codes) if codes else {}
        self.batch_by_code: dict[str, list[tuple[int, _Event]]] = defaultdict(list)
        self.retracted_at: dict[str, int] = {}  # event id -> position of the declaration retracting it
        for pos, ev in enumerate(events):
            if pos in replayed:
                continue
            for code in dict.fromkeys(ev.created_codes() + ev.used_lots()):
                self.batch_by_code[code].append((pos, ev))
            if isinstance(ev, ErrorDeclaration):
                for target in ev.retracts:
                    self.retracted_at.setdefault(target, pos)

    def _gone(self, event_id: str | None, pos: int) -> bool:
        return self.retracted_at.get(event_id or "", pos) < pos

    def history(self, code: str, pos: int, any_code: bool = False) -> list[_Event]:
        """The live events of lot ``code`` before batch position ``pos`` (``any_code``: every batch event before it)."""
        batch = [e for p, e in enumerate(self.events[:pos]) if p not in self.replayed] if any_code else \
            [e for p, e in self.batch_by_code[code] if p < pos]
        return [e for e in self.stored.get(code, []) + batch if not self._gone(e.event_id, pos)]

    def created(self, code: str, pos: int, history: list[_Event]) -> bool:
        """Whether lot ``code`` has a live creating event at ``pos``."""
        lot = self.lots.get(code)
        return (lot is not None and not lot.unconfirmed and not self._gone(lot.created_by, pos)) \
            or any(code in e.created_codes() for e in history)

    def ever_created(self, code: str, pos: int) -> bool:
        """Whether any event — stored, retracted, or earlier in the batch — created lot ``code``."""
        lot = self.lots.get(code)
        return (lot is not None and not lot.unconfirmed) or code in self.retracted_creators or any(code in e.created_codes() for p, e in self.batch_by_code[code]
                                                      if p < pos)

    def unit(self, code: str) -> Unit | None:
        return self.lots[code].unit if code in self.lots else None


def _shipped(history: list[_Event], rec: Handoff) -> bool:
    """Whether ``rec``'s supplier recorded shipping at least that much of the lot to its receiver."""
    shipped = received = 0.0
    for e in history:
        if isinstance(e, Handoff) and e.lot.code == rec.lot.code and e.from_party == rec.from_party \
                and e.to_party == rec.to_party and e.lot.unit == rec.lot.unit:
            if e.action == HandoffAction.SHIP:
                shipped += e.lot.quantity
            else:
                received += e.lot.quantity
    return shipped - received + EPSILON >= rec.lot.quantity


def _confirmations(store: GraphStore, principal: Principal, events: Sequence[_Event],
                   confirmations: list[tuple[int, RecallConfirmation]]) -> list[dict]:
    """A recall that stands (stored and not retracted, or earlier in the batch) is confirmed only by a
    holder it names, for lots it covers (its lots and the affected lots found when it started). A
    business that is no holder hears only that: not whether the recall exists or was retracted."""
    if not confirmations:
        return []
    from foodtrace.services.safety.recall import recall_event_id

    ids = sorted({recall_event_id(ev.recall_id) for _, ev in confirmations})
    found = {se.event.recall_id: se for se in store.get_events(ids).values() if isinstance(se.event, Recall)}
    recalls = {rid: se.event for rid, se in found.items()}
    retracted = {rid for rid, se in found.items() if se.retracted_by is not None}
    batch_retracts = {t for ev in events if isinstance(ev, ErrorDeclaration) for t in ev.retracts}
    for ev in events:
        if isinstance(ev, Recall):
            recalls[ev.recall_id] = ev
            retracted.discard(ev.recall_id)
    retracted |= {rid for rid, ev in recalls.items() if ev.event_id in batch_retracts}
    missing = {ev.recall_id for _, ev in confirmations} - recalls.keys()
    if missing:  # a recall recorded under an id of its own (an import, the demo), as recall_report finds it
        recalls.update({se.event.recall_id: se.event for se in store.events_by_type(["recall"])
                        if se.retracted_by is None and getattr(se.event, "recall_id", None) in missing})
    out = []
    for pos, ev in confirmations:
        recall = recalls.get(ev.recall_id)
        if not sees_all(principal) and (recall is None or ev.party not in recall.holders):
            # to a business: whether another recall exists, or was retracted, is not said — only that it is not its
            out.append(refusal(pos, "recall_id", "recall_not_holder", recall=ev.recall_id, party=ev.party))
        elif recall is None:
            out.append(refusal(pos, "recall_id", "recall_unknown", recall=ev.recall_id))
        elif ev.recall_id in retracted:
            out.append(refusal(pos, "recall_id", "recall_retracted_confirm", recall=ev.recall_id))
        elif ev.party not in recall.holders:
            out.append(refusal(pos, "recall_id", "recall_not_holder", recall=ev.recall_id, party=ev.party))
        else:
            covered = covered_lots(store, recall)
            out.extend(refusal(pos, f"lots[{i}]", "recall_lot_not_covered", recall=ev.recall_id, code=code)
                       for i, code in enumerate(ev.lots) if code not in covered)
    return out


def covered_lots(store: GraphStore, recall: Recall) -> set[str]:
    """The lots a recall covers: those it started from and the affected ones it found; for a recall
    recorded without them (an import), every lot made from its lots (their forward trace now)."""
    if recall.affected:
        return set(recall.lots) | set(recall.affected)
    return {c for code in recall.lots for c in store.forward(code).lots} | set(recall.lots)


__all__ = ["check_custody", "covered_lots"]
