"""People's accounts: the events that create them, set their passwords, disable and enable them, and an
account as the store knows it. Like API keys (``keys.py``) they live in the event log, so a copy
or a backup of the store carries them; the password is never stored, only its argon2id hash."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from foodtrace.model.common import EventId, Frozen, PartyId, Text
from foodtrace.model.event_base import _Event
from foodtrace.model.vocab import Role

USERS_ROUTE = "/admin/users"  # the own route of account events (the accounts service)

Login = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
# An area an inspector supervises: a GB/T 2260 code or its prefix (province 2, city 4, county 6 digits).
AreaPrefix = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,6}$")]
PasswordHash = Annotated[str, StringConstraints(min_length=20, max_length=300, pattern=r"^\$argon2id\$[ -~]+$")]
Areas = Annotated[tuple[AreaPrefix, ...], Field(max_length=50)]


class UserCreated(_Event):
    """An account for a person: ``login``, display ``name``, the party it acts for (``holder``),
    its ``role`` and, for an inspector, the ``areas`` it supervises (empty: the whole district).
    ``party`` is the party that created it (the admin's)."""

    type: Literal["user_created"] = "user_created"
    own_route = USERS_ROUTE
    labels = ('账号开设', 'account created')
    login: Login
    name: Text
    holder: PartyId
    role: Role
    areas: Areas = ()
    password_hash: PasswordHash


class UserPasswordSet(_Event):
    """A new password for ``login`` (set by an admin); sessions signed in before it end."""

    type: Literal["user_password_set"] = "user_password_set"
    own_route = USERS_ROUTE
    labels = ('密码重置', 'password reset')
    login: Login
    password_hash: PasswordHash


class UserDisabled(_Event):
    """``login`` may no longer sign in; its sessions end at once."""

    type: Literal["user_disabled"] = "user_disabled"
    own_route = USERS_ROUTE
    labels = ('账号停用', 'account disabled')
    login: Login
    reason: Text | None = None


class UserEnabled(_Event):
    """``login``, disabled before, may sign in again (sessions from before it was disabled stay ended)."""

    type: Literal["user_enabled"] = "user_enabled"
    own_route = USERS_ROUTE
    labels = ('账号启用', 'account enabled')
    login: Login
    reason: Text | None = None


USER_EVENTS = (UserCreated, UserPasswordSet, UserDisabled, UserEnabled)


class Account(Frozen):
    """A person's account as it stands: never shown with its hash outside the accounts service."""

    login: Login
    name: str
    party: PartyId
    role: Role
    areas: tuple[str, ...] = ()
    created_at: datetime
    event_id: EventId
    password_hash: str
    password_set_at: datetime  # sessions older than this end
    disabled: bool = False
    disabled_at: datetime | None = None  # the last time it was disabled: sessions older than this end
