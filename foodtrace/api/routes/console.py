"""The receiving desk (/desk, a signed-in clerk), the inspector console (/console) and its data: GET /api/v1/lots/{code}/graph
(backward + forward trace as a layered graph with a server-drawn SVG) and
GET /api/v1/lots/{code}/trace.csv. Inspector or admin key. Registered before
the lots router, whose ``{code:path}`` routes would swallow the suffixes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from foodtrace.api.deps import ActorDep, CodePath, PrincipalDep, SettingsDep, StoreDep
from foodtrace.api.routes.pages import page_lang, templates
from foodtrace.api.routes.signin import person_page
from foodtrace.services.capture.access import Action
from foodtrace.api.schemas import keyed
from foodtrace.render.graph_svg import graph_svg
from foodtrace.services.tracing.graph import TraceGraph, require_inspector, trace_csv, trace_graph

router = APIRouter()


class GraphView(TraceGraph):
    svg: str


@router.get("/api/v1/lots/{code:path}/graph", tags=["lots"], response_model=GraphView,
            summary="Backward and forward trace as one layered graph, with an SVG drawing; inspector",
            responses=keyed(404, 422))
def get_graph(code: CodePath, store: StoreDep, settings: SettingsDep, actor: ActorDep,
              lang: Annotated[str | None, Query(pattern="^(zh|en)$")] = None) -> GraphView:
    require_inspector(actor, store, code)
    g = trace_graph(store, code, settings.trace_limit)
    return GraphView(**g.model_dump(), svg=graph_svg(g, lang or settings.lang))


@router.get("/api/v1/lots/{code:path}/trace.csv", tags=["lots"], response_class=Response,
            summary="Backward and forward trace as CSV (one row per lot); inspector",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **keyed(404, 422)})
def get_trace_csv(code: CodePath, store: StoreDep, settings: SettingsDep, actor: ActorDep) -> Response:
    require_inspector(actor, store, code)
    text = trace_csv(store, code, settings.trace_limit)
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in code)[:80]
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="trace-{safe}.csv"'})


@router.get("/console", response_class=HTMLResponse, include_in_schema=False)
def console(request: Request, settings: SettingsDep, principal: PrincipalDep,
            lang: Annotated[str | None, Query(pattern="^(zh|en)$")] = None) -> HTMLResponse:
    """The page itself holds no data: it asks the API in the signed-in inspector's session."""
    return person_page(request, principal, Action.READ_WHOLE_TRACE, "console.html", page_lang(request, lang, settings.lang))


@router.get("/desk", response_class=HTMLResponse, include_in_schema=False)
def desk(request: Request, settings: SettingsDep, principal: PrincipalDep,
         lang: Annotated[str | None, Query(pattern="^(zh|en)$")] = None) -> HTMLResponse:
    """The receiving desk of a market, supermarket or canteen: it checks and
    registers deliveries through the API in the signed-in clerk's session."""
    return person_page(request, principal, Action.RECEIVE, "desk.html", page_lang(request, lang, settings.lang))
