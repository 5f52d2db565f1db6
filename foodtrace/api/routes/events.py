"""Capture: POST /api/v1/events."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from foodtrace.api.deps import PrincipalDep, RulesDep, SettingsDep, StoreDep
from foodtrace.api.schemas import CaptureResult, keyed
from foodtrace.services.capture.submit import submit_events

router = APIRouter(prefix="/api/v1", tags=["capture"])


@router.post(
    "/events",
    summary="Capture a batch of events (all or nothing)",
    description="An operator key writes only events in which its own party acts (`party`) or receives "
                "(`to_party` of a handoff); an admin key writes for any party. Party registrations need an admin "
                "key; API-key events are refused (use /api/v1/keys).",
    response_model=CaptureResult,
    status_code=201,
    responses={200: {"model": CaptureResult, "description": "Exact replay: nothing new stored"},
               **keyed(409, 413, 422)},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "array", "description": "A batch of events (see the event types in docs/http-api.md)",
        "items": {"$ref": "#/components/schemas/Event"}}}}}},
)
async def post_events(request: Request, store: StoreDep, settings: SettingsDep, principal: PrincipalDep,
                      rules: RulesDep) -> JSONResponse:
    raw = await request.body()  # bounded by the app's body-size limit
    res = submit_events(store, principal, raw, max_events=settings.max_batch_events, rules=rules)
    body = CaptureResult(stored=len(res.stored), duplicates=len(res.duplicates),
                         event_ids=res.stored + res.duplicates, placeholders=res.placeholders)
    return JSONResponse(body.model_dump(), status_code=201 if res.stored else 200)
