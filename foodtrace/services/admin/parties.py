"""The party register (主体备案) as the HTTP API serves it."""

from __future__ import annotations

from datetime import datetime

from foodtrace.errors import NotFound
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.services.capture.door import record
from foodtrace.model.parties import Party
from foodtrace.services.capture.scope import require_party_in_scope
from foodtrace.services.capture.access import Action, Principal, require, require_party_read


def register_party(store: GraphStore, principal: Principal | None, party: Party) -> tuple[Party, bool]:
    """Record a ``party_registration`` by the admin's party. Returns the party
    as registered and whether its id is new (a later registration of the same
    id replaces the earlier one)."""
    admin = require(principal, Action.REGISTER_PARTY)
    new = party.id not in store.get_parties([party.id])
    record(store, admin, [{"type": "party_registration", "event_time": datetime.now().astimezone().isoformat(),
                     "party": admin.party, "registered": party.model_dump(mode="json")}])
    return store.get_parties([party.id])[party.id], new


def read_party(store: GraphStore, principal: Principal | None, party_id: str) -> Party:
    who = require(principal, Action.READ_PARTY)
    require_party_read(who, party_id)
    party = store.get_parties([party_id]).get(party_id)
    if party is None:
        raise keyed(NotFound, "party_none", [refusal(None, "id", "party_unknown")], party=party_id)
    require_party_in_scope(store, who, party_id, "id")
    return party
