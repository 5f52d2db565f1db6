"""Bulk ingest and fast open on a real SQLite file: a JSON-lines file ingested through the write door stores
the events the plain pipeline made (same ids, digests, bodies); a large store opens at once and, while its
lineage graph loads in the background, answers every walk exactly as the loaded graph does."""

from __future__ import annotations

from datetime import datetime, timezone
import hashlib
import json
import threading

import pytest

from foodtrace.demo.generate import generate
from foodtrace.errors import InvalidInput
from foodtrace.graph import lineage_load, open_store
from foodtrace.graph.embedded import EmbeddedStore
from foodtrace.ingest.capture import capture
from foodtrace.model.event_base import to_json
from foodtrace.model.registry import EVENT_ADAPTER
from foodtrace.services.capture.imports import ingest_file_as
from foodtrace.services.capture.principal import local
from tests.builders import pork_chain, retract


def reference_rows(raw_events):
    """(event id, digest, body without the record time) as the plain pipeline made them."""
    rows = []
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for raw in raw_events:
        ev = EVENT_ADAPTER.validate_python(raw)
        exclude = {"event_id", "record_time", "captured_by"} | ({"epcis"} if ev.epcis is None else set())
        omitted = {f for cls in type(ev).__mro__ for f in cls.__dict__.get("omitted_when_empty", ())}
        exclude |= {f for f in omitted if getattr(ev, f) is None}
        canon = ev.model_copy(update={"event_time": ev.event_time.astimezone(timezone.utc)}).model_dump_json(
            exclude=exclude)
        digest = hashlib.sha256(canon.encode("utf-8")).hexdigest()
        ev = ev.model_copy(update={"event_id": ev.event_id or f"ni:///sha-256;{digest}?ver=foodtrace1",
                                   "record_time": now, "captured_by": "cli"})
        body = json.loads(to_json(ev))
        body.pop("record_time")
        rows.append((ev.event_id, digest, body))
    return rows


def test_jsonl_ingest_stores_what_the_plain_pipeline_made(tmp_path):
    raw = list(generate(events=2500, seed=11)[1])
    f = tmp_path / "events.jsonl"
    f.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in raw), encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    rep = ingest_file_as(store, local(None), f, batch_size=700)
    assert len(rep.result.stored) == len(raw)
    stored = []
    for eid, digest, body in store.conn.execute("SELECT event_id, digest, body FROM events ORDER BY seq"):
        body = json.loads(body)
        assert body.pop("record_time")
        stored.append((eid, digest, body))
    assert stored == reference_rows(raw)
    # and again: every event a duplicate, nothing new
    again = ingest_file_as(store, local(None), f, batch_size=700)
    assert again.result.stored == [] and len(again.result.duplicates) == len(raw)
    store.close()


