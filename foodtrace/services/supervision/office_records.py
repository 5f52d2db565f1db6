"""The office's own records the annual report counts (``model.office_records``): publicity events
(宣传活动), interviews of a business's responsible people (约谈), samples taken for tableware
cleanliness or special sampling (餐饮具洁净度抽检、专项抽检) and the lab's result when it arrives, and
food-safety incidents (食品安全事故) — recorded by the office through the write door, and listed."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from pydantic import BaseModel, Field

from foodtrace.errors import Conflict, InvalidInput
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.services.capture.scope import require_party_in_scope, scope_of
from foodtrace.services.supervision.access import Caller, require_read_all
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

KINDS = ("publicity", "interview", "sampling", "incident")
_ID = {"publicity": "publicity_id", "interview": "interview_id", "sampling": "sample_id", "incident": "incident_id"}
_WHAT = {"publicity": "title", "interview": "reason", "sampling": "item", "incident": "description"}


class OfficeRecordView(BaseModel):
    kind: str
    record_id: str
    time: datetime
    by: str
    what: str  # the publicity's title, the interview's reason, the item sampled, the incident's description
    subject: str | None = None
    subject_name: str | None = None
    program: str | None = None
    result: str | None = None  # a sample's: pass, fail, or None while the lab has not reported
    figures: dict[str, int] = Field(default_factory=dict)  # materials, media_posts, people, people_affected
    lots: list[str] = Field(default_factory=list)


def _view(ev, names: dict, result: str | None = None) -> OfficeRecordView:
    kind = ev.type
    subject = getattr(ev, "subject", None)
    figures = {k: getattr(ev, k) for k in ("materials", "media_posts", "people", "people_affected")
               if getattr(ev, k, None) is not None}
    party = names.get(subject) if subject else None
    return OfficeRecordView(kind=kind, record_id=getattr(ev, _ID[kind]), time=ev.event_time, by=ev.party,
                            what=getattr(ev, _WHAT[kind]), subject=subject, subject_name=getattr(party, "name", None),
                            program=getattr(getattr(ev, "program", None), "value", None),
                            result=result, figures=figures, lots=list(getattr(ev, "lots", []) or []))


def _subject(store: GraphStore, actor: Caller, subject: str) -> dict:
    names = registered(store, [subject], "subject")
    require_party_in_scope(store, actor, subject, "subject")
    return names


def record_publicity(store: GraphStore, actor: Caller, title: str, materials: int = 0, media_posts: int = 0,
                     people: int | None = None, at: datetime | None = None, publicity_id: str | None = None,
                     by: str | None = None) -> OfficeRecordView:
    """Record a publicity event: the materials handed out and the posts in the media."""
    office, at = start_writing(actor, by), aware(at)
    rid = new_id(store, "publicity", publicity_id, at)
    record(store, actor, {"type": "publicity", "event_id": record_event_id("publicity", rid), "party": office,
                          "event_time": at.isoformat(), "publicity_id": rid, "title": title, "materials": materials,
                          "media_posts": media_posts, "people": people})
    return _view(must_find(store, "publicity", rid), {})


def record_interview(store: GraphStore, actor: Caller, subject: str, reason: str, at: datetime | None = None,
                     interview_id: str | None = None, by: str | None = None) -> OfficeRecordView:
    """Record an interview (约谈) of business ``subject``'s responsible people."""
    office, at = start_writing(actor, by), aware(at)
    names = _subject(store, actor, subject)
    rid = new_id(store, "interview", interview_id, at)
    record(store, actor, {"type": "interview", "event_id": record_event_id("interview", rid), "party": office,
                          "event_time": at.isoformat(), "interview_id": rid, "subject": subject, "reason": reason})
    return _view(must_find(store, "interview", rid), names)


