"""Probes and metrics for operators: GET /healthz (the process answers),
GET /readyz (the store answers and the lineage has caught up; 503 with a
reason otherwise), GET /metrics (Prometheus text; loopback, or a key).

Cheap, unauthenticated (except /metrics off loopback), never rate-limited,
never showing internals (no paths, no exception texts)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from foodtrace.services.admin.health import check_metrics_access, readiness
from foodtrace.api.deps import SettingsDep

router = APIRouter(include_in_schema=False)  # operations, not the API: described in docs/operations.md


@router.get("/healthz")
async def healthz() -> dict:
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request, settings: SettingsDep) -> dict:
    """Readiness: 503 with error.details[0].reason store_timeout, store_unavailable or lineage_behind."""
    timeout = min(settings.ready_timeout_s, settings.store_timeout_s)
    st = await run_in_threadpool(readiness, request.app.state.prober, timeout)
    return {"status": "ready", "log_seq": st.log_seq}


@router.get("/metrics", response_class=Response)
async def metrics(request: Request, settings: SettingsDep) -> Response:
    """Prometheus text: loopback clients, or Authorization: Bearer <FOODTRACE_METRICS_KEY>."""
    check_metrics_access(request.client.host if request.client else None, request.headers.get("authorization"),
                         settings.metrics_key.get_secret_value())
    body = await run_in_threadpool(generate_latest, request.app.state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
