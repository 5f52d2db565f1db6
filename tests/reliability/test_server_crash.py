"""SIGKILL the HTTP server during captures, restart it, and check that every
acknowledged batch is stored and no batch is stored in part; then a mixed load
on loopback with zero errors."""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from scripts.loadgen import wait_until_serving
from tests.browser_support import free_port
from tests.builders import register
from tests.conftest import REPO_ROOT

KILLS = 6


def _start(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "FOODTRACE_STORE": url}
    p = subprocess.Popen([sys.executable, "-m", "foodtrace", "serve", "--port", str(port)], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if wait_until_serving(port):
        return p
    p.kill()
    raise RuntimeError("server did not start")


def test_server_killed_during_captures_loses_no_acknowledged_batch(tmp_path):
    db = tmp_path / "srv.db"
    url = f"sqlite:///{db}"
    with open_store(url) as s:
        capture(s, [register("F1", "scale_farm")])
        key = issue_key(s, "F1", "operator").key
    port = free_port()
    acked: list[list[str]] = []
    sent: list[list[str]] = []
    rnd = random.Random(3)
    n = 0
    for round_ in range(KILLS):
        server = _start(url, port)
        stop = threading.Event()

        def client():
            nonlocal n
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            while not stop.is_set():
                n += 1
                ids = [f"r{round_}-b{n}-{i}" for i in range(20)]
                batch = [{"event_id": e, "type": "commission", "event_time": "2025-03-01T08:00:00+08:00",
                          "party": "F1", "lots": [{"code": e, "product": "live_pig", "quantity": 1, "unit": "head"}]}
                         for e in ids]
                sent.append(ids)
                try:
                    conn.request("POST", "/api/v1/events", body=json.dumps(batch),
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
                    r = conn.getresponse()
                    r.read()
                    if r.status == 201:
                        acked.append(ids)
                except (OSError, http.client.HTTPException):
                    return

        t = threading.Thread(target=client)
        t.start()
        time.sleep(rnd.uniform(0.5, 1.5))
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        stop.set()
        t.join(timeout=30)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {r[0] for r in con.execute("SELECT event_id FROM events")}
    con.close()
    assert acked, "no batch was acknowledged"
    for ids in acked:
        assert set(ids) <= stored
    for ids in sent:
        assert sum(e in stored for e in ids) in (0, len(ids))


def test_mixed_load_on_loopback_has_no_errors():
    p = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "load.py"), "--seconds", "15", "--events", "2000",
                        "--port", str(free_port()), "--json"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    r = json.loads(p.stdout)
    assert r["total_errors"] == 0 and all(r[k]["requests"] > 0 for k in ("scan", "capture", "trace"))
