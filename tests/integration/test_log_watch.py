"""The embedded store catches up with writes to its file only when a transaction has committed since it last
looked (graph/log_watch.py reads SQLite's WAL-index header): a walk after nothing changed asks SQLite nothing,
and every write — by this store, another store on the file, another process, after a checkpoint — is seen by
the very next read."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.builders import pork_chain, retract, transform, with_id


def statements(store) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    return seen


@pytest.fixture()
def two(tmp_path):
    url = f"sqlite:///{tmp_path / 'ft.db'}"
    reader, writer = open_store(url), open_store(url)
    capture(writer, pork_chain())
    yield reader, writer
    reader.close()
    writer.close()


def test_a_file_store_watches_its_log_and_a_memory_store_asks_sqlite():
    mem = open_store("memory://")
    try:
        assert not mem._watch.watching
        capture(mem, pork_chain())
        assert mem.backward("RCPT").lots >= {"RCPT", "PIG"}
    finally:
        mem.close()


def test_a_walk_after_nothing_changed_asks_sqlite_nothing(two):
    reader, _ = two
    assert reader._watch.watching
    reader.backward("RCPT")  # caught up
    seen = statements(reader)
    for _ in range(5):
        assert "PIG" in reader.backward("RCPT").lots
    assert seen == []


def test_a_write_by_another_store_on_the_file_is_seen_by_the_next_walk(two):
    reader, writer = two
    before = reader.backward("RCPT")
    for i in range(25):  # each commit changes the header; each next walk sees it
        capture(writer, [transform([f"X{i}"], [f"Y{i}"], kind="processing", party="M1")])
        assert reader.backward(f"Y{i}").lots == {f"X{i}", f"Y{i}"}
    assert reader.backward("RCPT") == before
    capture(writer, [transform(["RL"], ["MINCE"], kind="processing", party="M1")])
    assert "MINCE" in reader.forward("RL").lots


def test_a_retraction_and_a_checkpoint_are_seen(two):
    reader, writer = two
    capture(writer, [with_id(transform(["A"], ["B"], kind="processing", party="M1"), "t-ab")])
    assert reader.backward("B").lots == {"A", "B"}
    writer.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL starts again: its header is rewritten
    capture(writer, [retract("t-ab", party="M1")])
    assert reader.backward("B").lots == {"B"}
    writer.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    capture(writer, [transform(["C"], ["B"], kind="processing", party="M1")])
    assert reader.backward("B").lots == {"B", "C"}
    assert reader.counts()["retracted"] == 1


def test_a_plain_sqlite_write_by_another_process_is_seen(two, tmp_path):
    reader, writer = two
    reader.backward("RCPT")
    seen = statements(reader)
    code = textwrap.dedent("""
        import sqlite3, sys
        con = sqlite3.connect(sys.argv[1])
        con.execute("CREATE TABLE IF NOT EXISTS scratch(x)")
        con.execute("INSERT INTO scratch VALUES (1)")
        con.commit()
        con.close()
    """)
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "ft.db")], check=True)
    reader.backward("RCPT")  # something committed: the store asks SQLite once ...
    assert any("MAX(seq)" in s for s in seen)
    seen.clear()
    reader.backward("RCPT")  # ... and not again
    assert seen == []


def test_events_appended_by_another_process_reach_the_next_walk(two, tmp_path):
    reader, _ = two
    url = f"sqlite:///{tmp_path / 'ft.db'}"
    for round_ in range(3):
        reader.forward("RL")
        more = [transform(["RL"], [f"MINCE{round_}"], kind="processing", party="M1")]
        code = textwrap.dedent(f"""
            import json, sys
            from foodtrace.graph import open_store
            from foodtrace.ingest.capture import capture
            with open_store({url!r}) as other:
                capture(other, json.loads(sys.argv[1]))
        """)
        subprocess.run([sys.executable, "-c", code, json.dumps(more)], check=True)
        assert {f"MINCE{i}" for i in range(round_ + 1)} <= reader.forward("RL").lots


def test_the_watch_is_let_go_with_the_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'ft.db'}")
    watch = store._watch
    store.close()
    assert not watch.watching
    sqlite3.connect(tmp_path / "ft.db").execute("PRAGMA journal_mode=DELETE").fetchone()  # nothing holds the file


def test_the_kept_fast_path_asks_sqlite_only_after_a_commit(two):
    from foodtrace.graph.readcache import ReadModel

    reader, writer = two
    reader.read_models("probe", ["k"], lambda keys: {k: ReadModel("kept", frozenset({"RCPT"})) for k in keys})
    seen = statements(reader)
    assert reader.kept_now("probe", "k") == "kept"
    assert seen == []  # nothing committed since the catch-up: no query
    capture(writer, [transform(["Q1"], ["Q2"], kind="processing", party="M1")])
    assert reader.kept_now("probe", "k") is None  # the log moved: the caller catches up first
    assert reader.read_models("probe", ["k"]) == {"k": "kept"}  # caught up; the new event touches none of its lots
    seen.clear()
    assert reader.kept_now("probe", "k") == "kept" and seen == []


def test_the_store_sees_its_own_writes_whatever_the_header_says(tmp_path, monkeypatch):
    from foodtrace.graph.log_watch import LogWatch

    store = open_store(f"sqlite:///{tmp_path / 'ft.db'}")
    try:
        monkeypatch.setattr(LogWatch, "token", lambda self: b"never changes")
        capture(store, [with_id(transform(["A"], ["B"], kind="processing", party="M1"), "t-ab")])
        assert store.backward("B").lots == {"A", "B"}
        capture(store, [retract("t-ab", party="M1")])  # its links leave the graph by the catch-up after the commit
        assert store.backward("B").lots == {"B"}
        assert store.counts()["links"] == 0
    finally:
        store.close()
