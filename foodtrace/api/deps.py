"""Dependencies shared by the routers: the store, the settings, the rules,
and who is calling (from the API key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from foodtrace.config import Settings
from foodtrace.errors import Unauthorized
from foodtrace.graph.store import GraphStore
from foodtrace.services.admin.keys import authenticate
from foodtrace.services.capture.access import NO_KEY, Principal
from foodtrace.services.safety.rules import RuleConfig, load_rules


# ``async`` although they do no I/O: FastAPI runs a plain ``def`` dependency in a worker thread.
async def get_store(request: Request) -> GraphStore:
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer ft_…`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key: `X-API-Key: ft_…`")


def current_principal(request: Request, store: StoreDep,
                      bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
                      api_key: Annotated[str | None, Depends(_header)]) -> Principal | None:
    """The caller (None without a key; 401 for a bad key). Its key id and party go into the request log."""
    principal = authenticate(store, bearer.credentials if bearer else api_key)
    if principal is not None:
        request.scope.setdefault("state", {})["principal"] = f"{principal.key_id}@{principal.party}"
    return principal


PrincipalDep = Annotated[Principal | None, Depends(current_principal)]


def get_actor(principal: PrincipalDep) -> Principal:
    """The caller, required (401 without a key): for the supervision and console routes."""
    if principal is None:
        raise Unauthorized(NO_KEY)
    return principal


ActorDep = Annotated[Principal, Depends(get_actor)]


def get_rules(settings: SettingsDep) -> RuleConfig:
    return load_rules(settings.rules or None)


RulesDep = Annotated[RuleConfig, Depends(get_rules)]

# A lot named in a path: its trace code, a receipt code, or a GS1 Digital Link / short link.
CodePath = Annotated[str, Path(description="Trace code, receipt code, or a GS1 Digital Link / short link")]
