"""People's accounts: create, list, disable, reset a password, and check a sign-in.

An account is folded from its events in the log (``model/users.py``): ``user_created``,
``user_password_set``, ``user_disabled``, ``user_enabled`` (folded in log order) — recorded through the write door by their own route
only, so no capture batch can forge or retract one. Passwords are hashed with argon2id
(``argon2-cffi``, memory-hard); the password itself is never stored, logged or returned.

The fold reads only the account events (``store.events_by_type``) and catches up by sequence
number on every look-up, so an account disabled by another process (the command line while
the server runs) is out at the next request.
"""

from __future__ import annotations

from datetime import datetime
import threading

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from foodtrace.config import Settings
from foodtrace.errors import Conflict, InvalidInput, NotFound
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.model.users import (USER_EVENTS, USERS_ROUTE, Account, UserCreated, UserDisabled, UserEnabled,
                                   UserPasswordSet)
from foodtrace.model.vocab import Role
from foodtrace.services.capture.access import Action, Principal, require
from foodtrace.services.capture.door import record
from foodtrace.services.capture.principal import local

MIN_PASSWORD = 10
MAX_PASSWORD = 256  # hashing cost is bounded: a megabyte "password" is refused before argon2 sees it
_TYPES = [cls.model_fields["type"].default for cls in USER_EVENTS]
# The cost of new hashes (FOODTRACE_PASSWORD_HASH_COST, ``Settings.password_hash_cost``): ``standard`` is
# argon2-cffi's default, RFC 9106's low-memory profile (64 MiB, 3 passes); ``test`` is the least argon2id
# allows (8 KiB, 1 pass), so that test suites need not spend most of a second per hash. A hash
# records its parameters: verifying works whichever cost made it.
_HASHERS = {"standard": PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY),
            "test": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)}
_DUMMY: dict[str, str] = {}  # a hash to verify against for unknown logins, so they take as long as known ones


def password_cost() -> str:
    """The cost of new password hashes now (``Settings.password_hash_cost``, read at each use as every
    setting is read when built)."""
    return Settings().password_hash_cost


def _hasher() -> PasswordHasher:
    return _HASHERS[password_cost()]


def _now() -> datetime:
    return datetime.now().astimezone()


def check_password_rules(password: str, field: str = "password") -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise keyed(InvalidInput, "user_password_refused",
                    [refusal(None, field, "user_password_length", low=MIN_PASSWORD, high=MAX_PASSWORD)])
    if password.strip() != password or any(ord(c) < 32 for c in password):
        raise keyed(InvalidInput, "user_password_refused", [refusal(None, field, "user_password_characters")])
    return password


def hash_password(password: str) -> str:
    return _hasher().hash(check_password_rules(password))


class AccountFold:
    """Accounts folded from their events, caught up by sequence number."""

    def __init__(self) -> None:
        self.seq = 0
        self.lock = threading.Lock()
        self.accounts: dict[str, Account] = {}

    def apply(self, stored) -> None:
        for se in stored:
            self.seq = max(self.seq, se.seq)
            ev, known = se.event, self.accounts.get(getattr(se.event, "login", ""))
            if se.retracted_by is not None:
                continue
            if isinstance(ev, UserCreated) and known is None:
                self.accounts[ev.login] = Account(
                    login=ev.login, name=ev.name, party=ev.holder, role=ev.role, areas=tuple(ev.areas),
                    created_at=ev.event_time, event_id=ev.event_id, password_hash=ev.password_hash,
                    password_set_at=ev.event_time)
            elif isinstance(ev, UserPasswordSet) and known is not None:
                self.accounts[ev.login] = known.model_copy(update={"password_hash": ev.password_hash,
                                                                   "password_set_at": ev.event_time})
            elif isinstance(ev, UserDisabled) and known is not None:
                self.accounts[ev.login] = known.model_copy(update={"disabled": True, "disabled_at": ev.event_time})
            elif isinstance(ev, UserEnabled) and known is not None:  # in log order: disable, enable, disable…
                self.accounts[ev.login] = known.model_copy(update={"disabled": False})


def accounts(store: GraphStore) -> dict[str, Account]:
    """Every account in ``store``'s log by login (a fold cached on the store object)."""
    fold = store.__dict__.get("_account_fold")
    if fold is None:
        fold = store.__dict__.setdefault("_account_fold", AccountFold())
    with fold.lock:
        fold.apply(store.events_by_type(_TYPES, after_seq=fold.seq))
        return dict(fold.accounts)


def account(store: GraphStore, login: str) -> Account | None:
    return accounts(store).get(login)


def _existing(store: GraphStore, login: str) -> Account:
    found = account(store, login)
    if found is None:
        raise keyed(NotFound, "user_none", [refusal(None, "login", "user_unknown_login")], login=login)
    return found


