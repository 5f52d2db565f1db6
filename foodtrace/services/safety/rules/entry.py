"""The market-entry gate (市场准入) and the certificate rules behind it.

``check_entry(store, code, receiver, quantity)`` is what a receiving party
(supermarket, market, canteen, slaughterhouse) asks before accepting a lot:
every reason to refuse it, in Chinese and English. What each product needs is
in the rules file (``[entry.products.*]``): certificates on the live animals
upstream, on the slaughtered meat, a designated slaughterhouse, or one of a
set of certificates and rapid tests for vegetables; certified quantities must
cover the lots they certify (证物相符).

The rules of one lot are ``own_findings``; a lot's verdict is the union of its
own and all its ancestors' (``upstream_findings``, each lot computed once).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Iterable

from pydantic import BaseModel, Field

from foodtrace.errors import InvalidInput
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.services.safety.rules.balance import lot_balance, quantity_left, transform_balance
from foodtrace.services.safety.entry_checks import Check, checks_made
from foodtrace.services.safety.rules.config import ProductRule, RuleConfig, load_rules
from foodtrace.services.safety.rules.custody_gap import custody_findings, made_by_non_holders
from foodtrace.services.safety.rules.facts import Cert, Facts, LotFact, Transform
from foodtrace.services.safety.rules.findings import Finding, Reason, finding, sort_findings, to_reason
from foodtrace.services.safety.rules.intervals import withdrawal_findings
from foodtrace.services.safety.rules.slaughter import no_slaughter_record, undesignated_slaughter
from foodtrace.services.tracing.identifiers import parse_link

RuleRef = tuple[str, ProductRule] | None
Memo = dict[tuple[str, str], frozenset[Finding]]


class Decision(BaseModel):
    """The gate's answer: ``accept`` is true when ``reasons`` is empty."""

    accept: bool
    code: str
    receiver: str
    quantity: float
    unit: str | None = None
    product: str | None = None
    rule: str | None = None  # which [entry.products.*] rule applied
    reasons: list[Reason] = Field(default_factory=list)
    checked: list[Check] = Field(default_factory=list, description="What was checked, in words (entry_checks.py)")


# -- certificates of one lot ----------------------------------------------------


def failed_tests(lf: LotFact) -> list[Finding]:
    """Every failing certificate or test on the lot (charged to the lot's maker)."""
    return [finding("failed_test", lf.code, lf.creator or c.issuer, c.event_id, kind=c.kind, number=c.number,
                    issuer_party=c.issuer) for c in lf.certs if c.result == "fail"]


def _counts(facts: Facts, c: Cert, cfg: RuleConfig) -> bool:
    """A passing certificate from an issuer allowed to issue it."""
    allowed = cfg.certificates.issuer_kinds.get(c.kind)  # type: ignore[call-overload]
    return c.result == "pass" and (not allowed or facts.kind_of(c.issuer) in allowed)


def _short(lf: LotFact, kind: str, certs: list[Cert], cfg: RuleConfig) -> Finding | None:
    """The certified quantity does not cover the lot (证物不符)."""
    stated = [c.quantity for c in certs if c.quantity is not None and c.unit == lf.unit]
    if not stated or lf.quantity is None:
        return None
    certified = sum(stated)
    if certified * (1 + cfg.certificates.quantity_tolerance) >= lf.quantity:
        return None
    return finding("certificate_short", lf.code, lf.creator, kind, kind=kind, certified=round(certified, 3),
                   quantity=lf.quantity, unit=lf.unit)


