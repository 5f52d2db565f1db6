"""From a trace to what was done about it: the supervision records that name
any lot in a lot's backward or forward trace."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from foodtrace.graph.store import GraphStore
from foodtrace.i18n import label
from foodtrace.model.supervision import SUPERVISION_TYPES
from foodtrace.services.capture.scope import require_lots_in_scope
from foodtrace.services.supervision.access import Caller, can_read, require_some_read
from foodtrace.services.supervision.records import ID_FIELD
from foodtrace.services.tracing.identifiers import resolve

SUMMARY = {"inspection": "outcome", "enforcement_case": "summary", "case_update": "status",
           "destruction": "goods"}


class RecordRef(BaseModel):
    type: str
    record_id: str
    time: datetime
    by: str
    subjects: list[str] = Field(default_factory=list)
    lots: list[str] = Field(default_factory=list)  # the lots of the trace it names
    summary: str | None = None  # a status or outcome by its code, or the record's text
    said: dict[str, str] = Field(default_factory=dict)  # the summary as a reader of zh and of en reads it


def _said(ev, summary) -> dict[str, str]:
    if summary is None:
        return {}
    if ev.type == "enforcement_case":
        return {"zh": ev.summary, "en": ev.summary_en or ev.summary}
    return {lang: label(getattr(summary, "value", summary), lang) for lang in ("zh", "en")}


def _ref(ev, lots: list[str]) -> RecordRef:
    rid = getattr(ev, ID_FIELD.get(ev.type, "case_id"))
    subjects = getattr(ev, "subjects", None) or ([ev.subject] if getattr(ev, "subject", None) else [])
    summary = getattr(ev, SUMMARY.get(ev.type, ""), None)
    return RecordRef(type=ev.type, record_id=rid, time=ev.event_time, by=ev.party, subjects=list(subjects),
                     lots=lots, summary=getattr(summary, "value", summary), said=_said(ev, summary))


def records_for_lot(store: GraphStore, actor: Caller, code: str) -> list[RecordRef]:
    """Supervision records on the lots of ``code``'s backward and forward
    traces that the actor may read, oldest first."""
    require_some_read(actor)
    lot = resolve(store, code)
    require_lots_in_scope(store, actor, [lot.code], "code")  # an inspector with areas: a chain reaching them
    codes = sorted(set(store.backward(lot.code).lots) | set(store.forward(lot.code).lots))
    found: dict[str, tuple[object, list[str]]] = {}
    for c, events in store.lot_events(codes).items():
        for se in events:
            ev = se.event
            if ev.type in SUPERVISION_TYPES and can_read(actor.role, actor.party, ev):
                found.setdefault(se.event_id, (ev, []))[1].append(c)
    refs = [_ref(ev, sorted(lots)) for ev, lots in found.values()]
    return sorted(refs, key=lambda r: (r.time, r.type, r.record_id))


__all__ = ["records_for_lot", "RecordRef"]
