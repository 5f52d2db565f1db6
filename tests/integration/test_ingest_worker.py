"""A JSON-lines ingest with the worker process (``ingest/jsonl_worker.py``) on real SQLite files: the same
stored log as the one-process ingest (ids, digests, bodies, lots, links), the same refusals at the same
lines with the batches before them kept, and every door check still applied — a refused batch stores
nothing and stops the worker."""

from __future__ import annotations

import json

import pytest

from foodtrace.demo.generate import generate
from foodtrace.errors import FoodtraceError, InvalidInput
from foodtrace.graph import open_store
from foodtrace.graph.batch import EncodedBatch
from foodtrace.ingest import jsonl_worker
from foodtrace.ingest.capture import capture, prepare, read_back
from foodtrace.ingest.jsonl import ingest_jsonl
from foodtrace.services.capture.door import record_events
from foodtrace.model.vocab import Role
from foodtrace.services.capture.principal import Principal, local
from tests.builders import commission, handoff, pork_chain, register


def ingest(store, path, parallel, batch_size=700, principal=None):
    who = principal or local(None)
    return ingest_jsonl(path, append=lambda evs: record_events(store, who, evs), captured_by=who.captured_by,
                        batch_size=batch_size, parallel=parallel)


def stored_log(store):
    rows = store.conn.execute("SELECT seq, event_id, type, event_time, party, digest, body FROM events ORDER BY seq")
    out = []
    for *cols, body in rows:
        body = json.loads(body)
        assert body.pop("record_time")
        out.append((*cols, body))
    return out


def tables(store):
    q = store.conn.execute
    return (q("SELECT * FROM lots ORDER BY code").fetchall(), q("SELECT * FROM links ORDER BY seq, parent, child").fetchall(),
            q("SELECT * FROM lot_events ORDER BY code, seq").fetchall(), q("SELECT * FROM report_facts ORDER BY seq").fetchall())


def write(path, events):
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")


def test_the_worker_stores_what_one_process_stores(tmp_path):
    raw = list(generate(events=3000, seed=5)[1])
    f = tmp_path / "events.jsonl"
    write(f, raw)
    one, two = open_store(f"sqlite:///{tmp_path / 'one.db'}"), open_store(f"sqlite:///{tmp_path / 'two.db'}")
    a, b = ingest(one, f, parallel=False), ingest(two, f, parallel=True)
    assert b.stored == a.stored and len(b.stored) == len(raw) and b.placeholders == a.placeholders
    assert stored_log(two) == stored_log(one)
    # the report's facts hold the record time's neighbours only through seq: compare all but nothing
    assert tables(two) == tables(one)
    again = ingest(two, f, parallel=True)
    assert again.stored == [] and len(again.duplicates) == len(raw)
    one.close(), two.close()


def test_a_bad_line_stops_at_its_batch_and_the_batches_before_it_stay(tmp_path):
    events = pork_chain()
    f = tmp_path / "bad.jsonl"
    lines = [json.dumps(e) for e in events[:6]] + [json.dumps(commission("B", unit="lb"))] + \
        [json.dumps(e) for e in events[6:]]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = {}
    for parallel in (False, True):
        store = open_store(f"sqlite:///{tmp_path / f'{parallel}.db'}")
        with pytest.raises(InvalidInput) as err:
            ingest(store, f, parallel, batch_size=3)
        results[parallel] = ([(d["position"], d["field"]) for d in err.value.details], err.value.message,
                             store.counts()["events"])
        store.close()
    assert results[True] == results[False]
    assert results[True][0] == [(7, "lots[0].unit")] and results[True][2] == 6  # two batches of three kept


def test_a_malformed_line_is_reported_once_the_file_is_read_as_without_the_worker(tmp_path):
    f = tmp_path / "malformed.jsonl"
    good = [json.dumps(e) for e in pork_chain()]
    f.write_text("\n".join(good[:4] + ['{"type": "commission",'] + good[4:]) + "\n", encoding="utf-8")
    results = {}
    for parallel in (False, True):
        store = open_store(f"sqlite:///{tmp_path / f'm{parallel}.db'}")
        with pytest.raises(InvalidInput) as err:
            ingest(store, f, parallel, batch_size=4)
        results[parallel] = ([(d["position"], d["reason"][:30]) for d in err.value.details],
                             store.counts()["events"])
        store.close()
    assert results[True] == results[False] and results[True][0][0][0] == 5 and results[True][1] == 12  # the full batches; the last one is not stored


