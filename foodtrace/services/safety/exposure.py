"""Exposure: who holds what of a set of bad lots, quantity-weighted.

From the bad lots forward: every affected lot, the share of bad input in it
(through mixes and cuts, by the input quantities of each transformation), and
per holder what it received, passed on, used and may still hold. Used by
recalls; backend-neutral (``forward`` and ``lot_events``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from pydantic import BaseModel, Field

from foodtrace.graph.store import GraphStore
from foodtrace.services.safety.rules.facts import CONSUMER, Facts, LotFact


class LotExposure(BaseModel):
    code: str
    product: str | None = None
    unit: str | None = None
    received: float = 0.0  # came into the holder's hands (received, issued to it or produced by it)
    passed_on: float = 0.0  # handed on or sold
    used: float = 0.0  # used in its own transformations (cutting, mixing…)
    still_held: float = 0.0  # possibly still held: received - passed on - used
    share: float = 0.0  # share of bad input in the lot, 0..1
    bad_received: float = 0.0  # received × share
    bad_still_held: float = 0.0  # still held × share


class HolderExposure(BaseModel):
    party: str
    name: str | None = None
    kind: str | None = None
    lots: list[LotExposure] = Field(default_factory=list)
    totals: dict[str, dict[str, float]] = Field(default_factory=dict)  # unit -> received, passed_on, …


class Exposure(BaseModel):
    sources: list[str]
    affected: list[str]  # every lot downstream of the sources (and the sources)
    shares: dict[str, float]
    holders: list[HolderExposure]
    consumers: dict[str, float] = Field(default_factory=dict)  # unit -> quantity sold to consumers
    receipts: int = 0


def shares(facts: Facts, affected: set[str], sources: Iterable[str]) -> dict[str, float]:
    """The share of bad input in each affected lot: 1 for a source; a
    transformation's outputs get the input-quantity-weighted share of their
    inputs (lots outside ``affected`` count 0); a lot passed on under a new code
    or sold keeps its parent's. When input units differ the largest share is
    taken (the cautious answer)."""
    out = {s: 1.0 for s in sources}
    for code in _topological(facts, affected):
        if code in out:
            continue
        lf = facts.lot(code)
        parts = [(out.get(p, 0.0) if p in affected else 0.0, q, u) for p, q, u in lf.parents]
        if not parts:
            out[code] = 0.0
        elif len({u for _, _, u in parts}) == 1 and all(q for _, q, _ in parts):
            total = sum(q for _, q, _ in parts)  # type: ignore[misc]
            out[code] = sum(s * q for s, q, _ in parts) / total  # type: ignore[operator]
        else:
            out[code] = max(s for s, _, _ in parts)
    return out


def _topological(facts: Facts, affected: set[str]) -> list[str]:
    order, done = [], set()
    for root in sorted(affected):
        stack = [(root, False)]
        while stack:
            code, ready = stack.pop()
            if code in done:
                continue
            if ready:
                done.add(code)
                order.append(code)
                continue
            stack.append((code, True))
            lf = facts.get(code)
            stack.extend((p, False) for p, _, _ in (lf.parents if lf else ()) if p in affected and p not in done)
    return order


def _flows(lf: LotFact) -> dict[str, list[float]]:
    """Per party: [received, passed_on, used] of this lot, in its unit."""
    flows: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    if lf.owner and lf.owner != CONSUMER and lf.quantity is not None:
        flows[lf.owner][0] += lf.quantity
    for u in lf.uses:
        if u.unit != lf.unit:
            continue
        flows[u.party][2 if u.how == "transformation" else 1] += u.quantity
        if u.how == "handoff" and u.to_party:
            flows[u.to_party][0] += u.quantity
    return flows


def exposure(store: GraphStore, sources: list[str]) -> Exposure:
    """Every lot downstream of ``sources`` and every holder's exposure."""
    affected: set[str] = set()
    for s in sources:
        affected |= store.forward(s).lots
    facts = Facts.from_lots(store, affected)
    share = shares(facts, affected, sources)
    holders: dict[str, HolderExposure] = {}
    consumers: dict[str, float] = defaultdict(float)
    receipts = 0
    for code in sorted(affected):
        lf = facts.lot(code)
        if lf.made_by == "retail_sale":
            receipts += 1
            consumers[lf.unit or "?"] += lf.quantity or 0.0
        for party, (got, passed, used) in sorted(_flows(lf).items()):
            still = max(0.0, got - passed - used)
            h = holders.get(party) or holders.setdefault(party, _holder(facts, party))
            h.lots.append(LotExposure(code=code, product=facts.receipt_product(lf), unit=lf.unit, received=got,
                                      passed_on=passed, used=used, still_held=round(still, 3),
                                      share=round(share.get(code, 0.0), 4), bad_received=round(got * share.get(code, 0.0), 3),
                                      bad_still_held=round(still * share.get(code, 0.0), 3)))
    for h in holders.values():
        h.totals = _totals(h.lots)
    return Exposure(sources=list(sources), affected=sorted(affected), shares={k: round(v, 4) for k, v in share.items()},
                    holders=sorted(holders.values(), key=lambda h: h.party), consumers=dict(consumers),
                    receipts=receipts)


def _holder(facts: Facts, party: str) -> HolderExposure:
    p = facts.parties.get(party)
    return HolderExposure(party=party, name=p.name if p else None, kind=p.kind.value if p else None)


def _totals(lots: list[LotExposure]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for e in lots:
        t = out.setdefault(e.unit or "?", dict.fromkeys(("received", "passed_on", "used", "still_held",
                                                          "bad_received", "bad_still_held"), 0.0))
        for k in t:
            t[k] = round(t[k] + getattr(e, k), 3)
    return out


__all__ = ["exposure", "Exposure", "HolderExposure", "LotExposure", "shares"]
