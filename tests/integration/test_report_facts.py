"""The statistics report built from the store's report facts (the time index and the facts written on
append, ``graph/report_facts.py``) is the report folded from the whole log — for a year and a month,
after a retraction and a correction, for a store written before the facts existed, and on Neo4j."""

from __future__ import annotations

from datetime import datetime, timezone
import sqlite3

import pytest

from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.graph.report_facts_codec import FOLDED
from foodtrace.graph.store import GraphStore
from foodtrace.ingest.capture import capture
from foodtrace.services.report import district_report
from foodtrace.services.report.period import period
from tests.builders import retract

NOW = datetime(2026, 2, 1, tzinfo=timezone.utc)
PERIODS = [("2025-01-01", "2025-12-31"), ("2025-04-01", "2025-04-30"), ("2025-12-31", "2025-12-31")]


def both(store, first: str, last: str):
    facts = district_report(store, first, last, now=NOW)
    log = district_report(store, first, last, now=NOW, from_log=True)
    return facts, log


def assert_same(store) -> None:
    for first, last in PERIODS:
        facts, log = both(store, first, last)
        assert facts.model_dump() == log.model_dump(), (first, last)


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    path = tmp_path_factory.mktemp("facts") / "demo.db"
    store = open_store(f"sqlite:///{path}")
    load_demo(store, events=4000, seed=5, plant_complaints=True)
    yield store, path
    store.close()


def _ids(store, typ: str, month: str, n: int) -> list[str]:
    return [se.event_id for se in store.events_by_type([typ])
            if se.retracted_by is None and se.event.event_time.isoformat().startswith(month)][:n]


def test_year_and_month_equal_the_log_fold(district):
    store, _ = district
    assert_same(store)
    year, _ = both(store, *PERIODS[0])
    assert year.traceability.records > 1000 and year.tests.rapid.samples > 0 and year.meat[0].kg > 0


def test_retraction_and_correction_update_the_report_at_once(district):
    store, _ = district
    before, _ = both(store, "2025-04-01", "2025-04-30")
    certs = _ids(store, "certificate", "2025-04", 2)
    sale = store.get_events(_ids(store, "retail_sale", "2025-04", 1))
    (sid, se), = sale.items()
    ev = se.event
    corrected = {"type": "retail_sale", "event_time": ev.event_time.isoformat(), "party": ev.party,
                 "lot": {"code": ev.lot.code, "quantity": ev.lot.quantity, "unit": ev.lot.unit.value},
                 "receipt": ev.receipt + "-C", "amount": 12.5}
    capture(store, [retract(*certs, party="REG001", time="2025-04-20T10:00:00+08:00")])
    capture(store, [corrected, retract(sid, party=ev.party, time="2025-04-21T10:00:00+08:00")])
    after, log = both(store, "2025-04-01", "2025-04-30")
    assert after.model_dump() == log.model_dump()
    assert after.traceability.retracted == before.traceability.retracted + 3
    assert sum(r.samples for r in after.tests.monthly) < sum(r.samples for r in before.tests.monthly)
    assert after.trade.transactions == before.trade.transactions + 1  # the corrected sale carries an amount
    assert_same(store)


def test_a_store_written_before_the_facts_is_indexed_once(district, tmp_path):
    store, path = district
    old = tmp_path / "old.db"
    src = sqlite3.connect(path)
    src.backup(dst := sqlite3.connect(old))
    src.close()
    dst.execute("DROP TABLE report_facts")  # as a store of the previous version has it
    dst.execute("DELETE FROM meta WHERE key='report_facts'")
    dst.commit()
    dst.close()
    reopened = open_store(f"sqlite:///{old}")
    try:
        seen: list[tuple[int, int]] = []
        assert reopened.prepare_report(lambda done, total: seen.append((done, total))) == reopened.counts()["events"]
        assert seen and seen[-1][0] == seen[-1][1] == reopened.counts()["events"]
        assert reopened.prepare_report() == 0
        assert_same(reopened)
        # an append by a version without the facts leaves them behind: the next report indexes it
        reopened.conn.execute("DELETE FROM report_facts WHERE seq = (SELECT MAX(seq) FROM events)")
        assert reopened.prepare_report() == 1
        # appends after the migration are indexed by the write itself
        capture(reopened, [retract(_ids(reopened, "certificate", "2025-06", 1)[0], party="REG001",
                                   time="2025-06-30T10:00:00+08:00")])
        assert_same(reopened)
    finally:
        reopened.close()
    fresh = open_store(f"sqlite:///{old}")  # a first report on an unmigrated store builds the facts itself
    try:
        fresh.conn.execute("DELETE FROM report_facts WHERE seq > 100")
        fresh.conn.execute("DELETE FROM meta WHERE key='report_facts'")
    finally:
        fresh.close()
    fresh = open_store(f"sqlite:///{old}")
    try:
        assert_same(fresh)
    finally:
        fresh.close()