def certificate_findings(facts: Facts, lf: LotFact, rule: ProductRule, cfg: RuleConfig) -> list[Finding]:
    """What the product rule asks of this one lot: certificates on live
    animals, certificates on slaughtered meat (still *pending*: a certificate
    further down the chain satisfies them), certified quantities."""
    out: list[Finding] = []
    passing: dict[str, list[Cert]] = {}
    failed = set()
    for c in lf.certs:
        if c.result == "fail":
            failed.add(c.kind)
        elif _counts(facts, c, cfg):
            passing.setdefault(c.kind, []).append(c)
    livestock = lf.category == "livestock"
    wanted = (rule.livestock if livestock else ()) + (rule.slaughter if lf.made_by == "slaughter" else ())
    for kind in wanted:
        if kind not in passing and kind not in failed:
            pending = "slaughter" if kind in rule.slaughter and not livestock else ""
            out.append(finding("missing_certificate", lf.code, lf.creator, kind.value, kind=kind.value,
                               product=lf.product, pending=pending))
    for kind, certs in passing.items():
        short = _short(lf, kind, certs, cfg) if kind in rule.kinds else None
        if short:
            out.append(short)
    return out


_UNSET = object()


class Known:
    """What the rules find on each lot and transformation of one ``Facts`` under one ``RuleConfig``, found
    once and then read: ``anomalies.root_findings`` finds it on every lot, and the entry walk over the same
    facts (``upstream_findings``) reads it instead of finding it again. A lot without the list a rule
    reads has nothing to find there (most receipts: anything)."""

    __slots__ = ("_tests", "_withdrawals", "_balances", "_transforms", "_rules", "_custody")

    def __init__(self) -> None:
        self._tests: dict[str, list[Finding]] = {}
        self._withdrawals: dict[str, list[Finding]] = {}
        self._balances: dict[str, Finding | None] = {}
        self._transforms: dict[str, tuple[Finding | None, Finding | None]] = {}
        self._rules: dict[str | None, RuleRef] = {}
        self._custody: dict[str, tuple] = {}  # a parent lot -> its uses by parties not holding it

    def custody(self, facts: Facts, lf: LotFact) -> list[Finding]:
        return custody_findings(facts, lf, self._custody)

    def made_from(self, facts: Facts, lf: LotFact) -> list[Finding]:
        return made_by_non_holders(facts, lf, self._custody)

    def tests(self, lf: LotFact) -> list[Finding]:
        """``failed_tests``."""
        if not lf.certs:
            return []
        got = self._tests.get(lf.code)
        if got is None:
            got = self._tests[lf.code] = failed_tests(lf)
        return got

    def withdrawals(self, facts: Facts, lf: LotFact) -> list[Finding]:
        """``withdrawal_findings``."""
        if not lf.applied:
            return []
        got = self._withdrawals.get(lf.code)
        if got is None:
            got = self._withdrawals[lf.code] = withdrawal_findings(facts, lf)
        return got

    def balance(self, facts: Facts, lf: LotFact, cfg: RuleConfig) -> Finding | None:
        """``lot_balance``."""
        if not lf.uses:
            return None
        got = self._balances.get(lf.code, _UNSET)
        if got is _UNSET:
            got = self._balances[lf.code] = lot_balance(facts, lf, cfg)
        return got  # type: ignore[return-value]

    def transform(self, facts: Facts, tr: Transform, cfg: RuleConfig) -> tuple[Finding | None, Finding | None]:
        """``undesignated_slaughter`` and ``transform_balance`` of one transformation."""
        got = self._transforms.get(tr.event_id)
        if got is None:
            got = self._transforms[tr.event_id] = (undesignated_slaughter(facts, tr), transform_balance(facts, tr, cfg))
        return got

    def rule(self, cfg: RuleConfig, product: str | None) -> RuleRef:
        """``cfg.rule_for(product)``, asked once per product."""
        try:
            return self._rules[product]
        except KeyError:
            ref = self._rules[product] = cfg.rule_for(product)
            return ref


