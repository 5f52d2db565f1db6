"""Supervision records over HTTP (under /api/v1/supervision): inspections,
special campaigns, enforcement cases with their evidence, trainings,
commitment letters, public destruction, the risk ranking and the figures.

Every route takes the caller (``get_actor``): inspectors and administrators
write and read everything; an operator reads only its own inspections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from foodtrace.api.deps import ActorDep, RulesDep, StoreDep
from foodtrace.api.schemas import errors
from foodtrace.model.common import Day, Instant, NonNegativeNumber, PositiveNumber, Text
from foodtrace.model.vocab import (
    CaseSource,
    CaseStatus,
    DestructionReason,
    InspectionMode,
    InspectionOutcome,
    PartyKind,
    Unit,
)
from foodtrace.services import supervision as sv

router = APIRouter(prefix="/api/v1/supervision", tags=["supervision"])
Id = Annotated[str, Path(min_length=1, max_length=256)]
TextField = Text  # as the records hold it: 1-500 characters, not only white space
READ = errors(401, 403, 404, 422, 503)
WRITE = errors(401, 403, 404, 409, 413, 422, 503)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: Instant | None = Field(None, description="When it happened (default now), with a time zone")
    by: str | None = Field(None, min_length=1, max_length=64,
                           description="The recording office, when the caller's key names none")


class InspectionRequest(_Body):
    subject: str = Field(min_length=1, max_length=64, description="The business inspected")
    outcome: InspectionOutcome
    inspectors: list[TextField] = Field(min_length=1, max_length=20)
    findings: list[TextField] = Field(default_factory=list, max_length=100)
    mode: InspectionMode = InspectionMode.ON_SITE
    notice_number: TextField | None = None
    rectify_by: Day | None = None
    campaign_id: str | None = Field(None, min_length=1, max_length=256)
    lots: list[str] = Field(default_factory=list, max_length=1000)
    inspection_id: str | None = Field(None, min_length=1, max_length=256)


class CampaignRequest(_Body):
    name: TextField
    start: Day
    end: Day
    scope_kinds: list[PartyKind] = Field(min_length=1, max_length=20)
    scope_areas: list[str] = Field(default_factory=list, max_length=100)
    description: TextField | None = None
    campaign_id: str | None = Field(None, min_length=1, max_length=256)


class CaseRequest(_Body):
    source: CaseSource
    refs: list[str] = Field(default_factory=list, max_length=1000,
                            description="anomaly: KIND:LOT; complaint: ids; failed_test: event ids; inspection: ids")
    lots: list[str] = Field(default_factory=list, max_length=1000)
    subjects: list[str] = Field(default_factory=list, max_length=100)
    summary: TextField | None = None
    case_id: str | None = Field(None, min_length=1, max_length=256)


class CaseUpdateRequest(_Body):
    status: CaseStatus
    fine_yuan: NonNegativeNumber = 0.0
    confiscated_yuan: NonNegativeNumber = 0.0
    decision_number: TextField | None = None
    handed_to: TextField | None = None
    note: TextField | None = None


class TrainingRequest(_Body):
    topic: TextField
    attendees: list[str] = Field(min_length=1, max_length=10_000)
    hours: PositiveNumber | None = Field(None, le=100)
    campaign_id: str | None = Field(None, min_length=1, max_length=256)
    training_id: str | None = Field(None, min_length=1, max_length=256)


class CommitmentRequest(_Body):
    subject: str = Field(min_length=1, max_length=64)
    title: TextField
    valid_until: Day | None = None
    campaign_id: str | None = Field(None, min_length=1, max_length=256)
    commitment_id: str | None = Field(None, min_length=1, max_length=256)


class DestructionRequest(_Body):
    goods: TextField
    value_yuan: NonNegativeNumber
    reason: DestructionReason
    quantity: PositiveNumber | None = None
    unit: Unit | None = None
    subjects: list[str] = Field(default_factory=list, max_length=1000)
    lots: list[str] = Field(default_factory=list, max_length=1000)
    case_id: str | None = Field(None, min_length=1, max_length=256)
    destruction_id: str | None = Field(None, min_length=1, max_length=256)


def _args(body: BaseModel) -> dict:
    """The body as service arguments (vocabulary members as their values)."""
    return {k: getattr(v, "value", v) if not isinstance(v, list) else [getattr(x, "value", x) for x in v]
            for k, v in body}


# -- inspections ---------------------------------------------------------------


@router.post("/inspections", summary="Record an inspection", status_code=201, response_model=sv.InspectionView,
             responses=WRITE)
def post_inspection(body: InspectionRequest, store: StoreDep, actor: ActorDep) -> sv.InspectionView:
    return sv.record_inspection(store, actor, **_args(body))


@router.get("/inspections", summary="Inspections (an operator sees only its own)",
            response_model=list[sv.InspectionView], responses=READ)
def get_inspections(store: StoreDep, actor: ActorDep, subject: str | None = None, campaign: str | None = None,
                    outcome: InspectionOutcome | None = None) -> list[sv.InspectionView]:
    return sv.list_inspections(store, actor, subject=subject, campaign_id=campaign,
                               outcome=outcome.value if outcome else None)


@router.get("/inspections/{inspection_id}", summary="One inspection", response_model=sv.InspectionView,
            responses=READ)
def get_inspection(inspection_id: Id, store: StoreDep, actor: ActorDep) -> sv.InspectionView:
    return sv.get_inspection(store, actor, inspection_id)


# -- campaigns -----------------------------------------------------------------


@router.post("/campaigns", summary="Launch a special campaign", status_code=201, response_model=sv.CampaignReport,
             responses=WRITE)
def post_campaign(body: CampaignRequest, store: StoreDep, actor: ActorDep) -> sv.CampaignReport:
    return sv.start_campaign(store, actor, **_args(body))


@router.get("/campaigns", summary="Campaigns with what was done in each", response_model=list[sv.CampaignReport],
            responses=READ)
def get_campaigns(store: StoreDep, actor: ActorDep) -> list[sv.CampaignReport]:
    return sv.list_campaigns(store, actor)


@router.get("/campaigns/{campaign_id}", summary="One campaign: businesses inspected, notices, suspensions",
            response_model=sv.CampaignReport, responses=READ)
def get_campaign(campaign_id: Id, store: StoreDep, actor: ActorDep) -> sv.CampaignReport:
    return sv.campaign_report(store, actor, campaign_id)


# -- enforcement cases ---------------------------------------------------------


@router.post("/cases", summary="Open a case (立案) from an anomaly, a complaint, a failed test or an inspection",
             status_code=201, response_model=sv.CaseView, responses=WRITE)
def post_case(body: CaseRequest, store: StoreDep, actor: ActorDep, rules: RulesDep) -> sv.CaseView:
    return sv.open_case(store, actor, rules=rules, **_args(body))


@router.get("/cases", summary="Cases as they stand", response_model=list[sv.CaseView], responses=READ)
def get_cases(store: StoreDep, actor: ActorDep, status: CaseStatus | None = None,
              subject: str | None = None) -> list[sv.CaseView]:
    return sv.list_cases(store, actor, status=status.value if status else None, subject=subject)


@router.get("/cases/{case_id}", summary="One case", response_model=sv.CaseView, responses=READ)
def get_case(case_id: Id, store: StoreDep, actor: ActorDep) -> sv.CaseView:
    return sv.get_case(store, actor, case_id)


@router.get("/cases/{case_id}/evidence", summary="The traces kept with the case, and what changed since",
            response_model=sv.CaseEvidence, responses=READ)
def get_case_evidence(case_id: Id, store: StoreDep, actor: ActorDep) -> sv.CaseEvidence:
    return sv.case_evidence(store, actor, case_id)


@router.post("/cases/{case_id}/updates", summary="Close a case or hand it to the police", status_code=201,
             response_model=sv.CaseView, responses=WRITE)
def post_case_update(case_id: Id, body: CaseUpdateRequest, store: StoreDep, actor: ActorDep) -> sv.CaseView:
    return sv.update_case(store, actor, case_id, **_args(body))


# -- trainings, commitments, destruction -----------------------------------------


@router.post("/trainings", summary="Record a training session", status_code=201, response_model=sv.TrainingView,
             responses=WRITE)
def post_training(body: TrainingRequest, store: StoreDep, actor: ActorDep) -> sv.TrainingView:
    return sv.record_training(store, actor, **_args(body))


@router.get("/trainings", summary="Training sessions", response_model=list[sv.TrainingView], responses=READ)
def get_trainings(store: StoreDep, actor: ActorDep, party: str | None = None) -> list[sv.TrainingView]:
    return sv.list_trainings(store, actor, party=party)


@router.post("/commitments", summary="Record a commitment letter", status_code=201,
             response_model=sv.CommitmentView, responses=WRITE)
def post_commitment(body: CommitmentRequest, store: StoreDep, actor: ActorDep) -> sv.CommitmentView:
    return sv.record_commitment(store, actor, **_args(body))


@router.get("/commitments", summary="Commitment letters", response_model=list[sv.CommitmentView], responses=READ)
def get_commitments(store: StoreDep, actor: ActorDep, party: str | None = None) -> list[sv.CommitmentView]:
    return sv.list_commitments(store, actor, party=party)


@router.post("/destructions", summary="Record a public destruction", status_code=201,
             response_model=sv.DestructionView, responses=WRITE)
def post_destruction(body: DestructionRequest, store: StoreDep, actor: ActorDep) -> sv.DestructionView:
    return sv.record_destruction(store, actor, **_args(body))


@router.get("/destructions", summary="Public destructions", response_model=list[sv.DestructionView], responses=READ)
def get_destructions(store: StoreDep, actor: ActorDep, party: str | None = None) -> list[sv.DestructionView]:
    return sv.list_destructions(store, actor, party=party)


# -- risk, figures, records of a trace ---------------------------------------------


@router.get("/risk", summary="Businesses ranked by risk score, with the reasons", response_model=sv.RiskRanking,
            responses=READ)
def get_risk(store: StoreDep, actor: ActorDep, rules: RulesDep,
             top: Annotated[int | None, Query(ge=1, le=100_000)] = None,
             as_of: Annotated[Instant | None, Query(description="Default: now")] = None) -> sv.RiskRanking:
    return sv.risk_ranking(store, actor=actor, rules=rules, top=top, as_of=as_of)


@router.get("/figures", summary="Supervision figures of a period (dates: both days included)", responses=READ)
def get_figures(store: StoreDep, actor: ActorDep, start: Day | None = None, end: Day | None = None) -> dict:
    return sv.supervision_figures(store, start, end, actor=actor)


@router.get("/lots/{code:path}", summary="Supervision records on the lots of a lot's traces",
            response_model=list[sv.RecordRef], responses=READ)
def get_lot_records(code: Annotated[str, Path(description="Trace code or link")], store: StoreDep,
                    actor: ActorDep) -> list[sv.RecordRef]:
    return sv.records_for_lot(store, actor, code)


__all__ = ["router"]
