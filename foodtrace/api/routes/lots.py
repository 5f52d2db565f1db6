"""Lots and traces: GET /api/v1/lots/{code}[/backward|/forward]."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from foodtrace.api.deps import CodePath, PrincipalDep, SettingsDep, StoreDep, at_once
from foodtrace.api.schemas import keyed
from foodtrace.model.lots import Lot
from foodtrace.services.tracing.lot_reads import TracePage, read_lot, trace_page

router = APIRouter(prefix="/api/v1/lots", tags=["lots"])
LimitQuery = Annotated[int | None, Query(ge=1, le=100_000, description="Most lots on this page (default: all)")]
OffsetQuery = Annotated[int, Query(ge=0, le=100_000, description="Skip this many lots, in (depth, code) order")]
ACCESS = ("An operator key reads only lots its party created or held; inspector and admin keys read every lot. "
          "Pages: lots in (depth, code) order; each page carries the edges into its lots; `next_offset` "
          "starts the next page.")


@router.get("/{code:path}/backward", summary="Backward trace: every ancestor lot", response_model=TracePage,
            description=ACCESS, response_model_by_alias=True, responses=keyed(404, 422))
async def get_backward(code: CodePath, store: StoreDep, settings: SettingsDep, principal: PrincipalDep,
                       limit: LimitQuery = None, offset: OffsetQuery = 0) -> TracePage:
    return await at_once(store, lambda: trace_page(store, principal, code, "backward", offset, limit,
                                                   settings.trace_limit))


@router.get("/{code:path}/forward", summary="Forward trace: every descendant lot and holder",
            response_model=TracePage, description=ACCESS, response_model_by_alias=True, responses=keyed(404, 422))
async def get_forward(code: CodePath, store: StoreDep, settings: SettingsDep, principal: PrincipalDep,
                      limit: LimitQuery = None, offset: OffsetQuery = 0) -> TracePage:
    return await at_once(store, lambda: trace_page(store, principal, code, "forward", offset, limit,
                                                   settings.trace_limit))


@router.get("/{code:path}", summary="One lot", response_model=Lot, description=ACCESS.split(" Pages")[0],
            responses=keyed(404, 422))
async def get_lot(code: CodePath, store: StoreDep, principal: PrincipalDep) -> Lot:
    return await at_once(store, lambda: read_lot(store, principal, code))
