"""Food-safety rules over HTTP: the district check, the market-entry gate,
recalls, cause investigation and complaints (all under /api/v1). Who may call
what is decided in ``services/office.py`` (via ``services/access.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from foodtrace.api.deps import CodePath, PrincipalDep, RulesDep, StoreDep
from foodtrace.api.schemas import keyed
from foodtrace.model.common import Instant, Number, PartyId
from foodtrace.model.vocab import ComplaintChannel, Unit
from foodtrace.services.safety import complaints as cs
from foodtrace.services.safety import office
from foodtrace.services.safety import recall as rc
from foodtrace.services.safety.investigate import Investigation
from foodtrace.services.safety.rules import CheckReport, Decision

router = APIRouter(prefix="/api/v1", tags=["rules"])
BY = "The party making the record: the key's own (only an admin key may name another)"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecallRequest(_Body):
    codes: list[str] = Field(min_length=1, max_length=1000, description="The bad lots to recall")
    reason: str = Field(min_length=1, max_length=500)
    by: PartyId | None = Field(None, description=BY)
    recall_id: str | None = Field(None, min_length=1, max_length=256)
    dry_run: bool = Field(False, description="Only show what it would reach; record nothing")


class RecallFromTest(_Body):
    event_id: str = Field(min_length=1, max_length=300, description="The failed test's event id")
    by: PartyId | None = Field(None, description=BY)


class Confirmation(_Body):
    party: PartyId | None = Field(None, description="The confirming holder: the key's own party for an operator")
    note: str | None = Field(None, max_length=500)
    quantity_removed: Number | None = Field(None, ge=0)
    unit: Unit | None = None


class ComplaintRequest(_Body):
    lots: list[str] = Field(min_length=1, max_length=1000)
    description: str = Field(min_length=1, max_length=500)
    channel: ComplaintChannel = ComplaintChannel.HOTLINE
    by: PartyId | None = Field(None, description=BY)
    complainant: str | None = Field(None, max_length=500)
    complaint_id: str | None = Field(None, min_length=1, max_length=256)


class AcceptanceRequest(_Body):
    note: str | None = Field(None, min_length=1, max_length=500)
    by: PartyId | None = Field(None, description=BY)


class LinkRequest(_Body):
    recall_id: str | None = Field(None, min_length=1, max_length=256)
    case: str | None = Field(None, min_length=1, max_length=500)
    by: PartyId | None = Field(None, description=BY)


class ClosureRequest(_Body):
    resolution: str = Field(min_length=1, max_length=500)
    by: PartyId | None = Field(None, description=BY)


@router.get("/check", summary="Every anomaly in the district, with violation scores (inspector)",
            response_model=CheckReport, responses=keyed())
def get_check(store: StoreDep, rules: RulesDep, principal: PrincipalDep) -> CheckReport:
    return office.district_check(store, principal, rules)


@router.get("/entry/{code:path}", summary="Market-entry gate: may the receiver accept this lot?",
            description="Nothing is recorded (POST /api/v1/receipts records the decision). An operator key asks "
                        "as its own party.", response_model=Decision, responses=keyed(404, 422))
def get_entry(code: CodePath, store: StoreDep, rules: RulesDep, principal: PrincipalDep,
              receiver: Annotated[str, Query(min_length=1, description="The receiving party's id")],
              quantity: Annotated[float, Query(gt=0, description="Quantity received, in the lot's unit")],
              at: Annotated[Instant | None, Query(description="Time of receipt, with a time zone")] = None,
              ) -> Decision:
    return office.entry_gate(store, principal, code, receiver, quantity, at, rules)


@router.post("/recalls", summary="Start a recall (or preview it with dry_run: 200, nothing recorded); inspector",
             response_model=rc.RecallReport, status_code=201, responses=keyed(404, 409, 413, 422))
def post_recall(body: RecallRequest, store: StoreDep, principal: PrincipalDep, response: Response) -> rc.RecallReport:
    if body.dry_run:
        response.status_code = 200
    return office.start_recall(store, principal, body.codes, body.reason, body.by, body.recall_id, body.dry_run)


@router.post("/recalls/from-test", summary="Start a recall of the lots a failed test covers; inspector",
             response_model=rc.RecallReport, status_code=201, responses=keyed(404, 409, 413, 422))
def post_recall_from_test(body: RecallFromTest, store: StoreDep, principal: PrincipalDep) -> rc.RecallReport:
    return office.recall_from_test(store, principal, body.event_id, body.by)


@router.get("/recalls/{recall_id}", summary="A recall as it stands (an operator: one that names its party)",
            response_model=rc.RecallReport, responses=keyed(404, 422))
def get_recall(recall_id: str, store: StoreDep, principal: PrincipalDep) -> rc.RecallReport:
    return office.recall_report(store, principal, recall_id)


@router.post("/recalls/{recall_id}/confirmations", summary="A holder confirms it acted on the recall",
             description="An operator key confirms for its own party; inspector and admin keys for any holder.",
             response_model=rc.RecallReport, status_code=201, responses=keyed(404, 409, 413, 422))
def post_confirmation(recall_id: str, body: Confirmation, store: StoreDep, principal: PrincipalDep) -> rc.RecallReport:
    return office.confirm_recall(store, principal, recall_id, body.party, body.note, body.quantity_removed,
                                 body.unit.value if body.unit else None)


@router.get("/recall-status/{code:path}", summary="Whether a lot is recalled (it or a lot it came from)",
            response_model=rc.RecallStatus, responses=keyed(404, 422))
def get_recall_status(code: CodePath, store: StoreDep, principal: PrincipalDep) -> rc.RecallStatus:
    return office.recall_status(store, principal, code)


@router.get("/investigation", summary="Rank the upstream lots and parties problem lots share (inspector)",
            response_model=Investigation, responses=keyed(404, 422))
def get_investigation(store: StoreDep, principal: PrincipalDep,
                      code: Annotated[list[str], Query(description="Problem lots")] = [],
                      complaint: Annotated[list[str], Query(description="Complaint ids")] = [],
                      case: str | None = None) -> Investigation:
    return office.investigation(store, principal, code, complaint, case)


@router.get("/complaints", summary="Complaints with their links and closure (inspector)",
            response_model=list[cs.ComplaintView], responses=keyed(422))
def get_complaints(store: StoreDep, principal: PrincipalDep,
                   status: Annotated[str | None, Query(pattern="^(open|received|accepted|closed)$",
                                                       description="open: not closed")] = None,
                   lot: str | None = None, case: str | None = None) -> list[cs.ComplaintView]:
    return office.list_complaints(store, principal, status, lot, case)


@router.post("/complaints", summary="File a complaint on lots (inspector); it is accepted (受理) at once", response_model=cs.ComplaintView,
             status_code=201, responses=keyed(404, 409, 413, 422))
def post_complaint(body: ComplaintRequest, store: StoreDep, principal: PrincipalDep) -> cs.ComplaintView:
    return office.file_complaint(store, principal, body.lots, body.description, body.channel.value, body.by,
                                 body.complainant, body.complaint_id)


@router.get("/complaints/{complaint_id}", summary="One complaint (inspector)", response_model=cs.ComplaintView,
            responses=keyed(404, 422))
def get_complaint(complaint_id: str, store: StoreDep, principal: PrincipalDep) -> cs.ComplaintView:
    return office.get_complaint(store, principal, complaint_id)


@router.post("/complaints/{complaint_id}/acceptance",
             summary="Accept (受理) a received complaint: from now on it counts in the risk ranking (inspector)",
             response_model=cs.ComplaintView, status_code=201, responses=keyed(404, 409, 413, 422))
def post_acceptance(complaint_id: str, store: StoreDep, principal: PrincipalDep,
                    body: AcceptanceRequest | None = None) -> cs.ComplaintView:
    body = body or AcceptanceRequest()
    return office.accept_complaint(store, principal, complaint_id, body.note, body.by)


@router.post("/complaints/{complaint_id}/links", summary="Link a complaint to a recall or an investigation case",
             response_model=cs.ComplaintView, status_code=201, responses=keyed(404, 409, 413, 422))
def post_link(complaint_id: str, body: LinkRequest, store: StoreDep, principal: PrincipalDep) -> cs.ComplaintView:
    return office.link_complaint(store, principal, complaint_id, body.recall_id, body.case, body.by)


@router.post("/complaints/{complaint_id}/closure", summary="Close (办结) a complaint (inspector)",
             response_model=cs.ComplaintView, status_code=201, responses=keyed(404, 409, 413, 422))
def post_closure(complaint_id: str, body: ClosureRequest, store: StoreDep, principal: PrincipalDep) -> cs.ComplaintView:
    return office.close_complaint(store, principal, complaint_id, body.resolution, body.by)
