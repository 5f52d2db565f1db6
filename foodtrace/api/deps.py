"""Dependencies shared by the routers: the store, the settings, the rules,
and who is calling (from the API key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from ..config import Settings
from ..errors import Unauthorized
from ..graph.store import GraphStore
from ..services.access import NO_KEY, Principal
from ..services.keys import authenticate
from ..services.rules import RuleConfig, load_rules
from ..services.supervision.access import Actor


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


def get_actor(principal: PrincipalDep) -> Actor:
    """The caller as the supervision services see it: a role and its key's party (401 without a key)."""
    if principal is None:
        raise Unauthorized(NO_KEY)
    return Actor(role=principal.role.value, party=principal.party)


ActorDep = Annotated[Actor, Depends(get_actor)]


def get_rules(settings: SettingsDep) -> RuleConfig:
    return load_rules(settings.rules or None)


RulesDep = Annotated[RuleConfig, Depends(get_rules)]
