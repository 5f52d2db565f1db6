"""The Neo4j backend: the same contract on a Neo4j 5 server.

Graph model::

    (:Event {seq, event_id, type, event_time, record_time, party, digest, body, retracted_by,
             key_id, key_hash,                           # key_*: API key events only
             peers})                                     # other parties it names (issuer, handoff sides)
    (:Event)-[:REFS]->(:Lot {code, product, quantity, unit, name, gtin, origin_party,
                             created_at, created_by,     # created_by null: placeholder
                             code_cf, name_cf})          # case-folded, for search
    (:Lot)-[:FEEDS {event_id, seq, quantity}]->(:Lot)           # lineage, one per link per event
    (:Party {id, body, seq, id_cf, name_cf})
    (:Meta {name: 'log', seq})                                   # the log's sequence counter
    (:Meta {name: 'checkpoints', made})                          # the checkpoints' counter
    (:ReportCheckpoint {key, kind, lo, hi, hwm, made, blob})     # graph/neo4j_checkpoints.py

A capture batch is one write transaction: it locks the log's ``Meta`` node (so
writers take turns, as in SQLite), plans the batch with the same rules as
every backend (``batch.plan_batch``) and writes with a few ``UNWIND``
statements (``neo4j_write.py``). Reads run as read transactions, so a cluster
may route them to secondaries. Traversals are one Cypher query each whose plan
is a pruning breadth-first expand: each lot is visited once and paths are never
enumerated; a full trace's lineage, lots, events and the parties they name are
one query (``trace_parts``); parsed events and parties are remembered by their
stored text (the same text is the same value: exact without invalidation).
Every contract read is answered by Cypher on indexes (``neo4j_queries.py``):
none reads the log.

The schema (constraints, lookup and text indexes) is created by ``init_schema()``
(``foodtrace db init``), and by ``open()`` when one of its indexes is missing,
with a backfill of the properties new indexes read."""

from __future__ import annotations

import heapq
from itertools import islice
from typing import Any, Iterable, Iterator, Sequence

from foodtrace.errors import Conflict, FoodtraceError, StoreUnavailable
from foodtrace.i18n.keyed import keyed
from foodtrace.graph import neo4j_queries as q
from foodtrace.graph.neo4j_queries import SCHEMA, cf
from foodtrace.graph.neo4j_readcache import Neo4jReadModels
from foodtrace.graph.neo4j_write import append_tx, lot_from_map as _lot
from foodtrace.graph.parsed import ParsedByText
from foodtrace.graph.store import (AppendResult, GraphStore, Lineage, SearchHits, StoredEvent, TraceParts, paged_log,
                                   read_stored)
from foodtrace.model.event_base import _Event
from foodtrace.model.keys import ApiKey
from foodtrace.model.lots import Lot
from foodtrace.model.parties import Party
from foodtrace.model.registry import EVENT_ADAPTER
from foodtrace.graph import neo4j_report, trades

LOT_FIELDS = "code, product, quantity, unit, name, gtin, origin_party, created_at, created_by"

# The walk on its own, as ``LINEAGE_*`` and ``TRACE_*`` (``neo4j_queries.py``) begin; tests profile its plan.
BACKWARD = (
    "MATCH (root:Lot {code: $code}) "
    "OPTIONAL MATCH (root)<-[:FEEDS*1..]-(a:Lot) "
    "WITH DISTINCT a LIMIT $limit RETURN a.code AS code"
)
FORWARD = (
    "MATCH (root:Lot {code: $code}) "
    "OPTIONAL MATCH (root)-[:FEEDS*1..]->(a:Lot) "
    "WITH DISTINCT a LIMIT $limit RETURN a.code AS code"
)
EDGES = (
    "UNWIND $codes AS c MATCH (b:Lot {code: c})<-[:FEEDS]-(a:Lot) "
    "WHERE a.code IN $codes RETURN DISTINCT a.code AS a, b.code AS b"
)


