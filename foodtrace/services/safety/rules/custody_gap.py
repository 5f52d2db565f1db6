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


Broken = tuple[dict[str, str], dict[str, str]]  # (new lot code -> party, transformation id -> party)
_NONE_BROKEN: Broken = ({}, {})  # shared by every lot without a break: read, never written


def broken_uses(lf: LotFact) -> Broken:
    """The uses of ``lf`` by parties not holding it: the lots they made (passed on under a new code, sold) and
    the transformations they ran, each with the party."""
    if lf.creator is None or not lf.uses:
        return _NONE_BROKEN
    owner = lf.owner
    for u in lf.uses:
        if u.party != owner:
            break
    else:  # every use by its owner (most lots): nobody used it without holding it
        return _NONE_BROKEN
    held = {owner}
    passed = [u for u in lf.uses if u.how in _PASSED_ON and u.to_party]
    grown = True
    while grown:  # a handoff from a holder makes a holder, whatever the order the records are dated in
        grown = False
        for u in passed:
            if u.party in held and u.to_party not in held:
                held.add(u.to_party)
                grown = True
    by_code: dict[str, str] = {}
    by_event: dict[str, str] = {}
    for u in lf.uses:
        if u.party in held:
            continue
        if u.new_lot:
            by_code[u.new_lot] = u.party
        elif u.how == "transformation":
            by_event[u.event_id] = u.party
    return by_code, by_event


def _broken(memo: dict[str, Broken], lf: LotFact) -> Broken:
    found = memo.get(lf.code)
    if found is None:
        found = memo[lf.code] = broken_uses(lf)
    return found


def custody_findings(facts: Facts, lf: LotFact, memo: dict[str, Broken]) -> list[Finding]:
    """``custody_gap`` on ``lf`` when a parent it was made from was used to make it by a party not holding
    that parent (``memo``: each parent's ``broken_uses``, found once per check)."""
    out = []
    for parent, _, _ in lf.parents:
        by_code, by_event = _broken(memo, facts.lot(parent))
        party = by_code.get(lf.code) or by_event.get(lf.made_event or "")
        if party is not None:
            out.append(finding("custody_gap", lf.code, party, parent, source=parent))
    return out


def made_by_non_holders(facts: Facts, lf: LotFact, memo: dict[str, Broken]) -> list[Finding]:
    """The district check's side: ``custody_gap`` on every lot made from ``lf`` by a party not holding it."""
    by_code, by_event = _broken(memo, lf)
    if not by_code and not by_event:
        return []
    made = list(by_code.items())
    for e, party in by_event.items():
        tr = facts.transforms.get(e)
        made += [(out[0], party) for out in (tr.outputs if tr else ())]
    return [finding("custody_gap", code, party, lf.code, source=lf.code) for code, party in sorted(made)]


__all__ = ["broken_uses", "custody_findings", "made_by_non_holders"]
