"""``foodtrace db views``: the view of every retail receipt kept in the store's file, with a progress bar;
resumable (a second run writes none); ``--clear`` forgets them; the texts in both languages."""

from __future__ import annotations

import sqlite3

from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.graph.embedded import EmbeddedStore
from foodtrace.services.safety.rules.config import load_rules
from foodtrace.services.tracing.consumer import kept_view, public_view
from tests.e2e.test_cli import run


def test_db_views_keeps_every_receipt_once_and_clear_forgets_them(tmp_path):
    path = tmp_path / "views.db"
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        load_demo(store, events=1200, seed=4)
        receipts = store.lots_made_by("retail_sale", "", 100_000)
    assert receipts and len(receipts) == len(set(receipts))
    p = run("--store", url, "db", "views")
    assert p.stdout.strip() == f"consumer views kept in the store; written now: {len(receipts)}"
    assert "keeping consumer views" in p.stderr
    assert run("--store", url, "db", "views", lang="zh").stdout.strip() == "消费者查询页已保存到库中，本次新写入: 0"
    with sqlite3.connect(path) as con:
        keys = {k.split("\x1f")[0] for (k,) in con.execute("SELECT key FROM kept_views")}
    assert keys == set(receipts)
    with open_store(url) as store, EmbeddedStore(str(path), read_cache=0).open() as bare:
        store.status(catch_up=True)
        for code in receipts[:20]:  # served from the file, and the view a store keeping nothing builds
            view = kept_view(store, code, load_rules())
            assert view is not None and view.lot == public_view(bare, code)
    p = run("--store", url, "db", "views", "--clear", lang="zh")
    assert p.stdout.strip() == f"已清除库中保存的消费者查询页: {len(receipts)}"
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM kept_views").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM kept_view_deps").fetchone()[0] == 0


def test_fill_views_keeps_only_the_receipts_asked(tmp_path):
    from foodtrace.services.tracing.view_fill import PAGE, fill_views

    path = tmp_path / "only.db"
    with open_store(f"sqlite:///{path}") as store:
        load_demo(store, events=1200, seed=4)
        receipts = store.lots_made_by("retail_sale", "", 100_000)
        asked = receipts[::2][:PAGE + 3]  # more than one page of them
        assert len(asked) > PAGE
        assert fill_views(store, only=asked) == len(asked)
        assert fill_views(store, only=asked[:5]) == 0  # kept already
    with sqlite3.connect(path) as con:
        keys = {k.split("\x1f")[0] for (k,) in con.execute("SELECT key FROM kept_views")}
    assert keys == set(asked)
