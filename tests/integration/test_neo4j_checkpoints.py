"""The checkpoint shelves (``GraphStore.report_checkpoints``) on both backends: the embedded store's
(``graph/report_facts_checkpoints.py``) and Neo4j's (``graph/neo4j_checkpoints.py``) judge a range the same
way — an event stored or retracted since the mark with a time in ``[start, end)`` makes it stale, one outside
leaves it valid, to the microsecond at both bounds — and keep the newest ``KEEP``. Then what only Neo4j has
to show: its checkpoints are shared by every store on the database, its validity checks seek indexes from
the mark (never the log), and a database from before the checkpoints gets their index on open; and the code
stamp a checkpoint is keyed by covers the module Neo4j's report facts come from."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from foodtrace.graph import neo4j_checkpoints as nc
from foodtrace.graph import open_store
from foodtrace.graph.report_facts_checkpoints import KEEP
from foodtrace.ingest.capture import capture
from foodtrace.services.report.checkpoint import clear
from tests.builders import commission, pork_chain, retract, with_id
from tests.integration.test_neo4j_backend import _db_hits, _operators
from tests.neo4j_support import fresh_neo4j_store, neo4j_settings

APRIL = datetime(2025, 4, 1, tzinfo=timezone.utc)
MAY = datetime(2025, 5, 1, tzinfo=timezone.utc)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}") if request.param == "embedded" else fresh_neo4j_store()
    capture(s, pork_chain())
    yield s
    s.close()


def _lot(store, code: str, time: str) -> str:
    """Store a new lot made at ``time``; its event's id."""
    eid = f"ev-{code}"
    capture(store, [with_id(commission(code, time=time), eid)])
    return eid


def _valid(shelf) -> dict[str, bool]:
    return {"april": shelf.get("t", APRIL, MAY) is not None, "open": shelf.get("t", None, MAY) is not None}


def _keep_both(shelf) -> None:
    hwm = shelf.mark()
    shelf.put("t", APRIL, MAY, hwm, b"april")
    shelf.put("t", None, MAY, hwm, b"open")


def test_a_checkpoint_goes_stale_exactly_when_an_event_of_its_range_is_stored_or_retracted(store):
    shelf = store.report_checkpoints()
    assert shelf.get("t", APRIL, MAY) is None
    _keep_both(shelf)
    assert shelf.get("t", APRIL, MAY) == b"april" and shelf.get("t", None, MAY) == b"open"

    march = _lot(store, "MARCH", "2025-03-15T10:00:00+08:00")  # before April: in the open range only
    assert _valid(shelf) == {"april": True, "open": False}
    _keep_both(shelf)
    _lot(store, "AT-END", "2025-05-01T00:00:00+00:00")  # the end is exclusive
    june = _lot(store, "JUNE", "2025-06-01T10:00:00+08:00")
    capture(store, [retract(june, party="F1", time="2025-06-02T10:00:00+08:00")])  # after the end, both
    assert _valid(shelf) == {"april": True, "open": True}

    capture(store, [retract(march, party="F1", time="2025-06-02T10:00:00+08:00")])  # retracts a March event
    assert _valid(shelf) == {"april": True, "open": False}
    _keep_both(shelf)
    last = _lot(store, "LAST-MICRO", "2025-04-30T23:59:59.999999+00:00")  # a microsecond before the end
    assert _valid(shelf) == {"april": False, "open": False}
    _keep_both(shelf)
    _lot(store, "FIRST-MICRO", "2025-03-31T23:59:59.999999+00:00")  # a microsecond before April
    assert _valid(shelf) == {"april": True, "open": False}
    _keep_both(shelf)
    capture(store, [retract(last, party="F1", time="2025-06-02T10:00:00+08:00")])  # an April event, retracted
    assert _valid(shelf) == {"april": False, "open": False}


def test_a_checkpoint_made_while_the_log_moved_is_stale_at_once(store):
    shelf = store.report_checkpoints()
    hwm = shelf.mark()  # the report begins reading here ...
    _lot(store, "MEANWHILE", "2025-04-10T10:00:00+08:00")  # ... an April event is stored meanwhile ...
    shelf.put("t", APRIL, MAY, hwm, b"april")  # ... and the report keeps what it read
    assert shelf.get("t", APRIL, MAY) is None


def test_the_newest_are_kept_and_clear_drops_them_all(store):
    shelf = store.report_checkpoints()
    hwm = shelf.mark()
    for i in range(KEEP + 6):
        shelf.put(f"k{i}", None, MAY, hwm, f"{i}".encode())
        if i == KEEP:
            shelf.put("k0", None, MAY, hwm, b"0 again")  # made again: now among the newest
    kept = {f"k{i}" for i in range(KEEP + 6) if shelf.get(f"k{i}", None, MAY) is not None}
    assert len(kept) == KEEP and "k0" in kept and {"k1", "k2", "k3", "k4", "k5", "k6"}.isdisjoint(kept)
    assert shelf.get("k0", None, MAY) == b"0 again"
    assert clear(store) == KEEP and clear(store) == 0
    assert shelf.get(f"k{KEEP + 5}", None, MAY) is None


def test_the_code_stamp_covers_where_both_backends_read_the_report_facts():
    from foodtrace.services.report.checkpoint import stamped_files

    names = {f.name for f in stamped_files()}
    assert {"report_facts.py", "report_facts_codec.py", "neo4j_report.py", "anomalies.py", "figures.py",
            "rules.toml"} <= names