def create_user(store: GraphStore, login: str, name: str, party: str, role: Role | str, password: str,
                areas: tuple[str, ...] | list[str] = (), principal: Principal | None = None) -> Account:
    """Open an account. Its party must be registered, except an administrator's (so that the first
    one can be made on an empty store); only an inspector's account names areas."""
    try:
        role = Role(role)
    except ValueError:
        roles = [r.value for r in Role]
        raise keyed(InvalidInput, "admin_unknown_role", [refusal(None, "role", "admin_role_expected",
                                                                 one_of=", ".join(roles), choices=roles)],
                    value=str(role)) from None
    if role != Role.ADMIN and party not in store.get_parties([party]):
        raise keyed(InvalidInput, "admin_party_unregistered", [refusal(None, "party", "admin_register_first")],
                    party=party)
    if areas and role != Role.INSPECTOR:
        raise keyed(InvalidInput, "user_areas_inspector_only", [refusal(None, "areas", "user_for_inspectors")])
    if account(store, login) is not None:
        raise keyed(Conflict, "user_login_taken", [refusal(None, "login", "user_taken")], login=login)
    ev = {"type": "user_created", "event_time": _now().isoformat(), "party": principal.party if principal and
          principal.party else party, "login": login, "name": name, "holder": party, "role": role.value,
          "areas": list(dict.fromkeys(areas)), "password_hash": hash_password(password)}
    record(store, principal or local(party), [ev], via=USERS_ROUTE)
    return _existing(store, login)


def _record_change(store: GraphStore, found: Account, principal: Principal | None, type_: str,
                   **fields) -> Account:
    """Record one change of ``found``'s account (an event of ``type_`` with ``fields``, those None left
    out) through the write door, as ``principal`` (else the account's own party, locally); the account after it."""
    ev = {"type": type_, "event_time": _now().isoformat(),
          "party": principal.party if principal and principal.party else found.party, "login": found.login,
          **{k: v for k, v in fields.items() if v}}
    record(store, principal or local(found.party), [ev], via=USERS_ROUTE)
    return _existing(store, found.login)


def reset_password(store: GraphStore, login: str, password: str, principal: Principal | None = None) -> Account:
    """A new password; the account's sessions end."""
    found = _existing(store, login)
    return _record_change(store, found, principal, "user_password_set", password_hash=hash_password(password))


def disable_user(store: GraphStore, login: str, reason: str | None = None,
                 principal: Principal | None = None) -> Account:
    """The account may no longer sign in and its sessions end (a no-op when already disabled)."""
    found = _existing(store, login)
    return found if found.disabled else _record_change(store, found, principal, "user_disabled", reason=reason)


def enable_user(store: GraphStore, login: str, reason: str | None = None,
                principal: Principal | None = None) -> Account:
    """A disabled account may sign in again (a no-op when it is not disabled); its old sessions stay ended."""
    found = _existing(store, login)
    return _record_change(store, found, principal, "user_enabled", reason=reason) if found.disabled else found


def verify_password(found: Account | None, password: str) -> bool:
    """Whether ``password`` is ``found``'s; as slow for an unknown login as for a known one."""
    cost = password_cost()
    if cost not in _DUMMY:
        _DUMMY[cost] = _HASHERS[cost].hash("not-a-password-of-anyone")
    target = found.password_hash if found is not None else _DUMMY[cost]
    if not isinstance(password, str) or not 0 < len(password) <= MAX_PASSWORD:
        return False
    try:
        return _HASHERS[cost].verify(target, password) and found is not None
    except (VerificationError, InvalidHashError):
        return False


def sign_in(store: GraphStore, login: str, password: str) -> Account | None:
    """The account whose login and password these are, if it may sign in; else None (which of the
    two was wrong is not told)."""
    found = account(store, login) if isinstance(login, str) and len(login) <= 64 else None
    ok = verify_password(found, password)
    return found if ok and found is not None and not found.disabled else None


def principal_of(found: Account) -> Principal:
    """The principal a signed-in person acts as: ``captured_by`` is ``user:<login>@<party>``."""
    return Principal(found.login, found.party, found.role, kind="user", areas=tuple(found.areas), name=found.name)


def signed_in_principal(store: GraphStore, login: str, signed_in_at: datetime) -> Principal | None:
    """The principal of a session signed in at ``signed_in_at``: None when the account is gone,
    disabled (now, or at any time since: enabling it again does not revive a session), or its
    password was set since."""
    found = account(store, login)
    if found is None or found.disabled or found.password_set_at > signed_in_at:
        return None
    if found.disabled_at is not None and found.disabled_at >= signed_in_at:
        return None
    return principal_of(found)


# -- as an administrator (the admin page) ----------------------------------------------------------


def list_users_as(store: GraphStore, principal: Principal | None) -> list[Account]:
    require(principal, Action.MANAGE_USERS)
    return sorted(accounts(store).values(), key=lambda a: a.login)


def create_user_as(store: GraphStore, principal: Principal | None, login: str, name: str, party: str, role: str,
                   password: str, areas: tuple[str, ...] = ()) -> Account:
    admin = require(principal, Action.MANAGE_USERS)
    return create_user(store, login, name, party, role, password, areas, principal=admin)


def disable_user_as(store: GraphStore, principal: Principal | None, login: str, reason: str | None = None) -> Account:
    admin = require(principal, Action.MANAGE_USERS)
    return disable_user(store, login, reason, principal=admin)


def enable_user_as(store: GraphStore, principal: Principal | None, login: str, reason: str | None = None) -> Account:
    admin = require(principal, Action.MANAGE_USERS)
    return enable_user(store, login, reason, principal=admin)


def reset_password_as(store: GraphStore, principal: Principal | None, login: str, password: str) -> Account:
    admin = require(principal, Action.MANAGE_USERS)
    return reset_password(store, login, password, principal=admin)


__all__ = ["accounts", "account", "create_user", "reset_password", "disable_user", "enable_user", "sign_in",
           "principal_of", "signed_in_principal", "list_users_as", "create_user_as", "disable_user_as",
           "enable_user_as", "reset_password_as", "check_password_rules", "MIN_PASSWORD"]
