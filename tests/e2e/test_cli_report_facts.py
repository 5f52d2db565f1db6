"""``foodtrace db report-facts``: a store written before the report facts existed is indexed once, with
a progress bar, and its report is the same before and after."""

from __future__ import annotations

import json
import sqlite3

from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from tests.e2e.test_cli import run


def test_db_report_facts_indexes_an_old_store_once(tmp_path):
    path = tmp_path / "old.db"
    with open_store(f"sqlite:///{path}") as store:
        load_demo(store, events=1500, seed=3)
        events = store.counts()["events"]
    url = f"sqlite:///{path}"
    before = json.loads(run("--store", url, "report", "--from", "2025-01-01", "--to", "2025-12-31",
                            "--format", "json").stdout)
    con = sqlite3.connect(path)
    con.execute("DROP TABLE report_facts")  # as the previous version left it
    con.execute("DELETE FROM meta WHERE key='report_facts'")
    con.commit()
    con.close()
    p = run("--store", url, "db", "report-facts")
    assert p.stdout.strip() == f"report index ready; events indexed now: {events}"
    assert "indexing for the report" in p.stderr
    assert run("--store", url, "db", "report-facts", lang="zh").stdout.strip() == "统计报告索引已就绪，新建索引的事件数: 0"
    after = json.loads(run("--store", url, "report", "--from", "2025-01-01", "--to", "2025-12-31",
                           "--format", "json").stdout)
    before.pop("generated_at"), after.pop("generated_at")
    assert after == before and after["traceability"]["records"] > 500