def test_the_door_still_refuses_what_a_principal_may_not_write_and_stops_the_worker(tmp_path):
    """An operator (F2) passing on a lot it does not hold (custody): refused at its line; the batch before
    stays, nothing of it or after it is stored."""
    lines = [commission("A1", party="F2"), commission("A2", party="F2"),
             handoff("PIG", src="F2", dst="W1", qty=1, party="F2", action="ship"), commission("LATER", party="F2")]
    f = tmp_path / "custody.jsonl"
    write(f, lines)
    results = {}
    for parallel in (False, True):
        store = open_store(f"sqlite:///{tmp_path / f'c{parallel}.db'}")
        capture(store, [register("F1", "scale_farm"), register("F2", "scale_farm"), register("W1", "wholesaler"),
                        commission("PIG", party="F1")])
        with pytest.raises(FoodtraceError) as err:
            ingest(store, f, parallel, batch_size=2, principal=Principal("k-F2", "F2", Role.OPERATOR))
        results[parallel] = ([(d["position"], d["field"]) for d in err.value.details], type(err.value),
                             store.counts()["events"], sorted(store.get_lots(["A1", "A2", "LATER"])))
        store.close()
    assert results[True] == results[False]
    assert results[True][0] == [(3, "lot.code")] and results[True][2] == 6 and results[True][3] == ["A1", "A2"]


def test_a_read_back_batch_is_read_once_and_a_changed_one_again():
    events = EncodedBatch.of(prepare(pork_chain(), captured_by="cli"))
    assert read_back(events) == [] and events.read_back
    events.append(events[0])  # changed after the read-back: not aligned, read again
    assert not events.aligned() and read_back(EncodedBatch.of(events)) == []


def test_when_the_worker_is_used(tmp_path, monkeypatch):
    f = tmp_path / "small.jsonl"
    write(f, pork_chain())
    monkeypatch.setattr(jsonl_worker, "_free_cores", lambda: 1.0)
    assert not jsonl_worker.wanted(f, 10_000)  # small
    monkeypatch.setattr(jsonl_worker, "MIN_BYTES", 1)
    assert jsonl_worker.wanted(f, 10_000)
    monkeypatch.setattr(jsonl_worker, "_free_cores", lambda: 0.3)  # every core busy: one process is faster
    assert not jsonl_worker.wanted(f, 10_000)
    monkeypatch.setattr(jsonl_worker, "_free_cores", lambda: 1.0)
    assert not jsonl_worker.wanted(f, 0)  # one all-or-nothing batch: one process
    monkeypatch.setenv("FOODTRACE_INGEST_WORKER", "0")
    assert not jsonl_worker.wanted(f, 10_000)
    monkeypatch.setattr(jsonl_worker, "MIN_BYTES", 1 << 40)
    monkeypatch.setenv("FOODTRACE_INGEST_WORKER", "1")
    assert jsonl_worker.wanted(f, 10_000) and not jsonl_worker.wanted(f, 0)


def test_odd_times_and_originals_store_the_same_both_ways(tmp_path):
    """Times with microseconds and unusual offsets, one instant at three offsets, an EPCIS original, events
    without ids: the rows the worker makes ahead are the rows one process writes."""
    from tests.unit.test_ingest_fast_paths import odd_events
    from tests.unit.test_ingest_wire_rows import same_instant_other_offsets

    f = tmp_path / "odd.jsonl"
    write(f, odd_events() + same_instant_other_offsets())
    stores = []
    for parallel in (False, True):
        store = open_store(f"sqlite:///{tmp_path / f'odd{parallel}.db'}")
        capture(store, [register("F1", "scale_farm"), register("W1", "wholesaler")])
        res = ingest(store, f, parallel, batch_size=2)
        assert len(res.stored) == 7
        stores.append(store)
    assert stored_log(stores[1]) == stored_log(stores[0]) and tables(stores[1]) == tables(stores[0])
    for store in stores:
        store.close()
