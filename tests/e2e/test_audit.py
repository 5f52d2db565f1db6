"""Audit: who captured what and when; traces as of a past record time from the CLI."""

from __future__ import annotations

import json

from tests.builders import pork_chain, retract, with_id
from tests.e2e.test_cli import run


def test_audit_lists_a_partys_records_with_who_captured_them(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    f = tmp_path / "e.jsonl"
    chain = pork_chain()
    chain[8] = with_id(chain[8], "slaughter-1")
    f.write_text("\n".join(json.dumps(e) for e in chain) + "\n")
    run("--store", url, "ingest", str(f))
    g = tmp_path / "r.jsonl"
    g.write_text(json.dumps(with_id(retract("slaughter-1", party="S1"), "x-1")) + "\n")
    run("--store", url, "ingest", str(g))
    rows = [json.loads(line) for line in run("--store", url, "audit", "--party", "S1", "--json").stdout.splitlines()]
    ids = {r["event_id"]: r for r in rows}
    assert "slaughter-1" in ids and ids["slaughter-1"]["retracted_by"] == "x-1"  # the original is kept
    assert all(r["captured_by"] == "cli" and r["record_time"] for r in rows)
    assert "x-1" in ids
    text = run("--store", url, "audit", "--party", "S1").stdout
    assert "retracted by x-1" in text


def test_trace_as_of_from_the_cli(tmp_path):
    url = f"sqlite:///{tmp_path / 'b.db'}"
    f = tmp_path / "e.jsonl"
    f.write_text("\n".join(json.dumps(e) for e in pork_chain()) + "\n")
    run("--store", url, "ingest", str(f))
    before = json.loads(run("--store", url, "trace", "RCPT", "--json", "--as-of", "2000-01-01T00:00:00+00:00").stdout)
    assert [n["code"] for n in before["lots"]] == ["RCPT"]
    now = json.loads(run("--store", url, "trace", "RCPT", "--json", "--as-of", "2100-01-01T00:00:00+00:00").stdout)
    assert {n["code"] for n in now["lots"]} == {"RCPT", "RL", "WV", "CARC", "PIG"}
    bad = run("--store", url, "trace", "RCPT", "--as-of", "yesterday", check=False)
    assert bad.returncode == 1 and "as_of" in bad.stderr and "Traceback" not in bad.stderr
    assert "--as-of: Invalid isoformat string: 'yesterday'" in bad.stderr  # the English as before
    zh = run("--store", url, "trace", "RCPT", "--as-of", "yesterday", check=False, lang="zh")
    assert zh.returncode == 1 and "--as-of：无法识别的时间“yesterday”" in zh.stderr
    assert "as_of: 应为 ISO 8601 格式的时间，如 2025-03-01T12:00:00+08:00" in zh.stderr and "Invalid" not in zh.stderr


def test_the_api_records_which_key_captured_an_event(api):
    from tests.builders import sale

    me = api.client.get("/api/v1/me", headers=api.h("op_M1")).json()
    sent = with_id(sale("RL", "R-AUDIT", party="M1"), "sale-audit")
    sent["captured_by"] = "someone-else"  # a client cannot say who captured it
    r = api.client.post("/api/v1/events", json=[sent], headers=api.h("op_M1"))
    assert r.status_code in (201, 422), r.text
    if r.status_code == 422:  # captured_by is not a client field at all
        sent.pop("captured_by")
        assert api.client.post("/api/v1/events", json=[sent], headers=api.h("op_M1")).status_code == 201
    stored = api.store.get_events(["sale-audit"])["sale-audit"].event
    assert stored.captured_by == f"key:{me['key_id']}@M1"
