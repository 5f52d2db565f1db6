"""Browser pages: the consumer page behind every QR code (/l/{code} and the
GS1 Digital Link /01/{gtin}/10/{lot}), the look-up box (/l?code=…) and the
"report a problem" form (POST /complaint/{code}, then a thank-you page that
can be reloaded: POST, redirect, GET)."""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs, quote
from weakref import WeakKeyDictionary
import zlib

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from foodtrace.api.deps import RulesDep, SettingsDep, StoreDep, at_once
from foodtrace.api.filed_page import TEMPLATES, packed, unpacked
from foodtrace.api.forms import ComplaintGuard
from foodtrace.api.ratelimit import RateLimitDep
from foodtrace.errors import CrossSite, FoodtraceError, FormToken, InvalidInput, RateLimited
from foodtrace.i18n import label, pick_lang, t
from foodtrace.services.report.period import parse_tz
from foodtrace.services.tracing.consumer import PublicLot, ReadyView, consumer_complaint, kept_view, public_view
from foodtrace.services.tracing.identifiers import resolve

log = logging.getLogger("foodtrace.api")
router = APIRouter(include_in_schema=False)
_templates: Jinja2Templates | None = None
LangQuery = Query(None, pattern="^(zh|en)$")


def templates() -> Jinja2Templates:
    global _templates
    if _templates is None:
        _templates = Jinja2Templates(directory=str(TEMPLATES))
    return _templates


_ZONES: dict = {}  # FOODTRACE_TZ -> its zone (one setting per app: a handful at most)


def page_lang(request: Request, lang: str | None, default: str, tz: str = "+08:00") -> dict:
    """The language of a page and its text helpers, for templates; ``local(time)`` shows a time in
    the district's zone (``FOODTRACE_TZ``) without its offset."""
    lg = pick_lang(lang, request.headers.get("accept-language"), default)
    zone = _ZONES.get(tz) or _ZONES.setdefault(tz, parse_tz(tz))
    return {"lang": lg, "t": lambda k: t(k, lg), "label": lambda v: label(v, lg),
            "local": lambda when, fmt="%Y-%m-%d %H:%M": when.astimezone(zone).strftime(fmt)}


async def form_fields(request: Request) -> dict[str, str]:
    """An urlencoded form body (no python-multipart needed)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/docs")


@router.get("/l", response_class=HTMLResponse)
def look_up(code: str = Query("", max_length=500), lang: str | None = LangQuery) -> RedirectResponse:
    """The look-up box of the error pages: to the consumer page of the code typed."""
    code = code.strip()
    suffix = f"?lang={lang}" if lang else ""
    return RedirectResponse(f"/l/{quote(code, safe='')}{suffix}" if code else f"/l/-{suffix}", status_code=303)


def _consumer(request: Request, store, settings, rules, code: str, lang: str | None, status: int = 200,
              form_error: str | None = None, form: dict | None = None,
              headers: dict[str, str] | None = None, view: PublicLot | None = None,
              form_field: str | None = None) -> HTMLResponse:
    """The consumer page; ``form_error`` is the text key of why the report form came back, ``form_field``
    the field it is about (marked on the form); ``view``: the lot's view when the caller has it already."""
    ctx = page_lang(request, lang, settings.lang, settings.tz)
    lg = ctx["lang"]
    v = view or public_view(store, code, rules)
    ctx.update(v=v, lb=lambda x: "?" if x is None else (x.en if lg == "en" else x.zh),
               form_error=form_error, form_field=form_field, form=form or {},
               action=f"/complaint/{quote(code, safe='')}",
               csrf_token=complaint_guard(request).tokens.issue(v.code))
    return templates().TemplateResponse(request, "consumer.html", ctx, status_code=status, headers=headers)


def complaint_guard(request: Request) -> ComplaintGuard:
    return request.app.state.complaint_guard


def _refusal_text(exc: FoodtraceError) -> str:
    if isinstance(exc, CrossSite):
        return "report_cross_site"
    if isinstance(exc, FormToken):
        return "report_expired"
    lot_limit = any(d.get("field") == "lot" for d in exc.details)
    return "report_lot_busy" if lot_limit else "report_too_many"


