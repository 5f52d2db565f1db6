"""``GraphStore.trace_parts`` (everything a full trace reads, one round trip on Neo4j) and the
type-filtered log reads on every backend (``store`` fixture): each backend's answer equals the
backend-neutral default built from ``backward`` / ``forward``, ``get_lots`` and ``lot_events``."""

from __future__ import annotations

import pytest

from foodtrace.graph.store import GraphStore
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.trace import backward_trace, build_trace
from tests.builders import cert, commission, pork_chain, retract, sale, transform, with_id


def _same(store, code: str, forward: bool, limit: int | None = None) -> None:
    got = store.trace_parts(code, forward, limit)
    ref = GraphStore.trace_parts(store, code, forward, limit)
    assert got.lineage.root == ref.lineage.root == code
    assert got.lineage.lots == ref.lineage.lots and got.lineage.truncated == ref.lineage.truncated
    assert sorted(got.lineage.edges) == sorted(set(ref.lineage.edges))
    assert got.lots == ref.lots
    assert {c: [(s.seq, s.event_id, s.retracted_by) for s in evs] for c, evs in got.events.items() if evs} == {
        c: [(s.seq, s.event_id, s.retracted_by) for s in evs] for c, evs in ref.events.items() if evs}
    assert set(got.events) >= {c for c, evs in ref.events.items() if evs}


def test_trace_parts_equal_the_default_both_ways(store):
    capture(store, pork_chain())
    capture(store, [cert(["CARC"], kind="clenbuterol_test", time="2025-03-01T06:00:00+08:00")])
    for code in ("RCPT", "RL", "CARC", "PIG", "WV"):
        _same(store, code, forward=False)
        _same(store, code, forward=True)
    parts = store.trace_parts("RCPT")
    assert {"PIG", "CARC", "RCPT"} <= parts.lineage.lots and parts.lots["PIG"].origin_party == "F1"
    times = [se.event.event_time for se in parts.events["CARC"]]
    assert times == sorted(times) and len(times) >= 3  # made, certified twice, handed on: in event-time order


def test_trace_parts_of_an_unknown_code_is_the_code_alone(store):
    parts = store.trace_parts("NOPE")
    assert parts.lineage.lots == {"NOPE"} and parts.lineage.edges == () and parts.lots == {}
    assert not parts.events.get("NOPE")


def test_trace_parts_leave_out_retracted_events_and_links_and_show_placeholders(store):
    capture(store, [commission("P1"), with_id(transform(["P1", "GHOST"], ["C1"]), "mk"), sale("C1", "R-1")])
    _same(store, "R-1", forward=False)
    assert store.trace_parts("R-1").lots["GHOST"].unconfirmed
    capture(store, [retract("mk")])
    _same(store, "R-1", forward=False)
    _same(store, "P1", forward=True)
    assert store.trace_parts("P1", forward=True).lineage.lots == {"P1"}


@pytest.mark.parametrize("limit", [1, 2, 10, 51])
def test_trace_parts_truncate_as_the_walk_does(store, limit):
    capture(store, [transform([f"I{i:02d}" for i in range(50)], ["MIX"], kind="mixing"), sale("MIX", "R-M")])
    _same(store, "R-M", forward=False, limit=limit)
    parts = store.trace_parts("R-M", limit=limit)
    assert len(parts.lineage.lots) == min(limit, 52) and parts.lineage.truncated == (limit < 52)


def test_full_trace_from_parts_equals_the_trace_from_separate_reads(store):
    capture(store, pork_chain())
    tr = backward_trace(store, "RCPT")
    ref = build_trace(store, store.backward("RCPT"), "backward")
    by_pair = lambda t: sorted(t.edges, key=lambda e: (e.source, e.target))  # noqa: E731 — edge order is free
    assert tr.model_copy(update={"edges": by_pair(tr)}) == ref.model_copy(update={"edges": by_pair(ref)})
    assert tr.lot("PIG").made_by is not None and tr.parties["F1"].id == "F1"


def test_events_by_type_pages_and_merges_types_in_log_order(store):
    capture(store, [commission(f"L{i:04d}") for i in range(1100)])
    capture(store, [cert([f"L{i:04d}"], number=f"N{i}") for i in range(0, 1100, 100)])
    stream = list(store.events_by_type(["commission", "certificate"]))
    assert len(stream) == 1111 and [s.seq for s in stream] == sorted(s.seq for s in stream)
    assert [s.seq for s in stream] == [s.seq for s in GraphStore.events_by_type(store, ["certificate", "commission"])]
    after = stream[1099].seq
    assert [s.event.type for s in store.events_by_type(["certificate", "commission"], after_seq=after)] == [
        "certificate"] * 11
    page = store.log_page(stream[5].seq, 7, types=["certificate", "commission"])
    assert [s.seq for s in page] == [s.seq for s in stream[6:13]]
    assert [s.seq for s in store.log_page(after - 1, 3, types=["certificate", "commission"])] == [
        s.seq for s in stream[1099:1102]]
