"""Inspections (监督检查), on site or online patrols (网上巡查): the business,
the inspectors, the findings and the outcome — no problem, a rectification
notice (责令改正通知书) or a suspension (停业整顿) — optionally tagged with a
special campaign and the lots concerned."""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from pydantic import BaseModel, Field

from foodtrace.errors import InvalidInput, NotFound
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.model.supervision import Campaign, Inspection
from foodtrace.services.capture.scope import require_party_in_scope, scope_of
from foodtrace.services.supervision.access import OPERATOR, Caller, can_read, require_some_read
from foodtrace.services.supervision.records import (
    aware,
    find,
    iso,
    live,
    must_find,
    new_id,
    record,
    record_event_id,
    registered,
    resolve_lots,
    start_writing,
)


class InspectionView(BaseModel):
    inspection_id: str
    subject: str
    subject_name: str | None = None
    subject_kind: str | None = None
    time: datetime
    by: str
    mode: str
    inspectors: list[str]
    outcome: str
    findings: list[str] = Field(default_factory=list)
    notice_number: str | None = None
    rectify_by: date | None = None
    campaign_id: str | None = None
    lots: list[str] = Field(default_factory=list)


def view(ev: Inspection, names: dict | None = None) -> InspectionView:
    p = (names or {}).get(ev.subject)
    return InspectionView(inspection_id=ev.inspection_id, subject=ev.subject, subject_name=p.name if p else None,
                          subject_kind=p.kind.value if p else None, time=ev.event_time, by=ev.party,
                          mode=ev.mode.value, inspectors=list(ev.inspectors), outcome=ev.outcome.value,
                          findings=list(ev.findings), notice_number=ev.notice_number, rectify_by=ev.rectify_by,
                          campaign_id=ev.campaign_id, lots=list(ev.lots))


def case_subjects(store: GraphStore) -> set[str]:
    """Parties named in enforcement cases (an unlicensed business is not registered)."""
    return {s for ev in live(store, ["enforcement_case"]) for s in ev.subjects}


def check_scope(campaign: Campaign, party, when: datetime, field: str = "subject") -> None:
    """An inspection tagged with a campaign falls in its period and scope."""
    errors = []
    if not campaign.start <= when.date() <= campaign.end:
        errors.append(refusal(None, "at", "sup_outside_campaign_period", day=str(when.date()),
                              campaign=campaign.campaign_id, start=str(campaign.start), end=str(campaign.end)))
    if party is None or party.kind not in campaign.scope_kinds:
        kinds = [k.value for k in campaign.scope_kinds]
        scope = {"campaign": campaign.campaign_id, "scope": ", ".join(kinds), "choices": kinds}
        errors.append(refusal(None, field, "sup_outside_campaign_scope", party_kind=party.kind.value, **scope)
                      if party else refusal(None, field, "sup_unregistered_outside_campaign", **scope))
    elif campaign.scope_areas and party.area_code not in campaign.scope_areas:
        errors.append(refusal(None, field, "sup_outside_campaign_area", area=party.area_code,
                              campaign=campaign.campaign_id))
    if errors:
        raise keyed(InvalidInput, "sup_inspection_outside_campaign", errors)


def record_inspection(store: GraphStore, actor: Caller, subject: str, outcome: str, inspectors: Iterable[str],
                      findings: Iterable[str] = (), mode: str = "on_site", notice_number: str | None = None,
                      rectify_by: date | None = None, campaign_id: str | None = None, lots: Iterable[str] = (),
                      at: datetime | None = None, inspection_id: str | None = None,
                      by: str | None = None) -> InspectionView:
    """Record an inspection of business ``subject``."""
    office = start_writing(actor, by)
    at = aware(at)
    parties = registered(store, [subject], "subject", also=case_subjects(store))
    require_party_in_scope(store, actor, subject, "subject")
    codes = resolve_lots(store, lots)
    if campaign_id:
        check_scope(must_find(store, "campaign", campaign_id), parties.get(subject), at)
    inspection_id = new_id(store, "inspection", inspection_id, at)
    record(store, actor, {"type": "inspection", "event_id": record_event_id("inspection", inspection_id),
                   "event_time": at.isoformat(), "party": office, "inspection_id": inspection_id,
                   "subject": subject, "mode": mode, "inspectors": list(inspectors), "outcome": outcome,
                   "findings": list(findings), "notice_number": notice_number, "rectify_by": iso(rectify_by),
                   "campaign_id": campaign_id, "lots": codes})
    return view(must_find(store, "inspection", inspection_id), parties)


def list_inspections(store: GraphStore, actor: Caller, subject: str | None = None, campaign_id: str | None = None,
                     outcome: str | None = None) -> list[InspectionView]:
    """Inspections the actor may read, oldest first: a supervisor's all; an
    operator's only those of its own business."""
    require_some_read(actor)
    if actor.role == OPERATOR:
        subject = actor.party
    sc = scope_of(store, actor)  # an inspector with areas: inspections of businesses in them
    found = [ev for ev in live(store, ["inspection"])
             if can_read(actor.role, actor.party, ev) and (subject is None or ev.subject == subject)
             and sc.party(ev.subject)
             and (campaign_id is None or ev.campaign_id == campaign_id)
             and (outcome is None or ev.outcome.value == outcome)]
    names = store.get_parties(sorted({ev.subject for ev in found}))
    return [view(ev, names) for ev in sorted(found, key=lambda e: (e.event_time, e.inspection_id))]


def get_inspection(store: GraphStore, actor: Caller, inspection_id: str) -> InspectionView:
    """One inspection; to an operator, only one of its own business (else not found)."""
    require_some_read(actor)
    ev = find(store, "inspection", inspection_id)
    if ev is None or not can_read(actor.role, actor.party, ev) or not scope_of(store, actor).party(ev.subject):
        raise keyed(NotFound, "sup_record_none",
                    [refusal(None, "inspection_id", "sup_record_unknown", type="inspection")],
                    type="inspection", record_id=inspection_id)
    return view(ev, store.get_parties([ev.subject]))


__all__ = ["InspectionView", "record_inspection", "list_inspections", "get_inspection", "case_subjects",
           "check_scope"]
