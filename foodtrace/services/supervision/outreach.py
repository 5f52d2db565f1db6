"""Training sessions and who attended them, commitment letters (承诺书) signed
by businesses, and public destruction (公开销毁) of expired, counterfeit or
nonconforming goods with their value."""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from pydantic import BaseModel, Field

from foodtrace.graph.store import GraphStore
from foodtrace.services.capture.scope import require_record_in_scope, scope_of
from foodtrace.services.supervision.access import Caller, require_read_all
from foodtrace.services.supervision.inspections import case_subjects
from foodtrace.services.supervision.records import (
    aware,
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


class TrainingView(BaseModel):
    training_id: str
    time: datetime
    by: str
    topic: str
    attendees: list[str]
    hours: float | None = None
    campaign_id: str | None = None


class CommitmentView(BaseModel):
    commitment_id: str
    time: datetime
    by: str
    subject: str
    title: str
    valid_until: date | None = None
    campaign_id: str | None = None


class DestructionView(BaseModel):
    destruction_id: str
    time: datetime
    by: str
    reason: str
    goods: str
    value_yuan: float
    quantity: float | None = None
    unit: str | None = None
    subjects: list[str] = Field(default_factory=list)
    lots: list[str] = Field(default_factory=list)
    case_id: str | None = None


def _training(ev) -> TrainingView:
    return TrainingView(training_id=ev.training_id, time=ev.event_time, by=ev.party, topic=ev.topic,
                        attendees=list(ev.attendees), hours=ev.hours, campaign_id=ev.campaign_id)


def _commitment(ev) -> CommitmentView:
    return CommitmentView(commitment_id=ev.commitment_id, time=ev.event_time, by=ev.party, subject=ev.subject,
                          title=ev.title, valid_until=ev.valid_until, campaign_id=ev.campaign_id)


def _destruction(ev) -> DestructionView:
    return DestructionView(destruction_id=ev.destruction_id, time=ev.event_time, by=ev.party, reason=ev.reason.value,
                           goods=ev.goods, value_yuan=ev.value_yuan, quantity=ev.quantity,
                           unit=ev.unit.value if ev.unit else None, subjects=list(ev.subjects), lots=list(ev.lots),
                           case_id=ev.case_id)


def record_training(store: GraphStore, actor: Caller, topic: str, attendees: Iterable[str],
                    hours: float | None = None, campaign_id: str | None = None, at: datetime | None = None,
                    training_id: str | None = None, by: str | None = None) -> TrainingView:
    """Record a training session and the businesses that attended."""
    office = start_writing(actor, by)
    at = aware(at)
    attendees = list(dict.fromkeys(attendees))
    registered(store, attendees, "attendees")
    require_record_in_scope(store, actor, attendees, party_field="attendees")
    if campaign_id:
        must_find(store, "campaign", campaign_id)
    training_id = new_id(store, "training", training_id, at)
    record(store, actor, {"type": "training", "event_id": record_event_id("training", training_id),
                   "event_time": at.isoformat(), "party": office, "training_id": training_id, "topic": topic,
                   "attendees": attendees, "hours": hours, "campaign_id": campaign_id})
    return _training(must_find(store, "training", training_id))


def record_commitment(store: GraphStore, actor: Caller, subject: str, title: str, valid_until: date | None = None,
                      campaign_id: str | None = None, at: datetime | None = None, commitment_id: str | None = None,
                      by: str | None = None) -> CommitmentView:
    """Record a commitment letter signed by business ``subject``."""
    office = start_writing(actor, by)
    at = aware(at)
    registered(store, [subject], "subject")
    require_record_in_scope(store, actor, [subject], party_field="subject")
    if campaign_id:
        must_find(store, "campaign", campaign_id)
    commitment_id = new_id(store, "commitment", commitment_id, at)
    record(store, actor, {"type": "commitment", "event_id": record_event_id("commitment", commitment_id),
                   "event_time": at.isoformat(), "party": office, "commitment_id": commitment_id,
                   "subject": subject, "title": title, "valid_until": iso(valid_until), "campaign_id": campaign_id})
    return _commitment(must_find(store, "commitment", commitment_id))


def record_destruction(store: GraphStore, actor: Caller, goods: str, value_yuan: float, reason: str,
                       quantity: float | None = None, unit: str | None = None, subjects: Iterable[str] = (),
                       lots: Iterable[str] = (), case_id: str | None = None, at: datetime | None = None,
                       destruction_id: str | None = None, by: str | None = None) -> DestructionView:
    """Record a public destruction of goods (whose, which lots, their value)."""
    office = start_writing(actor, by)
    at = aware(at)
    subjects = list(dict.fromkeys(subjects))
    registered(store, subjects, "subjects", also=case_subjects(store))
    codes = resolve_lots(store, lots)
    require_record_in_scope(store, actor, subjects, codes)
    if case_id:
        must_find(store, "enforcement_case", case_id)
    destruction_id = new_id(store, "destruction", destruction_id, at)
    record(store, actor, {"type": "destruction", "event_id": record_event_id("destruction", destruction_id),
                   "event_time": at.isoformat(), "party": office, "destruction_id": destruction_id,
                   "reason": reason, "goods": goods, "value_yuan": value_yuan, "quantity": quantity, "unit": unit,
                   "subjects": subjects, "lots": codes, "case_id": case_id})
    return _destruction(must_find(store, "destruction", destruction_id))


def list_trainings(store: GraphStore, actor: Caller, party: str | None = None) -> list[TrainingView]:
    require_read_all(actor)
    sc = scope_of(store, actor)  # an inspector with areas: those of businesses in them
    return [_training(ev) for ev in live(store, ["training"]) if (party is None or party in ev.attendees)
            and (sc.whole or any(sc.party(p) for p in ev.attendees))]


def list_commitments(store: GraphStore, actor: Caller, party: str | None = None) -> list[CommitmentView]:
    require_read_all(actor)
    sc = scope_of(store, actor)
    return [_commitment(ev) for ev in live(store, ["commitment"]) if (party is None or ev.subject == party)
            and sc.party(ev.subject)]


def list_destructions(store: GraphStore, actor: Caller, party: str | None = None) -> list[DestructionView]:
    require_read_all(actor)
    sc = scope_of(store, actor)
    return [_destruction(ev) for ev in live(store, ["destruction"]) if (party is None or party in ev.subjects)
            and (sc.whole or any(sc.party(p) for p in ev.subjects))]


__all__ = ["TrainingView", "CommitmentView", "DestructionView", "record_training", "record_commitment",
           "record_destruction", "list_trainings", "list_commitments", "list_destructions"]
