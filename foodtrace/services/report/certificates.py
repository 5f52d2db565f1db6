"""The report's figures of tests and certificates: vegetables tested and certified (承诺达标合格证), clenbuterol
(瘦肉精) tests, and every test by tester, category and month."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from foodtrace.services.report.collect import Collected
from foodtrace.services.report.model import Clenbuterol, TestRow, Tests, Vegetables, rate
from foodtrace.services.report.period import Period
from foodtrace.services.safety.rules.facts import CATEGORY, Facts

RAPID = ("pesticide_rapid_test", "clenbuterol_test")


def _kind(facts: Facts, party: str) -> str:
    return facts.kind_of(party) or "unregistered"



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



__all__ = ["vegetables", "clenbuterol", "tests", "RAPID"]