@router.get("/01/{gtin}/10/{lot:path}", response_class=HTMLResponse, dependencies=[RateLimitDep])
def digital_link_page(gtin: str, lot: str, request: Request, store: StoreDep, settings: SettingsDep,
                      rules: RulesDep, lang: str | None = LangQuery) -> HTMLResponse:
    """A GS1 Digital Link on our host: the consumer page of the lot it names."""
    found = resolve(store, f"{settings.public_base_url()}/01/{gtin}/10/{lot}")
    return _consumer(request, store, settings, rules, found.code, lang)


@router.get("/l/{code:path}", response_class=HTMLResponse, dependencies=[RateLimitDep])
async def consumer_page(code: str, request: Request, store: StoreDep, settings: SettingsDep, rules: RulesDep,
                        lang: str | None = LangQuery) -> HTMLResponse:
    # a kept view is rendered on the event loop (no thread hop); one is built there too when the store can
    # answer at once (GraphStore.answer_now), else in a worker thread
    kept = kept_view(store, code, rules)
    if kept is not None:
        return kept_page(request, settings, lang, kept)
    return await at_once(store, lambda: _consumer(request, store, settings, rules, code, lang))


# The page of each kept view, rendered once per language and zone with the form's token left open; it goes
# when the view goes (a weak key: a view is replaced, never changed, when an event touches it). Keyed and
# built from the lot's own code, never the code as typed ("ABC", "ABC%20", "ABC\u3000" are one page), and
# capped per view so that no request can make one grow.
_PAGES: WeakKeyDictionary = WeakKeyDictionary()
_PAGES_PER_VIEW = 8  # languages x zones: two in practice
_TOKEN_SLOT = "\x00token\x00"  # no stored text can hold it: control characters are refused at parse


class KeptPage:
    """A kept view's page in one language and zone, as the bytes before and after the form token, and the
    token of the current second (a token is its second and an HMAC of the lot's code and that second:
    every page served within one second carries the same one, as ``FormTokens.issue`` would make it)."""

    __slots__ = ("head", "tail", "lot", "issued", "token")

    def __init__(self, html: str | bytes, lot: str):
        html = html.encode() if isinstance(html, str) else html
        self.head, _, self.tail = html.partition(_TOKEN_BYTES)
        self.lot = lot
        self.issued, self.token = -1, b""

    def body(self, tokens, now: float | None = None) -> bytes:
        issued = int(time.time() if now is None else now)
        if issued != self.issued:
            self.token, self.issued = tokens.issue(self.lot, issued).encode(), issued
        return self.head + self.token + self.tail


_TOKEN_BYTES = _TOKEN_SLOT.encode()


def _page_html(request, lg: str, tz: str, default_lang: str, view: PublicLot) -> str:
    """The consumer page of ``view`` without form state, its token left open (``_TOKEN_SLOT``)."""
    ctx = page_lang(request, lg, default_lang, tz)
    ctx.update(v=view, lb=lambda x: "?" if x is None else (x.en if lg == "en" else x.zh), form_error=None,
               form={}, action=f"/complaint/{quote(view.code, safe='')}", csrf_token=_TOKEN_SLOT, request=request)
    return templates().get_template("consumer.html").render(ctx)


def _filed(kept: ReadyView, lg: str, tz: str) -> tuple[str, bytes] | None:
    """``(code, html)`` of the page the view was read from the file with, if kept in ``lg`` and ``tz``
    (``filed_page.unpacked``). A page that cannot be inflated (the row's CRC held: not this build's bytes) is
    dropped and rendered from the view: never served broken, never a 500."""
    filed = kept.page  # read once: another thread may take it meanwhile
    if filed is None:
        return None
    try:
        return unpacked(filed, lg, tz)
    except (zlib.error, ValueError):  # ValueError: a code that is not UTF-8
        log.warning("a kept page could not be inflated; it is rendered from its view")
        kept.page = None
        return None


def kept_page_of(request_of, settings, lg: str, kept: ReadyView) -> KeptPage:
    """The page of a kept view in language ``lg`` (rendered the first time, unless the view was read from
    the store's file with its page in that language and zone; ``request_of()`` gives the request the template
    is rendered with)."""
    pages = _PAGES.get(kept)
    if pages is None:
        pages = _PAGES.setdefault(kept, {})
    page = pages.get((lg, settings.tz))
    if page is None:
        filed = _filed(kept, lg, settings.tz)
        if filed is not None:
            page = KeptPage(filed[1], filed[0])  # the kept view's own code, whatever spelling was scanned
            kept.page = None  # held once, by the page (the row in the file keeps it)
        else:
            view = kept.lot
            page = KeptPage(_page_html(request_of(), lg, settings.tz, settings.lang, view), view.code)
        if len(pages) >= _PAGES_PER_VIEW:
            pages.clear()
        pages[(lg, settings.tz)] = page
    return page


