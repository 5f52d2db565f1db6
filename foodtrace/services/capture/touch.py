"""What a business may say about lots without passing them on: only about its own.

An event that applies a veterinary drug or pesticide to lots (``input_application``), records an
observation of them (``epcis_record``), packs onto a pallet that exists already or unpacks one
(``aggregation``) says something about those lots that others read: the entry gate counts a
withdrawal period from an input applied, the lot's history lists an observation, a packing links
lots into the pallet's trace and an unpacking makes its party a holder of the contents (custody),
who then reads their traces (``visibility.py``). So a party records these only about lots it made
or held (``access.held_by``), or makes or receives in the same batch:

- every lot of an input application or an observation must be such a lot; a code nobody made yet
  is refused too (else a stranger could plant a drug on a code it guesses before its farm makes it);
- packing onto a pallet that exists (not made in this batch, not a placeholder) needs the pallet to
  be the packer's; packing onto a new code creates it (``custody.py`` checks the children);
- unpacking needs the pallet to be the party's, and each child to be the party's or packed into
  that pallet (stored, or earlier in the batch).

Certificates and tests are ``authority.py``'s (``rules.toml`` ``[authority]``: ``own``, ``others_by``).
As with custody, administrators (an admin key, the command line, the system: the office's loads of
what partners report) are not held to this, and an event stored already (a replay) is not checked again.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from foodtrace.graph.store import GraphStore
from foodtrace.i18n.refusals import refusal
from foodtrace.model.event_base import _Event, optional
from foodtrace.model.events import Aggregation, EpcisRecord, Handoff, InputApplication
from foodtrace.services.capture.principal import Principal


def _about(ev: _Event) -> Iterator[tuple[str, str, bool]]:
    """(field, lot code, whether a code nobody made is refused) for each lot ``ev`` says something about."""
    if isinstance(ev, (InputApplication, EpcisRecord)):
        for i, code in enumerate(ev.lots):
            yield f"lots[{i}]", code, True
    elif isinstance(ev, Aggregation) and ev.action == "unpack":
        yield "parent", ev.parent, True
    elif isinstance(ev, Aggregation):
        yield "parent", ev.parent, False


def check_touches(store: GraphStore, principal: Principal, events: Sequence[_Event]) -> list[dict]:
    """Every lot an event of ``events`` says something about that its party neither made nor held, as
    error details (position, field, reason); none for an administrator."""
    if principal.is_admin:
        return []
    todo = [(pos, ev) for pos, ev in enumerate(events) if isinstance(ev, (InputApplication, EpcisRecord, Aggregation))]
    if not todo:
        return []
    stored = store.get_events([ev.event_id for _, ev in todo if ev.event_id])
    todo = [(pos, ev) for pos, ev in todo if ev.event_id not in stored]  # a replay: checked when it was stored
    codes = sorted({code for _, ev in todo for _, code, _ in _about(ev)})
    lots = store.get_lots(codes)
    known = [c for c, lot in lots.items() if not lot.unconfirmed]
    holders = store.holders(known) if known else {}
    problems: list[dict] = []
    here: dict[str, set[str]] = {}  # lot -> the parties that make, pack or receive it earlier in the batch
    done = 0
    for pos, ev in todo:
        _made_or_received(events[done:pos], here)
        done = pos
        for fld, code, strict in _about(ev):
            lot = lots.get(code)
            if ev.party in here.get(code, ()):
                continue
            if lot is None or lot.unconfirmed:
                if strict:
                    problems.append(refusal(pos, fld, "touch_lot_unknown", code=code, type=ev.type))
                continue
            if lot.origin_party != ev.party and not any(ev.party in (c.party, c.from_party)
                                                        for c in holders.get(code, [])):
                problems.append(refusal(pos, fld, "touch_not_own", party=ev.party, code=code, type=ev.type))
        if isinstance(ev, Aggregation) and ev.action == "unpack":
            problems.extend(_not_in_pallet(store, pos, ev, events[:pos]))
    return problems


def _made_or_received(events: Sequence[_Event], out: dict[str, set[str]]) -> None:
    """Add to ``out`` (lot -> parties) the parties that make, pack or receive each lot in ``events``."""
    for ev in events:
        for code in ev.created_codes():
            out.setdefault(code, set()).add(optional(ev, "to_party") or ev.party)
        if isinstance(ev, Handoff):
            out.setdefault(ev.lot.code, set()).add(ev.to_party)


def _packed(ev: _Event, parent: str, child: str) -> bool:
    return isinstance(ev, Aggregation) and ev.action == "pack" and ev.parent == parent and \
        any(c.code == child for c in ev.children)


def _not_in_pallet(store: GraphStore, pos: int, ev: Aggregation, before: Sequence[_Event]) -> list[dict]:
    """The children of an unpacking that were never packed into its pallet (and are not its party's)."""
    children = [c.code for c in ev.children]
    if not children:
        return []
    history = store.lot_events(children)
    lots = store.get_lots(children)
    holders = store.holders(children)
    out = []
    for i, code in enumerate(children):
        if any(_packed(se.event, ev.parent, code) for se in history.get(code, [])) or \
                any(_packed(e, ev.parent, code) for e in before):
            continue
        lot = lots.get(code)
        if lot is not None and (lot.origin_party == ev.party
                                or any(ev.party in (c.party, c.from_party) for c in holders.get(code, []))):
            continue
        out.append(refusal(pos, f"children[{i}].code", "touch_not_packed", code=code, parent=ev.parent))
    return out


__all__ = ["check_touches"]
