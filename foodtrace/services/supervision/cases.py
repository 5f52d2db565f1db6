"""Enforcement cases (案件): opened (立案) from an anomaly, a complaint, a
failed test or an inspection; closed (办结) or handed to the police
(移交公安机关), with the amounts fined and confiscated (罚没款). Opening a
case keeps its evidence: the traces of the lots involved as the store knew
them then (``evidence.snapshot``), inside the case-opening event."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from pydantic import BaseModel, Field

from foodtrace.errors import Conflict, InvalidInput, NotFound
from foodtrace.graph.store import GraphStore
from foodtrace.i18n import label
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.model.events import Certificate
from foodtrace.model.supervision import EnforcementCase
from foodtrace.services.capture.scope import Scope, require_record_in_scope, scope_of
from foodtrace.services.safety.rules import RuleConfig, check_district
from foodtrace.services.supervision.access import Caller, require_read_all
from foodtrace.services.supervision.evidence import CaseEvidence, read_evidence, snapshot
from foodtrace.services.supervision.records import (
    aware,
    live,
    must_find,
    new_id,
    record,
    record_event_id,
    registered,
    resolve_lots,
    start_writing,
)


class CaseStep(BaseModel):
    status: str
    time: datetime
    by: str
    fine_yuan: float = 0.0
    confiscated_yuan: float = 0.0
    decision_number: str | None = None
    handed_to: str | None = None
    note: str | None = None


class CaseView(BaseModel):
    case_id: str
    status: str  # opened, handed_to_police, closed
    source: str
    source_refs: list[str] = Field(default_factory=list)
    summary: str  # as given, or made from the source in Chinese
    summary_en: str | None = None  # made from the source, in English
    subjects: list[str]
    lots: list[str] = Field(default_factory=list)
    opened_at: datetime
    opened_by: str
    steps: list[CaseStep] = Field(default_factory=list)
    fine_yuan: float = 0.0
    confiscated_yuan: float = 0.0
    evidence_lots: int = 0  # lots in the evidence traces
    evidence_events: int = 0

    def summary_in(self, lang: str) -> str:
        """The summary as a reader of ``lang`` reads it (one given by the inspector: as given)."""
        return (self.summary_en or self.summary) if lang == "en" else self.summary


def _view(ev: EnforcementCase) -> CaseView:
    return CaseView(case_id=ev.case_id, status="opened", source=ev.source.value, source_refs=list(ev.source_refs),
                    summary=ev.summary, summary_en=ev.summary_en, subjects=list(ev.subjects), lots=list(ev.lots),
                    opened_at=ev.event_time, opened_by=ev.party, evidence_lots=len({c for tr in ev.evidence for c in tr.lots}),
                    evidence_events=len({e for tr in ev.evidence for e in tr.events}))


def all_cases(store: GraphStore) -> dict[str, CaseView]:
    """Every case as it stands (retracted records left out), by id."""
    cases: dict[str, CaseView] = {}
    for ev in live(store, ["enforcement_case", "case_update"]):
        if ev.type == "enforcement_case":
            cases[ev.case_id] = _view(ev)
            continue
        c = cases.get(ev.case_id)
        if c is None:
            continue
        c.steps.append(CaseStep(status=ev.status.value, time=ev.event_time, by=ev.party, fine_yuan=ev.fine_yuan,
                                confiscated_yuan=ev.confiscated_yuan, decision_number=ev.decision_number,
                                handed_to=ev.handed_to, note=ev.note))
        c.steps.sort(key=lambda s: s.time)
        c.status = "closed" if any(s.status == "closed" for s in c.steps) else c.steps[-1].status
        c.fine_yuan = round(sum(s.fine_yuan for s in c.steps), 2)
        c.confiscated_yuan = round(sum(s.confiscated_yuan for s in c.steps), 2)
    return cases


# -- where a case comes from: (refs, lots, parties, (summary in zh, in en or None)) ---------


def _both(zh: str, en: str | None) -> tuple[str, str | None]:
    return zh[:500], (en[:500] if en is not None and en != zh else None)


def _makers(store: GraphStore, codes: list[str]) -> list[str]:
    lots = store.get_lots(codes)
    return list(dict.fromkeys(lot.origin_party for c in codes if (lot := lots.get(c)) and lot.origin_party))


def _from_anomaly(store, refs, lots, rules) -> tuple[list[str], list[str], list[str], str]:
    found = [a for a in check_district(store, rules).anomalies
             if (f"{a.kind}:{a.lot or a.party}" in refs or f"{a.code}:{a.lot or a.party}" in refs)
             or (not refs and a.lot in lots)]
    if not found:
        field = "source_refs" if refs else "lots"
        raise keyed(InvalidInput, "case_no_anomaly", [refusal(None, field, "case_anomaly_unmatched")])
    return ([f"{a.kind}:{a.lot or a.party}" for a in found], [a.lot for a in found if a.lot],
            [a.party for a in found if a.party], _both("；".join(a.zh for a in found), "; ".join(a.en for a in found)))


def _from_complaint(store, refs, lots, rules):
    from foodtrace.services.safety.complaints import get_complaint

    if not refs:
        raise keyed(InvalidInput, "case_name_complaints", [refusal(None, "source_refs", "case_complaint_ids")])
    found = [get_complaint(store, r) for r in refs]
    codes = [c for v in found for c in v.lots]
    return refs, codes, _makers(store, codes), _both("；".join(v.description for v in found), None)


def _from_failed_test(store, refs, lots, rules):
    if not refs:
        raise keyed(InvalidInput, "case_name_tests", [refusal(None, "source_refs", "case_test_ids")])
    stored = store.get_events(refs)
    tests: list[Any] = []
    for i, r in enumerate(refs):
        se = stored.get(r)
        if se is None or se.retracted_by or not isinstance(se.event, Certificate) or se.event.result.value != "fail":
            raise keyed(InvalidInput, "case_not_failed_test",
                        [refusal(None, f"source_refs[{i}]", "case_ref_not_failed_test", event=r)])
        tests.append(se.event)
    codes = [c for t in tests for c in t.lots]
    zh = "；".join(f"{label(t.kind.value, 'zh')} {t.number} 不合格" for t in tests)
    en = "; ".join(f"{label(t.kind.value, 'en')} {t.number} failed" for t in tests)
    return refs, codes, _makers(store, codes), _both(zh, en)


def _from_inspection(store, refs, lots, rules):
    if not refs:
        raise keyed(InvalidInput, "case_name_inspections", [refusal(None, "source_refs", "case_inspection_ids")])
    found = [must_find(store, "inspection", r) for r in refs]
    return (refs, [c for i in found for c in i.lots], list(dict.fromkeys(i.subject for i in found)),
            _both("；".join(f for i in found for f in i.findings) or label("inspection", "zh"),
                  None if any(i.findings for i in found) else label("inspection", "en")))


SOURCES = {"anomaly": _from_anomaly, "complaint": _from_complaint, "failed_test": _from_failed_test,
           "inspection": _from_inspection}


# -- the workflow -------------------------------------------------------------------


def open_case(store: GraphStore, actor: Caller, source: str, refs: Iterable[str] = (), lots: Iterable[str] = (),
              subjects: Iterable[str] = (), summary: str | None = None, case_id: str | None = None,
              at: datetime | None = None, by: str | None = None, rules: RuleConfig | None = None,
              amount_yuan: float | None = None) -> CaseView:
    """Open (立案) a case from its source; the lots, subjects and summary come
    from the source unless given. The traces of the lots are kept as evidence; ``amount_yuan`` is the
    value involved (涉案金额), when known."""
    office = start_writing(actor, by)
    if source not in SOURCES:
        raise keyed(InvalidInput, "case_unknown_source",
                    [refusal(None, "source", "case_source_one_of", one_of=", ".join(SOURCES), choices=list(SOURCES))],
                    source=source)
    at = aware(at)
    given = resolve_lots(store, lots)
    refs, codes, parties, (text, text_en) = SOURCES[source](store, [r.strip() for r in refs if r.strip()], given, rules)
    codes = list(dict.fromkeys([*resolve_lots(store, codes), *given]))
    subjects = list(subjects) or parties
    if not subjects:
        raise keyed(InvalidInput, "case_no_subjects", [refusal(None, "subjects", "case_subjects_not_found")])
    registered(store, subjects, "subjects", also=parties)
    require_record_in_scope(store, actor, subjects, codes)  # an inspector with areas: cases of its areas only
    case_id = new_id(store, "enforcement_case", case_id, at)
    record(store, actor, {"type": "enforcement_case", "event_id": record_event_id("enforcement_case", case_id),
                   "event_time": at.isoformat(), "party": office, "case_id": case_id,
                   "subjects": list(dict.fromkeys(subjects)), "source": source, "source_refs": refs,
                   "summary": summary or text, **({"summary_en": text_en} if text_en and not summary else {}),
                   "lots": codes, "evidence": snapshot(store, codes),
                   **({"amount_yuan": amount_yuan} if amount_yuan is not None else {})})
    return all_cases(store)[case_id]


def update_case(store: GraphStore, actor: Caller, case_id: str, status: str, fine_yuan: float = 0.0,
                confiscated_yuan: float = 0.0, decision_number: str | None = None, handed_to: str | None = None,
                note: str | None = None, at: datetime | None = None, by: str | None = None) -> CaseView:
    """Close a case (``closed``) or hand it to the police (``handed_to_police``)."""
    office = start_writing(actor, by)
    at = aware(at)
    case = _readable_case(store, actor, case_id)  # an inspector with areas: a case of another area is not there
    if case.status == "closed":
        raise keyed(Conflict, "case_closed", [refusal(None, "case_id", "case_closed_already")], case=case_id)
    if status == case.status:
        raise keyed(Conflict, "case_status_already", [refusal(None, "status", "case_no_change")], case=case_id,
                    type=status)  # a status by its name in zh
    if at < case.opened_at:
        raise keyed(InvalidInput, "case_update_early",
                    [refusal(None, "at", "case_opened_at", opened=case.opened_at.isoformat())])
    record(store, actor, {"type": "case_update", "event_id": record_event_id("enforcement_case", case_id, status),
                   "event_time": at.isoformat(), "party": office, "case_id": case_id, "status": status,
                   "lots": case.lots, "fine_yuan": fine_yuan, "confiscated_yuan": confiscated_yuan,
                   "decision_number": decision_number, "handed_to": handed_to, "note": note})
    return all_cases(store)[case_id]


def _case(store: GraphStore, case_id: str) -> CaseView:
    case = all_cases(store).get(case_id)
    if case is None:
        raise keyed(NotFound, "case_none", [refusal(None, "case_id", "case_unknown")], case=case_id)
    return case


def _in_scope(sc: Scope, case: CaseView) -> bool:
    """A case against a business in the inspector's areas, or about lots whose chains reach them."""
    return sc.whole or any(sc.party(p) for p in case.subjects) or sc.any_lot(case.lots)