def own_findings(facts: Facts, lf: LotFact, ref: RuleRef, cfg: RuleConfig, known: Known | None = None) -> set[Finding]:
    """Every rule's findings on this one lot (the product rule ``ref`` is the
    received lot's, applied to each lot upstream); what ``known`` found already is read from it."""
    known = known or Known()
    code = lf.code
    # each rule reads one list of the lot; most lots have none of them (the guards save the calls)
    out: set[Finding] = set(known.tests(lf)) if lf.certs else set()
    if lf.creator is None:
        if cfg.entry.reject_gaps:
            out.add(finding("upstream_gap", code, None))
        return out
    if lf.applied:
        out.update(known.withdrawals(facts, lf))
    if lf.recalls:
        out.update(finding("recalled", code, None, r, recall=r) for r in lf.recalls)
    if lf.parents:
        out.update(known.custody(facts, lf))
    maybe = [known.balance(facts, lf, cfg)] if lf.uses else []
    tr = facts.transforms.get(lf.made_event or "")
    if tr is not None:
        maybe += known.transform(facts, tr, cfg)
    if ref is not None:
        out.update(certificate_findings(facts, lf, ref[1], cfg))
        maybe.append(no_slaughter_record(facts, lf, ref[1]))
    out.update(f for f in maybe if f is not None)
    return out


def upstream_findings(facts: Facts, code: str, ref: RuleRef, cfg: RuleConfig, memo: Memo,
                      known: Known | None = None) -> frozenset[Finding]:
    """The findings of ``code`` and of every lot upstream of it. Each lot is
    computed once per rule (``memo``), iteratively (deep chains are fine)."""
    name = ref[0] if ref else ""
    known = known or Known()  # one for the walk: a lot upstream of several is found once
    hit = memo.get((name, code))
    if hit is not None:  # a lot received again
        return hit
    stack = [(code, False)]
    while stack:
        c, ready = stack.pop()
        if (name, c) in memo:
            continue
        lf = facts.lot(c)
        parents = [p for p, _, _ in lf.parents]
        if not ready:
            missing = [p for p in parents if (name, p) not in memo]
            if missing:  # its parents first, then the lot again
                stack.append((c, True))
                stack.extend((p, False) for p in missing)
                continue
        acc = own_findings(facts, lf, ref, cfg, known)
        here = {cert.kind for cert in lf.certs if _counts(facts, cert, cfg)} if lf.certs else None
        if not acc and not here and len(parents) == 1:
            memo[(name, c)] = memo[(name, parents[0])]  # nothing of its own: its parent's, shared
            continue
        for p in parents:
            if here:
                acc.update(f for f in memo[(name, p)]
                           if not (f.code == "missing_certificate" and f.get("pending") and f.key in here))
            else:  # nothing certified here: every finding upstream stands
                acc.update(memo[(name, p)])
        memo[(name, c)] = frozenset(acc)
    return memo[(name, code)]


# -- vegetables: one of a set of certificates or tests, valid at the time ----------


def valid_evidence(facts: Facts, code: str, rule: ProductRule, cfg: RuleConfig, at: datetime) -> bool:
    """Whether a passing certificate or test of ``rule.any_of`` on the lot or
    upstream is valid at ``at`` (a test within its ``valid_days``, a
    certificate before its ``valid_until``)."""
    kinds = {k.value for k in rule.any_of}
    for c in (facts.lot(c) for c in facts.ancestors(code)):
        for cert in c.certs:
            if cert.kind in kinds and cert.result == "pass" and _valid(cert, cfg, at):
                return True
    return False


def _valid(cert: Cert, cfg: RuleConfig, at: datetime) -> bool:
    days = cfg.certificates.valid_days.get(cert.kind)  # type: ignore[call-overload]
    if days is not None and not (cert.time <= at <= cert.time + _days(days)):
        return False
    return cert.valid_until is None or at.astimezone(cert.time.tzinfo).date() <= cert.valid_until


@lru_cache(maxsize=64)
def _days(n: int) -> timedelta:
    return timedelta(days=n)


