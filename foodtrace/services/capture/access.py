"""Who may do what: one permission model for every read and write, as one table (``ROLES``).

A caller is a ``Principal`` (see ``principal.py``: an API key, a signed-in person, the local
command line or the system) or ``None`` (no key: a consumer, who only sees the public view).

| action | operator | inspector | admin (and local/system) |
| --- | --- | --- | --- |
| capture events (its own party's, of its trade) | ✔ | | ✔ any party |
| receive at the entry gate (as the receiver) | ✔ | | ✔ |
| read a lot and its trace | its own step, one up, one down (``visibility.py``) | ✔ all | ✔ all |
| the entry gate's answer | ✔ as receiver | ✔ | ✔ |
| search, district check, investigations, complaints | | ✔ | ✔ |
| start a recall; read every holder's rows | | ✔ | ✔ |
| read a recall, confirm it | its own rows, for itself | ✔ | ✔ |
| record supervision records; read them all; whole-trace graph and CSV; reports | | ✔ | ✔ |
| read its own inspections | ✔ | ✔ | ✔ |
| register parties, manage keys and people's accounts | | | ✔ |

A ``viewer`` (a leader who only reads) may read the district reports and nothing else. An inspector
whose account names areas acts and reads only within them (``scope.py``: ``Scope`` cuts the district
check, the reports, complaints, recalls and supervision lists).

What an operator may record (``check_permissions``): only event types of its trade (each event
class says so: ``operator_may_capture``), only as its own party (the event's ``party``; a ship
is the shipper's, a receive the receiver's; a certificate's ``issuer`` is the party that
captures it), and it retracts only its own party's events. Some types are written only by their
own service (``own_route``): API keys by the keys service, entry refusals by the receiving desk.
Who may issue which certificate is data (``rules.toml`` ``[authority]``, ``authority.py``), and
custody (a party passes on only what it holds) is ``custody.py``; ``door.py`` applies them all.
"""

from __future__ import annotations

from enum import Enum
from typing import Iterable

from foodtrace.errors import Forbidden, Unauthorized
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.model.events import Certificate, ErrorDeclaration, Handoff
from foodtrace.model.lots import Lot
from foodtrace.model.registry import OFFICE_EVENT_TYPES, OPERATOR_EVENT_TYPES
from foodtrace.model.vocab import HandoffAction, Role
from foodtrace.services.capture.principal import Principal
from foodtrace.services.capture.visibility import may_read_lot

NO_KEY = "sign in, or send an API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"


def no_key() -> Unauthorized:
    """401: no key and no session (``NO_KEY``, said in the reader's language)."""
    return keyed(Unauthorized, "access_no_key", bearer="Authorization: Bearer <key>", header="X-API-Key: <key>")


class Action(str, Enum):
    CAPTURE = "capture"
    RECEIVE = "receive"
    READ_LOT = "read_lot"
    SEARCH = "search"
    READ_PARTY = "read_party"
    REGISTER_PARTY = "register_party"
    MANAGE_KEYS = "manage_keys"
    MANAGE_USERS = "manage_users"  # people's accounts
    WHOAMI = "whoami"
    ENTRY_CHECK = "entry_check"
    INSPECT = "inspect"  # the district check, investigations, complaints
    RECALL = "recall"
    READ_RECALL = "read_recall"
    CONFIRM_RECALL = "confirm_recall"
    RECALL_STATUS = "recall_status"
    SUPERVISE = "supervise"  # record supervision records
    READ_SUPERVISION = "read_supervision"  # every supervision record, risk, figures
    READ_OWN_INSPECTIONS = "read_own_inspections"
    READ_WHOLE_TRACE = "read_whole_trace"  # the console's graph and CSV: every holder
    READ_REPORT = "read_report"


