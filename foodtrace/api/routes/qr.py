"""QR codes: GET /api/v1/lots/{code}/qr.svg|.png, and the printable label
sheet GET /labels?codes=a,b,c. Registered before the lots router, whose
``{code:path}`` routes would otherwise swallow the ``/qr.svg`` suffix."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from foodtrace.api.deps import CodePath, PrincipalDep, RulesDep, SettingsDep, StoreDep
from foodtrace.api.schemas import keyed
from foodtrace.i18n import pick_lang
from foodtrace.render.labels import render_label_sheet
from foodtrace.services.tracing.lot_reads import read_lot
from foodtrace.services.tracing.qr import qr_image, qr_url
from foodtrace.services.tracing.qr import label_sheet
from foodtrace.services.tracing.printing import printable_sheet
from foodtrace.api.ratelimit import RateLimitDep

router = APIRouter()
MEDIA = {"png": "image/png", "svg": "image/svg+xml"}


@router.get("/api/v1/lots/{code:path}/qr.{fmt}", tags=["lots"], summary="The lot's QR code (PNG or SVG)",
            response_class=Response,
            responses={200: {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}},
                                         "image/svg+xml": {"schema": {"type": "string"}}}},
                       **keyed(404, 422)})
def get_qr(code: CodePath, fmt: Annotated[str, Path(pattern="^(png|svg)$")], store: StoreDep,
           settings: SettingsDep, principal: PrincipalDep) -> Response:
    """For a key that may read the lot (a retailer printing its labels, an inspector)."""
    code = read_lot(store, principal, code).code
    url = qr_url(store, code, settings.public_base_url())
    return Response(qr_image(url, fmt), media_type=MEDIA[fmt], headers={"X-Foodtrace-URL": url})


@router.get("/labels", response_class=HTMLResponse, include_in_schema=False, dependencies=[RateLimitDep])
def get_label_sheet(request: Request, store: StoreDep, settings: SettingsDep, principal: PrincipalDep, rules: RulesDep,
                    codes: str = Query(..., max_length=20_000, description="Comma-separated trace codes"),
                    lang: str | None = Query(None, pattern="^(zh|en)$")) -> HTMLResponse:
    """A few labels without a key (public fields only, rate-limited); more, with names and dates, with one.
    Recalled or non-compliant lots are listed instead of labelled; nothing prints when the base URL is one
    no phone can open (``services.tracing.printing``)."""
    lg = pick_lang(lang, request.headers.get("accept-language"), settings.lang)
    base = settings.public_base_url()
    items = label_sheet(store, principal, codes.split(","), base)
    return HTMLResponse(render_label_sheet(printable_sheet(store, items, base, rules), lg))
