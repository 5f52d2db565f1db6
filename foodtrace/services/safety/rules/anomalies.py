"""One list of every flagged problem in a district (`foodtrace check`), each
with the violation score (违法违规行为记分) of the party held responsible.

The log is streamed once into ``Facts``; then

- over every lot and transformation: failed tests, withdrawal periods, lot and
  transformation mass balance, undesignated slaughter, a failed lot slaughtered or its meat
  certified, a recalled lot passed on (``responsibility``); then per-party balance;
- over every lot received by a party of a kind in ``[entry] receivers``: the
  market-entry gate (missing certificates, certified quantities, meat without a
  slaughter record), and which receivers each problem reached.

A problem is listed once, however many receipts it reached. Missing quarantine
on animals slaughtered at an undesignated point is part of that anomaly.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from foodtrace.graph.store import GraphStore
from foodtrace.services.safety.rules.balance import party_balance
from foodtrace.services.safety.rules.config import ANOMALY_KINDS, RuleConfig, load_rules
from foodtrace.services.safety.rules.entry import Known, entry_findings
from foodtrace.services.safety.rules.facts import Facts
from foodtrace.services.safety.rules.gc_pause import gc_paused
from foodtrace.services.safety.rules.findings import ANOMALY_OF, Finding, to_reason
from foodtrace.services.safety.rules.responsibility import after_recall_findings, failed_lot_findings
from foodtrace.services.safety.rules.kept_check import kept_check
from foodtrace.services.safety.rules.stored import fold_stored


class Anomaly(BaseModel):
    kind: str  # one of ANOMALY_KINDS (the score's key)
    code: str  # the finding: e.g. carcass_yield and party_balance are both mass_balance
    lot: str | None = None
    party: str | None = None  # held responsible, scored
    party_name: str | None = None
    score: int = 0
    zh: str
    en: str
    data: dict = Field(default_factory=dict)
    reached: list[str] = Field(default_factory=list)  # receiving parties its lots reached


class PartyScore(BaseModel):
    party: str
    name: str | None = None
    kind: str | None = None
    score: int
    anomalies: int


class CheckReport(BaseModel):
    events: int
    lots: int
    rules: str
    anomalies: list[Anomaly]
    scores: list[PartyScore]
    counts: dict[str, int]


def _key(f: Finding) -> tuple:
    return (f.code, f.lot, f.key, f.party if f.lot is None else None)


def root_findings(facts: Facts, cfg: RuleConfig, known: Known | None = None) -> dict[tuple, Finding]:
    """Problems found on every lot and transformation, whether or not they reached a market (kept in
    ``known`` for the entry walk over the same facts, when given)."""
    known = known or Known()
    found: list[Finding] = []
    for lf in facts.lots.values():
        # each rule reads one list of the lot: a lot without it has nothing to find there (most receipts: any)
        if lf.certs:
            found += known.tests(lf)
        if lf.applied:
            found += known.withdrawals(facts, lf)
        if lf.recalls:
            found += after_recall_findings(facts, lf)
        if lf.uses:
            f = known.balance(facts, lf, cfg)
            if f:
                found.append(f)
            if lf.creator is not None:
                found += known.made_from(facts, lf)
    for tr in facts.transforms.values():
        found += [f for f in known.transform(facts, tr, cfg) if f]
        found += failed_lot_findings(facts, tr)
    found += party_balance(facts, cfg, [f for f in found if f.code == "mass_balance"])
    return {_key(f): f for f in found}


def check_district(store: GraphStore, rules: RuleConfig | None = None, from_log: bool = False) -> CheckReport:
    """Every anomaly in the store, with scores per party: the facts folded from the store's report facts
    (``stored.fold_stored``), kept while no event is stored or retracted (``kept_check``), or with
    ``from_log`` from the whole log (the reference, never kept)."""
    cfg = rules or load_rules()
    if from_log:
        with gc_paused():
            return check_facts(Facts.from_log(store), cfg)
    return kept_check(store, cfg, lambda: _checked(store, cfg))[0]


def _checked(store: GraphStore, cfg: RuleConfig) -> CheckReport:
    with gc_paused():
        return check_facts(fold_stored(store), cfg)


def check_facts(facts: Facts, cfg: RuleConfig) -> CheckReport:
    """Every anomaly in facts already folded from the log (e.g. by the statistics report's pass)."""
    known = Known()
    found = root_findings(facts, cfg, known)
    reached: dict[tuple, set[str]] = defaultdict(set)
    receivers = {k.value for k in cfg.entry.receivers}
    receiving = {pid for pid in facts.parties if facts.kind_of(pid) in receivers}
    memo: dict = {}
    for lf in list(facts.lots.values()):
        for u in lf.uses:
            if u.how == "sale" or u.to_party not in receiving:
                continue
            for f in entry_findings(facts, lf.code, cfg, u.time, memo, known):
                if f.code not in ANOMALY_OF:
                    continue  # gate-only: gaps, recalls
                k = _key(f)
                found.setdefault(k, f)
                reached[k].add(u.to_party)  # type: ignore[arg-type]
    # the animals and the meat of an undesignated slaughter: their missing certificates are part of it
    folded = {code for f in found.values() if f.code == "undesignated_slaughter"
              for code in (*f.get("inputs", ()), f.lot)}
    names = facts.names()
    anomalies = []
    for k, f in found.items():
        if f.code in ("missing_certificate", "certificate_short") and f.lot in folded:
            continue  # part of the undesignated slaughter of these animals
        kind = ANOMALY_OF[f.code]
        r = to_reason(f, names)
        anomalies.append(Anomaly(kind=kind, code=f.code, lot=f.lot, party=f.party, party_name=names.get(f.party or ""),
                                 score=cfg.scores[kind], zh=r.zh, en=r.en, data=r.data, reached=sorted(reached[k])))
    order = {k: i for i, k in enumerate(ANOMALY_KINDS)}
    anomalies.sort(key=lambda a: (order[a.kind], a.code, a.lot or "", a.party or ""))
    return CheckReport(events=facts.events, lots=len(facts.lots), rules=cfg.source, anomalies=anomalies,
                       scores=party_scores(anomalies, facts), counts=_counts(anomalies))


def party_scores(anomalies: list[Anomaly], facts: Facts) -> list[PartyScore]:
    """Each responsible party's summed score and number of anomalies, highest first."""
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in anomalies:
        if a.party:
            total[a.party][0] += a.score
            total[a.party][1] += 1
    out = [PartyScore(party=p, name=(facts.parties[p].name if p in facts.parties else None),
                      kind=facts.kind_of(p), score=s, anomalies=n) for p, (s, n) in total.items()]
    return sorted(out, key=lambda s: (-s.score, s.party))


def _counts(anomalies: list[Anomaly]) -> dict[str, int]:
    out: dict[str, int] = {k: 0 for k in ANOMALY_KINDS}
    for a in anomalies:
        out[a.kind] += 1
    return out


__all__ = ["check_district", "check_facts", "party_scores", "CheckReport", "Anomaly", "PartyScore", "root_findings"]
