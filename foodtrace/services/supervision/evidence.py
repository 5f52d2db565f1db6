"""A case's evidence: the backward and forward traces of the lots involved as
the store knew them when the case was opened (lots, links, the events of
those lots, gaps). The snapshot is taken by the service that opens the case
and stored inside the case-opening event, so it is as immutable as the log;
reading it back also says what has changed since (events retracted, lots
added to or gone from the traces)."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from pydantic import BaseModel, Field

from foodtrace.graph.store import GraphStore
from foodtrace.model.supervision import SUPERVISION_TYPES, EnforcementCase

TRACE_LIMIT = 20_000  # most lots kept per trace (the snapshot says when it was cut short)


def snapshot(store: GraphStore, codes: Iterable[str], limit: int = TRACE_LIMIT) -> list[dict]:
    """The backward and forward trace of each lot, as raw ``EvidenceTrace`` fields."""
    lineages = [(code, direction, (store.backward if direction == "backward" else store.forward)(code, limit))
                for code in codes for direction in ("backward", "forward")]
    every = sorted({c for _, _, lin in lineages for c in lin.lots})
    events = store.lot_events(every)
    lots = store.get_lots(every)
    out = []
    for code, direction, lin in lineages:
        seen: dict[str, int] = {}
        for c in lin.lots:
            for se in events.get(c, []):
                if se.event.type not in SUPERVISION_TYPES:
                    seen.setdefault(se.event_id, se.seq)
        gaps = sorted(c for c in lin.lots if c not in lots or lots[c].unconfirmed)
        out.append({"root": code, "direction": direction, "lots": sorted(lin.lots),
                    "edges": sorted([a, b] for a, b in lin.edges), "gaps": gaps, "truncated": lin.truncated,
                    "events": sorted(seen, key=lambda e: seen[e])})
    return out


class EvidenceEvent(BaseModel):
    event_id: str
    type: str | None = None
    time: datetime | None = None
    party: str | None = None
    retracted_by: str | None = None  # retracted since the case was opened


class EvidenceView(BaseModel):
    root: str
    direction: str
    lots: list[str]
    edges: list[tuple[str, str]]
    gaps: list[str]
    truncated: bool
    events: list[EvidenceEvent]
    lots_added_since: list[str] = Field(default_factory=list)  # in the trace now, not when the case was opened
    lots_gone_since: list[str] = Field(default_factory=list)


class CaseEvidence(BaseModel):
    case_id: str
    opened_at: datetime
    recorded_at: datetime | None = None  # when the snapshot was captured
    traces: list[EvidenceView]
    retracted_since: list[str] = Field(default_factory=list)


def read_evidence(store: GraphStore, case: EnforcementCase) -> CaseEvidence:
    """The case's evidence as stored, with what has changed since."""
    ids = sorted({e for tr in case.evidence for e in tr.events})
    stored = store.get_events(ids)
    traces = []
    for tr in case.evidence:
        now = (store.backward if tr.direction == "backward" else store.forward)(tr.root, TRACE_LIMIT).lots
        then = set(tr.lots)
        events = []
        for eid in tr.events:
            se = stored.get(eid)
            ev = se.event if se else None
            events.append(EvidenceEvent(event_id=eid, type=getattr(ev, "type", None),
                                        time=getattr(ev, "event_time", None), party=getattr(ev, "party", None),
                                        retracted_by=se.retracted_by if se else None))
        traces.append(EvidenceView(root=tr.root, direction=tr.direction, lots=list(tr.lots),
                                   edges=[tuple(e) for e in tr.edges], gaps=list(tr.gaps), truncated=tr.truncated,
                                   events=events, lots_added_since=sorted(set(now) - then),
                                   lots_gone_since=sorted(then - set(now))))
    retracted = sorted({e.event_id for tr in traces for e in tr.events if e.retracted_by})
    return CaseEvidence(case_id=case.case_id, opened_at=case.event_time, recorded_at=case.record_time,
                        traces=traces, retracted_since=retracted)


__all__ = ["snapshot", "read_evidence", "CaseEvidence", "EvidenceView", "EvidenceEvent", "TRACE_LIMIT"]
