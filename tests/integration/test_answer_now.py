"""A first scan is built where it is asked when the store can answer at once (``GraphStore.answer_now``):
the embedded store runs it under its lock in the caller's thread when the lock is free and the lineage
loaded, and says ``NOT_NOW`` otherwise (a backend over the network always does). A kept view stays
readable without waiting while another thread builds one."""

from __future__ import annotations

import threading

from foodtrace.graph.readcache import ReadModel
from foodtrace.graph.store import NOT_NOW, GraphStore
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.consumer import READ_MODEL, kept_view, ready_view, view_key
from foodtrace.services.safety.rules.config import load_rules
from tests.builders import pork_chain


def test_answers_at_once_in_the_callers_thread_when_the_lock_is_free(store):
    if type(store).answer_now is GraphStore.answer_now:
        assert store.answer_now(lambda: 1) is NOT_NOW  # reads over the network: always a worker thread
        return
    capture(store, pork_chain())
    seen = []
    got = store.answer_now(lambda: seen.append(threading.get_ident()) or ready_view(store, "RCPT"))
    assert got is not NOT_NOW and got.lot.code == "RCPT" and seen == [threading.get_ident()]


def test_not_now_while_another_thread_holds_the_store(tmp_path):
    from foodtrace.graph import open_store

    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        held, release = threading.Event(), threading.Event()

        def writer():
            with store._lock:  # what an append does for its whole batch
                held.set()
                release.wait(10)

        t = threading.Thread(target=writer)
        t.start()
        held.wait(10)
        try:
            ran = []
            assert store.answer_now(lambda: ran.append(1)) is NOT_NOW and ran == []
        finally:
            release.set()
            t.join()
        assert store.answer_now(lambda: 7) == 7
    finally:
        store.close()


def test_a_kept_view_is_read_while_another_thread_builds_one(tmp_path):
    from foodtrace.graph import open_store

    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        capture(store, pork_chain())
        rules = load_rules()
        ready_view(store, "RCPT", rules)
        assert kept_view(store, "RCPT", rules) is not None
        building, finish = threading.Event(), threading.Event()

        def slow_build(keys):
            building.set()
            finish.wait(10)
            return {k: ReadModel("built", frozenset(["X"])) for k in keys}

        t = threading.Thread(target=lambda: store.read_models(READ_MODEL, [view_key("OTHER", rules)], slow_build))
        t.start()
        building.wait(10)
        try:
            assert kept_view(store, "RCPT", rules) is not None  # not queued behind the build
        finally:
            finish.set()
            t.join()
        assert store.kept_now(READ_MODEL, view_key("OTHER", rules)) == "built"  # nothing new meanwhile: kept
    finally:
        store.close()
