"""Read models kept by a process reading Neo4j (graph/neo4j_readcache.py): the consumer view and the trace
are kept, and dropped at once when any process's write touches what they were built from — a new
certificate upstream, a retraction, a new link, a party registered anew — so a kept value is always what
a store keeping nothing builds now. Two stores on the same database stand for two processes."""

from __future__ import annotations

import pytest

from foodtrace.config import Settings
from foodtrace.errors import FoodtraceError
from foodtrace.graph import neo4j_queries as q
from foodtrace.graph import neo4j_readcache, open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.consumer import public_view, ready_view
from foodtrace.services.tracing.trace import backward_trace, forward_trace
from tests.builders import cert, commission, handoff, pork_chain, register, retract, with_id
from tests.neo4j_support import fresh_neo4j_store, neo4j_settings


@pytest.fixture
def two():
    """(server, cli, plain): three stores on one wiped database; ``plain`` keeps nothing."""
    server = fresh_neo4j_store()
    s = neo4j_settings()
    cli = open_store(s.store, s)
    plain = open_store(s.store, Settings(**{**s.model_dump(), "read_cache_entries": 0}))
    yield server, cli, plain
    for st in (server, cli, plain):
        st.close()


def test_a_view_is_kept_until_another_process_writes_what_it_shows(two):
    server, cli, plain = two
    capture(cli, pork_chain())
    first = ready_view(server, "RCPT")
    assert ready_view(server, "RCPT") is first  # kept
    capture(cli, [commission("OTHER", party="F1")])
    assert ready_view(server, "RCPT") is first  # an unrelated lot: still kept
    capture(cli, [with_id(cert(["CARC"], "meat_quality", issuer="S1", number="MQ-9"), "urn:t:mq9")])
    after_cert = ready_view(server, "RCPT")
    assert after_cert is not first and b"MQ-9" not in after_cert.json  # numbers are not shown to consumers
    assert after_cert.json == ready_view(plain, "RCPT").json
    capture(cli, [retract("urn:t:mq9", party="S1")])
    assert ready_view(server, "RCPT").json == first.json  # the certificate is gone again
    capture(cli, [register("W1", "wholesaler", "Renamed Wholesale")])
    renamed = ready_view(server, "RCPT")
    assert b"Renamed Wholesale" in renamed.json and renamed.json == ready_view(plain, "RCPT").json


def test_a_trace_is_kept_by_what_was_asked_and_redrawn_when_its_walk_changes(two):
    server, cli, plain = two
    capture(cli, pork_chain())
    sent = []
    fetch = server._fetch
    server._fetch = lambda query, **params: sent.append(query) or fetch(query, **params)
    back = backward_trace(server, "RCPT")  # a plain code names its lot: no look-up of the code first
    assert sent == [neo4j_readcache.TOP, q.TRACE_BACKWARD, neo4j_readcache.TOP], sent  # has it moved? walk; still?
    sent.clear()
    assert backward_trace(server, " RCPT ") is back  # kept
    assert sent == [neo4j_readcache.TOP]  # one round trip: has the log moved?
    del server._fetch
    with pytest.raises(FoodtraceError):
        backward_trace(server, "NO-SUCH-LOT")
    assert backward_trace(server, "RCPT", limit=2) is not back  # another ask, another trace
    fwd = forward_trace(server, "PIG")
    capture(cli, [handoff("RL", src="M1", dst="X9", qty=1)])  # a new handoff of a lot in both walks
    moved = forward_trace(server, "PIG")
    assert moved is not fwd and moved == forward_trace(plain, "PIG")
    assert backward_trace(server, "RCPT") is not back
    assert backward_trace(server, "RCPT") == backward_trace(plain, "RCPT")


def test_a_long_gap_drops_everything_and_a_wipe_forgets(two, monkeypatch):
    server, cli, plain = two
    capture(cli, pork_chain())
    first = public_view(server, "RCPT")
    kept = ready_view(server, "RCPT")
    monkeypatch.setattr(neo4j_readcache, "CLEAR_AFTER", 0)
    capture(cli, [commission("OTHER", party="F1")])  # unrelated, but past the gap: everything goes
    assert ready_view(server, "RCPT") is not kept and public_view(server, "RCPT") == first
    server.wipe()
    assert server._models_seq is None and all(len(c) == 0 for c in server._models.values())
    capture(cli, pork_chain("Z"))
    with pytest.raises(FoodtraceError):
        ready_view(server, "RCPT")  # gone with the wipe: not served from what was kept before it
