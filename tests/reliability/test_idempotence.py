"""Idempotent retries and concurrent capture, on SQLite and Neo4j."""

from __future__ import annotations

import threading

import pytest

from foodtrace.demo.generate import generate
from foodtrace.errors import Conflict
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture, prepare


def _demo_events(n=1500, seed=9):
    _, stream = generate(events=n, seed=seed)
    return list(stream)


def _opener(backend, tmp_path):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'conc.db'}"
        open_store(url).close()
        return lambda: open_store(url)
    from tests.neo4j_support import fresh_neo4j_store, neo4j_settings

    fresh_neo4j_store().close()
    s = neo4j_settings()
    return lambda: open_store(s.store, s)


@pytest.mark.parametrize("backend", ["sqlite", "neo4j"])
def test_replaying_every_capture_three_times_changes_nothing(backend, tmp_path):
    opener = _opener(backend, tmp_path)
    events = _demo_events()
    batches = [events[i:i + 250] for i in range(0, len(events), 250)]
    with opener() as s:
        for b in batches:
            capture(s, b)
        before = (s.counts(), [(e.event_id, e.seq) for e in s.iter_log()])
        for _ in range(3):
            for b in batches:
                res = capture(s, b)
                assert res.stored == [] and len(res.duplicates) == len(b)
        assert (s.counts(), [(e.event_id, e.seq) for e in s.iter_log()]) == before


@pytest.mark.parametrize("backend", ["sqlite", "neo4j"])
def test_eight_concurrent_clients_store_each_event_once(backend, tmp_path):
    opener = _opener(backend, tmp_path)
    events = _demo_events(1200, seed=4)
    batches = [events[i:i + 100] for i in range(0, len(events), 100)]
    errors: list[BaseException] = []
    stored_by: list[int] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        try:
            with opener() as s:
                order = batches[k % len(batches):] + batches[:k % len(batches)]  # each starts elsewhere
                n = 0
                for b in order:
                    for attempt in range(5):
                        try:
                            n += len(capture(s, b).stored)
                            break
                        except Conflict as exc:  # a lost race is retried, as a client would
                            if "retry" not in exc.message or attempt == 4:
                                raise
                with lock:
                    stored_by.append(n)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, errors
    assert sum(stored_by) == len(events)  # each event stored by exactly one client
    with opener() as s:
        assert s.counts()["events"] == len(events)
        ids = [e.event_id for e in s.iter_log()]
        assert len(ids) == len(set(ids)) == len(events)


def test_same_record_time_for_a_batch():
    evs = prepare(_demo_events(200))
    assert len({e.record_time for e in evs}) == 1


def test_cli_and_http_replays_three_times_change_nothing(tmp_path):
    import json as _json
    import sqlite3
    import subprocess
    import sys

    from fastapi.testclient import TestClient

    from foodtrace.api.app import create_app
    from foodtrace.config import Settings
    from foodtrace.services.admin.keys import issue_key
    from tests.builders import register

    events = _demo_events(800, seed=12)
    db = tmp_path / "replay.db"
    f = tmp_path / "events.jsonl"
    f.write_text("\n".join(_json.dumps(e) for e in events) + "\n")

    def snapshot():
        con = sqlite3.connect(db)
        try:
            return [tuple(r) for r in con.execute("SELECT seq, event_id, digest FROM events ORDER BY seq")]
        finally:
            con.close()

    cmd = [sys.executable, "-m", "foodtrace", "--store", f"sqlite:///{db}", "ingest", str(f)]
    subprocess.run(cmd, check=True, capture_output=True)
    first = snapshot()
    for _ in range(3):
        subprocess.run(cmd, check=True, capture_output=True)
    assert snapshot() == first
    with TestClient(create_app(Settings(store=f"sqlite:///{db}"))) as c:
        store = c.app.state.store
        capture(store, [register("ADMIN", "regulator")])
        h = {"Authorization": f"Bearer {issue_key(store, 'ADMIN', 'admin').key}"}
        batch = [{"type": "commission", "event_time": "2025-05-01T08:00:00+08:00", "party": "SF001",
                  "lots": [{"code": "HTTP-REPLAY", "product": "live_pig", "quantity": 3, "unit": "head"}]}]
        assert c.post("/api/v1/events", json=batch, headers=h).status_code == 201
        after = snapshot()
        for _ in range(3):
            r = c.post("/api/v1/events", json=batch, headers=h)
            assert r.status_code == 200 and r.json()["stored"] == 0
        assert snapshot() == after