_ALL = frozenset({Role.OPERATOR, Role.INSPECTOR, Role.ADMIN})  # a viewer reads the reports only
_OFFICE = frozenset({Role.INSPECTOR, Role.ADMIN})
ROLES: dict[Action, frozenset[Role]] = {
    Action.CAPTURE: frozenset({Role.OPERATOR, Role.ADMIN}),
    Action.RECEIVE: frozenset({Role.OPERATOR, Role.ADMIN}),
    Action.READ_LOT: _ALL,
    Action.SEARCH: _OFFICE,
    Action.READ_PARTY: _ALL,
    Action.REGISTER_PARTY: frozenset({Role.ADMIN}),
    Action.MANAGE_KEYS: frozenset({Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.WHOAMI: _ALL,
    Action.ENTRY_CHECK: _ALL,
    Action.INSPECT: _OFFICE,
    Action.RECALL: _OFFICE,
    Action.READ_RECALL: _ALL,
    Action.CONFIRM_RECALL: _ALL,
    Action.RECALL_STATUS: _ALL,
    Action.SUPERVISE: _OFFICE,
    Action.READ_SUPERVISION: _OFFICE,
    Action.READ_OWN_INSPECTIONS: _ALL,
    Action.READ_WHOLE_TRACE: _OFFICE,
    Action.READ_REPORT: _OFFICE | {Role.VIEWER},
}


def require(principal: Principal | None, action: Action) -> Principal:
    """The caller, if its role may do ``action``; else 401 (no key) or 403."""
    if principal is None:
        raise no_key()
    if principal.role not in ROLES[action]:
        allowed = ", ".join(sorted(r.value for r in ROLES[action]))
        raise keyed(Forbidden, "access_role_may_not", [refusal(None, "role", "access_role_not", role=principal.role.value)],
                    role=principal.role.value, action=action.value.replace("_", " "), allowed=allowed)
    return principal


def sees_everything(principal: Principal) -> bool:
    return principal.role in _OFFICE


def require_acts_for(principal: Principal, party: str, field: str) -> None:
    """An operator may act only for its own party."""
    if principal.role != Role.ADMIN and party != principal.party:
        raise keyed(Forbidden, "access_acts_for", [refusal(None, field, "access_must_be", party=principal.party)],
                    party=principal.party, other=party)


def require_acts_for_unless_inspecting(principal: Principal, party: str, field: str) -> None:
    """Inspectors and admins may name any party; an operator only its own."""
    if not sees_everything(principal):
        require_acts_for(principal, party, field)


def acting_party(principal: Principal, given: str | None, field: str = "by") -> str:
    """The party a record is made by: the caller's own, or (admin only) the one given."""
    if given is None or given == principal.party:
        if principal.party is None:
            raise keyed(Forbidden, "access_say_party", [refusal(None, field, "pyd_missing")])
        return principal.party
    require_acts_for(principal, given, field)
    return given


def require_party_read(principal: Principal, party: str) -> None:
    if not sees_everything(principal) and party != principal.party:
        raise keyed(Forbidden, "access_own_party_read", [refusal(None, "id", "access_must_be", party=principal.party)],
                    party=principal.party)


# -- capture ---------------------------------------------------------------


_A = {Role.OPERATOR: "an operator", Role.INSPECTOR: "an inspector", Role.ADMIN: "an administrator",
      Role.VIEWER: "a viewer"}

# What each role may record at all (an administrator: everything but the own-route types).
_TYPES: dict[Role, frozenset[str]] = {Role.OPERATOR: OPERATOR_EVENT_TYPES, Role.INSPECTOR: OFFICE_EVENT_TYPES}


def _authored_by(ev, party: str | None, role: Role = Role.OPERATOR) -> str | None:
    """None when ``party`` is the author of ``ev``; else the field that says otherwise. A ship is the
    shipper's to record, a receive the receiver's; a certificate is its issuer's. An inspector records
    a recall confirmation for the holder it names (the confirmation's ``party``)."""
    if role == Role.INSPECTOR and ev.type == "recall_confirmation":
        return None
    if ev.party != party:
        return "party"
    if isinstance(ev, Handoff):
        side = ev.from_party if ev.action == HandoffAction.SHIP else ev.to_party
        if side != party:
            return "from_party" if ev.action == HandoffAction.SHIP else "to_party"
    if isinstance(ev, Certificate) and ev.issuer != party:
        return "issuer"
    return None


def check_permissions(store: GraphStore, principal: Principal, events: Iterable, via: str | None = None) -> list[dict]:
    """Every event the caller may not write, as error details (position, field, reason): types outside its
    role or route, events of another party, retractions of another party's events."""
    events = list(events)
    problems: list[dict] = []
    targets = sorted({t for ev in events if isinstance(ev, ErrorDeclaration) for t in ev.retracts})
    stored = {eid: se.event for eid, se in store.get_events(targets).items()} if targets else {}
    in_batch = {ev.event_id: ev for ev in events}
    admin = principal.is_admin
    allowed = _TYPES.get(principal.role, frozenset())
    for pos, ev in enumerate(events):
        route = type(ev).own_route
        if route is not None and via != route:
            problems.append(refusal(pos, "type", "access_own_route", type=ev.type, route=route))
        elif not admin and ev.type not in allowed:
            problems.append(refusal(pos, "type", "access_not_role", type=ev.type, role=principal.role.value,
                                    role_a=_A[principal.role]))
        elif not admin and (fld := _authored_by(ev, principal.party, principal.role)):
            problems.append(refusal(pos, fld, "access_own_party", party=principal.party))
        if isinstance(ev, ErrorDeclaration):
            for i, target in enumerate(ev.retracts):
                prior = stored.get(target) or in_batch.get(target)
                if not admin and (prior is None or prior.party != principal.party):
                    # another party's event and an unknown id are refused alike: an operator learns neither
                    # that an event exists (ids are content hashes: a guessed event would be confirmed) nor its type
                    problems.append(refusal(pos, f"retracts[{i}]", "access_retract_other", event=target,
                                            party=principal.party))
                elif prior is None:
                    continue  # unknown: the store refuses it with its own reason
                elif type(prior).own_route is not None:
                    problems.append(refusal(pos, f"retracts[{i}]", "access_retract_route", type=prior.type))
    return problems


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
    raise keyed(Forbidden, "access_lot_unseen", [refusal(None, "code", "access_not_own_lot")], code=lot.code,
                party=principal.party)