def test_a_bad_line_still_stops_the_batch_naming_its_line(tmp_path):
    f = tmp_path / "events.jsonl"
    good = json.dumps(pork_chain()[0])
    f.write_text(f"{good}\n\n# note\n" + '{"type": "commission", "event_time": "2025-01-01T00:00:00+08:00", '
                 '"party": "F1", "lots": [{"code": "X", "product": "live_pig", "quantity": 1e999, "unit": "head"}]}\n'
                 + '{"type": "commission", "party": "F1", "lots": []}\n', encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    with pytest.raises(InvalidInput) as err:
        ingest_file_as(store, local(None), f)
    assert [d["position"] for d in err.value.details] == [4]
    assert "out of range" in err.value.details[0]["reason"]
    assert store.counts()["events"] == 0
    store.close()


@pytest.fixture
def chains(tmp_path):
    """A file store with a few pork chains (and a retracted link), closed."""
    path = tmp_path / "chains.db"
    store = open_store(f"sqlite:///{path}")
    for i in range(4):
        capture(store, pork_chain(prefix=f"C{i}-"))
    eid = store.conn.execute("SELECT e.event_id FROM events e JOIN links l ON l.seq = e.seq "
                             "WHERE e.event_id IN (SELECT event_id FROM events WHERE type = 'transformation') "
                             "ORDER BY e.seq LIMIT 1").fetchone()[0]
    party = store.get_events([eid])[eid].event.party
    capture(store, [retract(eid, party=party)])
    assert store.counts()["retracted"] == 1
    store.close()
    return path


def walks(store, codes):
    out = {}
    for c in codes:
        out[c] = (store.backward(c), store.forward(c), store.backward(c, limit=2), store.forward(c, limit=3))
    return out


def test_a_large_store_walks_in_sqlite_while_its_graph_loads(chains, monkeypatch):
    plain = open_store(f"sqlite:///{chains}")
    codes = [r[0] for r in plain.conn.execute("SELECT code FROM lots ORDER BY code")] + ["NO-SUCH-LOT"]
    expected = walks(plain, codes)
    assert plain._loading is None
    plain.close()

    release = threading.Event()
    real = lineage_load.load_lineage

    def held(conn, top):
        release.wait(30)
        return real(conn, top)

    monkeypatch.setattr(lineage_load, "BACKGROUND_LINKS", 0)
    monkeypatch.setattr(lineage_load, "load_lineage", held)
    store = EmbeddedStore(str(chains)).open()
    try:
        assert store._loading is not None
        assert store.status().lag > 0  # honest: the graph is not there yet
        assert walks(store, codes) == expected  # answered from SQLite
        release.set()
        assert store.status(catch_up=True).lag == 0
        assert store._loading is None
        assert walks(store, codes) == expected  # answered from the graph
        capture(store, pork_chain(prefix="NEW-"))  # writes work, and are walked
        assert len(store.backward(codes[0]).lots) >= 1
        assert store.counts()["links"] == store._graph.number_of_edges()
    finally:
        release.set()
        store.close()


def test_appending_while_the_graph_loads_waits_for_it(chains, monkeypatch):
    release = threading.Event()
    real = lineage_load.load_lineage
    monkeypatch.setattr(lineage_load, "BACKGROUND_LINKS", 0)
    monkeypatch.setattr(lineage_load, "load_lineage", lambda conn, top: (release.wait(30), real(conn, top))[1])
    store = EmbeddedStore(str(chains)).open()
    try:
        timer = threading.Timer(0.2, release.set)
        timer.start()
        res = capture(store, pork_chain(prefix="LATE-"))
        assert res.stored and store._loading is None
        fresh = open_store(f"sqlite:///{chains}")  # small: loaded before open returns
        codes = [r[0] for r in fresh.conn.execute("SELECT code FROM lots")]
        assert walks(store, codes) == walks(fresh, codes)
        fresh.close()
    finally:
        release.set()
        store.close()


def test_waiting_for_the_graph_does_not_hold_up_reads(chains, monkeypatch):
    release = threading.Event()
    real = lineage_load.load_lineage
    monkeypatch.setattr(lineage_load, "BACKGROUND_LINKS", 0)
    monkeypatch.setattr(lineage_load, "load_lineage", lambda conn, top: (release.wait(60), real(conn, top))[1])
    store = EmbeddedStore(str(chains)).open()
    try:
        probe = threading.Thread(target=lambda: store.status(catch_up=True))  # /readyz waits for the graph
        probe.start()
        codes = [r[0] for r in store.conn.execute("SELECT code FROM lots")]
        done = {}
        reader = threading.Thread(target=lambda: done.update(walks=walks(store, codes), lots=store.get_lots(codes)))
        reader.start()
        reader.join(30)
        assert not reader.is_alive() and len(done["lots"]) == len(codes)  # answered while the graph still loads
        assert store._loading is not None and probe.is_alive()
        release.set()
        probe.join(30)
        assert not probe.is_alive() and store.status().lag == 0
    finally:
        release.set()
        store.close()
