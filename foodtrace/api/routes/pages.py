"""Browser pages: the consumer page behind every QR code (/l/{code})."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ...i18n import label, pick_lang, t
from ...services.consumer import consumer_view
from ..deps import SettingsDep, StoreDep

router = APIRouter(include_in_schema=False)
_templates: Jinja2Templates | None = None


def templates() -> Jinja2Templates:
    global _templates
    if _templates is None:
        _templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
    return _templates


@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/docs")


@router.get("/l/{code:path}", response_class=HTMLResponse)
def consumer_page(code: str, request: Request, store: StoreDep, settings: SettingsDep,
                  lang: str | None = Query(None, pattern="^(zh|en)$")) -> HTMLResponse:
    lg = pick_lang(lang, request.headers.get("accept-language"), settings.lang)
    ctx = consumer_view(store, code)
    ctx.update(lang=lg, t=lambda k: t(k, lg), label=lambda v: label(v, lg))
    return templates().TemplateResponse(request, "consumer.html", ctx)
