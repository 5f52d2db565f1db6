"""The report's figures of slaughter and quarantine, complaints, recalls and the rules' anomalies."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from foodtrace.services.report.collect import Collected
from foodtrace.services.report.model import Anomalies, AnomalyRow, Complaints, MeatRow, Recalls, rate
from foodtrace.services.report.period import Period
from foodtrace.services.safety.rules.anomalies import check_facts, party_scores
from foodtrace.services.safety.rules.config import ANOMALY_KINDS, RuleConfig
from foodtrace.services.safety.rules.facts import Facts

TOP_PARTIES = 10


def _quarantined(facts: Facts, code: str) -> bool:
    lf = facts.get(code)
    return lf is not None and any(c.kind == "animal_quarantine" and c.result == "pass" for c in lf.certs)


def meat(facts: Facts, p: Period) -> list[MeatRow]:
    rows: dict[str, MeatRow] = {}
    start, end = p.start, p.end
    for tr in facts.transforms.values():
        if tr.kind != "slaughter" or not (start <= tr.time < end):
            continue
        designated = facts.kind_of(tr.party) == "designated_slaughterhouse"
        heads = sum(q for _, q, u in tr.inputs if u == "head")
        checked = [c for c, _, _ in tr.inputs if _quarantined(facts, c)]
        if heads:
            share = sum(q for c, q, u in tr.inputs if u == "head" and c in checked) / heads
        else:
            share = len(checked) / len(tr.inputs)
        products = {prod for _, prod, _, u in tr.outputs if u == "kg"}
        for code, product, q, unit in tr.outputs:
            if unit != "kg":
                continue
            row = rows.setdefault(product, MeatRow(product=product))
            if not designated:
                row.elsewhere_kg += q
                continue
            row.kg += q
            row.quarantined_kg += q * (1.0 if _quarantined(facts, code) else share)
        for product in products:
            if designated:
                rows[product].slaughters += 1
                rows[product].heads += heads / len(products)
    order = {"pork": 0, "beef": 1, "mutton": 2, "poultry": 3}
    out = sorted(rows.values(), key=lambda r: (order.get(r.product, 9), r.product))
    for r in out:
        r.kg, r.quarantined_kg, r.elsewhere_kg = round(r.kg, 3), round(r.quarantined_kg, 3), round(r.elsewhere_kg, 3)
        r.heads = round(r.heads, 3)
        r.rate = rate(r.quarantined_kg, r.kg)
    if "pork" not in rows:
        out.insert(0, MeatRow(product="pork"))
    return out



def complaints(col: Collected) -> Complaints:
    closed = sum(1 for c in col.complaints if c in col.closures)
    return Complaints(received=len(col.complaints), closed=closed, rate=rate(closed, len(col.complaints)),
                      by_channel=dict(sorted(Counter(col.complaints.values()).items())))


def recalls(facts: Facts, col: Collected) -> Recalls:
    closed = confirmations = 0
    lots: set[str] = set()
    affected: set[str] = set()
    holders: set[str] = set()
    quantity: dict[str, float] = defaultdict(float)
    removed: dict[str, float] = defaultdict(float)
    for rid, r in col.recalls.items():
        confirmed = col.confirmations.get(rid, {})
        closed += all(h in confirmed for h in r.holders)
        confirmations += len(confirmed)
        lots.update(r.lots)
        affected.update(r.affected or r.lots)
        holders.update(r.holders)
        for q, unit in confirmed.values():
            if q is not None and unit:
                removed[unit] += q
    for code in lots:
        lf = facts.get(code)
        if lf and lf.quantity is not None and lf.unit:
            quantity[lf.unit] += lf.quantity
    return Recalls(started=len(col.recalls), closed=closed, lots=len(lots), affected_lots=len(affected),
                   holders=len(holders), confirmations=confirmations,
                   recalled_quantity={u: round(q, 3) for u, q in sorted(quantity.items())},
                   removed={u: round(q, 3) for u, q in sorted(removed.items())})


def _when(facts: Facts, code: str) -> datetime | None:
    """When a lot came into being (or, for a placeholder, first appeared)."""
    lf = facts.get(code)
    if lf is None:
        return None
    if lf.created_at is not None:
        return lf.created_at
    times = [x.time for x in (*lf.uses, *lf.certs)]
    return min(times) if times else None


def anomalies(facts: Facts, col: Collected, p: Period, cfg: RuleConfig) -> Anomalies:
    """The rules' anomalies about lots that came into being in the period (a party's own
    balance: when it acted in the period), as found in the records up to its end."""
    check = check_facts(facts, cfg)
    kept = []
    for a in check.anomalies:
        if a.lot is not None:
            moment = _when(facts, a.lot)
            if moment is not None and not (p.start <= moment < p.end):
                continue
        elif a.party not in col.actors:
            continue
        kept.append(a)
    rows = [AnomalyRow(kind=k, count=sum(1 for a in kept if a.kind == k),
                       score=sum(a.score for a in kept if a.kind == k)) for k in ANOMALY_KINDS]
    scored = party_scores(kept, facts)
    return Anomalies(rows=rows, count=len(kept), score=sum(a.score for a in kept), parties=len(scored),
                     top=scored[:TOP_PARTIES], rules=check.rules)



__all__ = ["meat", "complaints", "recalls", "anomalies", "TOP_PARTIES"]
