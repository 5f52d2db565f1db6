"""``foodtrace db search-index``: a store written before the search index existed is indexed once, with a
progress bar, and its search answers the same before and after (where LIKE's ASCII case is all there is)
— and then casefolds as the contract says."""

from __future__ import annotations

import sqlite3

from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store, search_index
from foodtrace.graph.store import GraphStore
from tests.e2e.test_cli import run


def test_db_search_index_indexes_an_old_store_once(tmp_path):
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        load_demo(store, events=1500, seed=3)
        counts = store.counts()
        texts = ["330", "SF", "猪", "white", store.search("3", 1).lots[0].code[-6:]]
        before = {text: store.search(text, 30) for text in texts}
    con = sqlite3.connect(path)
    con.execute("DROP TABLE lot_search")  # as the previous version left it
    con.execute("DROP TABLE party_search")
    con.execute("DELETE FROM meta WHERE key LIKE 'search_index%'")
    con.commit()
    con.close()
    p = run("--store", url, "db", "search-index")
    assert p.stdout.strip() == f"search index ready; lots and parties indexed now: {counts['lots'] + counts['parties']}"
    assert "indexing for search" in p.stderr
    assert run("--store", url, "db", "search-index", lang="zh").stdout.strip() == "检索索引已就绪，新建索引的批次和主体数: 0"
    with open_store(url) as store:
        assert search_index.is_complete(store.conn)
        for text in texts:
            assert store.search(text, 30) == before[text] == GraphStore.search(store, text, 30)
        assert before["330"].lots and before["SF"].parties


def test_db_verify_finds_an_index_row_out_of_step_and_rebuild_mends_it(tmp_path):
    path = tmp_path / "s.db"
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        load_demo(store, events=300, seed=5)
        code = store.search("3", 1).lots[0].code
        counts = store.counts()
    con = sqlite3.connect(path)
    con.execute("UPDATE lot_search SET code_cf = 'tampered' WHERE code = ?", (code,))
    con.commit()
    con.close()
    p = run("--store", url, "db", "verify", check=False)
    assert p.returncode == 1 and f"lots:{code}" in p.stdout and "search index" in p.stdout
    p = run("--store", url, "db", "search-index", "--rebuild")
    assert p.stdout.strip().endswith(f": {counts['lots'] + counts['parties']}")
    assert run("--store", url, "db", "verify").returncode == 0
    with open_store(url) as store:
        assert [lot.code for lot in store.search(code, 5).lots] == [code]
