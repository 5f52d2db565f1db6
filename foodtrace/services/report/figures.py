"""The figures of the district's annual food-safety report, computed from the
store for any period (``district_report``), each with its definition.

One pass over the log (``collect.read_log``) gives the rules' facts as they
stood at the end of the period and the counts of the period; every figure is
computed from those, so it works on any backend.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Callable, Iterable

from pydantic import TypeAdapter

from foodtrace.graph.store import GraphStore
from foodtrace.i18n import t
from foodtrace.model.vocab import PartyKind
from foodtrace.services.report.collect import Collected, read_log
from foodtrace.services.report.flows import meat_flow
from foodtrace.services.report.model import (
    SECTIONS,
    Anomalies,
    AnomalyRow,
    AttributeRow,
    Bi,
    Clenbuterol,
    Complaints,
    Figure,
    GroupRow,
    KindRow,
    MeatRow,
    Membership,
    Recalls,
    Report,
    TestRow,
    Tests,
    Traceability,
    Transparency,
    Vegetables,
    rate,
)
from foodtrace.services.report.period import Period, period
from foodtrace.services.report.checkpoint import kept_figures
from foodtrace.services.report.replay import read_facts
from foodtrace.services.report.trade import trade
from foodtrace.services.safety.rules.anomalies import check_facts, party_scores
from foodtrace.services.safety.rules.config import ANOMALY_KINDS, RuleConfig, load_rules
from foodtrace.services.safety.rules.facts import CATEGORY, Facts
from foodtrace.services.safety.rules.gc_pause import gc_paused
from foodtrace.services.supervision.figures import supervision_figures

GROUPS: list[tuple[str, list[str]]] = [
    ("production", ["scale_farm", "household_farm", "vegetable_base", "cold_storage", "designated_slaughterhouse",
                    "producer"]),
    ("sellers", ["wholesaler", "wholesale_market", "farmers_market", "supermarket"]),
    ("caterers", ["restaurant", "school_canteen", "kindergarten_canteen", "rural_chef"]),
    ("small", ["small_workshop", "small_shop", "small_stall"]),
    ("other", ["testing_lab", "regulator", "animal_health_authority"]),
]
GROUP_OF = {k: g for g, kinds in GROUPS for k in kinds}
# Traceability nodes (追溯节点): the kinds of premises the system covers.
NODE_KINDS = ["designated_slaughterhouse", "wholesale_market", "farmers_market", "supermarket", "school_canteen"]
# Party attributes of the "transparent" programmes and the kinds each is meant for.
ATTRIBUTES: dict[str, list[str]] = {
    "transparent_kitchen": ["school_canteen", "kindergarten_canteen", "restaurant"],  # 明厨亮灶
    "sunshine_warehouse": ["cold_storage", "wholesale_market"],  # 阳光仓储
    "transparent_workshop": ["producer", "small_workshop"],  # 透明车间
}
RAPID = ("pesticide_rapid_test", "clenbuterol_test")
TOP_PARTIES = 10


def district_report(store: GraphStore, first: str | date | None, last: str | date | None, tz: str = "+08:00",
                    rules: RuleConfig | None = None, now: datetime | None = None, from_log: bool = False,
                    keep: Callable[[Any], bool] | None = None) -> Report:
    """The report for the whole days ``first``..``last`` in time zone ``tz``, from the store's report
    facts (``replay.read_facts``: its time index and the events the figures read) — or, with
    ``from_log``, from one pass over the whole log (``collect.read_log``; the reference it must equal).
    With ``keep`` (an inspector's areas), of the events it keeps only: read from the log, since the
    report facts count the whole district. From the report facts, the figures a previous report of the same
    days, zone and rules kept are read back while nothing before the end changed (``checkpoint.py``)."""
    p = period(first, last, tz)
    cfg = rules or load_rules()
    if from_log or keep is not None:
        facts, col = read_log(store, p, keep)
        folded = _folded(facts, col, p, cfg)
    else:  # the figures a previous report kept, while still true (services/report/checkpoint.py)
        folded, _ = kept_figures(store, p, cfg.model_dump_json(), lambda: _from_facts(store, p, cfg),
                                 _encode, _decode)
    return Report(
        period_from=p.first, period_to=p.last, tz=p.tz_name(),
        generated_at=(now or datetime.now(p.tz)).replace(microsecond=0),
        definitions={k: Bi(zh=t(f"report_def_{k}", "zh"), en=t(f"report_def_{k}", "en")) for k in SECTIONS},
        supervision=supervision(store, p, keep), **folded)


# The figures folded from the records before the end of the period (all but the header and supervision).
FOLDED = ("events_read", "membership", "traceability", "vegetables", "meat", "clenbuterol", "tests", "complaints",
          "recalls", "anomalies", "transparency", "flow", "trade")


def _folded(facts: Facts, col: Collected, p: Period, cfg: RuleConfig) -> dict[str, Any]:
    return dict(
        events_read=facts.events, membership=membership(facts, col), traceability=traceability(facts, col),
        vegetables=vegetables(facts, col), meat=meat(facts, p), clenbuterol=clenbuterol(facts, col),
        tests=tests(facts, col, p), complaints=complaints(col), recalls=recalls(facts, col),
        anomalies=anomalies(facts, col, p, cfg), transparency=transparency(facts), flow=meat_flow(facts, p),
        trade=trade(facts, col.trades))


def _from_facts(store: GraphStore, p: Period, cfg: RuleConfig) -> dict[str, Any]:
    with gc_paused():  # millions of objects, none of them garbage until the figures are made
        facts, col = read_facts(store, p)
        folded = _folded(facts, col, p, cfg)
        del facts, col  # freed by their reference counts before the collector runs again
    return folded


@lru_cache(maxsize=1)
def _adapters() -> dict[str, TypeAdapter]:
    return {k: TypeAdapter(Report.model_fields[k].annotation) for k in FOLDED}


def _encode(folded: dict[str, Any]) -> dict[str, Any]:
    ad = _adapters()
    return {k: ad[k].dump_python(folded[k], mode="json") for k in FOLDED}


def _decode(kept: dict[str, Any]) -> dict[str, Any]:
    ad = _adapters()
    return {k: ad[k].validate_python(kept[k]) for k in FOLDED}


def _kind(facts: Facts, party: str) -> str:
    return facts.kind_of(party) or "unregistered"


# -- who is registered and who reports -------------------------------------


def _kind_rows(facts: Facts, col: Collected, kinds: Iterable[str]) -> list[KindRow]:
    registered, new, reporting, joined = Counter(), Counter(), Counter(), Counter()
    for pid, party in facts.parties.items():
        k = party.kind.value
        registered[k] += 1
        new[k] += pid in col.new
        reporting[k] += pid in col.actors
        joined[k] += party.joined_on is not None and (col.last_day is None or party.joined_on <= col.last_day)
    return [KindRow(kind=k, group=GROUP_OF.get(k, "other"), registered=registered[k], new=new[k],
                    reporting=reporting[k], rate=rate(reporting[k], registered[k]), joined=joined[k],
                    join_rate=rate(joined[k], registered[k])) for k in kinds]


def membership(facts: Facts, col: Collected) -> Membership:
    rows = _kind_rows(facts, col, [k.value for k in PartyKind])
    by_kind = {r.kind: r for r in rows}
    groups = []
    for g, kinds in GROUPS:
        reg = sum(by_kind[k].registered for k in kinds)
        rep = sum(by_kind[k].reporting for k in kinds)
        joined = sum(by_kind[k].joined for k in kinds)
        groups.append(GroupRow(group=g, kinds=kinds, registered=reg, reporting=rep, rate=rate(rep, reg),
                               joined=joined, join_rate=rate(joined, reg)))
    reg = sum(r.registered for r in rows)
    rep = sum(r.reporting for r in rows)
    joined = sum(r.joined for r in rows)
    return Membership(kinds=rows, groups=groups, registered=reg, reporting=rep, rate=rate(rep, reg),
                      joined=joined, join_rate=rate(joined, reg),
                      unregistered_actors=sorted(col.actors - set(facts.parties)))


def traceability(facts: Facts, col: Collected) -> Traceability:
    nodes = _kind_rows(facts, col, NODE_KINDS)
    return Traceability(points=sum(r.reporting for r in nodes), nodes=nodes, records=sum(col.records.values()),
                        records_by_type=dict(sorted(col.records.items())), retracted=col.retracted)


# -- tests and certificates --------------------------------------------------


class _Tally:
    """Samples, passed and failed per key."""

    def __init__(self) -> None:
        self.n: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, key: str, passed: bool) -> None:
        row = self.n[key]
        row[0 if passed else 1] += 1

    def row(self, key: str) -> TestRow:
        p, f = self.n.get(key, (0, 0))
        return TestRow(key=key, samples=p + f, passed=p, failed=f, rate=rate(p, p + f))

    def rows(self, keys: Iterable[str] | None = None) -> list[TestRow]:
        return [self.row(k) for k in (keys if keys is not None else sorted(self.n))]

    def total(self, key: str = "all") -> TestRow:
        p = sum(v[0] for v in self.n.values())
        f = sum(v[1] for v in self.n.values())
        return TestRow(key=key, samples=p + f, passed=p, failed=f, rate=rate(p, p + f))


def _product(facts: Facts, code: str) -> str | None:
    lf = facts.get(code)
    return facts.receipt_product(lf) if lf else None


def vegetables(facts: Facts, col: Collected) -> Vegetables:
    tested = _Tally()
    certs, kg, issuers = 0, 0.0, set()
    for c in col.certs:
        if c.kind == "compliance":
            certs += 1
            issuers.add(c.issuer)
            if c.quantity is not None and c.unit == "kg":
                kg += c.quantity
            else:
                kg += sum(lf.quantity or 0.0 for lf in map(facts.get, c.lots) if lf and lf.unit == "kg")
            continue
        if c.kind == "clenbuterol_test":
            continue
        for code in c.lots:
            product = _product(facts, code)
            if product and CATEGORY.get(product) == "vegetable":
                tested.add(product, c.result == "pass")
    by_variety = sorted(tested.rows(), key=lambda r: (-r.samples, r.key))
    return Vegetables(tested=tested.total(), varieties=len(by_variety), by_variety=by_variety,
                      compliance_certificates=certs, compliance_kg=round(kg, 3), compliance_issuers=len(issuers))


def clenbuterol(facts: Facts, col: Collected) -> Clenbuterol:
    tally, heads, sampled = _Tally(), 0.0, 0.0
    for c in col.certs:
        if c.kind != "clenbuterol_test":
            continue
        for code in c.lots:
            tally.add("all", c.result == "pass")
        if c.quantity is not None and c.unit == "head":
            in_lots = c.quantity
        else:
            in_lots = sum(lf.quantity or 0.0 for lf in map(facts.get, c.lots) if lf and lf.unit == "head")
        heads += in_lots
        sampled += c.sampled if c.sampled is not None else in_lots
    row = tally.total()
    return Clenbuterol(samples=row.samples, heads=heads, sampled=sampled, passed=row.passed, failed=row.failed,
                       rate=row.rate)


def tests(facts: Facts, col: Collected, p: Period) -> Tests:
    rapid, lab, monthly = _Tally(), _Tally(), _Tally()
    for c in col.certs:
        if c.kind == "compliance":
            continue
        ok = c.result == "pass"
        for code in c.lots:
            monthly.add(c.month, ok)
            if c.kind in RAPID:
                rapid.add(_kind(facts, c.issuer), ok)
            else:
                product = _product(facts, code)
                lab.add(CATEGORY.get(product, "unknown") if product else "unknown", ok)
    return Tests(rapid=rapid.total(), rapid_by_tester=sorted(rapid.rows(), key=lambda r: (-r.samples, r.key)),
                 lab=lab.total(), lab_by_category=lab.rows(), monthly=monthly.rows(p.months()))


# -- slaughter and quarantine ------------------------------------------------


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


# -- complaints, recalls, anomalies ------------------------------------------


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


def supervision(store: GraphStore, p: Period, keep: Callable[[Any], bool] | None = None) -> list[Figure]:
    """The office's inspections, campaigns, cases and outreach in the period (the supervision service's figures)."""
    return [Figure(key=k, value=f["value"], label=Bi(zh=f["zh"], en=f["en"]))
            for k, f in supervision_figures(store, p.start, p.end, keep=keep).items()]


# -- transparent kitchens, warehouses, workshops -----------------------------


def _on(value: object) -> bool:
    return value is True or (isinstance(value, (int, str)) and str(value).strip().lower() in ("1", "true", "yes"))


def transparency(facts: Facts) -> Transparency:
    count: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for attr, kinds in ATTRIBUTES.items():
        for k in kinds:
            count[(attr, k)]  # listed even when none is registered
    for party in facts.parties.values():
        k = party.kind.value
        for attr, kinds in ATTRIBUTES.items():
            on = _on(party.attributes.get(attr))
            if k in kinds or on:
                row = count[(attr, k)]
                row[0] += 1
                row[1] += on
    order = {a: i for i, a in enumerate(ATTRIBUTES)}
    rows = [AttributeRow(attribute=a, kind=k, registered=n, connected=c, rate=rate(c, n))
            for (a, k), (n, c) in sorted(count.items(), key=lambda x: (order[x[0][0]], x[0][1]))]
    totals = []
    for attr in ATTRIBUTES:
        n = sum(r.registered for r in rows if r.attribute == attr)
        c = sum(r.connected for r in rows if r.attribute == attr)
        totals.append(AttributeRow(attribute=attr, kind="all", registered=n, connected=c, rate=rate(c, n)))
    return Transparency(rows=rows, totals=totals)


__all__ = ["district_report", "GROUPS", "NODE_KINDS", "ATTRIBUTES"]
