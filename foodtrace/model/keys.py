"""API keys: the events that issue and revoke them, and a key as the store
knows it — never the key itself, only its SHA-256 digest."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from foodtrace.model.common import EventId, Frozen, KeyHash, KeyId, PartyId, Text
from foodtrace.model.event_base import _Event
from foodtrace.model.vocab import Role


class ApiKeyIssued(_Event):
    """An API key was issued to ``holder`` with ``role``. Carries only the
    SHA-256 digest of the key (hex) — never the key itself. ``party`` is the
    party that issued it (the admin's, or the holder's at the command line)."""

    type: Literal["api_key_issued"] = "api_key_issued"
    own_route = "/api/v1/keys"
    labels = ('密钥签发', 'API key issued')
    key_id: KeyId
    key_hash: KeyHash
    holder: PartyId
    role: Role
    label: Text | None = None


class ApiKeyRevoked(_Event):
    """An API key stops working from now on."""

    type: Literal["api_key_revoked"] = "api_key_revoked"
    own_route = "/api/v1/keys"
    labels = ('密钥吊销', 'API key revoked')
    key_id: KeyId
    reason: Text | None = None


KEY_EVENTS = (ApiKeyIssued, ApiKeyRevoked)


class ApiKey(Frozen):
    """An issued API key. ``party`` is the party it acts for."""

    key_id: KeyId
    key_hash: KeyHash
    party: PartyId
    role: Role
    label: str | None = None
    issued_at: datetime
    event_id: EventId
    revoked: bool = False
