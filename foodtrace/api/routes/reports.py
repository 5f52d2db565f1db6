"""District statistics over HTTP: the report as JSON (or Markdown, or a Word document or a PDF to
hand on) and the inspectors' HTML page with its charts.

Both are for inspectors, viewers and admins (``services/office.district_statistics``),
by API key or by a signed-in person's session; a browser without either goes to the
sign-in page first.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from foodtrace.api.deps import PrincipalDep, RulesDep, SettingsDep, StoreDep
from foodtrace.api.routes.signin import to_signin
from foodtrace.api.schemas import keyed
from foodtrace.i18n import pick_lang
from foodtrace.render.report import BINARY, Heading, render_report
from foodtrace.services.report import Report
from foodtrace.services.safety.office import district_statistics

router = APIRouter(tags=["reports"])
PAGE = "/reports/district"

First = Annotated[str | None, Query(alias="from", description="First day, e.g. 2025-01-01 (default: 1 January of "
                                                              "the year of `to`)")]
Last = Annotated[str | None, Query(alias="to", description="Last day, e.g. 2025-12-31 (default: today)")]
Tz = Annotated[str | None, Query(description="Time zone of the dates: +08:00, UTC, Asia/Shanghai (default: the "
                                              "server's FOODTRACE_TZ)")]
Lang = Annotated[str | None, Query(pattern="^(zh|en)$", description="Language of Markdown and the page")]


@router.get("/api/v1/reports/district", response_model=Report,
            responses={200: {"content": {"text/markdown": {"schema": {"type": "string"}},
                                         **{m: {"schema": {"type": "string", "format": "binary"}}
                                            for m in BINARY.values()}}}, **keyed(422)},
            summary="District statistics for a period (JSON; Markdown with format=md; a Word document or a PDF "
                    "with format=docx or pdf); inspector")
def district(store: StoreDep, settings: SettingsDep, rules: RulesDep, principal: PrincipalDep, first: First = None,
             last: Last = None, tz: Tz = None, lang: Lang = None,
             format: Literal["json", "md", "docx", "pdf"] = "json"):  # noqa: A002
    report = district_statistics(store, principal, first, last, tz or settings.tz, rules)
    heading = Heading.from_settings(settings)
    if format == "md":
        return PlainTextResponse(render_report(report, "md", lang or settings.lang, heading=heading),
                                 media_type="text/markdown")
    if format in BINARY:
        body = render_report(report, format, lang or settings.lang, heading=heading)
        name = f"district-report-{report.period_from}-{report.period_to}.{format}"
        return Response(body, media_type=BINARY[format], headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return report


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def district_page(request: Request, store: StoreDep, settings: SettingsDep, rules: RulesDep, principal: PrincipalDep,
                  first: First = None, last: Last = None, tz: Tz = None, lang: Lang = None) -> HTMLResponse:
    if principal is None and "text/html" in request.headers.get("accept", ""):
        return to_signin(request)
    lg = pick_lang(lang, request.headers.get("accept-language"), settings.lang)
    report = district_statistics(store, principal, first, last, tz or settings.tz, rules)
    return HTMLResponse(render_report(report, "html", lg, form_action=PAGE, heading=Heading.from_settings(settings)))