def record_sample(store: GraphStore, actor: Caller, subject: str, program: str, item: str, lots: Iterable[str] = (),
                  result: str | None = None, campaign_id: str | None = None, at: datetime | None = None,
                  sample_id: str | None = None, by: str | None = None) -> OfficeRecordView:
    """Record a sample taken at business ``subject``; ``result`` when it is known at once, else the
    sample counts as pending (待检出结果) until ``record_sample_result``."""
    office, at = start_writing(actor, by), aware(at)
    names = _subject(store, actor, subject)
    codes = resolve_lots(store, lots)
    rid = new_id(store, "sampling", sample_id, at)
    record(store, actor, {"type": "sampling", "event_id": record_event_id("sampling", rid), "party": office,
                          "event_time": at.isoformat(), "sample_id": rid, "program": program, "subject": subject,
                          "item": item, "result": result, "lots": codes, "campaign_id": campaign_id})
    return _view(must_find(store, "sampling", rid), names, result)


def record_sample_result(store: GraphStore, actor: Caller, sample_id: str, result: str, at: datetime | None = None,
                         by: str | None = None) -> OfficeRecordView:
    """Record the lab's result of sample ``sample_id`` (a second ``sampling`` record with its id)."""
    office, at = start_writing(actor, by), aware(at)
    taken = must_find(store, "sampling", sample_id)
    names = _subject(store, actor, taken.subject)
    if _result_of(store, sample_id) is not None:
        raise Conflict(f"the result of sample {sample_id} is recorded already",
                       [refusal(None, "result", "sample_result_recorded", sample=sample_id)],
                       key="sample_result_recorded", args={"sample": sample_id})
    if at < taken.event_time:
        raise InvalidInput("a result comes after the sample is taken",
                           [refusal(None, "at", "sample_result_early", taken=taken.event_time.isoformat())],
                           key="sample_result_early", args={"taken": taken.event_time.isoformat()})
    record(store, actor, {"type": "sampling", "event_id": record_event_id("sampling", sample_id, "result"),
                          "party": office, "event_time": at.isoformat(), "sample_id": sample_id,
                          "program": taken.program.value, "subject": taken.subject, "item": taken.item,
                          "result": result, "lots": list(taken.lots), "campaign_id": taken.campaign_id})
    return _view(taken, names, result)


def _result_of(store: GraphStore, sample_id: str) -> str | None:
    found = [ev for ev in live(store, ["sampling"]) if ev.sample_id == sample_id and ev.result is not None]
    return found[-1].result.value if found else None


def record_incident(store: GraphStore, actor: Caller, description: str, people_affected: int = 0,
                    at: datetime | None = None, incident_id: str | None = None,
                    by: str | None = None) -> OfficeRecordView:
    """Record a food-safety incident."""
    office, at = start_writing(actor, by), aware(at)
    rid = new_id(store, "incident", incident_id, at)
    record(store, actor, {"type": "incident", "event_id": record_event_id("incident", rid), "party": office,
                          "event_time": at.isoformat(), "incident_id": rid, "description": description,
                          "people_affected": people_affected})
    return _view(must_find(store, "incident", rid), {})


def list_office_records(store: GraphStore, actor: Caller, kind: str | None = None) -> list[OfficeRecordView]:
    """The office's records, oldest first (a sample once, with its latest result); for an inspector with
    areas, those naming no business or a business in them."""
    require_read_all(actor)
    if kind is not None and kind not in KINDS:
        raise keyed(InvalidInput, "sup_unknown_kind",
                    [refusal(None, "kind", "sup_kind_one_of", one_of=", ".join(KINDS), choices=KINDS)], kind=kind)
    sc = scope_of(store, actor)
    firsts: dict[tuple[str, str], object] = {}
    results: dict[str, str] = {}
    for ev in live(store, [kind] if kind else KINDS):
        if getattr(ev, "subject", None) and not sc.party(ev.subject):
            continue
        firsts.setdefault((ev.type, getattr(ev, _ID[ev.type])), ev)
        if ev.type == "sampling" and ev.result is not None:
            results[ev.sample_id] = ev.result.value
    names = store.get_parties(sorted({ev.subject for ev in firsts.values() if getattr(ev, "subject", None)}))
    views = [_view(ev, names, results.get(key[1]) if key[0] == "sampling" else None) for key, ev in firsts.items()]
    return sorted(views, key=lambda v: (v.time, v.kind, v.record_id))


__all__ = ["OfficeRecordView", "record_publicity", "record_interview", "record_sample", "record_sample_result",
           "record_incident", "list_office_records", "KINDS"]
