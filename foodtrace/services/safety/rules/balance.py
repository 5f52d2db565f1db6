"""Mass balance: more passed on than received is the mark of unregistered
goods entering the chain.

- per lot: what was used, passed on under new codes or sold, against the lot's quantity;
- per transformation: carcass yield per head for a slaughter, kg out against kg in otherwise;
- per party and product: everything passed on against everything received or
  produced, beyond what the lot-level findings already explain.

Tolerances come from the rules file. Quantities in a unit other than the
lot's cannot be compared and are left out.
"""

from __future__ import annotations

from collections import defaultdict

from foodtrace.services.safety.rules.config import RuleConfig
from foodtrace.services.safety.rules.facts import CONSUMER, Facts, LotFact, Transform
from foodtrace.services.safety.rules.findings import Finding, finding


def lot_balance(facts: Facts, lf: LotFact, cfg: RuleConfig) -> Finding | None:
    """The lot gave out more than it held (charged to whoever took it over the top)."""
    if lf.quantity is None or lf.creator is None or not lf.uses:
        return None  # nothing given out: no use to charge (most lots: every receipt)
    limit = lf.quantity + cfg.balance.slack(facts.receipt_product(lf), lf.unit, lf.quantity)
    if lf.consumed() <= limit:
        return None
    total, culprit = 0.0, None
    for u in sorted((u for u in lf.uses if u.consumes and u.unit == lf.unit), key=lambda u: u.time):
        total += u.quantity
        if culprit is None and total > limit:
            culprit = u.party
    if culprit is None:
        return None
    return finding("mass_balance", lf.code, culprit, "lot", received=round(lf.quantity, 3),
                   passed_on=round(total, 3), unit=lf.unit, excess=round(total - lf.quantity, 3))


def quantity_left(lf: LotFact) -> float | None:
    """What is left of a lot after what it gave out (``None``: its quantity is unknown)."""
    return None if lf.quantity is None else lf.quantity - lf.consumed()


def transform_balance(facts: Facts, tr: Transform, cfg: RuleConfig) -> Finding | None:
    """Slaughter: kg of carcass per head within the product's range. Other
    transformations: kg out no more than kg in, give or take the kind's tolerance."""
    if not tr.outputs:
        return None
    first = tr.outputs[0][0]
    out_kg = sum(q for _, _, q, u in tr.outputs if u == "kg")
    if tr.kind == "slaughter":
        heads = sum(q for _, q, u in tr.inputs if u == "head")
        products = {p for _, p, _, u in tr.outputs if u == "kg"}
        if not heads or len(products) != 1:
            return None
        product = products.pop()
        bounds = cfg.balance.yield_kg_per_head.get(product)  # type: ignore[call-overload]
        if bounds is None:
            return None
        per_head = out_kg / heads
        if bounds[0] <= per_head <= bounds[1]:
            return None
        return finding("carcass_yield", first, tr.party, tr.event_id, per_head=round(per_head, 2),
                       low=bounds[0], high=bounds[1], heads=heads, kg=round(out_kg, 3))
    if any(u != "kg" for _, _, u in tr.inputs) or any(u != "kg" for _, _, _, u in tr.outputs):
        return None
    in_kg = sum(q for _, q, _ in tr.inputs)
    share = cfg.balance.transform_tolerance.get(tr.kind, 0.0)  # type: ignore[call-overload]
    if out_kg <= in_kg * (1 + share) + cfg.balance.absolute.get("kg", 0.0):  # type: ignore[call-overload]
        return None
    return finding("transform_balance", first, tr.party, tr.event_id, kind=tr.kind, inputs=round(in_kg, 3),
                   outputs=round(out_kg, 3), unit="kg")


def party_balance(facts: Facts, cfg: RuleConfig, explained: list[Finding]) -> list[Finding]:
    """Per party, product and unit: passed on beyond received, less what
    lot-level findings charged to the party already explain."""
    received: dict[tuple, float] = defaultdict(float)
    passed: dict[tuple, float] = defaultdict(float)
    for lf in facts.lots.values():  # each field read once (a million lots at 1M events)
        uses, owner, quantity = lf.uses, lf.owner, lf.quantity
        if not uses and (quantity is None or owner is None or owner == CONSUMER):
            continue  # neither received nor passed on (every receipt sold to a consumer)
        product = lf.product
        if product is None:
            product = facts.receipt_product(lf)
        unit = lf.unit
        if product is None or unit is None:
            continue
        if quantity is not None and owner is not None and owner != CONSUMER:
            received[(owner, product, unit)] += quantity
        for u in uses:
            if u.unit != unit:
                continue
            passed[(u.party, product, unit)] += u.quantity
            if u.how == "handoff" and u.to_party:
                received[(u.to_party, product, unit)] += u.quantity
    already: dict[tuple, float] = defaultdict(float)
    for f in explained:
        if f.code == "mass_balance" and f.lot:
            lf = facts.lots[f.lot]
            already[(f.party, facts.receipt_product(lf), lf.unit)] += f.get("excess", 0.0)
    out = []
    for key in sorted(passed):
        party, product, unit = key
        got = received.get(key, 0.0)
        excess = passed[key] - got - already.get(key, 0.0)
        if excess > cfg.balance.slack(product, unit, got):
            out.append(finding("party_balance", None, party, f"{product}:{unit}", product=product, unit=unit,
                               received=round(got, 3), passed_on=round(passed[key], 3)))
    return out


__all__ = ["lot_balance", "transform_balance", "party_balance", "quantity_left"]
