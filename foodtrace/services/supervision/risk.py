"""Risk-based supervision (风险分级监管): a risk score per business and a
ranked list of whom to inspect next, each point with its reason in Chinese
and English — so inspectors go where the risk is, not where they went last
year.

The score adds up, with the weights of the rules file's ``[risk]`` table:
the anomalies of ``foodtrace check`` the business is held responsible for
(their violation scores; failed tests by their own weight), anomalies whose
lots it received, complaints an inspector has accepted (受理) on lots it made
or sold (a complaint only received, or closed without being accepted, does
not count: anyone can post one from the consumer page), its inspection
outcomes (each notice and suspension; a clean latest inspection lowers the
score), the enforcement cases against it by their status, a baseline by its
kind of business, and not having been inspected for a while. A score is
never below zero.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from foodtrace.graph.store import GraphStore
from foodtrace.i18n import label, t
from foodtrace.services.capture.scope import scope_of
from foodtrace.services.safety.complaints import list_complaints
from foodtrace.services.safety.rules import RuleConfig, check_district, load_rules
from foodtrace.services.supervision.access import Caller, require_read_all
from foodtrace.services.supervision.cases import all_cases
from foodtrace.services.supervision.records import all_parties, aware, live


class RiskReason(BaseModel):
    code: str  # anomaly, failed_test, reached, complaint, rectification, suspension, no_problem, case, kind, not_inspected
    points: float
    zh: str
    en: str
    ref: str | None = None  # the lot, complaint, inspection or case it comes from


class RiskEntry(BaseModel):
    rank: int
    party: str
    name: str | None = None
    kind: str | None = None
    score: float
    reasons: list[RiskReason] = Field(default_factory=list)
    last_inspected: date | None = None


class RiskRanking(BaseModel):
    as_of: datetime
    rules: str
    businesses: int  # ranked in all (``entries`` may be the top ones)
    entries: list[RiskEntry]


def _reason(code: str, points: float, template: str, ref: str | None = None, **params) -> RiskReason:
    text = {}
    for lang in ("zh", "en"):
        shown = {k: (v[lang] if isinstance(v, dict) else v) for k, v in params.items()}
        text[lang] = t(template, lang).format(**shown)
    return RiskReason(code=code, points=round(points, 2), zh=text["zh"], en=text["en"], ref=ref)


def _both(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _labels(value: str) -> dict[str, str]:
    return {"zh": label(value, "zh"), "en": label(value, "en")}


def _from_checks(store: GraphStore, cfg: RuleConfig, out: dict[str, list[RiskReason]]) -> None:
    w = cfg.risk
    for a in check_district(store, cfg).anomalies:
        text = _both(a.zh, a.en)
        if a.party and a.kind == "failed_test":
            out[a.party].append(_reason("failed_test", w.failed_test, "risk_failed_test", a.lot, text=text))
        elif a.party:
            out[a.party].append(_reason("anomaly", w.anomaly * a.score, "risk_anomaly", a.lot, text=text,
                                        score=a.score))
        for receiver in a.reached:
            if receiver != a.party:
                out[receiver].append(_reason("reached", w.reached, "risk_reached", a.lot, text=text))


def _from_complaints(store: GraphStore, cfg: RuleConfig, out: dict[str, list[RiskReason]]) -> None:
    complaints = [v for v in list_complaints(store) if v.accepted_at is not None]
    lots = store.get_lots(sorted({c for v in complaints for c in v.lots}))
    for v in complaints:
        makers = dict.fromkeys(lots[c].origin_party for c in v.lots if c in lots and lots[c].origin_party)
        points = cfg.risk.complaint if v.status == "accepted" else cfg.risk.complaint_closed
        status = {lang: t(f"complaint_{v.status}", lang) for lang in ("zh", "en")}
        for party in makers:
            out[party].append(_reason("complaint", points, "risk_complaint", v.complaint_id, id=v.complaint_id,
                                      status=status, text=v.description))


def _from_inspections(store: GraphStore, cfg: RuleConfig, out: dict[str, list[RiskReason]]) -> dict[str, datetime]:
    latest: dict[str, Any] = {}
    for ev in live(store, ["inspection"]):
        outcome = ev.outcome.value
        if outcome != "no_problem":
            out[ev.subject].append(_reason(outcome, cfg.risk.outcome.get(ev.outcome, 0.0), f"risk_{outcome}",
                                           ev.inspection_id, date=ev.event_time.date().isoformat(),
                                           notice=ev.notice_number or ev.inspection_id))
        prior = latest.get(ev.subject)
        if prior is None or ev.event_time >= prior.event_time:
            latest[ev.subject] = ev
    for party, ev in latest.items():
        if ev.outcome.value == "no_problem":
            out[party].append(_reason("no_problem", cfg.risk.outcome.get(ev.outcome, 0.0), "risk_no_problem",
                                      ev.inspection_id, date=ev.event_time.date().isoformat()))
    return {p: ev.event_time for p, ev in latest.items()}


def _from_cases(store: GraphStore, cfg: RuleConfig, out: dict[str, list[RiskReason]]) -> None:
    weights = {k.value: v for k, v in cfg.risk.case.items()}
    for c in all_cases(store).values():
        for party in c.subjects:
            out[party].append(_reason("case", weights.get(c.status, 0.0), "risk_case", c.case_id, id=c.case_id,
                                      status=_labels(c.status),
                                      text={"zh": c.summary_in("zh"), "en": c.summary_in("en")}))


def risk_ranking(store: GraphStore, *, actor: Caller | None = None, rules: RuleConfig | None = None,
                 top: int | None = None, as_of: datetime | None = None) -> RiskRanking:
    """Every business ranked by risk score, highest first (ties by id), with
    the reasons; ``top`` keeps the first ones. ``actor`` (when given) must be
    an inspector or an administrator."""
    if actor is not None:
        require_read_all(actor)
    cfg = rules or load_rules()
    w = cfg.risk
    as_of = aware(as_of, "as_of")
    reasons: dict[str, list[RiskReason]] = defaultdict(list)
    _from_checks(store, cfg, reasons)
    _from_complaints(store, cfg, reasons)
    last = _from_inspections(store, cfg, reasons)
    _from_cases(store, cfg, reasons)
    parties = {pid: p for pid, p in all_parties(store).items() if p.kind not in w.exclude_kinds}
    sc = scope_of(store, actor)  # an inspector with areas ranks the businesses in them
    entries = []
    for pid in sorted(pid for pid in set(parties) | {p for p, rs in reasons.items() if rs} if sc.party(pid)):
        p = parties.get(pid)
        rs = list(reasons.get(pid, []))
        if p is not None and w.kind.get(p.kind):
            rs.append(_reason("kind", w.kind[p.kind], "risk_kind", kind=_labels(p.kind.value)))
        seen = last.get(pid)
        if w.not_inspected and (seen is None or (as_of - seen).days > w.not_inspected_days):
            rs.append(_reason("not_inspected", w.not_inspected, "risk_never_inspected") if seen is None else
                      _reason("not_inspected", w.not_inspected, "risk_not_inspected", days=w.not_inspected_days,
                              date=seen.date().isoformat()))
        rs.sort(key=lambda r: (-r.points, r.code, r.ref or ""))
        score = max(0.0, round(sum(r.points for r in rs), 2))
        entries.append(RiskEntry(rank=0, party=pid, name=p.name if p else None, kind=p.kind.value if p else None,
                                 score=score, reasons=rs, last_inspected=seen.date() if seen else None))
    entries.sort(key=lambda e: (-e.score, e.party))
    for i, e in enumerate(entries, start=1):
        e.rank = i
    return RiskRanking(as_of=as_of, rules=cfg.source, businesses=len(entries),
                       entries=entries[:top] if top else entries)


__all__ = ["risk_ranking", "RiskRanking", "RiskEntry", "RiskReason"]
