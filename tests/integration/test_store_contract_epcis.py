"""``log_page`` (the EPCIS query interface's pages of the log) on every backend (``store``
fixture): sequence order, after a sequence number, cut at a limit, only some types; retracted
events included and marked; each backend's answer equal to the backend-neutral default."""

from __future__ import annotations

from foodtrace.graph.store import GraphStore
from foodtrace.ingest.capture import capture
from tests.builders import pork_chain, retract, with_id


def test_log_page_pages_through_the_log_in_sequence_order(store):
    capture(store, pork_chain())
    everything = list(store.iter_log())
    assert len(everything) > 4
    first = store.log_page(0, 3)
    assert [se.seq for se in first] == [se.seq for se in everything[:3]]
    rest = store.log_page(first[-1].seq, 10_000)
    assert [se.event_id for se in first + rest] == [se.event_id for se in everything]
    assert store.log_page(everything[-1].seq, 10) == []
    assert store.log_page(0, 0) == []
    assert store.log_page(0, 3) == GraphStore.log_page(store, 0, 3)


def test_log_page_filters_by_type_and_marks_retracted_events(store):
    capture(store, pork_chain())
    kinds = {se.event.type for se in store.iter_log()}
    wanted = sorted(kinds)[:2]
    page = store.log_page(0, 100, types=wanted)
    assert page and {se.event.type for se in page} <= set(wanted)
    assert [se.event_id for se in page] == [se.event_id for se in store.iter_log() if se.event.type in wanted]
    assert store.log_page(0, 100, types=[]) == []
    victim = next(se for se in store.iter_log() if se.event.type == "certificate")
    capture(store, [with_id(retract(victim.event_id, party=victim.event.party), "x-1")])
    marked = {se.event_id: se.retracted_by for se in store.log_page(0, 1000)}
    assert marked[victim.event_id] == "x-1"
    assert store.log_page(0, 1000, types=["certificate"]) == GraphStore.log_page(store, 0, 1000, types=["certificate"])
