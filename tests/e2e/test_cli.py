"""The CLI as a user runs it: a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.builders import commission, pork_chain, retract, with_id


def run(*args, env_store=None, check=True, lang="en"):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if env_store:
        env["FOODTRACE_STORE"] = env_store
    cmd = [sys.executable, "-m", "foodtrace", "--lang", lang, *args]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(f"{cmd} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    p = run("--store", url, "demo", "--no-serve", "--events", "4000")
    receipt = next(line.split(": ")[1] for line in p.stdout.splitlines() if line.startswith("Sample receipt"))
    assert "/l/" + receipt in p.stdout
    return url, receipt


def test_demo_then_trace_the_receipt(demo_db):
    url, receipt = demo_db
    out = run("trace", receipt, env_store=url).stdout
    assert "backward trace" in out
    assert "farm" in out.lower() or "Farm" in out  # the origin party
    assert "slaughter" in out
    assert "✔ animal quarantine certificate" in out
    assert "✔ clenbuterol test" in out
    assert "✔ meat quality certificate" in out


def test_trace_in_chinese_by_default(demo_db):
    url, receipt = demo_db
    out = run("trace", receipt, env_store=url, lang="zh").stdout
    assert "逆向溯源" in out and "动物检疫合格证明" in out and "屠宰" in out


def test_trace_json_and_forward(demo_db):
    url, receipt = demo_db
    back = json.loads(run("trace", receipt, "--json", env_store=url).stdout)
    assert back["direction"] == "backward" and back["root"] == receipt
    pig = next(n for n in back["lots"] if n["product"] == "live_pig")
    fwd = json.loads(run("--store", url, "trace", pig["code"], "--forward", "--json").stdout)
    assert receipt in {n["code"] for n in fwd["lots"]}
    assert all({"from", "to"} <= set(e) for e in fwd["edges"])


def test_demo_twice_is_idempotent(demo_db):
    url, _ = demo_db
    import sqlite3

    path = url[len("sqlite:///"):]
    before = sqlite3.connect(path).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    run("--store", url, "demo", "--no-serve", "--events", "4000")
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM events").fetchone()[0] == before


def test_unknown_code_is_a_clear_error(demo_db):
    url, _ = demo_db
    p = run("--store", url, "trace", "NO-SUCH-LOT", check=False)
    assert p.returncode == 1 and "no lot with trace code" in p.stderr and "Traceback" not in p.stderr


def test_ingest_jsonl(tmp_path):
    url = f"sqlite:///{tmp_path / 'i.db'}"
    f = tmp_path / "events.jsonl"
    f.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in pork_chain()) + "\n")
    p = run("--store", url, "ingest", str(f))
    assert "stored: 15" in p.stdout
    p = run("--store", url, "ingest", str(f))
    assert "stored: 0" in p.stdout and "duplicates (already stored): 15" in p.stdout
    assert "RCPT" in run("--store", url, "trace", "RCPT").stdout


def test_progress_labels_in_the_users_language(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    f = tmp_path / "events.jsonl"
    f.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in pork_chain()) + "\n")
    zh = run("--store", url, "ingest", str(f), lang="zh")
    assert "导入" in zh.stderr and "ingest" not in zh.stderr
    en = run("--store", url, "ingest", str(f))
    assert "importing" in en.stderr
    copy = run("db", "copy", url, f"sqlite:///{tmp_path / 'c.db'}", lang="zh")
    assert "复制事件日志" in copy.stderr and "copy" not in copy.stderr


@pytest.mark.parametrize("lines,needle", [
    (['{"type": "commission",'], "line"),
    ([json.dumps(commission("A")), json.dumps(commission("B", unit="lb"))], "#2 lots[0].unit"),
    ([json.dumps(commission("A")), json.dumps(commission("B", time="2025-01-01T00:00:00"))], "#2 event_time"),
    ([json.dumps(commission("A")), json.dumps(commission("A", qty=3))], "#2 lots[0].code: lot A is created twice"),
])
def test_bad_ingest_file_stores_nothing(tmp_path, lines, needle):
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    f = tmp_path / "bad.jsonl"
    f.write_text("\n".join(lines) + "\n")
    p = run("--store", url, "ingest", str(f), check=False)
    assert p.returncode == 1, p.stdout
    assert needle in p.stderr and "Traceback" not in p.stderr
    q = run("--store", url, "trace", "A", check=False)
    assert q.returncode == 1 and "no lot" in q.stderr


def test_the_stores_refusals_are_said_in_chinese_on_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'zh.db'}"
    f = tmp_path / "twice.jsonl"
    f.write_text("\n".join(json.dumps(e) for e in [with_id(commission("A"), "E-1"),
                                                   with_id(commission("B"), "E-1")]) + "\n")
    p = run("--store", url, "ingest", str(f), check=False, lang="zh")
    assert p.returncode == 1 and "#2 event_id: 记录 E-1 在本批记录中出现两次，且内容不同" in p.stderr
    assert "错误 [conflict]：记录编号冲突" in p.stderr and "appears twice" not in p.stderr
    assert "error [" not in p.stderr  # the code as it is, the words in Chinese
    g = tmp_path / "retract.jsonl"
    g.write_text(json.dumps(retract("NOPE", party="F1")) + "\n")
    p = run("--store", url, "ingest", str(g), check=False, lang="zh")
    assert p.returncode == 1 and "retracts[0]: 没有编号为 NOPE 的记录" in p.stderr, p.stderr
    assert "错误 [invalid_input]：本批记录未存入" in p.stderr
    en = run("--store", url, "ingest", str(g), check=False, lang="en")
    assert "error [invalid_input]: the batch was not stored" in en.stderr and "event NOPE is not known" in en.stderr


def test_missing_file_is_a_clear_error(tmp_path):
    p = run("--store", f"sqlite:///{tmp_path / 'x.db'}", "ingest", str(tmp_path / "nope.jsonl"), check=False)
    assert p.returncode == 1 and "cannot read" in p.stderr and "Traceback" not in p.stderr


def test_bad_store_url_is_a_clear_error():
    p = run("--store", "ftp://x", "trace", "A", check=False)
    assert p.returncode == 1 and "unknown store URL" in p.stderr and "Traceback" not in p.stderr


def test_db_init_copy_and_trace_on_neo4j(demo_db):
    from tests.neo4j_support import fresh_neo4j_store, neo4j_url

    fresh_neo4j_store().close()  # an empty database
    url, receipt = demo_db
    neo = neo4j_url()
    assert "constraints and indexes ready" in run("--store", neo, "db", "init").stdout
    p = run("db", "copy", url, neo)
    assert "copied" in p.stdout
    out = run("--store", neo, "trace", receipt).stdout
    assert "✔ animal quarantine certificate" in out and "slaughter" in out
    src = json.loads(run("--store", url, "trace", receipt, "--json").stdout)
    dst = json.loads(run("--store", neo, "trace", receipt, "--json").stdout)
    assert {n["code"] for n in src["lots"]} == {n["code"] for n in dst["lots"]}


def test_ingest_and_demo_on_neo4j(tmp_path):
    from tests.neo4j_support import fresh_neo4j_store, neo4j_url

    fresh_neo4j_store().close()
    neo = neo4j_url()
    f = tmp_path / "events.jsonl"
    f.write_text("\n".join(json.dumps(e) for e in pork_chain()) + "\n")
    assert "stored: 15" in run("--store", neo, "ingest", str(f)).stdout
    p = run("--store", neo, "demo", "--no-serve", "--events", "1500")
    receipt = next(line.split(": ")[1] for line in p.stdout.splitlines() if line.startswith("Sample receipt"))
    assert "slaughter" in run("--store", neo, "trace", receipt).stdout
