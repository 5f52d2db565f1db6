"""The receiving desk (/desk, a signed-in clerk), the inspector console (/console) and its data: GET /api/v1/lots/{code}/graph
(backward + forward trace as a layered graph, its lots grouped by layer and holder, groups opened on
request; each node with its box text in the page's language) and GET /api/v1/lots/{code}/trace.csv
(in the page's language). Inspector or admin key. Registered before
the lots router, whose ``{code:path}`` routes would swallow the suffixes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from foodtrace.api.deps import ActorDep, CodePath, PrincipalDep, SettingsDep, StoreDep
from foodtrace.api.routes.pages import page_lang
from foodtrace.api.routes.signin import person_page
from foodtrace.services.capture.access import Action
from foodtrace.api.schemas import keyed
from foodtrace.i18n import label
from foodtrace.model.vocab import Category, Commodity, Unit
from foodtrace.render.trace_view import NodeText, view_texts
from foodtrace.services.report.period import parse_tz
from foodtrace.services.tracing.graph import require_inspector, trace_graph
from foodtrace.services.tracing.trace_table import trace_csv
from foodtrace.services.tracing.graph_groups import GroupedGraph, group_graph

router = APIRouter()
Lang = Annotated[str | None, Query(pattern="^(zh|en)$")]
GroupIds = Annotated[list[str], Query(max_length=200, description="Ids of groups to open (from an earlier answer)")]
Focus = Annotated[str | None, Query(min_length=1, max_length=256, description="A lot to draw on its own")]


class GraphView(GroupedGraph):
    texts: dict[str, NodeText]


@router.get("/api/v1/lots/{code:path}/graph", tags=["lots"], response_model=GraphView,
            summary="Backward and forward trace as one layered graph, lots grouped by layer and holder; inspector",
            description="Lots of one layer made by one party in one step come as one group; a layer with "
                        "more than 8 nodes folds them again by kind of party. `expand` opens groups by id, "
                        "`focus` draws one lot on its own. `texts` holds each node's box text and description "
                        "in `lang`.", responses=keyed(404, 422))
def get_graph(code: CodePath, store: StoreDep, settings: SettingsDep, actor: ActorDep, lang: Lang = None,
              expand: GroupIds = [], focus: Focus = None) -> GraphView:
    require_inspector(actor, store, code)
    view = group_graph(trace_graph(store, code, settings.trace_limit), [e[:300] for e in expand], focus)
    return GraphView(**view.model_dump(), texts=view_texts(view, lang or settings.lang))


@router.get("/api/v1/lots/{code:path}/trace.csv", tags=["lots"], response_class=Response,
            summary="Backward and forward trace as CSV (one row per lot, in the language asked); inspector",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **keyed(404, 422)})
def get_trace_csv(code: CodePath, store: StoreDep, settings: SettingsDep, actor: ActorDep,
                  lang: Lang = None) -> Response:
    require_inspector(actor, store, code)
    text = trace_csv(store, code, settings.trace_limit, lang or settings.lang, parse_tz(settings.tz))
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in code)[:80]
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="trace-{safe}.csv"'})


@router.get("/console", response_class=HTMLResponse, include_in_schema=False)
def console(request: Request, settings: SettingsDep, principal: PrincipalDep, lang: Lang = None) -> HTMLResponse:
    """The page itself holds no data: it asks the API in the signed-in inspector's session."""
    ctx = page_lang(request, lang, settings.lang)
    return person_page(request, principal, Action.READ_WHOLE_TRACE, "console.html", {**ctx, "units": units(ctx["lang"])})


@router.get("/desk", response_class=HTMLResponse, include_in_schema=False)
def desk(request: Request, settings: SettingsDep, principal: PrincipalDep, lang: Lang = None) -> HTMLResponse:
    """The receiving desk of a market, supermarket or canteen: it checks and
    registers deliveries through the API in the signed-in clerk's session."""
    ctx = page_lang(request, lang, settings.lang)
    products = {c.value: label(c.value, ctx["lang"]) for c in (*Commodity, *Category)}
    return person_page(request, principal, Action.RECEIVE, "desk.html",
                       {**ctx, "units": units(ctx["lang"]), "products": products})


def units(lang: str) -> dict[str, str]:
    """Every unit of quantity with its name in ``lang`` (the pages show quantities with them)."""
    return {u.value: label(u.value, lang) for u in Unit}