def missing_evidence(facts: Facts, lf: LotFact, ref: RuleRef, cfg: RuleConfig, at: datetime) -> Finding | None:
    if ref is None or not ref[1].any_of or valid_evidence(facts, lf.code, ref[1], cfg, at):
        return None
    rule = ref[1]
    days = min((cfg.certificates.valid_days.get(k, 0) for k in rule.any_of  # type: ignore[call-overload]
                if k in cfg.certificates.valid_days), default=0)
    return finding("missing_certificate", lf.code, lf.creator, "any_of", kinds=[k.value for k in rule.any_of],
                   product=facts.receipt_product(lf), days=days, template="missing_any")


# -- the gate -----------------------------------------------------------------


def check_entry(store: GraphStore, code: str, receiver: str, quantity: float, *, at: datetime | None = None,
                rules: RuleConfig | None = None) -> Decision:
    """May ``receiver`` accept ``quantity`` (in the lot's unit) of lot ``code``?

    Stable signature (the receiving endpoint calls it). ``code`` may be a trace
    code or a GS1 Digital Link / short link. ``at`` is the time of receipt
    (default now). Raises ``InvalidInput`` for a quantity not above zero or a
    receiver that is not registered; an unknown lot is a refusal, not an error.
    Every reason found is listed; ``accept`` is true only when there is none.
    """
    cfg = rules or load_rules()
    at = at or datetime.now().astimezone()
    if not quantity or quantity <= 0:
        raise keyed(InvalidInput, "entry_quantity_zero", [refusal(None, "quantity", "entry_above_zero")])
    if receiver not in store.get_parties([receiver]):
        raise keyed(InvalidInput, "receive_unregistered", [refusal(None, "receiver", "receive_not_registered")],
                    receiver=receiver)
    gtin, bare = parse_link(code)
    lot = (store.find_lot_by_gtin(gtin, bare) if gtin else None) or store.get_lot(bare)
    if lot is None:
        reason = to_reason(finding("unknown_lot", bare, None))
        return Decision(accept=False, code=bare, receiver=receiver, quantity=quantity, reasons=[reason])
    facts = Facts.from_lots(store, store.backward(lot.code).lots)
    lf = facts.lot(lot.code)
    ref = cfg.rule_for(facts.receipt_product(lf))
    found = set(upstream_findings(facts, lot.code, ref, cfg, {}))
    found.update(f for f in (missing_evidence(facts, lf, ref, cfg, at), _exceeds(facts, lf, quantity, cfg)) if f)
    reasons = [to_reason(f, facts.names()) for f in sort_findings(found)]
    return Decision(accept=not reasons, code=lot.code, receiver=receiver, quantity=quantity, unit=lf.unit,
                    product=facts.receipt_product(lf), rule=ref[0] if ref else None, reasons=reasons,
                    checked=checks_made(ref[1] if ref else None))


def _exceeds(facts: Facts, lf: LotFact, quantity: float, cfg: RuleConfig) -> Finding | None:
    left = quantity_left(lf)
    if left is None or lf.quantity is None:
        return None
    if quantity <= left + cfg.balance.slack(facts.receipt_product(lf), lf.unit, lf.quantity):
        return None
    return finding("quantity_exceeds", lf.code, None, quantity=quantity, left=round(max(left, 0.0), 3), unit=lf.unit)


def entry_findings(facts: Facts, code: str, cfg: RuleConfig, at: datetime, memo: Memo,
                   known: Known | None = None) -> Iterable[Finding]:
    """A lot received at ``at``: every finding of the gate but the quantity of this receipt."""
    lf = facts.lot(code)
    known = known or Known()
    ref = known.rule(cfg, facts.receipt_product(lf))
    yield from upstream_findings(facts, code, ref, cfg, memo, known)
    f = missing_evidence(facts, lf, ref, cfg, at)
    if f:
        yield f


__all__ = ["check_entry", "Decision", "Known", "own_findings", "upstream_findings", "entry_findings", "failed_tests",
           "certificate_findings"]