def file_page(settings):
    """``view -> bytes``: a view's page in the default language and the zone of ``settings``, as ``foodtrace db
    views`` keeps it in the store's file with the view (``consumer.ReadyView.page``): the bytes ``kept_page_of``
    would render for it, compressed (``filed_page.packed``; inflated by ``kept_page_of`` when served)."""
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""})

    def page(kept: ReadyView) -> bytes:
        view = kept.lot
        html = _page_html(request, settings.lang, settings.tz, settings.lang, view)
        return packed(settings.lang, settings.tz, view.code, html.encode())

    return page


def kept_page(request: Request, settings, lang: str | None, kept: ReadyView) -> HTMLResponse:
    """``_consumer`` for a kept view without form state: the same page, only the anti-forgery token is new."""
    lg = pick_lang(lang, request.headers.get("accept-language"), settings.lang)
    page = kept_page_of(lambda: request, settings, lg, kept)
    return HTMLResponse(page.body(complaint_guard(request).tokens))


_FORM_ERRORS = {"description": "report_invalid", "contact": "report_contact_long"}


def _form_fault(typed: dict[str, str]) -> str | None:
    """The field of the report form that cannot be sent as typed (the lengths the form itself states)."""
    if not 0 < len(typed["description"].strip()) <= 500:
        return "description"
    return "contact" if len(typed["contact"].strip()) > 200 else None


@router.post("/complaint/{code:path}", response_class=HTMLResponse)
async def report_problem(code: str, request: Request, store: StoreDep, settings: SettingsDep, rules: RulesDep,
                         lang: str | None = LangQuery):
    """The consumer page's form: files an online complaint on the lot, ``received`` until an
    inspector accepts it. Refused (``api.forms``): a post from another site (403), without a valid
    token (403), over the client's or the lot's limit (429). A browser gets the page again in its
    language with what was typed kept (but not text posted from another site, which the person
    did not type here); an API client gets the error as JSON."""
    form = await form_fields(request)
    lang = lang or form.get("lang") or None
    # a browser sends a line break as CR LF but counted it as one character against the field's maxlength
    typed = {k: form.get(k, "").replace("\r\n", "\n") for k in ("description", "contact")}
    guard = complaint_guard(request)
    lot = resolve(store, code).code
    html = "text/html" in request.headers.get("accept", "")
    fault = _form_fault(typed)
    if fault:  # refused before it counts against a limit
        return _consumer(request, store, settings, rules, code, lang, status=422, form_error=_FORM_ERRORS[fault],
                         form=typed, form_field=fault)
    try:
        guard.admit(request, settings, lot, form.get("csrf_token"))
    except (CrossSite, FormToken, RateLimited) as exc:
        if not html:
            raise
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return _consumer(request, store, settings, rules, code, lang, status=exc.status,
                         form_error=_refusal_text(exc),
                         form={} if isinstance(exc, CrossSite) else typed, headers=headers)
    try:
        view = consumer_complaint(store, code, typed["description"], typed["contact"])
    except InvalidInput as exc:
        guard.release_lot(lot)
        fault = "contact" if any(d.get("field") in ("contact", "complainant") for d in exc.details) else "description"
        return _consumer(request, store, settings, rules, code, lang, status=422, form_error=_FORM_ERRORS[fault],
                         form=typed, form_field=fault)
    lg = pick_lang(lang, request.headers.get("accept-language"), settings.lang)
    return RedirectResponse(f"/complaint/{quote(code, safe='')}?lang={lg}&ref={quote(view.complaint_id, safe='')}",
                            status_code=303)


@router.get("/complaint/{code:path}", response_class=HTMLResponse)
def report_done(code: str, request: Request, settings: SettingsDep, lang: str | None = LangQuery,
                ref: str = Query("", max_length=64, pattern=r"^[A-Za-z0-9._:-]*$")) -> HTMLResponse:
    """The thank-you page after a report (safe to reload); without a reference number, the product page."""
    if not ref:
        return RedirectResponse(f"/l/{quote(code, safe='')}" + (f"?lang={lang}" if lang else ""), status_code=303)
    ctx = page_lang(request, lang, settings.lang)
    ctx.update(code=code, complaint_id=ref)
    return templates().TemplateResponse(request, "thanks.html", ctx)
