"""API keys as the store knows them: never the key, only its SHA-256 digest."""

from __future__ import annotations

from datetime import datetime

from .common import EventId, Frozen, KeyHash, KeyId, PartyId
from .vocab import Role


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
