"""Complaints and reports (投诉举报): filed on lots, accepted (受理) by an
inspector, listed by inspectors, linked to a recall or an investigation case,
and closed (办结). Each step is an event in the log.

A complaint is ``received`` when filed, ``accepted`` once an inspector has
screened and accepted it, ``closed`` when closed (whether it was accepted
before, ``accepted_at``, tells a handled complaint from one not accepted,
不予受理). Only accepted complaints count against a business (the risk
ranking), so anonymous posts from the consumer page cannot smear one."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from foodtrace.errors import Conflict, InvalidInput, NotFound
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.services.capture.door import record
from foodtrace.services.capture.principal import Principal, local
from foodtrace.services.tracing.identifiers import resolve

TYPES = ["complaint", "complaint_acceptance", "complaint_link", "complaint_closure"]
STATUSES = ("open", "received", "accepted", "closed")  # "open": not closed (received or accepted)


class ComplaintView(BaseModel):
    complaint_id: str
    lots: list[str]
    description: str
    channel: str
    filed_at: datetime
    filed_by: str
    status: Literal["received", "accepted", "closed"] = "received"
    recalls: list[str] = Field(default_factory=list)
    cases: list[str] = Field(default_factory=list)
    resolution: str | None = None
    closed_at: datetime | None = None
    accepted_at: datetime | None = None
    accepted_by: str | None = None


def _event_id(complaint_id: str, step: str = "") -> str:
    return f"urn:foodtrace:complaint:{complaint_id}" + (f":{step}" if step else "")


def _now() -> datetime:
    return datetime.now().astimezone()


def list_complaints(store: GraphStore, status: str | None = None, lot: str | None = None,
                    case: str | None = None) -> list[ComplaintView]:
    """Every complaint with its acceptance, links and closure, oldest first; filtered by
    status (``open``: not closed; ``received``, ``accepted``, ``closed``), lot and investigation case."""
    views: dict[str, ComplaintView] = {}
    for se in store.events_by_type(TYPES):
        if se.retracted_by is not None:
            continue
        ev: Any = se.event
        if ev.type == "complaint":
            views[ev.complaint_id] = ComplaintView(
                complaint_id=ev.complaint_id, lots=list(ev.lots), description=ev.description,
                channel=ev.channel.value, filed_at=ev.event_time, filed_by=ev.party)
            continue
        view = views.get(ev.complaint_id)
        if view is None:
            continue
        if ev.type == "complaint_acceptance":
            if view.status == "received":  # an acceptance of a closed complaint means nothing
                view.status, view.accepted_at, view.accepted_by = "accepted", ev.event_time, ev.party
        elif ev.type == "complaint_link":
            if ev.recall_id and ev.recall_id not in view.recalls:
                view.recalls.append(ev.recall_id)
            if ev.case and ev.case not in view.cases:
                view.cases.append(ev.case)
        else:
            view.status, view.resolution, view.closed_at = "closed", ev.resolution, ev.event_time
    out = sorted(views.values(), key=lambda v: (v.filed_at, v.complaint_id))
    if status == "open":
        out = [v for v in out if v.status != "closed"]
    elif status:
        out = [v for v in out if v.status == status]
    if lot:
        out = [v for v in out if lot in v.lots]
    if case:
        out = [v for v in out if case in v.cases]
    return out


def get_complaint(store: GraphStore, complaint_id: str) -> ComplaintView:
    found = next((v for v in list_complaints(store) if v.complaint_id == complaint_id), None)
    if found is None:
        raise keyed(NotFound, "complaint_none_quoted", [refusal(None, "complaint_id", "complaint_unknown")],
                    complaint=complaint_id)
    return found


def file_complaint(store: GraphStore, lots: list[str], description: str, channel: str = "hotline",
                   by: str = "inspector", complainant: str | None = None, complaint_id: str | None = None,
                   at: datetime | None = None, accept: bool = False,
                   principal: Principal | None = None) -> ComplaintView:
    """Record a complaint on ``lots`` (trace codes or links; each must be known). It is
    ``received``; with ``accept`` it is accepted by ``by`` in the same batch (all or nothing) —
    for an inspector filing what they took on the hotline or saw on a visit, who has screened it
    already. The consumer page never accepts."""
    if not lots:
        raise keyed(InvalidInput, "complaint_name_lot", [refusal(None, "lots", "safety_empty")])
    codes = list(dict.fromkeys(resolve(store, c).code for c in lots))
    at = at or _now()
    complaint_id = complaint_id or f"TS{at.strftime('%Y%m%d%H%M%S%f')}"
    if any(v.complaint_id == complaint_id for v in list_complaints(store)):
        raise keyed(Conflict, "complaint_exists", [refusal(None, "complaint_id", "record_id_used_reason")],
                    complaint=complaint_id)
    raw = {"type": "complaint", "event_id": _event_id(complaint_id), "event_time": at.isoformat(), "party": by,
           "complaint_id": complaint_id, "lots": codes, "description": description, "channel": channel}
    if complainant:
        raw["complainant"] = complainant
    batch = [raw]
    if accept:
        batch.append(_acceptance(complaint_id, codes, by, at, None))
    record(store, principal or local(by), batch)
    return get_complaint(store, complaint_id)


def _acceptance(complaint_id: str, lots: list[str], by: str, at: datetime, note: str | None) -> dict:
    raw = {"type": "complaint_acceptance", "event_id": _event_id(complaint_id, "acceptance"),
           "event_time": at.isoformat(), "party": by, "complaint_id": complaint_id, "lots": lots}
    if note:
        raw["note"] = note
    return raw


def accept_complaint(store: GraphStore, complaint_id: str, by: str = "inspector", note: str | None = None,
                     at: datetime | None = None, principal: Principal | None = None) -> ComplaintView:
    """Accept (受理) a received complaint: from now on it counts in the risk ranking of the
    businesses that made its lots. ``Conflict`` when it is accepted or closed already."""
    view = get_complaint(store, complaint_id)
    if view.status != "received":
        raise keyed(Conflict, f"complaint_already_{view.status}",
                    [refusal(None, "complaint_id", f"complaint_status_{view.status}")], complaint=complaint_id)
    record(store, principal or local(by), [_acceptance(complaint_id, view.lots, by, at or _now(), note)])
    return get_complaint(store, complaint_id)


def link_complaint(store: GraphStore, complaint_id: str, recall_id: str | None = None, case: str | None = None,
                   by: str = "inspector", at: datetime | None = None,
                   principal: Principal | None = None) -> ComplaintView:
    """Link a complaint to a recall and/or an investigation case."""
    if not recall_id and not case:
        raise keyed(InvalidInput, "complaint_link_what", [refusal(None, "recall_id", "complaint_or_case")])
    view = get_complaint(store, complaint_id)
    if view.status == "closed":
        raise keyed(Conflict, "complaint_closed", [refusal(None, "complaint_id", "complaint_status_closed")],
                    complaint=complaint_id)
    if recall_id:
        from foodtrace.services.safety.recall import recall_report  # the recall must exist

        recall_report(store, recall_id)
    raw = {"type": "complaint_link", "event_time": (at or _now()).isoformat(), "party": by,
           "complaint_id": complaint_id, "lots": view.lots}
    raw.update({k: v for k, v in {"recall_id": recall_id, "case": case}.items() if v})
    record(store, principal or local(by), [raw])
    return get_complaint(store, complaint_id)


def close_complaint(store: GraphStore, complaint_id: str, resolution: str, by: str = "inspector",
                    at: datetime | None = None, principal: Principal | None = None) -> ComplaintView:
    """Close (办结) a complaint with its resolution. Closing one never accepted turns it down
    (不予受理): it never counts against a business."""
    view = get_complaint(store, complaint_id)
    if view.status == "closed":
        raise keyed(Conflict, "complaint_already_closed",
                    [refusal(None, "complaint_id", "complaint_status_closed")], complaint=complaint_id)
    record(store, principal or local(by), [{"type": "complaint_closure", "event_id": _event_id(complaint_id, "closure"),
                     "event_time": (at or _now()).isoformat(), "party": by, "complaint_id": complaint_id,
                     "lots": view.lots, "resolution": resolution}])
    return get_complaint(store, complaint_id)


__all__ = ["file_complaint", "accept_complaint", "link_complaint", "close_complaint", "list_complaints", "get_complaint",
           "ComplaintView"]
