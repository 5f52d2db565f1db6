"""A party's trades in a time window (``GraphStore.party_trades``): the handoffs it recorded or is the sender
or receiver of, and the retail sales it recorded, whose event time is in ``[start, end)``, not retracted, in
log order — what a stall's own ledger lists (``services/capture/stall.own_ledger``).

Both backends seek their index of event types and UTC event times (``batch.utc_iso``: one text form, so
text order is time order) and keep only the stored bodies that contain the party's id as a JSON string
(``needle``); the bodies left are parsed and checked exactly (``takes_part``), so a lot code or a
document that happens to spell the id costs a parse, never a wrong row. A stall's month at 1M events
reads that month's trades of that stall instead of every trade of the log (``docs/performance.md``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from pydantic_core import to_json

from foodtrace.graph.batch import utc_iso

TRADE_TYPES = ("handoff", "retail_sale")


def takes_part(ev, party: str) -> bool:
    """Whether ``party`` recorded this trade or, for a handoff, is its sender or receiver."""
    if ev.type == "handoff":
        return party in (ev.party, ev.from_party, ev.to_party)
    return ev.type == "retail_sale" and ev.party == party


def needle(party: str) -> str:
    """The party's id as it is written inside a stored body: a JSON string, quotes included, by the serializer
    that writes the bodies (``model.event_base.to_json``: pydantic's)."""
    return to_json(party).decode()


def window(start: datetime, end: datetime) -> tuple[str, str]:
    return utc_iso(start), utc_iso(end)


SQLITE_PARTY_TRADES = (
    "SELECT e.seq, e.body FROM events e LEFT JOIN retractions r ON r.seq = e.seq "
    f"WHERE e.type IN ({','.join('?' * len(TRADE_TYPES))}) AND e.event_time >= ? AND e.event_time < ? "
    "AND r.seq IS NULL AND instr(e.body, ?) > 0 ORDER BY e.seq"
)


def sqlite_params(party: str, start: datetime, end: datetime) -> tuple:
    return (*TRADE_TYPES, *window(start, end), needle(party))


NEO4J_PARTY_TRADES = (
    "MATCH (e:Event) WHERE e.event_time >= $start AND e.event_time < $end AND e.type IN $types "
    "AND e.retracted_by IS NULL AND e.body CONTAINS $needle "
    "RETURN e.seq AS seq, e.body AS body ORDER BY e.seq"
)


def neo4j_params(party: str, start: datetime, end: datetime) -> dict:
    first, last = window(start, end)
    return {"start": first, "end": last, "types": list(TRADE_TYPES), "needle": needle(party)}


def kept(stored: Iterable, party: str) -> list:
    """The stored events (``StoredEvent``, parsed) the party takes part in."""
    return [se for se in stored if se is not None and takes_part(se.event, party)]


__all__ = ["TRADE_TYPES", "takes_part", "needle", "SQLITE_PARTY_TRADES", "sqlite_params", "NEO4J_PARTY_TRADES",
           "neo4j_params", "kept"]
