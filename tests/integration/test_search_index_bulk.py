"""A bulk load (a batch of ``BULK_EVENTS`` or more) leaves its new lots to the search index's build
(``graph/search_index.write_rows``): the index is marked incomplete from where the batch began, search
answers the same meanwhile (the ``LIKE`` of before, the first search starting the build), and the build
resumes there — on a real SQLite file."""

from __future__ import annotations

from foodtrace.graph import open_store
from foodtrace.graph.search_index import RESUME, is_complete
from foodtrace.graph.sqlite_write import BULK_EVENTS
from foodtrace.graph.store import GraphStore
from foodtrace.ingest.capture import capture
from tests.builders import commission


def _codes(store, text):
    return [x.code for x in store.search(text, 20).lots]


def test_a_bulk_load_is_indexed_by_the_build_and_answers_the_same_meanwhile(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        capture(s, [commission("OLD-1", party="F1"), commission("Bulk-Placeholder-Parent", party="F1")])
        assert is_complete(s.conn)  # small batches write their rows at once
        before = s.conn.execute("SELECT MAX(rowid) FROM lots").fetchone()[0]
        bulk = [commission(f"BULK-{i:05d}", party="F1") for i in range(BULK_EVENTS + 5)]
        capture(s, bulk)
        assert not is_complete(s.conn)
        assert s.conn.execute("SELECT value FROM meta WHERE key=?", (RESUME,)).fetchone()[0] == f"{before},0"
        assert not s.conn.execute("SELECT 1 FROM lot_search WHERE code = 'BULK-00007'").fetchone()
        assert _codes(s, "bulk-00007") == ["BULK-00007"] == [x.code for x in GraphStore.search(s, "bulk-00007", 20).lots]
        capture(s, [commission("SMALL-AFTER", party="F1")])  # written at once
        s.prepare_search()  # what the thread the first search started may have done already
        assert is_complete(s.conn)
        assert s.conn.execute("SELECT 1 FROM lot_search WHERE code = 'BULK-00007'").fetchone()
        for text in ("bulk-00007", "old", "small-after", "BULK-0100"):
            assert _codes(s, text) == [x.code for x in GraphStore.search(s, text, 20).lots], text
    finally:
        s.close()


def _bulk(prefix: str) -> list[dict]:
    return [commission(f"{prefix}-{i:05d}", party="F1") for i in range(BULK_EVENTS + 5)]


def test_a_later_bulk_load_is_indexed_by_a_new_build(tmp_path):
    """The thread the first search started has ended; a later bulk load's lots get a build of their own."""
    import time

    s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        for prefix in ("FIRST", "LATER"):
            capture(s, _bulk(prefix))
            assert not is_complete(s.conn)
            assert _codes(s, f"{prefix}-00009") == [f"{prefix}-00009"]  # LIKE meanwhile; starts the build
            deadline = time.monotonic() + 60
            while not is_complete(s.conn) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert is_complete(s.conn), prefix
    finally:
        s.close()


def test_a_store_in_memory_is_indexed_by_its_first_search():
    s = open_store("memory://")
    try:
        capture(s, _bulk("MEM"))
        assert not is_complete(s.conn)
        assert _codes(s, "mem-00042") == ["MEM-00042"]
        assert is_complete(s.conn)
    finally:
        s.close()
