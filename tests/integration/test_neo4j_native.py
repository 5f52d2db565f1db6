"""Neo4j answers every contract read natively: their query plans seek indexes and never scan the log
(``Event`` nodes), the full trace is one pruning breadth-first query, and a database written before the
search and key properties existed gets its indexes and properties when it is opened."""

from __future__ import annotations

from datetime import datetime, timezone
import hashlib

import pytest

from foodtrace.graph import neo4j_queries as q, trades
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.builders import cert, commission, register, transform
from tests.integration.test_neo4j_backend import _db_hits, _diamonds, _operators
from tests.neo4j_support import fresh_neo4j_store, neo4j_settings

LOG = 3000


@pytest.fixture(scope="module")
def big():
    """A log of 3,000+ events: a scan of it would show in the plans' db hits."""
    s = fresh_neo4j_store()
    capture(s, [register(f"FARM-{i}", name=f"农场 {i}") for i in range(20)])
    capture(s, [commission(f"LOT-{i:05d}", party=f"FARM-{i % 20}") for i in range(LOG)])
    capture(s, [cert([f"LOT-{i:05d}"], issuer="V1") for i in range(0, LOG, 100)])
    digest = hashlib.sha256(b"key-1").hexdigest()
    capture(s, [{"type": "api_key_issued", "event_time": "2025-03-01T08:00:00+08:00", "party": "ADMIN",
                 "key_id": "k_" + digest[:16], "key_hash": digest, "holder": "FARM-1", "role": "operator"}])
    yield s, digest
    s.close()



def _scans_events(plan) -> bool:
    return any(op.startswith(("NodeByLabelScan", "AllNodesScan")) for op in _operators(plan))


@pytest.mark.parametrize("query,params", [
    (q.API_KEY, {"h": "0" * 64}),
    (q.API_KEYS, {}),
    (q.EVENTS_OF_TYPE, {"type": "certificate", "after": 0, "limit": 1000}),
    (q.SEARCH_LOTS, {"t": "lot-0001", "limit": 20}),
    (q.SEARCH_PARTIES, {"t": "农场 1", "limit": 20}),
    (q.PARTY_LOT_COUNTS, {"ids": ["FARM-3"]}),
    (q.TRACE_BACKWARD, {"code": "LOT-00001", "limit": 10**9, "cap": 10**9 - 1, "all": False}),
    (trades.NEO4J_PARTY_TRADES, trades.neo4j_params("FARM-1", datetime(2025, 4, 1, tzinfo=timezone.utc),
                                                    datetime(2025, 5, 1, tzinfo=timezone.utc))),
])
def test_contract_reads_seek_indexes_and_never_scan_the_log(big, query, params):
    store, _ = big
    plan = store.explain(query, **params)
    assert not _scans_events(plan), _operators(plan)
    assert _db_hits(plan) < LOG, (_db_hits(plan), _operators(plan))  # a scan of the log: over one hit per event


