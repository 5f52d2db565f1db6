"""A lot made by a party that never held what it was made from (``custody_gap``).

The write door lets a partner report a lot before its supplier does (a handoff of a code nobody has made
yet is stored, the code a placeholder). So a party can claim to pass on a code it never held — a farm's
next SB/T code, say — under a new code of its own: once the farm makes that code, the new lot's backward
trace runs to the farm, and a shopper would read the farm's name as its origin. The chain of custody says
otherwise: nobody handed the farm's lot to that party.

Custody of a lot: its owner when it came into being holds it, and a handoff from a
holder makes the receiver a holder too. A use of the lot — passing it on under a new code, selling it,
transforming it — by a party no chain of handoffs from the owner reaches is a break (the same code passed on
by a non-holder makes no holder of its receiver either). The finding is on the lot that use made (the
new lot, the receipt, the transformation's outputs), held against the party that used it, never on the
lot itself: an invented claim on a farm's lot does not taint what the farm really made of it.
Placeholders (no owner known) are not judged here: they are ``upstream_gap``. A holder receiving again
(several deliveries) or a record dated before the one that made its party a holder is fine: only whether
a chain of handoffs from the owner reaches the party is asked, not when.
"""

from __future__ import annotations

from foodtrace.services.safety.rules.facts import Facts, LotFact
from foodtrace.services.safety.rules.findings import Finding, finding

_PASSED_ON = frozenset({"handoff", "handoff_new"})


def broken_uses(lf: LotFact) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """The uses of ``lf`` by parties not holding it: (codes of the lots they made, ids of the
    transformations, party by code or event id)."""
    if lf.creator is None or not lf.uses:
        return frozenset(), frozenset(), {}
    held = {lf.owner}
    passed = [u for u in lf.uses if u.how in _PASSED_ON and u.to_party]
    grown = True
    while grown:  # a handoff from a holder makes a holder, whatever the order the records are dated in
        grown = False
        for u in passed:
            if u.party in held and u.to_party not in held:
                held.add(u.to_party)
                grown = True
    codes: set[str] = set()
    events: set[str] = set()
    who: dict[str, str] = {}
    for u in lf.uses:
        if u.party in held:
            continue
        if u.new_lot:
            codes.add(u.new_lot)
            who[u.new_lot] = u.party
        elif u.how == "transformation":
            events.add(u.event_id)
            who[u.event_id] = u.party
    return frozenset(codes), frozenset(events), who


def custody_findings(facts: Facts, lf: LotFact, memo: dict[str, tuple]) -> list[Finding]:
    """``custody_gap`` on ``lf`` when a parent it was made from was used to make it by a party not holding
    that parent (``memo``: each parent's ``broken_uses``, found once per check)."""
    out = []
    for parent, _, _ in lf.parents:
        broken = memo.get(parent)
        if broken is None:
            broken = memo[parent] = broken_uses(facts.lot(parent))
        codes, events, who = broken
        party = who.get(lf.code) if lf.code in codes else (who.get(lf.made_event or "") if lf.made_event in events
                                                           else None)
        if party is not None:
            out.append(finding("custody_gap", lf.code, party, parent, source=parent))
    return out


def made_by_non_holders(facts: Facts, lf: LotFact, memo: dict[str, tuple]) -> list[Finding]:
    """The district check's side: ``custody_gap`` on every lot made from ``lf`` by a party not holding it."""
    broken = memo.get(lf.code)
    if broken is None:
        broken = memo[lf.code] = broken_uses(lf)
    codes, events, who = broken
    made = [(c, who[c]) for c in codes]
    for e in events:
        tr = facts.transforms.get(e)
        made += [(out[0], who[e]) for out in (tr.outputs if tr else ())]
    return [finding("custody_gap", code, party, lf.code, source=lf.code) for code, party in sorted(made)]


__all__ = ["broken_uses", "custody_findings", "made_by_non_holders"]
