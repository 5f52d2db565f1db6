"""Capture: POST /api/v1/events."""

from __future__ import annotations

import json
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ...errors import InvalidInput, TooLarge, detail
from ...ingest.capture import capture
from ..deps import SettingsDep, StoreDep
from ..schemas import CaptureResult, errors

router = APIRouter(prefix="/api/v1", tags=["capture"])


@router.post(
    "/events",
    summary="Capture a batch of events (all or nothing)",
    response_model=CaptureResult,
    status_code=201,
    responses={200: {"model": CaptureResult, "description": "Exact replay: nothing new stored"},
               **errors(409, 413, 422, 503)},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "array", "description": "A batch of events (see the event types in the README)",
        "items": {"type": "object"}}}}}},
)
async def post_events(request: Request, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    raw = await request.body()
    if len(raw) > settings.max_request_bytes:
        raise TooLarge(f"request body over {settings.max_request_bytes} bytes")
    try:
        batch = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput("malformed JSON", [detail(None, None, str(exc))]) from exc
    if not isinstance(batch, list):
        raise InvalidInput("a batch must be a JSON array of events", [detail(None, None, "expected an array")])
    if len(batch) > settings.max_batch_events:
        raise TooLarge(f"a batch may hold at most {settings.max_batch_events} events")
    res = capture(store, batch)
    body = CaptureResult(stored=len(res.stored), duplicates=len(res.duplicates),
                         event_ids=res.stored + res.duplicates, placeholders=res.placeholders)
    return JSONResponse(body.model_dump(), status_code=201 if res.stored else 200)
