"""Ledgers (台账) over HTTP: POST /api/v1/ledgers (an .xlsx workbook or a CSV file, UTF-8 or
GB18030/GBK, all or nothing; ``dry_run`` checks without storing), GET
/api/v1/public/templates/{kind}.xlsx (the ready-to-fill workbooks, no key, rate-limited), and the
small business's phone form /stall with its API: POST /api/v1/stall/purchases, POST
/api/v1/stall/sales, GET /api/v1/stall/ledger(.xlsx)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

from foodtrace.api.deps import PrincipalDep, RulesDep, SettingsDep, StoreDep
from foodtrace.api.routes.pages import page_lang
from foodtrace.api.routes.signin import person_page
from foodtrace.api.ratelimit import RateLimitDep
from foodtrace.api.schemas import errors, keyed
from foodtrace.i18n import pick_lang
from foodtrace.ingest.ledger_book import template_workbook
from foodtrace.services.capture import stall
from foodtrace.services.capture.access import Action, require
from foodtrace.services.capture.imports import import_spreadsheet_as
from foodtrace.services.safety.receiving import Decision

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Kind = Literal["purchase", "sales", "tests", "compliance", "settlement"]
LangQ = Annotated[str | None, Query(pattern="^(zh|en)$")]


class LedgerImport(BaseModel):
    dry_run: bool
    stored: int
    duplicates: int
    event_ids: list[str]
    placeholders: list[str]
    ledgers: dict[str, int]
    conversions: list[dict]


@router.post("/api/v1/ledgers", tags=["capture"], response_model=LedgerImport, status_code=201,
             summary="Import a ledger spreadsheet (.xlsx or CSV in UTF-8 or GB18030/GBK), all or nothing",
             description="The body is the file. Sheets are read as the ledger they are named after or whose "
                         "header they have (purchase 进货台账, sales 销售台账, tests 快检记录, compliance 合格证开具, "
                         "settlement 结算记录), or in the CSV layouts with a `type` column. Times without a time "
                         "zone are in the district's (FOODTRACE_TZ). Errors name sheet, row and column "
                         "(`position` is the row, `field` `sheet!column`), in `lang`. The same access as "
                         "POST /api/v1/events.", responses=keyed(409, 413, 422),
             openapi_extra={"requestBody": {"required": True, "content": {
                 XLSX: {"schema": {"type": "string", "format": "binary"}},
                 "text/csv": {"schema": {"type": "string"}}}}})
async def import_ledger(request: Request, store: StoreDep, settings: SettingsDep, principal: PrincipalDep,
                        rules: RulesDep, dry_run: bool = False, ledger: Kind | None = None,
                        name: Annotated[str, Query(max_length=200)] = "", lang: LangQ = None) -> JSONResponse:
    who = require(principal, Action.CAPTURE)
    data = await request.body()  # bounded by the app's body-size limit
    lg = pick_lang(lang, request.headers.get("accept-language"), settings.lang)
    rep = import_spreadsheet_as(store, who, data, name, tz=settings.tz, lang=lg, ledger=ledger, dry_run=dry_run,
                                rules=rules)
    res = rep.result
    body = LedgerImport(dry_run=dry_run, stored=len(res.stored), duplicates=len(res.duplicates),
                        event_ids=res.stored + res.duplicates, placeholders=res.placeholders, ledgers=rep.ledgers,
                        conversions=rep.conversions)
    return JSONResponse(body.model_dump(), status_code=201 if res.stored and not dry_run else 200)


@router.get("/api/v1/public/templates/{kind}.xlsx", tags=["capture"], response_class=Response,
            summary="A ready-to-fill ledger workbook (no key; rate-limited)", dependencies=[RateLimitDep],
            responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}},
                       **errors(422, 429, 503)})
def get_template(kind: Kind, request: Request, settings: SettingsDep, lang: LangQ = None) -> Response:
    lg = pick_lang(lang, request.headers.get("accept-language"), settings.lang)
    return Response(template_workbook(kind, lg), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{kind}.xlsx"'})


@router.post("/api/v1/stall/purchases", tags=["receiving"], response_model=Decision, status_code=201,
             summary="A small business records a purchase by the supplier's code (the entry gate)",
             responses=keyed(404, 409, 413, 422))
def post_purchase(body: stall.Purchase, store: StoreDep, principal: PrincipalDep, rules: RulesDep) -> Decision:
    return stall.record_purchase(store, principal, body, rules)


class Recorded(BaseModel):
    event_id: str


@router.post("/api/v1/stall/sales", tags=["capture"], response_model=Recorded, status_code=201,
             summary="A small business records a day's sales of one lot", responses=keyed(404, 409, 413, 422))
def post_sales(body: stall.DaySales, store: StoreDep, settings: SettingsDep, principal: PrincipalDep,
               rules: RulesDep) -> Recorded:
    return Recorded(event_id=stall.record_day_sales(store, principal, body, settings.tz, rules))


_DAY = r"^(19[7-9][0-9]|2[01][0-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
Day = Annotated[str | None, Query(alias="from", pattern=_DAY, description="First day, e.g. 2025-03-01")]
DayTo = Annotated[str | None, Query(alias="to", pattern=_DAY, description="Last day (default: today)")]


@router.get("/api/v1/stall/ledger", tags=["capture"], response_model=list[stall.LedgerRow],
            summary="The caller's own purchases and sales between two days (both included)", responses=keyed(422))
def get_ledger(store: StoreDep, settings: SettingsDep, principal: PrincipalDep, first: Day = None,
               last: DayTo = None) -> list[stall.LedgerRow]:
    return stall.own_ledger(store, principal, first, last, settings.tz)


@router.get("/api/v1/stall/ledger.xlsx", tags=["capture"], response_class=Response,
            summary="The caller's own ledger as a workbook (进货查验记录 and sales)",
            responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}, **keyed(422)})
def get_ledger_xlsx(request: Request, store: StoreDep, settings: SettingsDep, principal: PrincipalDep,
                    first: Day = None, last: DayTo = None, lang: LangQ = None) -> Response:
    rows = stall.own_ledger(store, principal, first, last, settings.tz)
    lg = pick_lang(lang, request.headers.get("accept-language"), settings.lang)
    return Response(stall.ledger_xlsx(rows, lg), media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="ledger.xlsx"'})


@router.get("/stall", response_class=HTMLResponse, include_in_schema=False)
def stall_page(request: Request, settings: SettingsDep, principal: PrincipalDep, lang: LangQ = None) -> Response:
    """The phone form of a stall, shop or workshop, a page of a signed-in person (the sign-in page
    first without a session); it holds no data and asks the API in the session (``static/session.js``)."""
    return person_page(request, principal, Action.CAPTURE, "stall.html", page_lang(request, lang, settings.lang))
