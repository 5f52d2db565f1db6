"""The Neo4j backend's Cypher: its schema (constraints, lookup and text indexes, and the backfill of the
properties those indexes read on a database written by an earlier version), and the native answers to the
contract's derived reads — ``search``, ``events_by_type``, ``party_lot_counts``, ``api_keys`` /
``api_key`` and ``trace_parts`` — so that none of them reads and parses the whole log.

Search properties: every ``Lot`` carries ``code_cf`` / ``name_cf`` and every ``Party`` ``id_cf`` /
``name_cf`` (``str.casefold()`` of its code, id and name), each with a TEXT index, so a case-insensitive
substring search is an index ``CONTAINS`` scan. API key events carry ``key_id`` (and the issuance
``key_hash``) as properties with lookup indexes, so a key check is one index seek.
"""

from __future__ import annotations

from typing import Any, Iterable

from foodtrace.graph.neo4j_checkpoints import CHECKPOINT_SCHEMA
from foodtrace.graph.neo4j_report import REPORT_SCHEMA

from foodtrace.model.keys import ApiKey, ApiKeyIssued, ApiKeyRevoked

SCHEMA = [
    "CREATE CONSTRAINT ft_event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.event_id IS UNIQUE",
    "CREATE CONSTRAINT ft_event_seq IF NOT EXISTS FOR (e:Event) REQUIRE e.seq IS UNIQUE",
    "CREATE CONSTRAINT ft_lot_code IF NOT EXISTS FOR (l:Lot) REQUIRE l.code IS UNIQUE",
    "CREATE CONSTRAINT ft_party_id IF NOT EXISTS FOR (p:Party) REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT ft_meta_name IF NOT EXISTS FOR (m:Meta) REQUIRE m.name IS UNIQUE",
    "CREATE INDEX ft_lot_gtin IF NOT EXISTS FOR (l:Lot) ON (l.gtin)",
    "CREATE INDEX ft_event_party IF NOT EXISTS FOR (e:Event) ON (e.party)",
    "CREATE INDEX ft_event_type_time IF NOT EXISTS FOR (e:Event) ON (e.type, e.event_time)",
    "CREATE INDEX ft_feeds_event IF NOT EXISTS FOR ()-[f:FEEDS]-() ON (f.event_id)",
    # native contract reads (issue 22): no log scans
    "CREATE INDEX ft_event_type_seq IF NOT EXISTS FOR (e:Event) ON (e.type, e.seq)",
    "CREATE INDEX ft_event_key_id IF NOT EXISTS FOR (e:Event) ON (e.key_id)",
    "CREATE INDEX ft_event_key_hash IF NOT EXISTS FOR (e:Event) ON (e.key_hash)",
    "CREATE INDEX ft_lot_origin IF NOT EXISTS FOR (l:Lot) ON (l.origin_party)",
    "CREATE TEXT INDEX ft_lot_code_cf IF NOT EXISTS FOR (l:Lot) ON (l.code_cf)",
    "CREATE TEXT INDEX ft_lot_name_cf IF NOT EXISTS FOR (l:Lot) ON (l.name_cf)",
    "CREATE TEXT INDEX ft_party_id_cf IF NOT EXISTS FOR (p:Party) ON (p.id_cf)",
    "CREATE TEXT INDEX ft_party_name_cf IF NOT EXISTS FOR (p:Party) ON (p.name_cf)",
    *REPORT_SCHEMA,  # the statistics report's time index (graph/neo4j_report.py)
    *CHECKPOINT_SCHEMA,  # the report's checkpoints and the retractions' index (graph/neo4j_checkpoints.py)
]
INDEX_NAMES = frozenset(stmt.split()[3 if stmt.startswith("CREATE TEXT") else 2] for stmt in SCHEMA)

KEY_TYPES = ["api_key_issued", "api_key_revoked"]

