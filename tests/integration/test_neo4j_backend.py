"""What only the Neo4j backend has to show: its query plans, its errors, and
agreement with the embedded store on a whole demo district."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from foodtrace.config import Settings
from foodtrace.demo.load import load_demo
from foodtrace.errors import StoreUnavailable
from foodtrace.graph import open_store
from foodtrace.graph.neo4j_store import BACKWARD, EDGES, FORWARD
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.copying import copy_log
from tests.builders import transform
from tests.neo4j_support import fresh_neo4j_store, neo4j_settings


@pytest.fixture
def neo():
    s = fresh_neo4j_store()
    yield s
    s.close()


def _operators(plan) -> list[str]:
    out = [plan["operatorType"]]
    for child in plan.get("children", []):
        out += _operators(child)
    return out


def _db_hits(plan) -> int:
    return plan.get("dbHits", 0) + sum(_db_hits(c) for c in plan.get("children", []))


def _diamonds(layers: int) -> list[dict]:
    events, prev = [], ["L0"]
    for layer in range(1, layers + 1):
        a, b, join = f"L{layer}a", f"L{layer}b", f"L{layer}"
        events += [transform(prev, [a], kind="cutting"), transform(prev, [b], kind="cutting"),
                   transform([a, b], [join], kind="mixing")]
        prev = [join]
    return events


@pytest.mark.parametrize("query,start", [(BACKWARD, "L30"), (FORWARD, "L0")])
def test_traversal_plan_is_a_pruning_bfs_not_path_enumeration(neo, query, start):
    capture(neo, _diamonds(30))  # 2^30 paths between L0 and L30
    plan = neo.explain(query, code=start, limit=10**9)
    ops = _operators(plan)
    expands = [o for o in ops if o.startswith("VarLengthExpand")]
    assert expands and all("Pruning" in o for o in expands), ops
    # each of the 91 lots is touched a bounded number of times: far from 2^30
    assert _db_hits(plan) < 5_000, _db_hits(plan)
    edge_plan = neo.explain(EDGES, codes=[f"L{i}" for i in range(31)])
    assert not any(o.startswith("VarLengthExpand") for o in _operators(edge_plan))


def test_sausage_of_200_carcasses_profile(neo):
    carcasses = [f"C{i:03d}" for i in range(200)]
    capture(neo, [transform([f"P{i:03d}"], [c]) for i, c in enumerate(carcasses)]
            + [transform(carcasses, ["SAUSAGE"], kind="processing")])
    plan = neo.explain(BACKWARD, code="SAUSAGE", limit=10**9)
    assert _db_hits(plan) < 5_000
    assert len(neo.backward("SAUSAGE").lots) == 401


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(StoreUnavailable, match="unavailable"):
        open_store("bolt://127.0.0.1:1", Settings())


def test_wrong_password_is_a_clear_error():
    s = neo4j_settings()
    with pytest.raises(StoreUnavailable, match="credentials|unauthorized|authentication"):
        open_store(s.store, s.model_copy(update={"neo4j_password": "not-the-password"}))


def test_cli_unreachable_store_no_traceback():
    p = subprocess.run([sys.executable, "-m", "foodtrace", "--store", "bolt://127.0.0.1:1", "trace", "X"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 1 and "store_unavailable" in p.stderr and "Traceback" not in p.stderr


def test_demo_district_same_lot_sets_as_embedded(neo, tmp_path):
    emb = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        load_demo(emb, events=5000)
        copy_log(emb, neo)  # the same log, ids and record times kept
        assert neo.counts()["events"] == emb.counts()["events"]
        assert neo.counts()["lots"] == emb.counts()["lots"]
        codes = sorted(emb.conn.execute("SELECT code FROM lots").fetchall())
        rnd = random.Random(1)
        sample = [c for (c,) in rnd.sample(codes, min(1000, len(codes)))]
        for code in sample:
            assert neo.backward(code).lots == emb.backward(code).lots, code
            assert neo.forward(code).lots == emb.forward(code).lots, code
        assert set(neo.backward(sample[0]).edges) == set(emb.backward(sample[0]).edges)
        # and back again: Neo4j -> a new SQLite file gives the same log
        back = open_store(f"sqlite:///{tmp_path / 'back.db'}")
        try:
            copy_log(neo, back)
            a = [(se.event_id, se.event.record_time) for se in emb.iter_log()]
            b = [(se.event_id, se.event.record_time) for se in back.iter_log()]
            assert a == b
        finally:
            back.close()
    finally:
        emb.close()
