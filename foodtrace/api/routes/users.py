"""People's accounts as JSON for administrators: GET/POST /api/v1/users, POST
/api/v1/users/{login}/disable|enable|password. An admin key, or an admin's session with its CSRF
token; the same service as ``foodtrace users`` and the /admin page (``services/admin/users.py``).
A password goes in, never out: no answer carries a password or its hash."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from foodtrace.api.deps import PrincipalDep, StoreDep
from foodtrace.api.schemas import keyed
from foodtrace.model.common import PartyId, Text
from foodtrace.model.users import Account, Areas, Login
from foodtrace.model.vocab import Role
from foodtrace.services.admin import users as service

router = APIRouter(prefix="/api/v1", tags=["users"])
LoginPath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$", description="The account's login name")]
Password = Annotated[str, Field(min_length=10, max_length=256, description="10–256 characters, no leading or "
                                                                          "trailing spaces, no control characters")]


class UserRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: Login = Field(description="a-z 0-9 . _ -, 2–64 characters")
    name: Text = Field(description="The name shown on pages")
    party: PartyId = Field(description="The party the person acts for (registered, except for an admin's)")
    role: Role
    areas: Areas = Field((), description="For an inspector: GB/T 2260 area codes or prefixes it supervises")
    password: Password


class PasswordRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: Password


class ReasonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text | None = Field(None, description="Why (kept in the log)")


class UserView(BaseModel):
    """An account, never with its password hash."""

    login: str
    name: str
    party: str
    role: Role
    areas: list[str]
    created_at: datetime
    password_set_at: datetime
    disabled: bool
    disabled_at: datetime | None = None

    @classmethod
    def of(cls, found: Account) -> "UserView":
        return cls(**found.model_dump(include=set(cls.model_fields) - {"areas"}), areas=list(found.areas))


@router.get("/users", summary="Every person's account (admin)", response_model=list[UserView], responses=keyed())
def get_users(store: StoreDep, principal: PrincipalDep) -> list[UserView]:
    return [UserView.of(a) for a in service.list_users_as(store, principal)]


@router.post("/users", summary="Open an account (admin)", response_model=UserView, status_code=201,
             responses=keyed(409, 413, 422))
def post_user(body: UserRequest, store: StoreDep, principal: PrincipalDep) -> UserView:
    return UserView.of(service.create_user_as(store, principal, body.login, body.name, body.party, body.role,
                                              body.password, tuple(body.areas)))


@router.post("/users/{login}/disable", summary="The account may no longer sign in; its sessions end (admin)",
             response_model=UserView, responses=keyed(404, 413, 422))
def disable(login: LoginPath, store: StoreDep, principal: PrincipalDep, body: ReasonRequest | None = None) -> UserView:
    return UserView.of(service.disable_user_as(store, principal, login, body.reason if body else None))


@router.post("/users/{login}/enable", summary="A disabled account may sign in again (admin)",
             response_model=UserView, responses=keyed(404, 413, 422))
def enable(login: LoginPath, store: StoreDep, principal: PrincipalDep, body: ReasonRequest | None = None) -> UserView:
    return UserView.of(service.enable_user_as(store, principal, login, body.reason if body else None))


@router.post("/users/{login}/password", summary="Set a new password; the account's sessions end (admin)",
             response_model=UserView, responses=keyed(404, 413, 422))
def set_password(login: LoginPath, body: PasswordRequest, store: StoreDep, principal: PrincipalDep) -> UserView:
    return UserView.of(service.reset_password_as(store, principal, login, body.password))
