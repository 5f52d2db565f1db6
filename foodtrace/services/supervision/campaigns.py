"""Special campaigns (专项整治): a named campaign with a period and a scope
(kinds of business, optionally areas), and per campaign what was done —
businesses inspected, rectification notices, suspensions, trainings and
commitment letters — and which businesses in scope were not inspected yet.

An inspector with areas reads every campaign, each cut to its areas (``Scope``): the businesses in
scope and not inspected are those registered in the areas, and the inspections, trainings and
commitments counted those ``Scope.event`` keeps (of businesses in the areas)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Iterable

from pydantic import BaseModel, Field

from foodtrace.graph.store import GraphStore
from foodtrace.model.supervision import Campaign
from foodtrace.services.capture.scope import Scope, scope_of
from foodtrace.services.supervision.access import Caller, require_read_all
from foodtrace.services.supervision.records import (
    all_parties,
    aware,
    iso,
    live,
    must_find,
    new_id,
    record,
    record_event_id,
    start_writing,
)


class CampaignReport(BaseModel):
    campaign_id: str
    name: str
    start: date
    end: date
    scope_kinds: list[str]
    scope_areas: list[str] = Field(default_factory=list)
    description: str | None = None
    launched_at: datetime
    by: str
    inspections: int = 0
    online_patrols: int = 0
    businesses_inspected: int = 0
    notices: int = 0  # rectification notices
    suspensions: int = 0
    trainings: int = 0
    commitments: int = 0
    in_scope: int = 0  # registered businesses the scope covers
    not_inspected: list[str] = Field(default_factory=list)


def _in_scope(c: Campaign, party) -> bool:
    return party.kind in c.scope_kinds and (not c.scope_areas or party.area_code in c.scope_areas)


def _reports(store: GraphStore, campaigns: list[Campaign], sc: Scope) -> list[CampaignReport]:
    if not campaigns:
        return []
    wanted = {c.campaign_id for c in campaigns}
    inspected: dict[str, set[str]] = defaultdict(set)
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for ev in live(store, ["inspection", "training", "commitment"]):
        cid = ev.campaign_id
        if cid not in wanted or not sc.event(ev):
            continue
        if ev.type == "inspection":
            inspected[cid].add(ev.subject)
            tally[cid]["inspections"] += 1
            tally[cid]["online_patrols"] += ev.mode.value == "online_patrol"
            tally[cid]["notices"] += ev.outcome.value == "rectification"
            tally[cid]["suspensions"] += ev.outcome.value == "suspension"
        else:
            tally[cid][ev.type + "s"] += 1
    parties = all_parties(store)
    out = []
    for c in campaigns:
        scope = sorted(pid for pid, p in parties.items() if _in_scope(c, p) and sc.party(pid))
        out.append(CampaignReport(
            campaign_id=c.campaign_id, name=c.name, start=c.start, end=c.end,
            scope_kinds=[k.value for k in c.scope_kinds], scope_areas=list(c.scope_areas),
            description=c.description, launched_at=c.event_time, by=c.party,
            businesses_inspected=len(inspected[c.campaign_id]), in_scope=len(scope),
            not_inspected=[pid for pid in scope if pid not in inspected[c.campaign_id]], **tally[c.campaign_id]))
    return out


def start_campaign(store: GraphStore, actor: Caller, name: str, start: date, end: date, scope_kinds: Iterable[str],
                   scope_areas: Iterable[str] = (), description: str | None = None, campaign_id: str | None = None,
                   at: datetime | None = None, by: str | None = None) -> CampaignReport:
    """Launch (record) a special campaign."""
    office = start_writing(actor, by)
    at = aware(at)
    campaign_id = new_id(store, "campaign", campaign_id, at)
    record(store, actor, {"type": "campaign", "event_id": record_event_id("campaign", campaign_id),
                   "event_time": at.isoformat(), "party": office, "campaign_id": campaign_id, "name": name,
                   "start": iso(start), "end": iso(end), "scope_kinds": list(scope_kinds),
                   "scope_areas": list(scope_areas), "description": description})
    return _reports(store, [must_find(store, "campaign", campaign_id)], scope_of(store, actor))[0]


def campaign_report(store: GraphStore, actor: Caller, campaign_id: str) -> CampaignReport:
    """One campaign with what was done in it."""
    require_read_all(actor)
    return _reports(store, [must_find(store, "campaign", campaign_id)], scope_of(store, actor))[0]


def list_campaigns(store: GraphStore, actor: Caller) -> list[CampaignReport]:
    """Every campaign, by start date, with what was done in each."""
    require_read_all(actor)
    campaigns = sorted(live(store, ["campaign"]), key=lambda c: (c.start, c.campaign_id))
    return _reports(store, campaigns, scope_of(store, actor))


__all__ = ["CampaignReport", "start_campaign", "campaign_report", "list_campaigns"]
