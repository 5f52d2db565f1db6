"""The EPCIS 2.0 REST binding's top-level resources (event types, EPCs, business steps, business
locations, read points, dispositions) and named queries.

Business steps and dispositions are CBV 2.0's lists; EPCs, business locations and read points are
those named by the events the caller may read (``epcis_query.reader``: an inspector's areas cut them) (looked at in log order, paged like events).
Named queries are kept per party in the server process (``NamedQueries``): they are lost when it
restarts, and another server process does not see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
import json
import re

from foodtrace.errors import BadQuery, Conflict, NotFound, TooLarge
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.ingest.epcis import EVENT_TYPES
from foodtrace.model.codes import canonical_code
from foodtrace.services.admin.sessions import SessionDB
from foodtrace.services.capture.access import Action, Principal, require
from foodtrace.services.tracing.epcis_query import (ANY, MAX_SCAN, EpcisQuery, as_epcis, encode_token,
                                                    parse_query, reader)

BIZ_STEPS = (
    "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance",
    "cycle_counting", "decommissioning", "departing", "destroying", "disassembling", "dispensing", "encoding",
    "entering_exiting", "holding", "inspecting", "installing", "killing", "loading", "other", "packing", "picking",
    "receiving", "removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "sampling",
    "sensor_reporting", "shipping", "staging_outbound", "stock_taking", "stocking", "storing", "transporting",
    "unloading", "unpacking", "void_shipping")
DISPOSITIONS = (
    "active", "available", "completeness_inferred", "completeness_verified", "conformant", "container_closed",
    "container_open", "damaged", "destroyed", "dispensed", "disposed", "encoded", "expired", "in_progress",
    "in_transit", "inactive", "mismatch_instance", "mismatch_class", "mismatch_quantity", "needs_replacement",
    "no_pedigree_match", "non_conformant", "non_sellable_other", "partially_dispensed", "recalled", "reserved",
    "retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen", "unavailable",
    "unknown")
STATIC = {"eventTypes": tuple(sorted(EVENT_TYPES)), "bizSteps": BIZ_STEPS, "dispositions": DISPOSITIONS}
FILTER_OF = {"eventTypes": "eventType", "bizSteps": "EQ_bizStep", "dispositions": "EQ_disposition",
             "epcs": ANY, "bizLocations": "EQ_bizLocation", "readPoints": "EQ_readPoint"}
MAX_NAMED_QUERIES = 100  # per party
NAME = re.compile(r"^[A-Za-z0-9_.~-]{1,100}$")


def _values(item: dict, kind: str) -> list[str]:
    if kind == "epcs":
        raw = [item.get("parentID")] + [x for f in ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
                                         for x in item.get(f) or []]
        raw += [q.get("epcClass") for f in ("quantityList", "childQuantityList", "inputQuantityList",
                                             "outputQuantityList") for q in item.get(f) or [] if isinstance(q, dict)]
        return [canonical_code(x) for x in raw if isinstance(x, str)]
    where = item.get({"bizLocations": "bizLocation", "readPoints": "readPoint"}[kind])
    return [where["id"]] if isinstance(where, dict) and isinstance(where.get("id"), str) else []


def collection(store: GraphStore, principal: Principal | None, kind: str, after: int = 0,
               per_page: int = 30) -> tuple[list[str], str | None]:
    """The names of a top-level resource (``kind``) and the token of the next page (None: the last)."""
    readable = reader(store, require(principal, Action.READ_LOT))
    if kind in STATIC:
        names = list(STATIC[kind])
        start = min(after, len(names))
        rest = names[start:start + per_page]
        return rest, encode_token(start + per_page) if start + per_page < len(names) else None
    found: dict[str, None] = {}
    scanned = 0
    while scanned < MAX_SCAN:
        page = store.log_page(after, 500)
        for se in page:
            after, scanned = se.seq, scanned + 1
            item = as_epcis(store, se) if readable(se) else None
            for v in _values(item, kind) if item else []:
                found.setdefault(v, None)
            if len(found) >= per_page:
                return list(found)[:per_page], encode_token(after)
        if len(page) < 500:
            return list(found), None
    return list(found), encode_token(after)


def resource_query(kind: str, name: str, params: dict) -> EpcisQuery:
    """The events query of ``/{kind}/{name}/events``: the caller's parameters and the resource's filter."""
    if kind not in FILTER_OF:
        raise keyed(NotFound, "query_no_resource", kind=kind)
    if kind in STATIC and name not in STATIC[kind] and not (kind != "eventTypes" and ":" in name):
        raise keyed(NotFound, "query_no_such", [refusal(None, kind, "epcis_unknown")], kind=kind[:-1], name=name)
    q = parse_query(params)
    q.filters[FILTER_OF[kind]] = [name]
    return q


@dataclass(frozen=True)
class NamedQuery:
    name: str
    query: dict[str, str]
    created: datetime

    def as_json(self) -> dict:
        return {"name": self.name, "query": {k: v.split("|") for k, v in self.query.items()},
                "createdAt": self.created.isoformat()}


_SCHEMA = ("CREATE TABLE IF NOT EXISTS named_queries (party TEXT NOT NULL, name TEXT NOT NULL, query TEXT NOT NULL, "
           "created TEXT NOT NULL, PRIMARY KEY (party, name))")


def _named(row) -> NamedQuery:
    name, query, created = row
    return NamedQuery(name, json.loads(query), datetime.fromisoformat(created))


class NamedQueries:
    """Named queries per party, in the server's database ``db`` beside the store (the sessions database,
    ``services.admin.sessions``: every worker of ``serve --workers N`` sees them, a restart keeps them);
    in memory, for this process, without one."""

    def __init__(self, db: SessionDB | None = None) -> None:
        self.db = db or SessionDB(":memory:")

    def _conn(self):
        """The database with this part's tables (call under ``db.lock``)."""
        return self.db.with_tables(_SCHEMA)

    def create(self, principal: Principal | None, body: object) -> NamedQuery:
        who = require(principal, Action.READ_LOT)
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not isinstance(body.get("query"), dict):
            raise keyed(BadQuery, "query_named_needs", [refusal(None, "name", "query_required")])
        name = body["name"]
        if not NAME.match(name):
            raise keyed(BadQuery, "query_name_form", [refusal(None, "name", "query_invalid")], low=1, high=100)
        raw = {k: (v if isinstance(v, str) else "|".join(str(x) for x in v) if isinstance(v, list) else str(v))
               for k, v in body["query"].items() if k not in ("perPage", "nextPageToken")}
        parse_query(raw)  # 400 / 501 now rather than when it runs
        made = NamedQuery(name, raw, datetime.now(timezone.utc))
        with self.db.lock:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")  # one step for every worker: the cap and the name hold
            try:
                if conn.execute("SELECT 1 FROM named_queries WHERE party = ? AND name = ?", (who.party, name)).fetchone():
                    raise keyed(Conflict, "query_name_used", [refusal(None, "name", "query_exists")], name=name)
                (n,) = conn.execute("SELECT count(*) FROM named_queries WHERE party = ?", (who.party,)).fetchone()
                if n >= MAX_NAMED_QUERIES:
                    raise keyed(TooLarge, "query_too_many", max=MAX_NAMED_QUERIES)
                conn.execute("INSERT INTO named_queries VALUES (?,?,?,?)",
                             (who.party, name, json.dumps(raw, ensure_ascii=False), made.created.isoformat()))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return made

    def list(self, principal: Principal | None) -> list[NamedQuery]:
        who = require(principal, Action.READ_LOT)
        with self.db.lock:
            rows = self._conn().execute("SELECT name, query, created FROM named_queries WHERE party = ? ORDER BY rowid",
                                        (who.party,)).fetchall()
        return [_named(r) for r in rows]

    def get(self, principal: Principal | None, name: str) -> NamedQuery:
        who = require(principal, Action.READ_LOT)
        with self.db.lock:
            row = self._conn().execute("SELECT name, query, created FROM named_queries WHERE party = ? AND name = ?",
                                       (who.party, str(name)[:200])).fetchone()
        if row is None:
            raise keyed(NotFound, "query_no_named", [refusal(None, "queryName", "epcis_unknown")], name=name)
        return _named(row)

    def delete(self, principal: Principal | None, name: str) -> None:
        self.get(principal, name)  # 401/403/404 first
        who = require(principal, Action.READ_LOT)
        with self.db.lock:
            self._conn().execute("DELETE FROM named_queries WHERE party = ? AND name = ?", (who.party, name))

    def query(self, principal: Principal | None, name: str, params: dict) -> EpcisQuery:
        """The stored query with this request's paging parameters."""
        stored = self.get(principal, name)
        extra = {k: v for k, v in params.items() if k in ("perPage", "nextPageToken")}
        other = set(params) - set(extra)
        if other:
            raise keyed(BadQuery, "query_named_takes", [refusal(None, sorted(other)[0], "query_not_here")],
                        per_page="perPage", token="nextPageToken")
        return parse_query({**stored.query, **extra})


__all__ = ["collection", "resource_query", "NamedQueries", "NamedQuery", "STATIC", "FILTER_OF"]