# A database written before the search and key properties existed gets them once, when the indexes are made.
BACKFILL_LOTS = (
    "MATCH (l:Lot) WHERE l.code_cf IS NULL "
    "CALL (l) { SET l.code_cf = toLower(l.code), l.name_cf = toLower(l.name) } IN TRANSACTIONS OF 10000 ROWS"
)
UNFILLED_PARTIES = "MATCH (p:Party) WHERE p.id_cf IS NULL RETURN p.id AS id, p.body AS body"
UNFILLED_KEY_EVENTS = (
    "MATCH (e:Event) WHERE e.type IN $types AND e.key_id IS NULL RETURN e.seq AS seq, e.body AS body"
)
SET_PARTY_CF = "UNWIND $rows AS r MATCH (p:Party {id: r.id}) SET p.id_cf = r.id_cf, p.name_cf = r.name_cf"
SET_KEY_PROPS = "UNWIND $rows AS r MATCH (e:Event {seq: r.seq}) SET e.key_id = r.key_id, e.key_hash = r.key_hash"

LOT_MAP = "{.code, .product, .quantity, .unit, .name, .gtin, .origin_party, .created_at, .created_by}"

GET_LOTS = f"UNWIND $codes AS c MATCH (l:Lot {{code: c}}) RETURN l {LOT_MAP} AS l"

SEARCH_LOTS = (
    "MATCH (l:Lot) WHERE l.code_cf CONTAINS $t OR l.name_cf CONTAINS $t "
    f"RETURN l {LOT_MAP} AS l ORDER BY l.code LIMIT $limit"
)
SEARCH_PARTIES = (
    "MATCH (p:Party) WHERE p.id_cf CONTAINS $t OR p.name_cf CONTAINS $t "
    "RETURN p.body AS body ORDER BY p.id LIMIT $limit"
)

# One type at a time, from the (type, seq) index in seq order (a page stops after $limit index entries);
# the caller merges the types' streams by seq.
EVENTS_OF_TYPE = (
    "MATCH (e:Event) USING INDEX e:Event(type, seq) WHERE e.type = $type AND e.seq > $after "
    "RETURN e.seq AS seq, e.body AS body, e.retracted_by AS by ORDER BY e.type, e.seq LIMIT $limit"
)
LOG_PAGE = (
    "MATCH (e:Event) WHERE e.seq > $after "
    "RETURN e.seq AS seq, e.body AS body, e.retracted_by AS by ORDER BY e.seq LIMIT $limit"
)

PARTY_LOT_COUNTS = (
    "UNWIND $ids AS p MATCH (l:Lot {origin_party: p}) WHERE l.created_by IS NOT NULL "
    "RETURN p AS party, count(l) AS n"
)

# A key counts when its issuance is the first of its key id and is not retracted; it is revoked while a
# revocation of its key id is in force (the same rule as the log fold and the embedded store's tables).
_KEYS = (
    "MATCH (e:Event) USING INDEX e:Event({index}) WHERE e.type = 'api_key_issued' {extra}"
    "AND e.retracted_by IS NULL "
    "WITH e, e.key_id AS kid "
    "CALL (kid) {{ MATCH (o:Event) USING INDEX o:Event(key_id) WHERE o.key_id = kid "
    "AND o.type = 'api_key_issued' RETURN min(o.seq) AS first }} "
    "WITH e, first WHERE first = e.seq "
    "WITH e ORDER BY e.seq {limit}"
    "RETURN e.seq AS seq, e.body AS body, "
    "EXISTS {{ MATCH (r:Event) USING INDEX r:Event(key_id) WHERE r.key_id = e.key_id "
    "AND r.type = 'api_key_revoked' AND r.retracted_by IS NULL }} AS revoked"
)
API_KEYS = _KEYS.format(index="type, seq", extra="AND e.seq > 0 ", limit="")
API_KEY = _KEYS.format(index="key_hash", extra="AND e.key_hash = $h ", limit="LIMIT 1 ")

