"""API keys: POST/GET /api/v1/keys, DELETE /api/v1/keys/{key_id}, GET /api/v1/me."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from foodtrace.api.deps import PrincipalDep, StoreDep
from foodtrace.api.schemas import IssuedKeyView, KeyRequest, KeyView, Me, keyed
from foodtrace.services.admin.keys import issue_key_as, list_keys_as, revoke_key_as
from foodtrace.services.capture.access import Action, require

router = APIRouter(prefix="/api/v1", tags=["keys"])


@router.post("/keys", summary="Issue an API key (admin); the key is shown this once", response_model=IssuedKeyView,
             status_code=201, responses=keyed(413, 422))
def post_key(body: KeyRequest, store: StoreDep, principal: PrincipalDep) -> IssuedKeyView:
    issued = issue_key_as(store, principal, body.party, body.role, body.label)
    return IssuedKeyView(**KeyView.of(issued.record).model_dump(), key=issued.key)


@router.get("/keys", summary="Every API key issued (admin); never the keys themselves",
            response_model=list[KeyView], responses=keyed())
def get_keys(store: StoreDep, principal: PrincipalDep) -> list[KeyView]:
    return [KeyView.of(k) for k in list_keys_as(store, principal)]


@router.delete("/keys/{key_id}", summary="Revoke an API key (admin)", response_model=KeyView,
               responses=keyed(404, 422))
def delete_key(key_id: Annotated[str, Path(description="The key's id (k_…)")], store: StoreDep,
               principal: PrincipalDep) -> KeyView:
    return KeyView.of(revoke_key_as(store, principal, key_id))


@router.get("/me", summary="Who this API key is: its id, party and role", response_model=Me, responses=keyed())
def get_me(principal: PrincipalDep) -> Me:
    who = require(principal, Action.WHOAMI)
    return Me(key_id=who.key_id, party=who.party, role=who.role)
