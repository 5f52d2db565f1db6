"""API keys: issue, revoke, list, authenticate.

A key is ``ft_`` + 32 random bytes (URL-safe base64), shown once when issued.
The store keeps only its SHA-256 digest (an ``api_key_issued`` event in the
log), so a copy of the database gives no working key. Keys are 256-bit random,
so an unsalted digest cannot be reversed by guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
import hashlib
import hmac
import secrets

from foodtrace.errors import InvalidInput, NotFound, Unauthorized
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.services.capture.door import record as record_events_of
from foodtrace.services.capture.principal import local
from foodtrace.model.keys import ApiKey
from foodtrace.model.vocab import Role
from foodtrace.services.capture.access import Action, Principal, require

PREFIX = "ft_"
MAX_KEY_LENGTH = 128


@dataclass(frozen=True)
class IssuedKey:
    key: str  # the secret, shown once
    record: ApiKey


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


KEYS_ROUTE = "/api/v1/keys"  # the own route of API key events (``own_route``)


def key_id_of(key_hash: str) -> str:
    return "k_" + key_hash[:16]


def _now() -> datetime:
    return datetime.now().astimezone()


def issue_key(store: GraphStore, party: str, role: Role | str, *, issued_by: str | None = None,
              label: str | None = None, principal: Principal | None = None) -> IssuedKey:
    """Issue a key acting for ``party`` with ``role``. Operator and inspector
    keys need a registered party; an admin key may name any party id (so the
    first one can be made on an empty store). ``issued_by`` is the issuing
    party (default: ``party`` itself, as at the command line)."""
    try:
        role = Role(role)
    except ValueError:
        raise keyed(InvalidInput, "admin_unknown_role", [refusal(None, "role", "key_role_expected")],
                    value=str(role)) from None
    if role != Role.ADMIN and party not in store.get_parties([party]):
        raise keyed(InvalidInput, "admin_party_unregistered",
                    [refusal(None, "party", "key_register_first", route="POST /api/v1/parties")], party=party)
    key = new_key()
    digest = hash_key(key)
    ev = {"type": "api_key_issued", "event_time": _now().isoformat(), "party": issued_by or party,
          "key_id": key_id_of(digest), "key_hash": digest, "holder": party, "role": role.value}
    if label:
        ev["label"] = label
    record_events_of(store, principal or local(issued_by or party), [ev], via=KEYS_ROUTE)
    record = store.api_key(digest)
    assert record is not None
    return IssuedKey(key, record)


def revoke_key(store: GraphStore, key_id: str, *, revoked_by: str | None = None, reason: str | None = None,
               principal: Principal | None = None) -> ApiKey:
    """Revoke a key from now on (a no-op for one already revoked). ``revoked_by``:
    the revoking party (default: the key's own, as at the command line)."""
    record = next((k for k in store.api_keys() if k.key_id == key_id), None)
    if record is None:
        raise keyed(NotFound, "key_none", [refusal(None, "key_id", "key_unknown_id")], key_id=key_id)
    if record.revoked:
        return record
    ev = {"type": "api_key_revoked", "event_time": _now().isoformat(), "party": revoked_by or record.party,
          "key_id": key_id}
    if reason:
        ev["reason"] = reason
    record_events_of(store, principal or local(revoked_by or record.party), [ev], via=KEYS_ROUTE)
    return record.model_copy(update={"revoked": True})


def authenticate(store: GraphStore, presented: str | None) -> Principal | None:
    """The caller behind a presented key: None without a key; 401 for a key
    that is malformed, unknown or revoked."""
    if presented is None or presented == "":
        return None
    if len(presented) > MAX_KEY_LENGTH or not presented.startswith(PREFIX):
        raise keyed(Unauthorized, "key_not_valid")
    digest = hash_key(presented)
    record = store.api_key(digest)
    if record is None or not hmac.compare_digest(record.key_hash, digest):
        raise keyed(Unauthorized, "key_not_valid")
    if record.revoked:
        raise keyed(Unauthorized, "key_revoked")
    return Principal(record.key_id, record.party, record.role, kind="key")


# -- as the HTTP API's admin -------------------------------------------------


def issue_key_as(store: GraphStore, principal: Principal | None, party: str, role: Role,
                 label: str | None = None) -> IssuedKey:
    admin = require(principal, Action.MANAGE_KEYS)
    return issue_key(store, party, role, issued_by=admin.party, label=label, principal=admin)


def revoke_key_as(store: GraphStore, principal: Principal | None, key_id: str) -> ApiKey:
    admin = require(principal, Action.MANAGE_KEYS)
    return revoke_key(store, key_id, revoked_by=admin.party, principal=admin)


def list_keys_as(store: GraphStore, principal: Principal | None) -> list[ApiKey]:
    require(principal, Action.MANAGE_KEYS)
    return store.api_keys()
