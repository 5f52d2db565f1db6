"""The embedded store's one catch-up (``EmbeddedStore._catch_up``): our own append and another process's commit
go the same way — the read models kept in memory that the new events touch are dropped, the others kept, and
the log position moves. Our own append is taken as the write knows it: the lots and parties it touches are
looked up once per append, and its links are not read back unless it retracts some."""

from __future__ import annotations

import pytest

from foodtrace.graph import kept_views, open_store
from foodtrace.graph.readcache import ReadModel
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.consumer import READ_MODEL, ready_view
from tests.builders import cert, pork_chain, register, retract, with_id

LOOKUP = kept_views.TOUCHED_LOTS.split("?")[0]  # the touched look-up as run (its parameters filled in)


def _keep(store, key: str, lots=(), parties=()) -> None:
    """A probe value in memory built from ``lots`` and ``parties``."""
    store.read_models("probe", [key], lambda keys: {k: ReadModel(k, frozenset(lots), frozenset(parties)) for k in keys})


def _kept(store) -> set[str]:
    return set(store._caches["probe"]._entries)


def _top(store) -> int:
    return store.conn.execute("SELECT MAX(seq) FROM events").fetchone()[0]


@pytest.fixture(params=["kept in memory", "kept in the file too"])
def two(tmp_path, request):
    """Two stores on one file; probes kept in ``ours``'s memory (and a consumer view kept in the file: then the
    append's write looks up what it touches, and the memory takes that)."""
    url = f"sqlite:///{tmp_path / 'ft.db'}"
    ours, other = open_store(url), open_store(url)
    capture(ours, pork_chain() + pork_chain("b") + [with_id(cert(["CARC"], "meat_quality", issuer="S1"), "mq")])
    if request.param == "kept in the file too":
        ready_view(ours, "bRCPT")
        ours.flush_models()
        assert kept_views.any_kept(ours.conn)
        ours._caches.pop(READ_MODEL)  # only the probes in memory
    _keep(ours, "carc", lots={"CARC"})
    _keep(ours, "b", lots={"bCARC", "bPIG"})
    _keep(ours, "farm", parties={"F1"})
    yield ours, other
    ours.close()
    other.close()


@pytest.mark.parametrize("case, dropped", [
    ("retraction", {"carc"}),
    ("certificate", {"carc"}),
    ("registration", {"farm"}),
])
def test_our_append_drops_what_it_touches_with_one_look_up(two, case, dropped):
    ours, _ = two
    events = {"retraction": [retract("mq", party="S1")],
              "certificate": [cert(["CARC"], "product_quarantine", issuer="AHA")],
              "registration": [register("F1", "scale_farm", "Blue Farm")]}[case]
    seen: list[str] = []
    ours.conn.set_trace_callback(seen.append)
    try:
        stored = capture(ours, events)
    finally:
        ours.conn.set_trace_callback(None)
    assert _kept(ours) == {"carc", "b", "farm"} - dropped
    assert sum(s.startswith(LOOKUP) for s in seen) == 1  # once, in the append; not again by a catch-up
    assert ours._seq == _top(ours) and ours._ours is None
    if case != "retraction":  # its links are known to the append: not read back from the log
        assert not [s for s in seen if "FROM links" in s]
    assert stored.stored and ours.counts()["links"] == ours.conn.execute(
        "SELECT COUNT(DISTINCT parent || ' ' || child) FROM links WHERE seq NOT IN (SELECT seq FROM retractions)"
    ).fetchone()[0]


def test_another_process_commit_is_caught_up_by_the_next_read(two):
    ours, other = two
    capture(other, [cert(["bPIG"], "lab_test", issuer="bS1", result="fail"), register("F1", "scale_farm", "Blue")])
    assert ours._seq < _top(other)
    seen: list[str] = []
    ours.conn.set_trace_callback(seen.append)
    try:
        _keep(ours, "probe-read")  # a read: catches up first (the WAL-index header moved)
    finally:
        ours.conn.set_trace_callback(None)
    assert _kept(ours) == {"carc", "probe-read"}  # bPIG's and F1's views dropped
    assert sum(s.startswith(LOOKUP) for s in seen) == 1
    assert ours._seq == _top(ours)


def test_our_append_after_another_process_commit_catches_up_both(two):
    ours, other = two
    capture(other, [cert(["bPIG"], "lab_test", issuer="bS1")])
    capture(ours, [retract("mq", party="S1")])  # the other's event caught up inside our transaction, then ours
    assert _kept(ours) == {"farm"}
    assert ours._seq == _top(ours) == _top(other)
    capture(other, [register("F1", "scale_farm", "Blue Farm")])
    _keep(ours, "x")
    assert _kept(ours) == {"x"}
    assert ours.backward("RCPT").lots >= {"RCPT", "PIG"}
