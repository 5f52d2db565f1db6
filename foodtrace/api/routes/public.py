"""The consumer view, no key needed: GET /api/v1/public/lots/{code}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from foodtrace.api.deps import RulesDep, StoreDep, at_once
from foodtrace.api.ratelimit import RateLimitDep
from foodtrace.api.schemas import errors
from foodtrace.services.tracing.consumer import PublicLot, kept_view, ready_view

router = APIRouter(prefix="/api/v1/public", tags=["consumers"])


@router.get("/lots/{code:path}", summary="What a consumer may see of a lot (no key; rate-limited)",
            description="Product, origin farm or base, slaughter or harvest time, the businesses it passed "
                        "through, certificates and tests (pass/fail), recall status. Never quantities, prices, "
                        "document numbers, people's names or contacts.",
            response_model=PublicLot, responses=errors(404, 422, 429, 503), dependencies=[RateLimitDep])
async def get_public_lot(code: Annotated[str, Path(description="Trace code, receipt code or the QR link")],
                         store: StoreDep, rules: RulesDep) -> Response:
    # the view's JSON as kept (a PublicLot, documented by response_model), not re-serialized per scan; a kept
    # view is answered on the event loop, and one is built there when the store can answer at once
    # (GraphStore.answer_now), else in a worker thread
    ready = kept_view(store, code, rules) or await at_once(store, lambda: ready_view(store, code, rules))
    return Response(ready.json, media_type="application/json")
