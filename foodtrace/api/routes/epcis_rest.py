"""The EPCIS 2.0 REST binding under ``/epcis`` (GS1's OpenAPI document of the binding): capture with
capture jobs, events and their standard query parameters, the top-level resources, named queries;
subscriptions and deleting a page token answer 501. The same API keys, roles and reads as
``/api/v1``. Every answer carries ``GS1-EPCIS-Version``, ``GS1-CBV-Version`` and ``GS1-Extensions``."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from foodtrace.api.deps import PrincipalDep, RulesDep, StoreDep
from foodtrace.api.errors import reader_lang
from foodtrace.api.sessions import people
from foodtrace.errors import NotAcceptable, NotFound, NotImplementedHere
from foodtrace.i18n.keyed import keyed
from foodtrace.ingest.safe_json import loads
from foodtrace.services.capture.access import Action, require
from foodtrace.services.capture.epcis_jobs import CaptureJobs, capture_event
from foodtrace.services.tracing.epcis_query import decode_token, event_by_id, parse_query, query_document, run_query
from foodtrace.services.tracing.epcis_resources import FILTER_OF, NamedQueries, collection, resource_query

GS1_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0", "GS1-Extensions": "ft=urn:foodtrace:epcis:",
               "GS1-EPCIS-Min": "2.0.0", "GS1-EPCIS-Max": "2.0.1", "GS1-CBV-Min": "2.0.0", "GS1-CBV-Max": "2.0.0"}
SPOKEN = ("2.0", "2.0.0", "2.0.1")
TOP = ["capture", "events", "eventTypes", "epcs", "bizSteps", "bizLocations", "readPoints", "dispositions", "queries"]
NOT_OFFERED = "subscriptions are not offered by this server (yet): query /epcis/queries/{queryName}/events instead"


def epcis_version(version: Annotated[str | None, Header(alias="GS1-EPCIS-Version")] = None) -> None:
    """406 when the client asks for an EPCIS version this server does not speak."""
    if version is not None and version.strip() not in SPOKEN:
        raise keyed(NotAcceptable, "epcis_version", epcis="EPCIS", spoken=", ".join(SPOKEN[1:]), version=version[:20])


# Described by GS1's OpenAPI document of the binding, not by /openapi.json (tests/e2e/test_epcis_conformance.py).
router = APIRouter(prefix="/epcis", tags=["EPCIS 2.0 REST binding"], dependencies=[Depends(epcis_version)],
                   include_in_schema=False)


def _jobs(request: Request) -> CaptureJobs:
    state = request.app.state
    if getattr(state, "epcis_jobs", None) is None:
        state.epcis_jobs = CaptureJobs(people(request).db)  # the server's database: every worker's jobs
    return state.epcis_jobs


def _queries(request: Request) -> NamedQueries:
    state = request.app.state
    if getattr(state, "epcis_queries", None) is None:
        state.epcis_queries = NamedQueries(people(request).db)
    return state.epcis_queries


def _params(request: Request, drop: tuple[str, ...] = ()) -> dict[str, str]:
    qp = request.query_params
    return {k: "|".join(qp.getlist(k)) for k in qp.keys() if k not in drop}


def _json(request: Request, body, status: int = 200, headers: dict | None = None, ld: bool = False) -> JSONResponse:
    accept = request.headers.get("accept", "")
    media = "application/ld+json" if ld and "application/ld+json" in accept else "application/json"
    return JSONResponse(body, status_code=status, media_type=media, headers={**GS1_HEADERS, **(headers or {})})


def _next(request: Request, token: str | None) -> dict:
    if token is None:
        return {}
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "nextPageToken"] + [("nextPageToken", token)]
    return {"Link": f'<{request.url.path}?{urlencode(params)}>; rel="next"'}


def _events(request: Request, page, name: str = "SimpleEventQuery") -> JSONResponse:
    return _json(request, query_document(page.events, name), headers=_next(request, page.next_token), ld=True)


# -- discovery ---------------------------------------------------------------------------------


@router.options("/{rest:path}", summary="Discovery: the methods and EPCIS/CBV versions of a resource",
                status_code=204, include_in_schema=False)
def options(rest: str) -> Response:
    parts = [p for p in rest.split("/") if p]
    allow = "OPTIONS, GET"
    if parts in (["capture"], ["events"], ["queries"]) or parts[-1:] == ["subscriptions"]:
        allow += ", POST"
    if parts[:1] == ["queries"] and len(parts) in (2, 4) or parts[:1] == ["nextPageToken"]:
        allow += ", DELETE"
    return Response(status_code=204, headers={**GS1_HEADERS, "Allow": allow})


@router.get("/", summary="The top-level resources of this EPCIS repository")
def root(request: Request, principal: PrincipalDep) -> JSONResponse:
    require(principal, Action.READ_LOT)
    return _json(request, TOP)


# -- capture -----------------------------------------------------------------------------------


@router.post("/capture", status_code=202, summary="Capture an EPCIS document (a capture job; Location names it)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/ld+json": {"schema": {"type": "object"}},
                 "application/json": {"schema": {"type": "object"}}}}})
async def capture(request: Request, store: StoreDep, principal: PrincipalDep, rules: RulesDep,
                  partial: Annotated[bool, Query(description="store every event that can be stored")] = False,
                  behaviour: Annotated[str | None, Header(alias="GS1-Capture-Error-Behaviour")] = None) -> Response:
    raw = await request.body()  # bounded by the app's body-size limit
    job = _jobs(request).capture(store, principal, raw, behaviour=behaviour, partial=partial, rules=rules)
    return Response(status_code=202, headers={**GS1_HEADERS, "Location": f"/epcis/capture/{job['captureID']}",
                                              "GS1-Capture-Error-Behaviour": job["captureErrorBehaviour"]})


@router.get("/capture", summary="The caller's capture jobs")
def capture_jobs(request: Request, principal: PrincipalDep) -> JSONResponse:
    return _json(request, _jobs(request).list(principal, reader_lang(request)))


@router.get("/capture/{captureID}", summary="A capture job: running, success, errors")
def capture_job(request: Request, principal: PrincipalDep, captureID: Annotated[str, Path(max_length=100)]) -> JSONResponse:
    return _json(request, _jobs(request).get(principal, captureID, reader_lang(request)))


# -- events ------------------------------------------------------------------------------------


@router.get("/events", summary="Events answering the standard query parameters, paged by nextPageToken")
def events(request: Request, store: StoreDep, principal: PrincipalDep) -> JSONResponse:
    return _events(request, run_query(store, principal, parse_query(_params(request))))


@router.post("/events", status_code=201, summary="Capture one EPCIS event",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/ld+json": {"schema": {"type": "object"}},
                 "application/json": {"schema": {"type": "object"}}}}})
async def capture_one(request: Request, store: StoreDep, principal: PrincipalDep, rules: RulesDep) -> Response:
    eid = capture_event(store, principal, await request.body(), rules=rules)
    return Response(status_code=201, headers={**GS1_HEADERS, "Location": f"/epcis/events/{quote(eid, safe='')}"})


@router.get("/events/{eventID:path}", summary="One event by its eventID")
def event(request: Request, store: StoreDep, principal: PrincipalDep, eventID: str) -> JSONResponse:
    found = event_by_id(store, principal, eventID)
    if found is None:
        raise keyed(NotFound, "epcis_no_event_here", event=eventID[:200])
    return _json(request, found, ld=True)


# -- top-level resources -----------------------------------------------------------------------


def _resource_routes(kind: str) -> None:
    @router.get(f"/{kind}", summary=f"The {kind} known to this repository", name=f"list_{kind}")
    def listing(request: Request, store: StoreDep, principal: PrincipalDep) -> JSONResponse:
        params = _params(request)
        after = decode_token(params["nextPageToken"]) if "nextPageToken" in params else 0
        q = parse_query({k: v for k, v in params.items() if k in ("perPage", "nextPageToken")})
        names, token = collection(store, principal, kind, after, q.per_page)
        return _json(request, names, headers=_next(request, token))

    @router.get(f"/{kind}/{{name:path}}/events", summary=f"Events of one of the {kind}", name=f"events_of_{kind}")
    def events_of(request: Request, store: StoreDep, principal: PrincipalDep, name: str) -> JSONResponse:
        return _events(request, run_query(store, principal, resource_query(kind, name, _params(request))))

    @router.get(f"/{kind}/{{name:path}}", summary=f"One of the {kind}: its sub-resources", name=f"one_of_{kind}")
    def one(request: Request, principal: PrincipalDep, name: str) -> JSONResponse:
        resource_query(kind, name, {})  # 404 for an unknown event type, business step or disposition
        require(principal, Action.READ_LOT)
        return _json(request, ["events"])


for _kind in FILTER_OF:
    _resource_routes(_kind)


# -- named queries and subscriptions -----------------------------------------------------------


@router.get("/queries", summary="The caller's named queries")
def queries(request: Request, principal: PrincipalDep) -> JSONResponse:
    return _json(request, [q.as_json() for q in _queries(request).list(principal)])


@router.post("/queries", status_code=201, summary="Create a named query",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"type": "object", "required": ["name", "query"]}}}}})
async def create_query(request: Request, principal: PrincipalDep) -> Response:
    made = _queries(request).create(principal, loads(await request.body()))
    return Response(status_code=201, headers={**GS1_HEADERS, "Location": f"/epcis/queries/{made.name}"})


@router.get("/queries/{queryName}", summary="A named query's definition")
def get_query(request: Request, principal: PrincipalDep, queryName: str) -> JSONResponse:
    return _json(request, _queries(request).get(principal, queryName).as_json())


@router.delete("/queries/{queryName}", status_code=204, summary="Delete a named query")
def delete_query(request: Request, principal: PrincipalDep, queryName: str) -> Response:
    _queries(request).delete(principal, queryName)
    return Response(status_code=204, headers=GS1_HEADERS)


@router.get("/queries/{queryName}/events", summary="Run a named query")
def run_named(request: Request, store: StoreDep, principal: PrincipalDep, queryName: str) -> JSONResponse:
    q = _queries(request).query(principal, queryName, _params(request))
    return _events(request, run_query(store, principal, q), queryName)


@router.api_route("/queries/{queryName}/subscriptions", methods=["GET", "POST"], status_code=501,
                  summary="Subscriptions: not offered (501)")
@router.api_route("/queries/{queryName}/subscriptions/{subscriptionID}", methods=["GET", "DELETE"],
                  status_code=501, summary="Subscriptions: not offered (501)")
def subscriptions(queryName: str) -> Response:
    raise keyed(NotImplementedHere, "epcis_no_subscriptions", path="/epcis/queries/{queryName}/events")


@router.delete("/nextPageToken/{token}", status_code=501, summary="Invalidate a page token: not offered (501)")
def delete_token(token: str) -> Response:
    raise keyed(NotImplementedHere, "epcis_tokens_stay")
