"""One error handler: JSON ``{"error": {"code", "message", "details"}}`` for
API clients, an HTML page for browsers. No traceback ever reaches a client."""

from __future__ import annotations

import ast
import logging
import re
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from foodtrace.errors import FoodtraceError, InvalidInput, RateLimited, TooLarge, Unauthorized, detail
from foodtrace.i18n import pick_lang
from foodtrace.i18n.inputs import input_error
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import localize, refusal, vocabulary_error
from foodtrace.ingest.capture import reason_detail

log = logging.getLogger("foodtrace.api")


def reader_lang(request: Request) -> str:
    """The language refusals are said in: ``?lang=``, else the browser's; API clients that ask for
    neither read English, pages the site's language."""
    explicit = request.query_params.get("lang")
    settings = getattr(request.app.state, "settings", None)
    default = getattr(settings, "lang", "zh") if _wants_html(request) else "en"
    return pick_lang(explicit if explicit in ("zh", "en") else None, request.headers.get("accept-language"), default)


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


_UNKNOWN_LOT = re.compile(r"^no lot with trace code ('.*'|\".*\")$", re.S)
_MESSAGES = {401, 403, 404, 405, 413, 422, 429, 500, 503}


def _asked_code(message: str) -> str | None:
    """The code an unknown-lot error names (``identifiers.resolve``: "no lot with trace code '…'")."""
    m = _UNKNOWN_LOT.match(message or "")
    if not m:
        return None
    try:
        return str(ast.literal_eval(m.group(1)))
    except (ValueError, SyntaxError):
        return None


def _page(request: Request, status: int, rid, headers: dict[str, str] | None, message: str = "",
          details: list | None = None, asked: str | None = None) -> HTMLResponse:
    """The error as a page in the reader's language (``?lang=``, else the browser's, else the
    default), with a box to look up a trace code; never the English message meant for API clients."""
    from foodtrace.api.routes.pages import page_lang, templates

    settings = getattr(request.app.state, "settings", None)
    lang = request.query_params.get("lang")
    ctx = page_lang(request, lang if lang in ("zh", "en") else None, getattr(settings, "lang", "zh"))
    path = request.url.path
    asked = (asked or _asked_code(message)) if status == 404 else None
    if status == 404 and (asked or path.startswith("/l/") or path.startswith("/01/")):
        asked = asked or (unquote(path[3:]) if path.startswith("/l/") else unquote(path))
        key = "err_404"
    elif status == 404:
        key = "err_404_page"
    else:
        key = f"err_{status}" if status in _MESSAGES else ("err_500" if status >= 500 else "err_422")
    shown = [d for d in (details or []) if isinstance(d, dict) and d.get("field")][:20] if status == 422 else []
    ctx.update(status=status, message_key=key, asked=(asked or "")[:200] or None, request_id=rid, details=shown)
    return templates().TemplateResponse(request, "error.html", ctx, status_code=status, headers=headers)


def _render(request: Request, status: int, code: str, message: str, details: list,
            headers: dict[str, str] | None = None, asked: str | None = None) -> JSONResponse | HTMLResponse:
    state = request.scope.setdefault("state", {})
    state["error_code"] = code  # for the capture-refusal metric
    rid = state.get("request_id")  # so that a user's report can be found in the logs
    details = [{k: v for k, v in d.items() if k != "args"} if isinstance(d, dict) else d for d in details]
    if _wants_html(request):
        return _page(request, status, rid, headers, message, details, asked)
    return JSONResponse({"error": {"code": code, "message": message, "details": details, "request_id": rid}},
                        status_code=status, headers=headers)


async def answer_early(scope, receive, send, exc: FoodtraceError) -> None:
    """A refusal made before the routes (the body limit, the input guard: ASGI middleware), said as the
    routes say theirs: in the reader's language, as JSON or as a page."""
    request = Request(scope, receive)
    localize(exc, reader_lang(request))
    await _render(request, exc.status, exc.code, exc.message, exc.details)(scope, receive, send)


def body_over(max_bytes: int) -> FoodtraceError:
    """The body limit's refusal (413), keyed."""
    return keyed(TooLarge, "api_body_over", max=max_bytes)


def body_over_said(text: str) -> FoodtraceError | None:
    """The body limit's refusal from the text it raised inside a body read (``limits.BodyLimit``), keyed."""
    over = _BODY_OVER.match(text)
    return body_over(int(over.group(1))) if over else None


_HTTP_SAID = {"Not Found": "api_not_found", "Method Not Allowed": "api_method_not_allowed"}
_BODY_OVER = re.compile(r"^request body over (\d+) bytes$")


def _said_http(text: str, lang: str) -> str:
    """Starlette's and the body limit's texts of an HTTP error in ``lang`` (others as they are)."""
    over = body_over_said(text)
    if over is not None:
        return localize(over, lang).message
    return localize(keyed(FoodtraceError, _HTTP_SAID[text]), lang).message if text in _HTTP_SAID else text


def install(app: FastAPI) -> None:
    @app.exception_handler(FoodtraceError)
    async def _ft(request: Request, exc: FoodtraceError):
        headers = None
        if isinstance(exc, Unauthorized):
            headers = {"WWW-Authenticate": "Bearer"}
        elif isinstance(exc, RateLimited):
            headers = {"Retry-After": str(exc.retry_after)}
        asked = exc.args_of_key.get("code") if exc.key == "trace_unknown_code" else None  # before it is said
        localize(exc, reader_lang(request))
        return _render(request, exc.status, exc.code, exc.message, exc.details, headers, asked)

    @app.exception_handler(RequestValidationError)
    async def _rv(request: Request, exc: RequestValidationError):
        details = []
        for e in exc.errors():
            loc = [str(p) for p in e.get("loc", ()) if p not in ("body",)]
            pos = next((int(p) for p in loc if p.isdigit()), None)
            fld = ".".join(p for p in loc if not p.isdigit()) or None
            details.append(vocabulary_error(pos, fld, e) or input_error(pos, fld, e) or reason_detail(pos, fld, e))
        err = localize(keyed(InvalidInput, "input_invalid", details), reader_lang(request))
        return _render(request, 422, "invalid_input", err.message, err.details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400:  # FastAPI could not decode a JSON body (e.g. not UTF-8)
            said = str(exc.detail)
            why = refusal(None, None, "api_body_unparsed") if said == "There was an error parsing the body" else \
                detail(None, None, said)
            err = localize(keyed(InvalidInput, "api_body_not_json", [why], fmt="JSON"), reader_lang(request))
            return _render(request, 422, "invalid_input", err.message, err.details)
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "http_error")
        return _render(request, exc.status_code, code, _said_http(str(exc.detail), reader_lang(request)), [])

    @app.exception_handler(Exception)
    async def _any(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        try:
            said = localize(keyed(FoodtraceError, "api_internal"), reader_lang(request)).message
        except Exception:  # noqa: BLE001 — the answer must go out whatever else is broken
            said = "internal error; it has been logged"
        return _render(request, 500, "internal_error", said, [])
