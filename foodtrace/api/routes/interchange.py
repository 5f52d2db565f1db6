"""Interchange: POST /api/v1/epcis/capture, GET /api/v1/lots/{code}/epcis and
GET /api/v1/lots/{code}/fsma.xlsx. Registered before the lots router, whose
``{code:path}`` catch-all would otherwise take these suffixes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from foodtrace.api.deps import PrincipalDep, RulesDep, StoreDep
from foodtrace.api.errors import reader_lang
from foodtrace.api.schemas import keyed
from foodtrace.i18n.epcis_warnings import said
from foodtrace.services.capture.submit import submit_epcis
from foodtrace.services.tracing.lot_reads import lot_as_epcis, lot_as_fsma_xlsx

router = APIRouter(prefix="/api/v1", tags=["interchange"])
CodePath = Annotated[str, Path(description="Trace code, GS1 Digital Link, EPC URN or element string")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EpcisCaptureResult(BaseModel):
    epcis_events: int
    stored: int
    duplicates: int
    event_ids: list[str]
    placeholders: list[str]
    not_traced: list[dict]
    warnings: list[str]
    refused: list[dict] = []


@router.post("/epcis/capture", summary="Capture an EPCIS 2.0 JSON-LD document (all or nothing)",
             response_model=EpcisCaptureResult, status_code=201,
             responses={200: {"model": EpcisCaptureResult, "description": "Exact replay: nothing new stored"},
                        **keyed(409, 413, 422)},
             description="The same access as POST /api/v1/events: an operator key records only as its own "
                         "party, certificates only of the kinds its kind of party may issue, and passes on only "
                         "lots it holds.",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/ld+json": {"schema": {"type": "object"}},
                 "application/json": {"schema": {"type": "object"}}}}})
async def capture_epcis(request: Request, store: StoreDep, principal: PrincipalDep, rules: RulesDep,
                        partial: Annotated[bool, Query(description="store every event that can be stored and "
                                                                   "list the others in `refused`")] = False
                        ) -> JSONResponse:
    raw = await request.body()  # bounded by the app's body-size limit
    res = submit_epcis(store, principal, raw, rules=rules, partial=partial)
    r = res.result
    body = EpcisCaptureResult(epcis_events=res.epcis_events, stored=len(r.stored), duplicates=len(r.duplicates),
                              event_ids=r.stored + r.duplicates, placeholders=r.placeholders,
                              not_traced=res.not_traced, refused=res.refused,
                              warnings=[said(w, reader_lang(request)) for w in res.warnings])
    return JSONResponse(body.model_dump(), status_code=201 if r.stored else 200)


@router.get("/lots/{code:path}/epcis", summary="A lot's trace as an EPCIS 2.0 document",
            responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}}, **keyed(404, 422)})
def get_epcis(code: CodePath, store: StoreDep, principal: PrincipalDep) -> JSONResponse:
    return JSONResponse(lot_as_epcis(store, principal, code), media_type="application/ld+json")


@router.get("/lots/{code:path}/fsma.xlsx", summary="FSMA 204 sortable spreadsheet of the lot",
            responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}},
                       **keyed(404, 422)})
def get_fsma(code: CodePath, store: StoreDep, principal: PrincipalDep) -> Response:
    return Response(lot_as_fsma_xlsx(store, principal, code), media_type=XLSX,
                    headers={"content-disposition": 'attachment; filename="fsma204.xlsx"'})
