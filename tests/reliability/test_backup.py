"""``foodtrace db backup`` while the server captures, restored into a fresh store: the same log, digests and
traces; ``foodtrace db verify`` finds a hand-edited or unreadable event, and reads skip the unreadable one."""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time

from foodtrace.graph import open_store
from foodtrace.graph.raw import raw_log
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.backup import backup, verify
from foodtrace.services.admin.copying import copy_log
from foodtrace.services.admin.keys import issue_key
from foodtrace.services.tracing.trace import backward_trace
from scripts.loadgen import wait_until_serving
from tests.browser_support import free_port
from tests.builders import pork_chain, register


def _cli(*args, store):
    env = {**os.environ, "FOODTRACE_STORE": store, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "foodtrace", "--lang", "en", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def _batch(tag: str) -> list[dict]:
    ids = [f"{tag}-{i}" for i in range(20)]
    return [{"event_id": e, "type": "commission", "event_time": "2025-03-01T08:00:00+08:00", "party": "F1",
             "lots": [{"code": e, "product": "live_pig", "quantity": 1, "unit": "head"}]} for e in ids]


def _log(url: str) -> list[tuple[str, str, str]]:
    with open_store(url) as s:
        return [(r.event_id, r.digest, r.body) for r in raw_log(s)]


def test_backup_under_load_restores_to_the_same_log(tmp_path):
    live = f"sqlite:///{tmp_path / 'live.db'}"
    with open_store(live) as s:
        capture(s, pork_chain() + [register("F1", "scale_farm")])
        key = issue_key(s, "F1", "operator").key
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "foodtrace", "serve", "--port", str(port)],
                              env={**os.environ, "FOODTRACE_STORE": live},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop, acked = threading.Event(), []
    try:
        assert wait_until_serving(port)

        def load():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            n = 0
            while not stop.is_set():
                n += 1
                conn.request("POST", "/api/v1/events", body=json.dumps(_batch(f"b{n}")),
                             headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
                r = conn.getresponse()
                r.read()
                if r.status == 201:
                    acked.append(n)

        t = threading.Thread(target=load)
        t.start()
        time.sleep(1.0)
        p = _cli("db", "backup", str(tmp_path / "backup.db"), store=live)
        during = len(acked)
        time.sleep(0.5)
        stop.set()
        t.join(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert p.returncode == 0, p.stderr
    assert "sqlite-online-backup" in p.stdout
    assert during > 0 and len(acked) > during  # captures ran before and after the backup
    saved, now = _log(f"sqlite:///{tmp_path / 'backup.db'}"), _log(live)
    assert saved == now[:len(saved)] and len(saved) < len(now)  # a prefix of the live log, byte for byte
    tags = {eid.split("-")[0] for eid, _, _ in saved if eid.startswith("b")}
    assert all(sum(eid.startswith(f"{tag}-") for eid, _, _ in saved) == 20 for tag in tags)  # whole batches
    # restore into a fresh store: the same log, digests and traces
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    assert _cli("db", "copy", f"sqlite:///{tmp_path / 'backup.db'}", restored, store=live).returncode == 0
    assert [(e, d) for e, d, _ in _log(restored)] == [(e, d) for e, d, _ in saved]
    with open_store(restored) as r, open_store(live) as lv:
        assert backward_trace(r, "RCPT").lots == backward_trace(lv, "RCPT").lots
        assert verify(r).ok
    v = _cli("db", "verify", store=f"sqlite:///{tmp_path / 'backup.db'}")
    assert v.returncode == 0 and "agree" in v.stdout


def test_logical_export_of_a_store_without_a_file(tmp_path):
    with open_store("memory://") as mem:
        capture(mem, pork_chain())
        report = backup(mem, tmp_path / "export.db")
        assert report.method == "logical-export" and report.events == mem.counts()["events"]
        with open_store(f"sqlite:///{tmp_path / 'export.db'}") as copy:
            assert [(r.event_id, r.digest) for r in raw_log(copy)] == [(r.event_id, r.digest) for r in raw_log(mem)]
            assert backward_trace(copy, "RCPT").lots == backward_trace(mem, "RCPT").lots


def test_verify_lists_edited_and_unreadable_events_and_reads_go_on(tmp_path):
    db = tmp_path / "v.db"
    url = f"sqlite:///{db}"
    with open_store(url) as s:
        capture(s, pork_chain())
        assert verify(s).ok
        first, second = [r for r in raw_log(s)][5:7]  # the commission and the quarantine certificate
    con = sqlite3.connect(db)
    body = json.loads(first.body)
    body["lots"][0]["quantity"] = 99  # a hand edit: content no longer matches its digest
    con.execute("UPDATE events SET body = ? WHERE seq = ?", (json.dumps(body), first.seq))
    con.execute("UPDATE events SET body = ? WHERE seq = ?", ('{"type": "from_the_future"}', second.seq))
    con.commit()
    con.close()
    p = _cli("db", "verify", "--json", store=url)
    assert p.returncode == 1
    kinds = {(x["kind"], x["subject"]) for x in json.loads(p.stdout)["problems"]}
    assert ("digest_mismatch", first.event_id) in kinds and ("unreadable", second.event_id) in kinds
    check = _cli("db", "check", "--json", store=url)  # the trust issue's name for the same listing
    assert check.returncode == 1 and json.loads(check.stdout)["problems"] == json.loads(p.stdout)["problems"]
    with open_store(url) as s:  # reads skip the unreadable event instead of failing
        assert len(list(s.iter_log())) == s.counts()["events"] - 1
        assert backward_trace(s, "RCPT").root == "RCPT"
        copy_log(s, open_store("memory://"))


def test_a_logical_backup_onto_an_existing_file_is_refused_in_the_readers_language(tmp_path):
    """A store that is not a SQLite file (here in memory) is exported, never over an existing file;
    the refusal (once a ModuleNotFoundError: it imported a module that does not exist) said in zh and en."""
    from foodtrace.errors import InvalidInput
    from foodtrace.i18n.refusals import localize

    target = tmp_path / "old.db"
    target.write_bytes(b"keep me")
    with open_store("memory://") as store:
        for lang, said in (("zh", (f"{target} 已存在；备份从不覆盖已有文件", "已存在")),
                           ("en", (f"{target} exists; a backup never overwrites", "exists"))):
            try:
                backup(store, target)
            except InvalidInput as exc:
                localize(exc, lang)
                assert (exc.message, exc.details[0]["field"], exc.details[0]["reason"]) == (said[0], "path", said[1])
            else:
                raise AssertionError("a backup overwrote a file")
    assert target.read_bytes() == b"keep me"
