"""``foodtrace ingest FILE --batch-size N`` with its worker process (forced on by ``FOODTRACE_INGEST_WORKER=1``,
as a large file turns it on) says what it says without one: the same counts, the same refusal at the
same line, in the chosen language, no traceback; and the store holds the same."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from tests.builders import commission, pork_chain


def run(url: str, *args: str, worker: str, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "FOODTRACE_INGEST_WORKER": worker}
    return subprocess.run([sys.executable, "-m", "foodtrace", "--lang", lang, "--store", url, *args],
                          capture_output=True, text=True, env=env, timeout=300)


def events_of(path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT seq, event_id, digest, json_remove(body, '$.record_time') FROM events "
                          "ORDER BY seq").fetchall()


def test_the_worker_ingests_as_one_process_does(tmp_path):
    f = tmp_path / "chain.jsonl"
    f.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in pork_chain()) + "\n", encoding="utf-8")
    out = {}
    for worker in ("1", "0"):
        db = tmp_path / f"w{worker}.db"
        p = run(f"sqlite:///{db}", "ingest", str(f), "--batch-size", "4", worker=worker)
        assert p.returncode == 0, p.stderr
        out[worker] = (p.stdout, events_of(db))
    assert out["1"] == out["0"] and "stored: 15" in out["1"][0] and "committed: 15" in out["1"][0]


def test_a_refused_line_is_named_in_chinese_with_the_worker_and_the_batches_before_it_stay(tmp_path):
    lines = [json.dumps(e) for e in pork_chain()[:5]] + [json.dumps(commission("B", unit="lb"))]
    f = tmp_path / "bad.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = {}
    for worker in ("1", "0"):
        db = tmp_path / f"b{worker}.db"
        p = run(f"sqlite:///{db}", "ingest", str(f), "--batch-size", "4", worker=worker, lang="zh")
        assert p.returncode == 1 and "Traceback" not in p.stderr
        out[worker] = (p.stderr.splitlines()[-3:], len(events_of(db)))
    assert out["1"] == out["0"] and out["1"][1] == 4
    assert any("#6" in line and "lots[0].unit" in line for line in out["1"][0]), out["1"][0]
