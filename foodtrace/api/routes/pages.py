"""Browser pages: the consumer page behind every QR code (/l/{code})."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ...i18n import pick_lang, t
from ...services.consumer import public_view
from ..auth import RateLimitDep
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


@router.get("/l/{code:path}", response_class=HTMLResponse, dependencies=[RateLimitDep])
def consumer_page(code: str, request: Request, store: StoreDep, settings: SettingsDep,
                  lang: str | None = Query(None, pattern="^(zh|en)$")) -> HTMLResponse:
    lg = pick_lang(lang, request.headers.get("accept-language"), settings.lang)
    view = public_view(store, code)
    return templates().TemplateResponse(request, "consumer.html",
                                        {"v": view, "lang": lg, "t": lambda k: t(k, lg),
                                         "lb": lambda x: "?" if x is None else (x.en if lg == "en" else x.zh)})
