"""Who may do what: the access decisions of the HTTP API, in one place.

A caller is a ``Principal`` (an API key's id, the party it acts for, its role)
or ``None`` (no key: a consumer, who only sees the public view). Roles:

- ``operator``: writes only events in which its own party acts (the event's
  ``party``) or receives (``to_party`` of a handoff, which must then name it on
  one side); reads its own lots, one step up and one step down of them, cut to
  what it needs (``visibility.py``); registers receipts as the receiver; reads
  its own party.
  It asks the market-entry gate as its own party, reads the recalls that name
  it and confirms them for its own party, reads any lot's recall status.
- ``inspector``: reads every lot, trace and party; searches; runs the district
  check and investigations; starts recalls and confirms them for any holder;
  files, links and closes complaints — as its own party.
- ``admin``: everything, for any party: registers parties, issues and revokes
  keys, captures for any party (it could issue itself any party's key anyway).

Operators capture only the event types of their trade (``OPERATOR_EVENT_TYPES``):
party registrations, recalls and complaints are the office's, through their own
routes. Nobody captures ``api_key_*`` events (or retracts them) through the
capture routes: keys are issued and revoked only by ``services/keys.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable

from foodtrace.errors import Forbidden, Unauthorized, detail
from foodtrace.graph.store import GraphStore
from foodtrace.model.events import ErrorDeclaration, Handoff
from foodtrace.model.keys import KEY_EVENTS
from foodtrace.model.lots import Lot
from foodtrace.model.registry import OPERATOR_EVENT_TYPES
from foodtrace.model.vocab import Role
from foodtrace.services.capture.visibility import may_read_lot

NO_KEY = "an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: the key's id, the party it acts for, its role."""

    key_id: str
    party: str
    role: Role


class Action(str, Enum):
    CAPTURE = "capture"
    RECEIVE = "receive"
    READ_LOT = "read_lot"
    SEARCH = "search"
    READ_PARTY = "read_party"
    REGISTER_PARTY = "register_party"
    MANAGE_KEYS = "manage_keys"
    WHOAMI = "whoami"
    ENTRY_CHECK = "entry_check"
    INSPECT = "inspect"  # the district check, investigations, complaints
    RECALL = "recall"
    READ_RECALL = "read_recall"
    CONFIRM_RECALL = "confirm_recall"
    RECALL_STATUS = "recall_status"


_ALL = frozenset(Role)
ROLES: dict[Action, frozenset[Role]] = {
    Action.CAPTURE: frozenset({Role.OPERATOR, Role.ADMIN}),
    Action.RECEIVE: frozenset({Role.OPERATOR, Role.ADMIN}),
    Action.READ_LOT: _ALL,
    Action.SEARCH: frozenset({Role.INSPECTOR, Role.ADMIN}),
    Action.READ_PARTY: _ALL,
    Action.REGISTER_PARTY: frozenset({Role.ADMIN}),
    Action.MANAGE_KEYS: frozenset({Role.ADMIN}),
    Action.WHOAMI: _ALL,
    Action.ENTRY_CHECK: _ALL,
    Action.INSPECT: frozenset({Role.INSPECTOR, Role.ADMIN}),
    Action.RECALL: frozenset({Role.INSPECTOR, Role.ADMIN}),
    Action.READ_RECALL: _ALL,
    Action.CONFIRM_RECALL: _ALL,
    Action.RECALL_STATUS: _ALL,
}


def require(principal: Principal | None, action: Action) -> Principal:
    """The caller, if its role may do ``action``; else 401 (no key) or 403."""
    if principal is None:
        raise Unauthorized(NO_KEY)
    if principal.role not in ROLES[action]:
        allowed = ", ".join(sorted(r.value for r in ROLES[action]))
        raise Forbidden(f"a key with role {principal.role.value!r} may not {action.value.replace('_', ' ')} "
                        f"(needs: {allowed})")
    return principal


def sees_everything(principal: Principal) -> bool:
    return principal.role in (Role.INSPECTOR, Role.ADMIN)


