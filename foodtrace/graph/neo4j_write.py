"""The Neo4j backend's writes: a capture batch in one write transaction (the log's ``Meta`` node locked,
the batch planned by ``graph/batch.py`` against what the transaction sees, then written with ``UNWIND``)."""

from __future__ import annotations

from foodtrace.graph import neo4j_queries as q
from foodtrace.graph.batch import BatchPlan, KnownEvent, plan_batch
from foodtrace.graph.neo4j_queries import cf, key_props, peers
from foodtrace.graph.store import AppendResult
from foodtrace.model.events import PartyRegistration
from foodtrace.model.lots import Lot
from foodtrace.model.registry import EVENT_ADAPTER


def lot_from_map(rec: dict) -> Lot:
    return Lot(**{k: v for k, v in rec.items() if v is not None}, unconfirmed=rec.get("created_by") is None)


class TxView:
    """The StoreView that batch planning sees inside the write transaction."""

    def __init__(self, tx):
        self.tx = tx
        self.found_lots: set[str] = set()  # every code a look-up found stored

    def known_events(self, ids: list[str]) -> dict[str, KnownEvent]:
        rows = self.tx.run(
            "UNWIND $ids AS i MATCH (e:Event {event_id: i}) RETURN e.event_id AS id, e.digest AS d, "
            "e.body AS body, e.retracted_by IS NOT NULL AS r",
            ids=ids,
        )
        return {r["id"]: KnownEvent(r["d"], r["r"], EVENT_ADAPTER.validate_json(r["body"])) for r in rows}

    def known_lots(self, codes: list[str]) -> dict[str, Lot]:
        rows = self.tx.run(q.GET_LOTS, codes=codes)
        found = {r["l"]["code"]: lot_from_map(r["l"]) for r in rows}
        self.found_lots.update(found)
        return found

    def successors_many(self, codes: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        rows = self.tx.run(
            "UNWIND $codes AS c MATCH (:Lot {code: c})-[:FEEDS]->(b:Lot) RETURN c, collect(DISTINCT b.code) AS s",
            codes=codes,
        )
        for r in rows:
            out[r["c"]] = r["s"]
        return out


def append_tx(tx, events: list) -> AppendResult:
    """One capture batch inside a write transaction: lock the log, plan, write, move the counter."""
    rec = tx.run(
        "MERGE (m:Meta {name: 'log'}) ON CREATE SET m.seq = 0 SET m.lock = coalesce(m.lock, 0) + 1 "
        "RETURN m.seq AS seq"
    ).single()
    base = rec["seq"]
    view = TxView(tx)
    plan = plan_batch(events, view)
    last = write_plan(tx, plan, base, view.found_lots)
    tx.run("MATCH (m:Meta {name: 'log'}) SET m.seq = $seq", seq=last).consume()
    return AppendResult(stored=[ev.event_id for ev, _ in plan.new], duplicates=plan.duplicates,
                        placeholders=plan.placeholders, last_seq=last)


def write_plan(tx, plan: BatchPlan, base: int, known_lots: frozenset[str] | set[str] = frozenset()) -> int:
    """Write a planned batch numbered from ``base + 1``; return the new top sequence number. Few, large
    statements: one ``UNWIND`` per kind of node or relationship; an event and its lot references in one
    (no look-up of the event just made); lots new to the store are created, not merged (the ``Meta``
    lock makes this writer the only one; ``known_lots``: the codes the planning found stored)."""
    rows = plan.event_rows(base)
    seq_of = {r["event_id"]: r["seq"] for r in rows}
    parties = [{"id": ev.registered.id, "body": ev.registered.model_dump_json(), "seq": seq_of[ev.event_id],
                "id_cf": cf(ev.registered.id), "name_cf": cf(ev.registered.name)}
               for ev, _ in plan.new if isinstance(ev, PartyRegistration)]
    if parties:
        tx.run("UNWIND $rows AS r MERGE (p:Party {id: r.id}) SET p += r", rows=parties).consume()
    fresh, stored = [], []
    for r in plan.lot_rows():
        (stored if r["code"] in known_lots else fresh).append({**r, "code_cf": cf(r["code"]), "name_cf": cf(r["name"])})
    fresh += [{"code": c, "code_cf": cf(c)} for c in plan.placeholders]
    _run(tx, "UNWIND $rows AS r CREATE (l:Lot) SET l = r", fresh)
    _run(tx, "UNWIND $rows AS r MATCH (l:Lot {code: r.code}) SET l += r", stored)
    refs: dict[str, list[str]] = {}
    for code, eid in plan.lot_refs:
        refs.setdefault(eid, []).append(code)
    for row, (ev, _) in zip(rows, plan.new):
        row.update(key_props(ev))
        if named := peers(ev):
            row["peers"] = named
    _run(tx, "UNWIND $rows AS r CREATE (e:Event) SET e = r[0] WITH e, r UNWIND r[1] AS c "
             "MATCH (l:Lot {code: c}) CREATE (e)-[:REFS]->(l)",
         [[row, refs.get(row["event_id"], [])] for row in rows])
    _run(tx, "UNWIND $rows AS r MATCH (e:Event {event_id: r[0]}) SET e.retracted_by = r[1] "
             "WITH r MATCH ()-[f:FEEDS {event_id: r[0]}]->() DELETE f", [list(x) for x in plan.retractions])
    _run(tx, "UNWIND $rows AS c MATCH (l:Lot {code: c}) SET l.product = null, l.quantity = null, l.unit = null, "
             "l.name = null, l.name_cf = null, l.gtin = null, l.origin_party = null, l.created_at = null, "
             "l.created_by = null", plan.unconfirmed())
    _run(tx, "UNWIND $rows AS r MATCH (a:Lot {code: r[0]}) MATCH (b:Lot {code: r[1]}) "
             "CREATE (a)-[:FEEDS {event_id: r[3], seq: r[4], quantity: r[2]}]->(b)",
         [[a, b, q, e, seq_of[e]] for a, b, q, e in plan.links])
    return base + len(plan.new)


def _run(tx, query: str, rows: list) -> None:
    if rows:
        tx.run(query, rows=rows).consume()