def test_the_answers_of_the_native_reads(big):
    store, digest = big
    assert store.api_key(digest).party == "FARM-1" and [k.key_hash for k in store.api_keys()] == [digest]
    assert len(list(store.events_by_type(["certificate"]))) == LOG // 100
    assert [x.code for x in store.search("lot-0001", 3).lots] == ["LOT-00010", "LOT-00011", "LOT-00012"]
    assert [p.id for p in store.search("农场 1", 3).parties] == ["FARM-1", "FARM-10", "FARM-11"]
    assert store.party_lot_counts(["FARM-3", "NOBODY"]) == {"FARM-3": LOG // 20}


@pytest.mark.parametrize("query,start", [(q.TRACE_BACKWARD, "L30"), (q.TRACE_FORWARD, "L0"),
                                         (q.LINEAGE_BACKWARD, "L30"), (q.LINEAGE_FORWARD, "L0")])
def test_trace_and_lineage_are_one_pruning_bfs_query(big, query, start):
    store, _ = big
    if store.get_lot("L30") is None:
        capture(store, _diamonds(30))  # 2^30 paths between L0 and L30
    plan = store.explain(query, code=start, limit=10**9, cap=10**9 - 1, all=False)
    expands = [o for o in _operators(plan) if o.startswith("VarLengthExpand")]
    assert expands and all("Pruning" in o for o in expands), _operators(plan)
    assert _db_hits(plan) < 10_000, _db_hits(plan)
    lineage = store.trace_parts(start, forward=start == "L0").lineage
    assert len(lineage.lots) == 91 and len(lineage.edges) == 120


def test_a_database_from_an_earlier_version_is_indexed_and_backfilled_on_open():
    store = fresh_neo4j_store()
    try:
        digest = hashlib.sha256(b"key-old").hexdigest()
        lot = commission("OLD-Lot")
        lot["lots"][0]["name"] = "老批次"
        capture(store, [register("OLD-FARM", name="旧农场"), lot, transform(["OLD-Lot"], ["OLD-C"]),
                        {"type": "api_key_issued", "event_time": "2025-03-01T08:00:00+08:00", "party": "ADMIN",
                         "key_id": "k_" + digest[:16], "key_hash": digest, "holder": "OLD-FARM", "role": "operator"}])
        with store._session() as s:  # as an earlier version wrote it: none of the new properties or indexes
            s.run("MATCH (l:Lot) REMOVE l.code_cf, l.name_cf").consume()
            s.run("MATCH (p:Party) REMOVE p.id_cf, p.name_cf").consume()
            s.run("MATCH (e:Event) REMOVE e.key_id, e.key_hash").consume()
            s.run("DROP INDEX ft_lot_name_cf IF EXISTS").consume()
        assert store.api_key(digest) is None and store.search("old").lots == []
    finally:
        store.close()
    settings = neo4j_settings()
    reopened = open_store(settings.store, settings)
    try:
        assert reopened.api_key(digest).party == "OLD-FARM"
        assert [x.code for x in reopened.search("old-").lots] == ["OLD-C", "OLD-Lot"]
        assert [x.code for x in reopened.search("老批").lots] == ["OLD-Lot"]
        assert [p.id for p in reopened.search("旧农").parties] == ["OLD-FARM"]
        with reopened._session() as s:
            names = s.run("SHOW INDEXES YIELD name RETURN collect(name) AS n").single()["n"]
        assert q.INDEX_NAMES <= set(names)
    finally:
        reopened.close()


def _queries(store) -> list[str]:
    """Every query ``store`` sends from now on (the real server answers them)."""
    sent: list[str] = []
    fetch = store._fetch

    def counting(query, **params):
        sent.append(query)
        return fetch(query, **params)

    store._fetch = counting
    return sent


def _same(trace) -> dict:
    """A trace as data, its edges in one order (the backends list them in their own)."""
    out = trace.model_dump()
    out["edges"].sort(key=lambda e: (e["source"], e["target"]))
    return out


def test_a_full_trace_reads_its_lots_events_and_parties_in_one_query(tmp_path):
    from foodtrace.services.tracing.trace import backward_trace
    from tests.builders import pork_chain

    chain = pork_chain() + [cert(["RL"], "pesticide_rapid_test", issuer="LAB-NOT-REGISTERED")]
    reference = open_store(f"sqlite:///{tmp_path / 'ref.db'}")
    store = fresh_neo4j_store()
    try:
        capture(reference, chain)
        capture(store, chain)
        sent = _queries(store)
        trace = backward_trace(store, "RCPT")
        assert sent.count(q.TRACE_BACKWARD) == 1
        assert not any("Party" in s for s in sent if s != q.TRACE_BACKWARD), sent  # no second look-up
        expected = _same(backward_trace(reference, "RCPT"))
        assert _same(trace) == expected
        assert trace.parties["AHA"].name == "Animal Health Office"  # named only as an issuer (``peers``)
        assert trace.parties["W1"].kind == "wholesaler"  # named only by the handoffs
        assert trace.parties["LAB-NOT-REGISTERED"].name is None
        with store._session() as s:  # as an earlier version wrote it: no ``peers``; the parties still come
            s.run("MATCH (e:Event) REMOVE e.peers").consume()
        store._forget_models()  # written behind the log's back: what this process kept goes, as on a restart
        sent.clear()
        assert _same(backward_trace(store, "RCPT")) == expected
        assert any("MATCH (p:Party" in s for s in sent)  # the ones the query could not name, read after
    finally:
        store.close()
        reference.close()