def require_acts_for(principal: Principal, party: str, field: str) -> None:
    """An operator may act only for its own party."""
    if principal.role != Role.ADMIN and party != principal.party:
        raise Forbidden(f"this key acts for party {principal.party!r}, not {party!r}",
                        [detail(None, field, f"must be {principal.party!r}")])


def require_acts_for_unless_inspecting(principal: Principal, party: str, field: str) -> None:
    """Inspectors and admins may name any party; an operator only its own."""
    if not sees_everything(principal):
        require_acts_for(principal, party, field)


def acting_party(principal: Principal, given: str | None, field: str = "by") -> str:
    """The party a record is made by: the key's own, or (admin only) the one given."""
    if given is None or given == principal.party:
        return principal.party
    require_acts_for(principal, given, field)
    return given


def require_party_read(principal: Principal, party: str) -> None:
    if not sees_everything(principal) and party != principal.party:
        raise Forbidden(f"this key may read only its own party {principal.party!r}",
                        [detail(None, "id", f"must be {principal.party!r}")])


# -- capture ---------------------------------------------------------------


def _acts_in(ev, party: str) -> str | None:
    """None when ``party`` may write ``ev`` as an operator; else the field that says otherwise."""
    if isinstance(ev, Handoff):
        if party not in (ev.from_party, ev.to_party):
            return "to_party"
        return None if party in (ev.party, ev.to_party) else "party"
    return None if ev.party == party else "party"


def check_events(store: GraphStore, principal: Principal, events: Iterable) -> None:
    """Refuse (403, naming position and field) every event the caller may not
    write; nothing is stored when one is refused."""
    events = list(events)
    problems: list[dict] = []
    targets = sorted({t for ev in events if isinstance(ev, ErrorDeclaration) for t in ev.retracts})
    stored = {eid: se.event for eid, se in store.get_events(targets).items()} if targets else {}
    in_batch = {ev.event_id: ev for ev in events}
    admin = principal.role == Role.ADMIN
    for pos, ev in enumerate(events):
        if isinstance(ev, KEY_EVENTS):
            problems.append(detail(pos, "type", "API keys are issued and revoked only through /api/v1/keys"))
        elif not admin and ev.type not in OPERATOR_EVENT_TYPES:
            problems.append(detail(pos, "type", f"{ev.type} events are not an operator's to capture"))
        elif not admin and (fld := _acts_in(ev, principal.party)):
            problems.append(detail(pos, fld, f"this key writes only for party {principal.party!r}"))
        if isinstance(ev, ErrorDeclaration):
            for i, target in enumerate(ev.retracts):
                prior = stored.get(target) or in_batch.get(target)
                if prior is None:
                    continue  # unknown: the store refuses it with its own reason
                if isinstance(prior, KEY_EVENTS):
                    problems.append(detail(pos, f"retracts[{i}]", "API key events cannot be retracted here; "
                                                                  "revoke the key instead"))
                elif not admin and _acts_in(prior, principal.party):
                    problems.append(detail(pos, f"retracts[{i}]", f"event {target} is not one of party "
                                                                  f"{principal.party!r}'s"))
    if problems:
        raise Forbidden("the batch was not stored: this key may not write some of its events", problems[:100])


# -- reading lots ----------------------------------------------------------


def held_by(store: GraphStore, lot: Lot, party: str) -> bool:
    """Whether ``party`` created ``lot`` or held it (custody, either side of a handoff)."""
    if lot.origin_party == party:
        return True
    return any(party in (c.party, c.from_party) for c in store.holders([lot.code]).get(lot.code, []))


def require_lot_read(store: GraphStore, principal: Principal, lot: Lot) -> None:
    """Need to know (``visibility.py``): an operator reads its own lots, one step up and one step down."""
    if may_read_lot(store, principal, lot):
        return
    raise Forbidden(f"lot {lot.code!r} is neither a lot of party {principal.party!r} nor one step up or down of one",
                    [detail(None, "code", "not a lot of this key's party")])