def test_the_contract_defaults_agree_with_the_index(district):
    """What a backend without the index answers (``GraphStore``'s defaults, a scan of the log)."""
    store, _ = district
    for first, last in PERIODS:
        p = period(first, last)
        assert GraphStore.report_tally(store, p.start, p.end) == store.report_tally(p.start, p.end)
        skipped = store.report_tally(p.start, p.end, skip=FOLDED)
        assert skipped == GraphStore.report_tally(store, p.start, p.end, skip=FOLDED)
        whole = store.report_tally(p.start, p.end)
        assert skipped.live == {k: n for k, n in whole.live.items() if k[0] not in FOLDED}
        assert (skipped.retracted, skipped.before_end) == (whole.retracted, whole.before_end)
        assert store.report_before_end(p.end) == GraphStore.report_before_end(store, p.end) \
            == GraphStore.report_tally(store, None, p.end).before_end
        assert list(GraphStore.report_facts(store, p.end)) == list(store.report_facts(p.end))
    assert store.report_before_end(None) == GraphStore.report_tally(store, None, None).before_end > 0


@pytest.mark.neo4j
def test_neo4j_report_equals_the_log_fold_and_the_embedded_report(district):
    from foodtrace.services.admin.copying import copy_log
    from tests.neo4j_support import fresh_neo4j_store

    store, _ = district
    neo = fresh_neo4j_store()
    try:
        copy_log(store, neo)
        neo.init_schema()
        for first, last in PERIODS:
            p = period(first, last)
            assert neo.report_tally(p.start, p.end) == GraphStore.report_tally(neo, p.start, p.end)
            assert [s for s, _, _ in neo.report_facts(p.end)] == [s for s, _, _ in GraphStore.report_facts(neo, p.end)]
        assert_same(neo)
        for first, last in PERIODS:
            assert district_report(neo, first, last, now=NOW).model_dump() == \
                district_report(store, first, last, now=NOW).model_dump()
    finally:
        neo.close()


def test_verify_finds_a_report_fact_that_disagrees_with_the_log(district, tmp_path):
    from foodtrace.services.admin.backup import backup, verify

    store, _ = district
    copy = tmp_path / "copy.db"
    backup(store, copy)
    with open_store(f"sqlite:///{copy}") as c:
        assert not [p for p in verify(c).problems if p.kind == "projection_differs"]
        seq = c.conn.execute("SELECT seq FROM report_facts WHERE type='certificate' LIMIT 1").fetchone()[0]
        c.conn.execute("UPDATE report_facts SET fact = replace(fact, '\"pass\"', '\"fail\"') WHERE seq=?", (seq,))
        c.conn.execute("UPDATE report_facts SET party = 'ZZ999' WHERE seq=?", (seq + 1,))
        found = [p for p in verify(c).problems if p.kind == "projection_differs"]
        assert len(found) == 2 and all(p.subject == "report_facts" for p in found)


def test_the_district_check_from_the_report_facts_equals_the_log_fold(district):
    from foodtrace.services.safety.rules import check_district

    store, _ = district
    facts, log = check_district(store), check_district(store, from_log=True)
    assert facts.model_dump() == log.model_dump()
    assert facts.events == store.counts()["events"] - store.counts()["retracted"]
    assert facts.anomalies  # the demo plants problems
