"""Signing in and out (/signin, /signout), and what the pages of a signed-in person share: who is
signed in, the session's CSRF token, the way to the sign-in page (``api/sessions.py``)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from foodtrace.api.client import client_address
from foodtrace.api.deps import SettingsDep, StoreDep
from foodtrace.api.forms import require_same_origin
from foodtrace.api.routes.pages import form_fields, page_lang, templates
from foodtrace.api.sessions import COOKIE, check_csrf, clear_cookie, people, session_of, set_cookie
from foodtrace.errors import CrossSite, FormToken, RateLimited
from foodtrace.model.vocab import Role
from foodtrace.services.admin.users import sign_in, signed_in_principal
from foodtrace.services.capture.access import Action, require
from foodtrace.services.capture.principal import Principal

router = APIRouter(include_in_schema=False)
LangQuery = Query(None, pattern="^(zh|en)$")
HOME = {Role.OPERATOR: "/desk", Role.INSPECTOR: "/console", Role.ADMIN: "/admin", Role.VIEWER: "/reports/district"}


def safe_next(target: str | None) -> str | None:
    """A path on this site to go to after signing in (never another site: no ``//host``, no scheme)."""
    if not target or len(target) > 500 or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target if all(32 < ord(c) < 127 for c in target) else None


def to_signin(request: Request) -> RedirectResponse:
    """A browser without a session goes to the sign-in page, and back here after."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    lang = request.query_params.get("lang")  # the page asked for in a language: sign in in that language
    also = f"&lang={lang}" if lang in ("zh", "en") else ""
    return RedirectResponse(f"/signin?next={quote(here, safe='')}{also}", status_code=303)


def person_context(request: Request, principal: Principal) -> dict:
    """What a page of a signed-in person shows of the session: the person and the CSRF token."""
    session = session_of(request) if principal.kind == "user" else None
    return {"person": principal, "csrf": session.csrf if session else ""}


def person_page(request: Request, principal: Principal | None, action: Action, template: str, ctx: dict) -> Response:
    """A page of a signed-in person: the sign-in page first without one; 403 for a role that may not
    ``action``; else ``template`` with the person and the session's CSRF token."""
    if principal is None:
        return to_signin(request)
    require(principal, action)
    ctx.update(person_context(request, principal))
    return templates().TemplateResponse(request, template, ctx)


def form_principal(request: Request, store, settings, form: dict[str, str]) -> Principal | None:
    """The signed-in person posting a page's form: None without a live session; ``CrossSite`` or
    ``FormToken`` (403) for a post from another site or without the session's token."""
    session = session_of(request)
    if session is None:
        return None
    require_same_origin(request, settings)
    check_csrf(session, form.get("csrf_token"))
    return signed_in_principal(store, session.login, session.signed_in_at)


def _page(request: Request, settings, lang: str | None, status: int = 200, message: str | None = None,
          login: str = "", next_path: str | None = None) -> HTMLResponse:
    ctx = page_lang(request, lang, settings.lang)
    ctx.update(message=message, login=login, next=safe_next(next_path) or "",
               csrf_token=people(request).form_tokens.issue("signin"), lang_query=ctx["lang"])
    return templates().TemplateResponse(request, "signin.html", ctx, status_code=status)


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, settings: SettingsDep, lang: str | None = LangQuery,
                next: str | None = Query(None, max_length=500), done: str | None = Query(None, max_length=1)):  # noqa: A002
    return _page(request, settings, lang, message="signin_done" if done else None, next_path=next)


def _sign_in(guard, store, login: str, password: str):
    with guard.hashing:  # a flood of sign-ins cannot take all memory: a few password checks at a time
        return sign_in(store, login, password)


@router.post("/signin", response_class=HTMLResponse)
async def signin_post(request: Request, store: StoreDep, settings: SettingsDep, lang: str | None = LangQuery) -> Response:
    """Check the form (same site, token), the lockout, then the password; on success a new session."""
    form = await form_fields(request)
    lang = lang or form.get("lang") or None
    login, password, next_path = form.get("login", "").strip()[:64], form.get("password", ""), form.get("next")
    guard = people(request)
    try:
        require_same_origin(request, settings)
        guard.form_tokens.check("signin", form.get("csrf_token"))
        guard.limits.check(login, client_address(request))
    except (CrossSite, FormToken, RateLimited) as exc:
        text = {CrossSite: "signin_cross_site", FormToken: "signin_expired"}.get(type(exc), "signin_locked")
        page = _page(request, settings, lang, exc.status, text, login, next_path)
        if isinstance(exc, RateLimited):
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    found = await run_in_threadpool(_sign_in, guard, store, login, password)
    if found is None:
        guard.limits.failed(login, client_address(request))
        return _page(request, settings, lang, 401, "signin_wrong", login, next_path)
    guard.limits.succeeded(login)
    guard.sessions.end(request.cookies.get(COOKIE))  # never carry on a session from before
    sid, _ = guard.sessions.create(found.login)
    response = RedirectResponse(safe_next(next_path) or HOME[found.role], status_code=303)
    set_cookie(response, request, settings, sid)
    return response


@router.post("/signout")
async def signout(request: Request, settings: SettingsDep) -> Response:
    """End the session (a post from this site with its token); the cookie is cleared either way."""
    form = await form_fields(request)
    session = session_of(request)
    if session is not None:
        require_same_origin(request, settings)
        check_csrf(session, form.get("csrf_token"))
        people(request).sessions.end(request.cookies.get(COOKIE))
    lang = form.get("lang")  # the signed-out page in the language of the page signed out of
    response = RedirectResponse("/signin?done=1" + (f"&lang={lang}" if lang in ("zh", "en") else ""), status_code=303)
    clear_cookie(response, request, settings)
    return response
