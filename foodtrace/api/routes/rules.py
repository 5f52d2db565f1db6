"""Food-safety rules over HTTP: the district check, the market-entry gate,
recalls, cause investigation and complaints (all under /api/v1)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from ...model.vocab import ComplaintChannel, Unit
from ...services import complaints as cs
from ...services import recall as rc
from ...services.investigate import Investigation, investigate
from ...services.rules import CheckReport, Decision, RuleConfig, check_district, check_entry, load_rules
from ..deps import SettingsDep, StoreDep
from ..schemas import errors

router = APIRouter(prefix="/api/v1", tags=["rules"])


def get_rules(settings: SettingsDep) -> RuleConfig:
    return load_rules(settings.rules or None)


RulesDep = Annotated[RuleConfig, Depends(get_rules)]
CodePath = Annotated[str, Path(description="Trace code, receipt code, or a GS1 Digital Link / short link")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecallRequest(_Body):
    codes: list[str] = Field(min_length=1, max_length=1000, description="The bad lots to recall")
    reason: str = Field(min_length=1, max_length=500)
    by: str = Field("inspector", min_length=1, max_length=64, description="The party starting the recall")
    recall_id: str | None = Field(None, min_length=1, max_length=256)
    dry_run: bool = Field(False, description="Only show what it would reach; record nothing")


class RecallFromTest(_Body):
    event_id: str = Field(min_length=1, max_length=300, description="The failed test's event id")
    by: str = Field("inspector", min_length=1, max_length=64)


class Confirmation(_Body):
    party: str = Field(min_length=1, max_length=64)
    note: str | None = Field(None, max_length=500)
    quantity_removed: float | None = Field(None, ge=0)
    unit: Unit | None = None


class ComplaintRequest(_Body):
    lots: list[str] = Field(min_length=1, max_length=1000)
    description: str = Field(min_length=1, max_length=500)
    channel: ComplaintChannel = ComplaintChannel.HOTLINE
    by: str = Field("inspector", min_length=1, max_length=64)
    complainant: str | None = Field(None, max_length=500)
    complaint_id: str | None = Field(None, min_length=1, max_length=256)


class LinkRequest(_Body):
    recall_id: str | None = Field(None, min_length=1, max_length=256)
    case: str | None = Field(None, min_length=1, max_length=500)
    by: str = Field("inspector", min_length=1, max_length=64)


class ClosureRequest(_Body):
    resolution: str = Field(min_length=1, max_length=500)
    by: str = Field("inspector", min_length=1, max_length=64)


@router.get("/check", summary="Every anomaly in the district, with violation scores", response_model=CheckReport,
            responses=errors(503))
def get_check(store: StoreDep, rules: RulesDep) -> CheckReport:
    return check_district(store, rules)


@router.get("/entry/{code:path}", summary="Market-entry gate: may the receiver accept this lot?",
            response_model=Decision, responses=errors(422, 503))
def get_entry(code: CodePath, store: StoreDep, rules: RulesDep,
              receiver: Annotated[str, Query(min_length=1, description="The receiving party's id")],
              quantity: Annotated[float, Query(gt=0, description="Quantity received, in the lot's unit")],
              at: Annotated[datetime | None, Query(description="Time of receipt, with a time zone")] = None,
              ) -> Decision:
    return check_entry(store, code, receiver, quantity, at=at, rules=rules)


@router.post("/recalls", summary="Start a recall (or preview it with dry_run: 200, nothing recorded)",
             response_model=rc.RecallReport, status_code=201, responses=errors(404, 409, 422, 503))
def post_recall(body: RecallRequest, store: StoreDep, response: Response) -> rc.RecallReport:
    if body.dry_run:
        response.status_code = 200
    return rc.start_recall(store, body.codes, body.reason, by=body.by, recall_id=body.recall_id, dry_run=body.dry_run)


@router.post("/recalls/from-test", summary="Start a recall of the lots a failed test covers",
             response_model=rc.RecallReport, status_code=201, responses=errors(404, 409, 422, 503))
def post_recall_from_test(body: RecallFromTest, store: StoreDep) -> rc.RecallReport:
    return rc.recall_from_test(store, body.event_id, by=body.by)


@router.get("/recalls/{recall_id}", summary="A recall as it stands", response_model=rc.RecallReport,
            responses=errors(404, 503))
def get_recall(recall_id: str, store: StoreDep) -> rc.RecallReport:
    return rc.recall_report(store, recall_id)


@router.post("/recalls/{recall_id}/confirmations", summary="A holder confirms it acted on the recall",
             response_model=rc.RecallReport, status_code=201, responses=errors(404, 409, 422, 503))
def post_confirmation(recall_id: str, body: Confirmation, store: StoreDep) -> rc.RecallReport:
    return rc.confirm_recall(store, recall_id, body.party, note=body.note, quantity_removed=body.quantity_removed,
                             unit=body.unit.value if body.unit else None)


@router.get("/recall-status/{code:path}", summary="Whether a lot is recalled (it or a lot it came from)",
            response_model=rc.RecallStatus, responses=errors(404, 503))
def get_recall_status(code: CodePath, store: StoreDep) -> rc.RecallStatus:
    return rc.recall_status(store, code)


@router.get("/investigation", summary="Rank the upstream lots and parties problem lots share",
            response_model=Investigation, responses=errors(404, 422, 503))
def get_investigation(store: StoreDep, code: Annotated[list[str], Query(description="Problem lots")] = [],
                      complaint: Annotated[list[str], Query(description="Complaint ids")] = [],
                      case: str | None = None) -> Investigation:
    return investigate(store, code, complaint, case)


@router.get("/complaints", summary="Complaints with their links and closure", response_model=list[cs.ComplaintView],
            responses=errors(503))
def get_complaints(store: StoreDep, status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
                   lot: str | None = None, case: str | None = None) -> list[cs.ComplaintView]:
    return cs.list_complaints(store, status=status, lot=lot, case=case)


@router.post("/complaints", summary="File a complaint on lots", response_model=cs.ComplaintView, status_code=201,
             responses=errors(404, 409, 422, 503))
def post_complaint(body: ComplaintRequest, store: StoreDep) -> cs.ComplaintView:
    return cs.file_complaint(store, body.lots, body.description, channel=body.channel.value, by=body.by,
                             complainant=body.complainant, complaint_id=body.complaint_id)


@router.get("/complaints/{complaint_id}", summary="One complaint", response_model=cs.ComplaintView,
            responses=errors(404, 503))
def get_complaint(complaint_id: str, store: StoreDep) -> cs.ComplaintView:
    return cs.get_complaint(store, complaint_id)


@router.post("/complaints/{complaint_id}/links", summary="Link a complaint to a recall or an investigation case",
             response_model=cs.ComplaintView, status_code=201, responses=errors(404, 409, 422, 503))
def post_link(complaint_id: str, body: LinkRequest, store: StoreDep) -> cs.ComplaintView:
    return cs.link_complaint(store, complaint_id, recall_id=body.recall_id, case=body.case, by=body.by)


@router.post("/complaints/{complaint_id}/closure", summary="Close (办结) a complaint",
             response_model=cs.ComplaintView, status_code=201, responses=errors(404, 409, 422, 503))
def post_closure(complaint_id: str, body: ClosureRequest, store: StoreDep) -> cs.ComplaintView:
    return cs.close_complaint(store, complaint_id, body.resolution, by=body.by)
