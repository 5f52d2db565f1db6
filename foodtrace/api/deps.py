"""Dependencies shared by the routers: the store, the settings, the rules,
and who is calling (from the API key, or else from a signed-in person's session)."""

from __future__ import annotations

import os
import time
from typing import Annotated, Any, Callable

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from foodtrace.config import Settings
from foodtrace.graph.store import NOT_NOW, GraphStore
from foodtrace.api.forms import require_same_origin
from foodtrace.api.sessions import CSRF_HEADER, SAFE_METHODS, check_csrf, people, session_of
from foodtrace.services.admin.keys import authenticate
from foodtrace.services.admin.users import signed_in_principal
from foodtrace.services.capture.access import Principal, no_key
from foodtrace.services.safety.rules import RuleConfig, load_rules
from foodtrace.services.safety.rules.config import SHIPPED


# ``async`` although they do no I/O: FastAPI runs a plain ``def`` dependency in a worker thread.
async def get_store(request: Request) -> GraphStore:
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def at_once(store: GraphStore, fn: Callable[[], Any]) -> Any:
    """``fn()`` (reads of ``store``) on the event loop when the store can answer at once
    (``GraphStore.answer_now``: the embedded store, its lock free), else in a worker thread. A thread
    contending with the loop for the interpreter's lock waits at every SQLite call (docs/performance.md,
    "First scans")."""
    got = store.answer_now(fn)
    return await run_in_threadpool(fn) if got is NOT_NOW else got


_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer ft_…`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key: `X-API-Key: ft_…`")


def session_principal(request: Request, store: GraphStore) -> Principal | None:
    """The signed-in person of the request's session cookie, or None (no cookie, or a session that
    has ended: expired, signed out, its account disabled or its password reset). A state-changing
    request made with the cookie must come from this site and carry the session's CSRF token."""
    session = session_of(request)
    if session is None:
        return None
    principal = signed_in_principal(store, session.login, session.signed_in_at)
    if principal is None:
        people(request).sessions.end_login(session.login)
        return None
    if request.method not in SAFE_METHODS:
        require_same_origin(request, request.app.state.settings)
        check_csrf(session, request.headers.get(CSRF_HEADER))
    return principal


async def current_principal(request: Request, store: StoreDep,
                            bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
                            api_key: Annotated[str | None, Depends(_header)]) -> Principal | None:
    """The caller: an API key if one is sent (401 for a bad one), else the signed-in person, else None.
    Who it is (``<key id>@<party>`` or ``user:<login>@<party>``, never a secret) goes into the request log."""
    presented = bearer.credentials if bearer else api_key
    principal = await at_once(store, lambda: authenticate(store, presented) if presented
                              else session_principal(request, store))
    if principal is not None:
        who = principal.captured_by if principal.kind == "user" else f"{principal.key_id}@{principal.party}"
        request.scope.setdefault("state", {})["principal"] = who
    return principal


PrincipalDep = Annotated[Principal | None, Depends(current_principal)]


def get_actor(principal: PrincipalDep) -> Principal:
    """The caller, required (401 without a key): for the supervision and console routes."""
    if principal is None:
        raise no_key()
    return principal


ActorDep = Annotated[Principal, Depends(get_actor)]


async def get_rules(settings: SettingsDep) -> RuleConfig:
    return rules_of(settings)


_RULES_SEEN: dict[str, tuple[int, RuleConfig, float]] = {}  # rules file -> (modification time, rules, looked at)
RULES_LOOK_S = 1.0  # the rules file is looked at (one stat) at most this often: an edit is in force within it


def rules_of(settings: Settings) -> RuleConfig:
    """The rules of the app's settings (their ``FOODTRACE_RULES`` file, else the shipped one), re-read when the
    file changes: its modification time looked at once per ``RULES_LOOK_S`` (a consumer scan makes no system
    call for it). The app's settings are read once, not on every request."""
    path = str(settings.rules or SHIPPED)
    seen = _RULES_SEEN.get(path)
    now = time.monotonic()
    if seen is not None and now - seen[2] < RULES_LOOK_S:
        return seen[1]
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        _RULES_SEEN.pop(path, None)
        return load_rules(path)  # the error shape naming the file
    if seen is None or seen[0] != stamp:
        seen = (stamp, load_rules(path), now)
    _RULES_SEEN[path] = (seen[0], seen[1], now)
    return seen[1]


RulesDep = Annotated[RuleConfig, Depends(get_rules)]

# A lot named in a path: its trace code, a receipt code, or a GS1 Digital Link / short link.
CodePath = Annotated[str, Path(description="Trace code, receipt code, or a GS1 Digital Link / short link")]
