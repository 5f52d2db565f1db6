"""Market entry (市场准入): POST /api/v1/receipts."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from foodtrace.api.deps import PrincipalDep, RulesDep, StoreDep
from foodtrace.api.schemas import keyed
from foodtrace.services.safety.receiving import Decision, EntryRequest, receive

router = APIRouter(prefix="/api/v1", tags=["receiving"])


@router.post(
    "/receipts",
    summary="Register an incoming lot: accept or reject, with every reason",
    description="The receiver (a market, supermarket or canteen — this key's party for an operator key) presents "
                "the supplier's trace code or QR link, the quantity and the delivery document. Checks: the lot "
                "exists and is confirmed, the supplier held it and still holds the quantity, and every rule of "
                "the market-entry gate (GET /api/v1/entry/{code}: certificates, tests, withdrawal, designated "
                "slaughter, recalls…). An accept records the handoff with a new receipt code for the receiver; a reject "
                "records the refusal. Both answer 201; a retry with the same `event_id` answers 200.",
    response_model=Decision,
    status_code=201,
    responses={200: {"model": Decision, "description": "A retry: the decision recorded before"}, **keyed(409, 413, 422)},
)
def post_receipt(body: EntryRequest, store: StoreDep, principal: PrincipalDep, rules: RulesDep) -> JSONResponse:
    decision = receive(store, principal, body, rules)
    return JSONResponse(decision.model_dump(mode="json"), status_code=200 if decision.replayed else 201)
