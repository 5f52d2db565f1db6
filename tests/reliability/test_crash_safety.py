"""Crash safety: SIGKILL an ingesting CLI at random moments, then check the
store's integrity, that every acknowledged batch is there and that no batch is
there in part."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from foodtrace.demo.generate import generate

KILLS = 20
BATCH = 150


@pytest.fixture(scope="module")
def events_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("crash") / "events.jsonl"
    _, stream = generate(events=6000, seed=5)
    events = list(stream)
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n")
    return path, [e["event_id"] for e in events]


def _stored_ids(db) -> set[str]:
    if not db.exists():
        return set()  # killed before the store was created
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchone():
            return set()  # killed while creating the schema
        return {r[0] for r in con.execute("SELECT event_id FROM events")}
    finally:
        con.close()


def test_sigkill_during_ingest_loses_no_acknowledged_batch(events_file, tmp_path):
    path, ids = events_file
    batches = [ids[i:i + BATCH] for i in range(0, len(ids), BATCH)]
    rnd = random.Random(42)
    kills = completed = rounds = 0
    db, acked_max = tmp_path / "crash-0.db", 0
    while kills < KILLS:
        rounds += 1
        assert rounds < KILLS * 5, "the ingest never ran long enough to be killed"
        proc = subprocess.Popen(
            [sys.executable, "-m", "foodtrace", "--lang", "en", "--store", f"sqlite:///{db}", "ingest", str(path),
             "--batch-size", str(BATCH)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(rnd.uniform(0.3, 1.6))
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        out, _ = proc.communicate(timeout=120)
        acked = [int(line.rsplit(":", 1)[1]) for line in out.splitlines() if line.startswith("events committed")]
        stored = _stored_ids(db)
        # every acknowledged event is there (earlier runs on this file acknowledged theirs too)
        acked_max = max([acked_max] + acked)
        assert set(ids[:acked_max]) <= stored
        # each batch is all or nothing (the file and the batch size are fixed, so batches line up run after run)
        for b in batches:
            present = sum(1 for e in b if e in stored)
            assert present in (0, len(b)), f"batch partly stored: {present} of {len(b)}"
        if not killed:
            assert proc.returncode == 0 and stored == set(ids)
            completed += 1
            db, acked_max = tmp_path / f"crash-{rounds}.db", 0  # start over on a fresh file
    assert kills >= KILLS