def _readable_case(store: GraphStore, actor: Caller, case_id: str) -> CaseView:
    case = _case(store, case_id)
    if not _in_scope(scope_of(store, actor), case):
        raise keyed(NotFound, "case_none", [refusal(None, "case_id", "case_unknown")], case=case_id)
    return case


def get_case(store: GraphStore, actor: Caller, case_id: str) -> CaseView:
    require_read_all(actor)
    return _readable_case(store, actor, case_id)


def list_cases(store: GraphStore, actor: Caller, status: str | None = None, subject: str | None = None) -> list[CaseView]:
    """Cases by opening time, filtered by status and by a party they are against."""
    require_read_all(actor)
    out = sorted(all_cases(store).values(), key=lambda c: (c.opened_at, c.case_id))
    sc = scope_of(store, actor)
    return [c for c in out if (status is None or c.status == status) and (subject is None or subject in c.subjects)
            and _in_scope(sc, c)]


def case_evidence(store: GraphStore, actor: Caller, case_id: str) -> CaseEvidence:
    """The evidence kept with the case, with what has changed since it was opened."""
    require_read_all(actor)
    _readable_case(store, actor, case_id)
    return read_evidence(store, must_find(store, "enforcement_case", case_id))


__all__ = ["CaseView", "CaseStep", "open_case", "update_case", "get_case", "list_cases", "case_evidence",
           "all_cases", "SOURCES"]
