"""The administration page (/admin): people's accounts and API keys, for a signed-in administrator.
Every form posts here with the session's CSRF token; each action calls one service
(``services.admin.users``, ``services.admin.keys``) and shows the page again with what happened —
a new API key shown this once, never in a URL."""

from __future__ import annotations

from typing import Annotated, Callable

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from foodtrace.api.deps import PrincipalDep, SettingsDep, StoreDep
from foodtrace.api.routes.pages import form_fields, page_lang, templates
from foodtrace.api.routes.signin import form_principal, person_context, to_signin
from foodtrace.errors import Conflict, InvalidInput, NotFound
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.model.vocab import Role
from foodtrace.services.admin import keys as key_service
from foodtrace.services.admin import users as user_service
from foodtrace.services.capture.access import Action, Principal, require

router = APIRouter(include_in_schema=False)
LangQuery = Query(None, pattern="^(zh|en)$")
Name = Annotated[str, Path(max_length=100)]


def _render(request: Request, store, settings, principal: Principal, lang: str | None, status: int = 200,
            message: str | None = None, fields: list[str] | None = None, new_key: str | None = None) -> HTMLResponse:
    ctx = page_lang(request, lang, settings.lang)
    ctx.update(person_context(request, principal))
    ctx.update(users=user_service.list_users_as(store, principal), keys=key_service.list_keys_as(store, principal),
               roles=[r.value for r in Role], message=message, fields=fields or [], new_key=new_key)
    return templates().TemplateResponse(request, "admin.html", ctx, status_code=status)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, store: StoreDep, settings: SettingsDep, principal: PrincipalDep,
               lang: str | None = LangQuery) -> Response:
    if principal is None:
        return to_signin(request)
    require(principal, Action.MANAGE_USERS)
    return _render(request, store, settings, principal, lang)


async def _act(request: Request, store, settings, lang: str | None,
               action: Callable[[Principal, dict[str, str]], str | None]) -> Response:
    """Check the post (session, same site, CSRF token, admin), run ``action`` in a worker thread,
    show the page with its outcome; bad input comes back as 422 naming the fields, in the page's language."""
    form = await form_fields(request)
    lang = lang or form.get("lang") or None
    principal = form_principal(request, store, settings, form)
    if principal is None:
        return to_signin(request)
    require(principal, Action.MANAGE_USERS)
    try:
        new_key = await run_in_threadpool(action, principal, form)
    except Conflict:
        return _render(request, store, settings, principal, lang, 409, "admin_taken")
    except NotFound:
        return _render(request, store, settings, principal, lang, 404, "admin_unknown")
    except InvalidInput as exc:
        fields = sorted({str(d.get("field") or "").split(".")[0] for d in exc.details} - {""})
        return _render(request, store, settings, principal, lang, 422, "admin_invalid", fields)
    return _render(request, store, settings, principal, lang, 200, "admin_saved", new_key=new_key)


def _checked(model_field: str, value, field: str | None = None):
    """A form value checked against the account model's field type (422 naming the form's ``field``)."""
    from pydantic import TypeAdapter, ValidationError

    from foodtrace.model.common import PartyId, Text
    from foodtrace.model.users import Areas, Login

    kinds = {"login": Login, "name": Text, "holder": PartyId, "areas": Areas}
    try:
        return TypeAdapter(kinds[model_field]).validate_python(value)
    except ValidationError:
        raise keyed(InvalidInput, "users_field_invalid", [refusal(None, field or model_field, "users_not_valid")],
                    field=field or model_field) from None


def _areas(text: str) -> tuple[str, ...]:
    return _checked("areas", tuple(a.strip() for a in text.replace("，", ",").split(",") if a.strip()))


@router.post("/admin/users", response_class=HTMLResponse)
async def create_user(request: Request, store: StoreDep, settings: SettingsDep, lang: str | None = LangQuery):
    def act(who: Principal, f: dict[str, str]) -> None:
        user_service.create_user_as(store, who, _checked("login", f.get("login", "").strip()),
                                    _checked("name", f.get("name", "")), _checked("holder", f.get("party", "").strip(), "party"),
                                    f.get("role", ""), f.get("password", ""), _areas(f.get("areas", "")))
    return await _act(request, store, settings, lang, act)


@router.post("/admin/users/{login}/disable", response_class=HTMLResponse)
async def disable_user(login: Name, request: Request, store: StoreDep, settings: SettingsDep,
                       lang: str | None = LangQuery):
    return await _act(request, store, settings, lang,
                      lambda who, f: user_service.disable_user_as(store, who, login) and None)


@router.post("/admin/users/{login}/enable", response_class=HTMLResponse)
async def enable_user(login: Name, request: Request, store: StoreDep, settings: SettingsDep,
                      lang: str | None = LangQuery):
    return await _act(request, store, settings, lang,
                      lambda who, f: user_service.enable_user_as(store, who, login) and None)


@router.post("/admin/users/{login}/password", response_class=HTMLResponse)
async def reset_password(login: Name, request: Request, store: StoreDep, settings: SettingsDep,
                         lang: str | None = LangQuery):
    return await _act(request, store, settings, lang,
                      lambda who, f: user_service.reset_password_as(store, who, login, f.get("password", "")) and None)


@router.post("/admin/keys", response_class=HTMLResponse)
async def issue_key(request: Request, store: StoreDep, settings: SettingsDep, lang: str | None = LangQuery):
    def act(who: Principal, f: dict[str, str]) -> str:
        label = f.get("label", "").strip() or None
        return key_service.issue_key_as(store, who, _checked("holder", f.get("party", "").strip(), "party"), f.get("role", ""),
                                        _checked("name", label, "label") if label else None).key
    return await _act(request, store, settings, lang, act)


@router.post("/admin/keys/{key_id}/revoke", response_class=HTMLResponse)
async def revoke_key(key_id: Name, request: Request, store: StoreDep, settings: SettingsDep,
                     lang: str | None = LangQuery):
    return await _act(request, store, settings, lang,
                      lambda who, f: key_service.revoke_key_as(store, who, key_id) and None)
