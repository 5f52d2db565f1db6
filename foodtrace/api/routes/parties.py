"""The party register: POST /api/v1/parties, GET /api/v1/parties/{id}, GET /api/v1/search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from foodtrace.api.deps import PrincipalDep, StoreDep
from foodtrace.api.schemas import keyed
from foodtrace.model.parties import Party
from foodtrace.services.admin.parties import read_party, register_party
from foodtrace.services.tracing.lot_reads import SearchResult, search

router = APIRouter(prefix="/api/v1", tags=["parties"])


@router.post("/parties", summary="Register a party (主体备案); admin key", response_model=Party, status_code=201,
             description="Records a party_registration. A later registration of the same id replaces the earlier "
                         "one (answered 200).",
             responses={200: {"model": Party, "description": "The id was registered before; replaced"},
                        **keyed(413, 422)})
def post_party(body: Party, store: StoreDep, principal: PrincipalDep) -> JSONResponse:
    party, new = register_party(store, principal, body)
    return JSONResponse(party.model_dump(mode="json"), status_code=201 if new else 200)


@router.get("/parties/{party_id}", summary="One registered party", response_model=Party,
            description="An operator key reads only its own party.", responses=keyed(404, 422))
def get_party(party_id: Annotated[str, Path(description="The party's id")], store: StoreDep,
              principal: PrincipalDep) -> Party:
    return read_party(store, principal, party_id)


@router.get("/search", summary="Search lots (by trace code or name) and parties (by id or name)",
            description="Case-insensitive substring match; inspector and admin keys.", response_model=SearchResult,
            responses=keyed(422))
def get_search(store: StoreDep, principal: PrincipalDep,
               q: Annotated[str, Query(min_length=1, max_length=200, description="Text to look for")],
               limit: Annotated[int, Query(ge=1, le=200, description="Most lots and most parties")] = 20) -> SearchResult:
    return search(store, principal, q, limit)