class Neo4jStore(Neo4jReadModels, GraphStore):
    traces_in_one_query = True  # trace_parts: one Cypher query

    def __init__(self, url: str, user: str | None, password: str | None, database: str | None = None,
                 timeout: float = 30.0, read_cache: int = 10_000):
        self.url = url
        self._init_models(read_cache)  # read models kept exact across processes: graph/neo4j_readcache.py
        self._auth = (user, password) if user else None
        self._database = database
        self._timeout = timeout
        self._driver = None
        # the events and parties parsed from stored bodies, remembered by their text (``_stored``, ``_party``)
        self._parsed_event = ParsedByText(EVENT_ADAPTER.validate_json, self.PARSED_MAX)
        self._parsed_party = ParsedByText(Party.model_validate_json, self.PARSED_MAX)

    PARSED_MAX = 20_000  # parsed events and parties remembered

    @classmethod
    def connect(cls, url: str, settings=None) -> "Neo4jStore":
        user = getattr(settings, "neo4j_user", "neo4j")
        password = getattr(settings, "neo4j_password", None)
        database = getattr(settings, "neo4j_database", None)
        return cls(url, user, password, database, getattr(settings, "store_timeout_s", 30.0),
                   getattr(settings, "read_cache_entries", 10_000))

    # -- lifecycle -------------------------------------------------------

    def open(self) -> "Neo4jStore":
        import neo4j

        try:
            self._driver = neo4j.GraphDatabase.driver(
                self.url, auth=self._auth, connection_timeout=min(10.0, self._timeout),
                connection_acquisition_timeout=self._timeout, max_transaction_retry_time=self._timeout / 2,
                # No notifications: the server would send (and the driver log) a warning with every query that
                # names a property no node has yet (``retracted_by`` in a log without retractions): measured
                # as a fifth of the trace query's client CPU, and a log line per consumer scan.
                notifications_min_severity="OFF")
            self._driver.verify_connectivity()
            self._ensure_schema()
        except Exception as exc:  # noqa: BLE001 — every driver failure becomes our error
            self.close()
            if isinstance(exc, FoodtraceError):
                raise
            raise _translate(exc) from exc
        return self

    def _ensure_schema(self) -> None:
        """At open: when an index this version reads is missing (a new database, or one written by an
        earlier version), make the schema and backfill the properties the new indexes read. One cheap
        query when all is in place; a database this account may not change the schema of is left as is
        (``foodtrace db init`` with an admin account makes it)."""
        import neo4j.exceptions as nx

        try:
            with self._session() as s:
                have = set(s.run("SHOW INDEXES YIELD name RETURN collect(name) AS names").single()["names"])
        except nx.Forbidden:  # an account that may not even list them: `foodtrace db init` is for an admin
            return
        if q.INDEX_NAMES <= have:
            return
        try:
            self.init_schema()
        except StoreUnavailable as exc:
            if not isinstance(exc.__cause__, nx.Forbidden):
                raise

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def _session(self, mode: str = "WRITE"):
        if self._driver is None:
            raise keyed(StoreUnavailable, "store_closed")
        return self._driver.session(database=self._database, default_access_mode=mode)

    def _fetch(self, query: str, **params) -> list:
        """The records of one read query, in an auto-commit transaction: one round trip, where a managed
        transaction adds a BEGIN and a COMMIT (half the client and server time of a trace). Retried once
        on a transient failure or a lost connection (a read has no effect to repeat)."""
        import neo4j
        import neo4j.exceptions as nx

        for attempt in (0, 1):
            try:
                with self._session("READ") as s:
                    return list(s.run(neo4j.Query(query, timeout=self._timeout), params))
            except (nx.TransientError, nx.SessionExpired, nx.ServiceUnavailable) as exc:
                if attempt:
                    raise _translate(exc) from exc
            except FoodtraceError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise _translate(exc) from exc
        raise AssertionError("unreachable")

    def _run(self, write: bool, fn, *args):
        """Run ``fn(tx, *args)`` in a managed read or write transaction (retried
        on transient errors by the driver); driver errors become ours."""
        import neo4j

        try:
            with self._session() as s:
                run = s.execute_write if write else s.execute_read
                return run(neo4j.unit_of_work(timeout=self._timeout)(fn), *args)
        except FoodtraceError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise _translate(exc) from exc

    def _read(self, fn, *args):
        return self._run(False, fn, *args)

    def _write(self, fn, *args):
        return self._run(True, fn, *args)

    def init_schema(self) -> None:
        """Create the uniqueness constraints, lookup and text indexes, and backfill the properties they read
        on nodes an earlier version wrote (idempotent)."""
        try:
            with self._session() as s:
                for stmt in SCHEMA:
                    s.run(stmt).consume()
                s.run("CALL db.awaitIndexes(300)").consume()
                q.backfill(s, EVENT_ADAPTER.validate_json, Party.model_validate_json)
        except Exception as exc:  # noqa: BLE001
            raise _translate(exc) from exc

    def wipe(self) -> None:
        """Delete every node of this database (tests only)."""
        try:
            with self._session() as s:
                s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        except Exception as exc:  # noqa: BLE001
            raise _translate(exc) from exc
        finally:
            self._forget_models()

    # -- writing ---------------------------------------------------------

    def append(self, events: Sequence[_Event]) -> AppendResult:
        events = list(events)
        for attempt in range(3):
            try:
                return self._write(append_tx, events)
            except Conflict as exc:
                # two writers raced on a new id: the constraint caught it; replan once more
                if exc.code != "constraint_race" or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    # -- reading ---------------------------------------------------------

    def get_lots(self, codes: Iterable[str]) -> dict[str, Lot]:
        codes = list(dict.fromkeys(codes))
        return {r["l"]["code"]: _lot(r["l"]) for r in self._fetch(q.GET_LOTS, codes=codes)}

    def find_lot_by_gtin(self, gtin: str, lot: str) -> Lot | None:
        rows = self._fetch(
            "MATCH (l:Lot {gtin: $g}) WHERE l.code = $lot OR l.code ENDS WITH ('/10/' + $lot) "
            f"RETURN l {q.LOT_MAP} AS l ORDER BY CASE WHEN l.code = $lot THEN 0 ELSE 1 END, l.code LIMIT 1",
            g=gtin, lot=lot)
        return _lot(rows[0]["l"]) if rows else None

    def lot_events(self, codes: Iterable[str], include_retracted: bool = False) -> dict[str, list[StoredEvent]]:
        codes = list(dict.fromkeys(codes))

        def work():
            out: dict[str, list[StoredEvent]] = {c: [] for c in codes}
            parsed: dict[int, StoredEvent | None] = {}
            rows = self._fetch(
                "UNWIND $codes AS c MATCH (:Lot {code: c})<-[:REFS]-(e:Event) "
                "WHERE $all OR e.retracted_by IS NULL "
                "RETURN c, e.seq AS seq, e.body AS body, e.retracted_by AS by ORDER BY e.event_time, e.seq",
                codes=codes, all=include_retracted,
            )
            for r in rows:
                if r["seq"] not in parsed:
                    parsed[r["seq"]] = self._stored(r["seq"], r["body"], r["by"])
                if parsed[r["seq"]] is not None:
                    out[r["c"]].append(parsed[r["seq"]])
            return out

        return work()

    def get_events(self, event_ids: Iterable[str]) -> dict[str, StoredEvent]:
        ids = list(dict.fromkeys(event_ids))

        def work():
            rows = self._fetch(
                "UNWIND $ids AS i MATCH (e:Event {event_id: i}) "
                "RETURN e.event_id AS id, e.seq AS seq, e.body AS body, e.retracted_by AS by",
                ids=ids,
            )
            found = {r["id"]: read_stored(r["seq"], r["body"], r["by"]) for r in rows}
            return {eid: se for eid, se in found.items() if se is not None}

        return work()

    def _walk(self, code: str, limit: int | None, forward: bool) -> Lineage:
        """One query (``LINEAGE_*``): the pruning walk of ``BACKWARD`` / ``FORWARD``, then the edges among
        the lots kept (the first ``limit`` - 1 by code besides the root when cut)."""
        cap = limit - 1 if limit is not None else 2**62  # the root counts towards the limit
        query = q.LINEAGE_FORWARD if forward else q.LINEAGE_BACKWARD
        rows = self._fetch(query, code=code, limit=cap + 1, cap=cap)
        if not rows:
            return Lineage(code, frozenset([code]), ())
        lots = {r["code"] for r in rows}
        edges = sorted({(r["code"], n) if forward else (n, r["code"]) for r in rows for n in r["near"] if n in lots})
        return Lineage(code, frozenset(lots), tuple(edges), rows[0]["truncated"])

    def backward(self, code: str, limit: int | None = None) -> Lineage:
        return self._walk(code, limit, forward=False)

    def forward(self, code: str, limit: int | None = None) -> Lineage:
        return self._walk(code, limit, forward=True)

    def get_parties(self, ids: Iterable[str]) -> dict[str, Party]:
        ids = list(dict.fromkeys(ids))
        rows = self._fetch("UNWIND $ids AS i MATCH (p:Party {id: i}) RETURN p.id AS id, p.body AS body", ids=ids)
        return {r["id"]: self._party(r["body"]) for r in rows}

    def iter_log(self, after_seq: int = 0) -> Iterator[StoredEvent]:
        def page(last: int) -> list:
            return [(r["seq"], r["body"], r["by"]) for r in self._fetch(q.LOG_PAGE, after=last, limit=1000)]

        return paged_log(page, after_seq)

    def _log_rows(self, query: str, **params) -> list[StoredEvent]:
        rows = self._fetch(query, **params)
        return [se for r in rows if (se := read_stored(r["seq"], r["body"], r["by"])) is not None]

    def log_page(self, after_seq: int, limit: int, types: Iterable[str] | None = None) -> list[StoredEvent]:
        wanted = q.sorted_types(types)
        if limit <= 0 or wanted == []:
            return []
        if wanted is None:
            return self._log_rows(q.LOG_PAGE, after=after_seq, limit=limit)
        pages = [self._log_rows(q.EVENTS_OF_TYPE, type=t, after=after_seq, limit=limit) for t in wanted]
        return list(islice(heapq.merge(*pages, key=lambda se: se.seq), limit))

    def events_by_type(self, types: Iterable[str], after_seq: int = 0) -> Iterator[StoredEvent]:
        """Each type's events from the (type, seq) index, 1000 at a time, merged by seq: never the whole log."""
        return heapq.merge(*(self._of_type(t, after_seq) for t in q.sorted_types(types)), key=lambda se: se.seq)

    def _of_type(self, type_: str, after_seq: int) -> Iterator[StoredEvent]:
        def page(last: int) -> list:
            return [(r["seq"], r["body"], r["by"])
                    for r in self._fetch(q.EVENTS_OF_TYPE, type=type_, after=last, limit=1000)]

        return paged_log(page, after_seq)

    def search(self, text: str, limit: int = 20) -> SearchHits:
        """Case-folded substring match on the text indexes of lot code and name, party id and name."""
        if limit <= 0:
            return SearchHits([], [])
        needle = cf(text)
        lots = [_lot(r["l"]) for r in self._fetch(q.SEARCH_LOTS, t=needle, limit=limit)]
        parties = [Party.model_validate_json(r["body"]) for r in self._fetch(q.SEARCH_PARTIES, t=needle, limit=limit)]
        return SearchHits(lots, parties)

    def party_trades(self, party, start, end):
        rows = self._fetch(trades.NEO4J_PARTY_TRADES, **trades.neo4j_params(party, start, end))
        return trades.kept((read_stored(r["seq"], r["body"]) for r in rows), party)

    def party_lot_counts(self, party_ids: Iterable[str]) -> dict[str, int]:
        ids = list(dict.fromkeys(party_ids))
        return {r["party"]: r["n"] for r in self._fetch(q.PARTY_LOT_COUNTS, ids=ids)}

    def _keys(self, query: str, **params) -> list[ApiKey]:
        return [q.key_from_issuance(se.event, r["revoked"]) for r in self._fetch(query, **params)
                if (se := read_stored(r["seq"], r["body"])) is not None]

    def api_keys(self) -> list[ApiKey]:
        return self._keys(q.API_KEYS)

    def api_key(self, key_hash: str) -> ApiKey | None:
        found = self._keys(q.API_KEY, h=key_hash)
        return found[0] if found else None

    def trace_parts(self, code: str, forward: bool = False, limit: int | None = None) -> TraceParts:
        """One query: the walk, the lots, their edges, their events and the parties they name."""
        cap = limit - 1 if limit is not None else 2**62  # the root counts towards the limit
        query = q.TRACE_FORWARD if forward else q.TRACE_BACKWARD
        found = self._fetch(query, code=code, limit=cap + 1, cap=cap, all=False)
        if not found:
            return TraceParts(Lineage(code, frozenset([code]), ()), {}, {code: []})
        row = found[0]
        lots = {rec["code"]: _lot(rec) for rec, _, _ in row["lots"]}
        edges: list[tuple[str, str]] = []
        events: dict[str, list[StoredEvent]] = {}
        for rec, near, evs in row["lots"]:
            here = rec["code"]
            edges += [(here, n) if forward else (n, here) for n in near if n in lots]
            mine = (self._stored(e["seq"], e["body"], e["retracted_by"])
                    for e in sorted(evs, key=lambda e: (e["event_time"], e["seq"])))
            events[here] = [se for se in mine if se is not None]
        parties = {pid: self._party(body) for pid, body in row["parties"] if pid is not None}
        return TraceParts(Lineage(code, frozenset(lots), tuple(sorted(edges)), row["truncated"]), lots, events,
                          parties)

    def _stored(self, seq: int, body: str, retracted_by: str | None) -> StoredEvent | None:
        """``read_stored`` with the parsed event remembered by its stored body (the same text is the same
        event: exact, no invalidation; ``retracted_by`` comes with every read)."""
        return read_stored(seq, body, retracted_by, self._parsed_event)

    def _party(self, body: str | None) -> Party | None:
        """A stored party registration, remembered by its body as ``_stored`` does (a third of a trace's
        parsing was its parties, the same few in every trace)."""
        return None if body is None else self._parsed_party(body)

    def counts(self) -> dict[str, int]:
        def work(tx):
            one = lambda q: tx.run(q).single()[0]  # noqa: E731
            return {
                "events": one("MATCH (e:Event) RETURN count(e)"),
                "retracted": one("MATCH (e:Event) WHERE e.retracted_by IS NOT NULL RETURN count(e)"),
                "lots": one("MATCH (l:Lot) RETURN count(l)"),
                "unconfirmed_lots": one("MATCH (l:Lot) WHERE l.created_by IS NULL RETURN count(l)"),
                "links": one("MATCH (:Lot)-[f:FEEDS]->(:Lot) RETURN count(DISTINCT [startNode(f), endNode(f)])"),
                "parties": one("MATCH (p:Party) RETURN count(p)"),
            }

        return self._read(work)

    def status(self, catch_up: bool = False):
        """Reachable, the log's counter and the lineage size (from Neo4j's count store: cheap).
        The lineage is the log's own graph here, so it never lags."""
        from foodtrace.graph.status import StoreStatus

        def work(tx):
            seq = tx.run("OPTIONAL MATCH (m:Meta {name: 'log'}) RETURN coalesce(m.seq, 0)").single()[0]
            lots = tx.run("MATCH (l:Lot) RETURN count(l)").single()[0]
            links = tx.run("MATCH ()-[f:FEEDS]->() RETURN count(f)").single()[0]
            return StoreStatus("neo4j", seq, seq, lots, links)

        return self._read(work)

    def report_tally(self, start, end, skip=frozenset()):
        return neo4j_report.tally(self, start, end, skip)

    def report_facts(self, end):
        return neo4j_report.facts(self, end)

    def report_checkpoints(self):  # kept in the database, shared by every process on it (graph/neo4j_checkpoints.py)
        from foodtrace.graph.neo4j_checkpoints import Neo4jShelf

        return Neo4jShelf(self)

    def explain(self, query: str, **params: Any):
        """PROFILE a query and return the plan (for tests and the benchmark)."""
        with self._session() as s:
            return s.run("PROFILE " + query, **params).consume().profile


def _translate(exc: Exception) -> FoodtraceError:
    import neo4j.exceptions as nx

    if isinstance(exc, nx.ConstraintError):
        err = keyed(Conflict, "store_race")
        err.code = "constraint_race"
        return err
    if isinstance(exc, nx.AuthError):
        return keyed(StoreUnavailable, "store_neo4j_credentials", neo4j="Neo4j", reason=exc.message)
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, OSError)):
        return keyed(StoreUnavailable, "store_neo4j_unavailable", neo4j="Neo4j", reason=str(exc))
    if isinstance(exc, nx.Neo4jError):
        return keyed(StoreUnavailable, "store_neo4j_error", neo4j="Neo4j", code=exc.code, reason=exc.message)
    if isinstance(exc, nx.DriverError):
        return keyed(StoreUnavailable, "store_neo4j_driver", neo4j="Neo4j", reason=str(exc))
    return keyed(StoreUnavailable, "store_neo4j_failed", neo4j="Neo4j", reason=str(exc))