# The whole trace in one query, one row: the pruning breadth-first walk (each lot once, $limit = cap + 1 so
# that a cut is seen), the kept lots (the first $cap by code when cut), for each lot its fields, its
# neighbours in the walk's direction (the caller keeps those inside the lot set: the edges) and its events,
# and the parties the lots and events name (``party``, ``peers`` and ``origin_party``: id and stored body,
# the body null for an id not registered), so that a full trace needs no second round trip.
_TRACE = (
    "MATCH (root:Lot {{code: $code}}) "
    "CALL (root) {{ OPTIONAL MATCH (root){walk}(a:Lot) WITH DISTINCT a LIMIT $limit "
    "RETURN collect(a) AS found }} "
    "CALL (found) {{ UNWIND found AS a WITH a ORDER BY a.code LIMIT $cap RETURN collect(a) AS kept }} "
    "UNWIND [root] + kept AS l "
    "CALL (l) {{ OPTIONAL MATCH (l){step}(n:Lot) RETURN collect(DISTINCT n.code) AS near }} "
    "CALL (l) {{ OPTIONAL MATCH (l)<-[:REFS]-(e:Event) WHERE $all OR e.retracted_by IS NULL "
    "RETURN collect(e {{.seq, .body, .retracted_by, .event_time}}) AS evs, "
    "collect(e.party) + reduce(a = [], x IN collect(e.peers) | a + x) AS named }} "
    "WITH size(found) > $cap AS truncated, "
    "collect([l " + LOT_MAP.replace("{", "{{").replace("}", "}}") + ", near, evs]) AS lots, "
    "collect(l.origin_party) + reduce(a = [], x IN collect(named) | a + x) AS ids "
    "CALL (ids) {{ UNWIND ids AS i WITH DISTINCT i OPTIONAL MATCH (p:Party {{id: i}}) "
    "RETURN collect([i, p.body]) AS parties }} "
    "RETURN lots, parties, truncated"
)
TRACE_BACKWARD = _TRACE.format(walk="<-[:FEEDS*1..]-", step="<-[:FEEDS]-")
TRACE_FORWARD = _TRACE.format(walk="-[:FEEDS*1..]->", step="-[:FEEDS]->")

# The lineage alone (``backward`` / ``forward``) the same way: the walk, then each kept lot's neighbours.
_LINEAGE = _TRACE[:_TRACE.index("CALL (l) {{ OPTIONAL MATCH (l)<-[:REFS]")] + (
    "RETURN l.code AS code, near, size(found) > $cap AS truncated")
LINEAGE_BACKWARD = _LINEAGE.format(walk="<-[:FEEDS*1..]-", step="<-[:FEEDS]-")
LINEAGE_FORWARD = _LINEAGE.format(walk="-[:FEEDS*1..]->", step="-[:FEEDS]->")


def cf(text: str | None) -> str | None:
    """The case-folded form search compares (None stays None)."""
    return None if text is None else text.casefold()


def peers(ev) -> list[str]:
    """The parties an event names besides its acting ``party`` (a certificate's issuer, a handoff's two
    sides), stored on its node as ``peers`` so that a trace reads their registrations in its own query."""
    return sorted({p for a in PEER_FIELDS if isinstance(p := getattr(ev, a, None), str) and p != ev.party})


PEER_FIELDS = ("issuer", "from_party", "to_party")


def key_props(ev) -> dict[str, Any]:
    """The indexed key properties an API key event's node carries (none for other events)."""
    if isinstance(ev, ApiKeyIssued):
        return {"key_id": ev.key_id, "key_hash": ev.key_hash}
    if isinstance(ev, ApiKeyRevoked):
        return {"key_id": ev.key_id}
    return {}


def key_from_issuance(ev: ApiKeyIssued, revoked: bool) -> ApiKey:
    return ApiKey(key_id=ev.key_id, key_hash=ev.key_hash, party=ev.holder, role=ev.role, label=ev.label,
                  issued_at=ev.event_time, event_id=ev.event_id, revoked=revoked)


def backfill(session, parse_event, parse_party) -> None:
    """Give nodes written before the search and key properties existed those properties (idempotent:
    only nodes without them are touched). ``parse_event`` / ``parse_party`` read stored JSON bodies."""
    session.run(BACKFILL_LOTS).consume()
    rows = [{"id": r["id"], "id_cf": cf(r["id"]), "name_cf": cf(parse_party(r["body"]).name)}
            for r in session.run(UNFILLED_PARTIES)]
    if rows:
        session.run(SET_PARTY_CF, rows=rows).consume()
    keys = []
    for r in session.run(UNFILLED_KEY_EVENTS, types=KEY_TYPES):
        props = key_props(parse_event(r["body"]))
        keys.append({"seq": r["seq"], "key_id": props.get("key_id"), "key_hash": props.get("key_hash")})
    if keys:
        session.run(SET_KEY_PROPS, rows=keys).consume()


def sorted_types(types: Iterable[str] | None) -> list[str] | None:
    return None if types is None else sorted(set(types))
