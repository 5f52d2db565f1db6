"""Public warnings: the page /warnings and its Atom feed /warnings.atom (no
key, rate-limited), the list as JSON (GET /api/v1/public/warnings) and publishing a
consumption warning (POST /api/v1/warnings, an inspector's or admin's key)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from foodtrace.api.deps import PrincipalDep, SettingsDep, StoreDep
from foodtrace.api.ratelimit import RateLimitDep
from foodtrace.api.routes.pages import LangQuery, page_lang, templates
from foodtrace.api.schemas import errors, keyed
from foodtrace.model.common import Code, Instant, Text
from foodtrace.model.vocab import Commodity
from foodtrace.services.safety.warnings import Notice, public_notices, publish_warning

router = APIRouter()


class NewWarning(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text
    text: Text
    products: list[Commodity] = Field(min_length=1, max_length=50)
    lots: list[Code] = Field(default_factory=list, max_length=1000)
    title_en: Text | None = None
    text_en: Text | None = None
    event_time: Instant | None = Field(None, description="When it is published (default now), with a time zone")
    warning_id: Code | None = None
    by: Code | None = Field(None, description="The publishing office (admin keys only; default the key's party)")


@router.get("/api/v1/public/warnings", tags=["consumers"], response_model=list[Notice], dependencies=[RateLimitDep],
            summary="Consumption warnings and recall notices, newest first (no key; rate-limited)",
            responses=errors(429, 503))
def list_warnings(store: StoreDep) -> list[Notice]:
    return public_notices(store)


@router.post("/api/v1/warnings", tags=["supervision"], response_model=Notice, status_code=201,
             summary="Publish a consumption warning (inspector or admin)", responses=keyed(404, 409, 413, 422))
def post_warning(body: Annotated[NewWarning, Body()], store: StoreDep, principal: PrincipalDep) -> Notice:
    return publish_warning(store, principal, body.title, body.text, [p.value for p in body.products], body.lots,
                           title_en=body.title_en, text_en=body.text_en, at=body.event_time,
                           warning_id=body.warning_id, by=body.by)


@router.get("/warnings", response_class=HTMLResponse, include_in_schema=False, dependencies=[RateLimitDep])
def warnings_page(request: Request, store: StoreDep, settings: SettingsDep,
                  lang: str | None = LangQuery) -> HTMLResponse:
    ctx = page_lang(request, lang, settings.lang, settings.tz)
    ctx.update(notices=public_notices(store))
    return templates().TemplateResponse(request, "warnings.html", ctx)


@router.get("/warnings.atom", include_in_schema=False, dependencies=[RateLimitDep])
def warnings_feed(request: Request, store: StoreDep, settings: SettingsDep, lang: str | None = LangQuery) -> Response:
    ctx = page_lang(request, lang, settings.lang, settings.tz)
    notices = public_notices(store)
    ctx.update(notices=notices, base=settings.public_base_url(),
               updated=max((n.time for n in notices), default=datetime(2000, 1, 1).astimezone()))
    body = templates().get_template("warnings_atom.xml").render(**ctx)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
