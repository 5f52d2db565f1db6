"""Lots and traces: GET /api/v1/lots/{code}[/backward|/forward]."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from ...model.lots import Lot
from ...services.identifiers import resolve
from ...services.tracing import Trace, backward_trace, forward_trace
from ..deps import SettingsDep, StoreDep
from ..schemas import errors

router = APIRouter(prefix="/api/v1/lots", tags=["lots"])
CodePath = Annotated[str, Path(description="Trace code, receipt code, or a GS1 Digital Link / short link")]
LimitQuery = Annotated[int | None, Query(ge=1, description="Most lots to return")]


@router.get("/{code:path}/backward", summary="Backward trace: every ancestor lot", response_model=Trace,
            response_model_by_alias=True, responses=errors(404, 503))
def get_backward(code: CodePath, store: StoreDep, settings: SettingsDep, limit: LimitQuery = None) -> Trace:
    return backward_trace(store, code, min(limit or settings.trace_limit, settings.trace_limit))


@router.get("/{code:path}/forward", summary="Forward trace: every descendant lot and holder", response_model=Trace,
            response_model_by_alias=True, responses=errors(404, 503))
def get_forward(code: CodePath, store: StoreDep, settings: SettingsDep, limit: LimitQuery = None) -> Trace:
    return forward_trace(store, code, min(limit or settings.trace_limit, settings.trace_limit))


@router.get("/{code:path}", summary="One lot", response_model=Lot, responses=errors(404, 503))
def get_lot(code: CodePath, store: StoreDep) -> Lot:
    return resolve(store, code)