@pytest.mark.neo4j
def test_every_store_on_the_database_shares_the_checkpoints():
    first = fresh_neo4j_store()
    settings = neo4j_settings()
    other = open_store(settings.store, settings)  # another process's store: its own driver and connections
    try:
        capture(first, pork_chain())
        shelf, theirs = first.report_checkpoints(), other.report_checkpoints()
        shelf.put("t", APRIL, MAY, shelf.mark(), b"april")
        assert theirs.get("t", APRIL, MAY) == b"april"
        _lot(other, "THEIRS", "2025-04-10T10:00:00+08:00")
        assert shelf.get("t", APRIL, MAY) is None and theirs.get("t", APRIL, MAY) is None
        assert theirs.clear() == 1 and shelf.clear() == 0
    finally:
        other.close()
        first.close()


@pytest.mark.neo4j
def test_stores_keeping_at_once_leave_one_checkpoint_per_key_and_distinct_counters():
    from concurrent.futures import ThreadPoolExecutor

    settings = neo4j_settings()
    stores = [fresh_neo4j_store(), open_store(settings.store, settings)]
    try:
        capture(stores[0], pork_chain())
        hwm = stores[0].report_checkpoints().mark()

        def keep(i: int) -> None:
            shelf = stores[i % 2].report_checkpoints()
            shelf.put("same", None, MAY, hwm, f"{i}".encode())
            shelf.put(f"own-{i}", None, MAY, hwm, f"{i}".encode())

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(keep, range(24)))
        rows = stores[1]._fetch("MATCH (c:ReportCheckpoint) RETURN c.kind AS kind, c.made AS made")
        assert len(rows) == 25 and len({r["made"] for r in rows}) == 25
        assert [r["kind"] for r in rows].count("same") == 1
        assert stores[1].report_checkpoints().get("same", None, MAY) in {f"{i}".encode() for i in range(24)}
    finally:
        for s in stores:
            s.close()


LOG = 3000


@pytest.mark.neo4j
def test_the_validity_checks_seek_indexes_from_the_mark_and_never_read_the_log():
    store = fresh_neo4j_store()
    try:
        capture(store, pork_chain())
        shelf = store.report_checkpoints()
        # plans made afresh on a small log (the server caches them by their text and replans only after a while)
        # must still seek when the log has grown: runs after test_report_checkpoints saw a query of earlier
        # versions (the bounds read from the checkpoint node) scan a whole index
        with store._session() as s:
            s.run("CALL db.clearQueryCaches()").consume()
        shelf.put("t", None, MAY, shelf.mark(), b"small")
        shelf.get("t", None, MAY)
        shelf.changed_since(*nc.bounds(APRIL, MAY), 0)
        capture(store, [commission(f"LOT-{i:05d}", time="2025-04-10T10:00:00+08:00") for i in range(LOG)])
        hwm = shelf.mark()
        shelf.put("t", MAY, datetime(2025, 6, 1, tzinfo=timezone.utc), hwm, b"may")
        late = _lot(store, "LATE", "2025-04-11T10:00:00+08:00")
        capture(store, [retract(late, party="F1", time="2025-06-02T10:00:00+08:00")])
        lo, hi = nc.bounds(APRIL, MAY)
        may_lo, may_hi = nc.bounds(MAY, datetime(2025, 6, 1, tzinfo=timezone.utc))
        may = {"key": nc.key_of("t", may_lo, may_hi), "hwm": hwm, "lo": may_lo, "hi": may_hi}
        for query, params in ((nc.CHANGED, {"hwm": hwm, "lo": lo, "hi": hi}), (nc.MARK_OF, may),
                              (nc.BLOB_IF_UNCHANGED, may)):
            plan = store.explain(query, **params)
            ops = _operators(plan)
            assert not any(op.startswith(("NodeByLabelScan", "AllNodesScan")) for op in ops), ops
            assert _db_hits(plan) < 50, (_db_hits(plan), ops)  # a log scan: over one hit per event
        assert store.report_checkpoints().changed_since(lo, hi, hwm)
        assert shelf.get("t", MAY, datetime(2025, 6, 1, tzinfo=timezone.utc)) == b"may"  # walked both, valid
        # replaced by another process between the two round trips: not read back under the other mark
        assert store._fetch(nc.BLOB_IF_UNCHANGED, **{**may, "hwm": hwm - 1}) == []
    finally:
        store.close()


@pytest.mark.neo4j
def test_a_database_from_before_the_checkpoints_gets_their_index_on_open():
    store = fresh_neo4j_store()
    try:
        with store._session() as s:
            s.run("DROP INDEX ft_event_retracted IF EXISTS").consume()
            s.run("DROP CONSTRAINT ft_checkpoint_key IF EXISTS").consume()
    finally:
        store.close()
    settings = neo4j_settings()
    reopened = open_store(settings.store, settings)
    try:
        with reopened._session() as s:
            names = set(s.run("SHOW INDEXES YIELD name RETURN collect(name) AS n").single()["n"])
        assert {"ft_event_retracted", "ft_checkpoint_key"} <= names
        capture(reopened, pork_chain())
        shelf = reopened.report_checkpoints()
        shelf.put("t", None, MAY, shelf.mark(), b"open")
        assert shelf.get("t", None, MAY) == b"open"
    finally:
        reopened.close()
