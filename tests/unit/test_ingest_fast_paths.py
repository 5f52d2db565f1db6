"""The fast paths of ingest and open give exactly what the plain ways gave: the same canonical content
(so the same event ids and digests), the same decoded JSON or the same refusal, the same stamped events,
the same lineage graph."""

from __future__ import annotations

from datetime import datetime, timezone
import hashlib
import json
import random

import pytest

from foodtrace.demo.generate import generate
from foodtrace.errors import InvalidInput
from foodtrace.graph.batch import EncodedBatch, digest_of
from scripts.networkx_lineage import LineageGraph, fill
from foodtrace.ingest import safe_json
from foodtrace.ingest.capture import prepare
from foodtrace.model.event_base import canonical_content, to_json
from foodtrace.model.registry import EVENT_ADAPTER


def reference_canonical(event) -> str:
    """The canonical content as it was defined before the fast path (a copy with the time in UTC)."""
    exclude = {"event_id", "record_time", "captured_by"} | ({"epcis"} if event.epcis is None else set())
    omitted = {f for cls in type(event).__mro__ for f in cls.__dict__.get("omitted_when_empty", ())}
    exclude |= {f for f in omitted if getattr(event, f) is None}
    utc = event.event_time.astimezone(timezone.utc)
    return event.model_copy(update={"event_time": utc}).model_dump_json(exclude=exclude)


def reference_prepare(raw_events, now, captured_by):
    """``prepare`` as it was: validate, then a model copy with the id, record time and captor."""
    out = []
    for raw in raw_events:
        ev = EVENT_ADAPTER.validate_python(raw)
        updates = {"record_time": now, "captured_by": captured_by}
        if ev.event_id is None:
            digest = hashlib.sha256(reference_canonical(ev).encode("utf-8")).hexdigest()
            updates["event_id"] = f"ni:///sha-256;{digest}?ver=foodtrace1"
        out.append(ev.model_copy(update=updates))
    return out


def demo_raw(n=1500, seed=3):
    return list(generate(events=n, seed=seed)[1])


def odd_events():
    """Times with microseconds and unusual offsets, an EPCIS original, settlement figures, no ids."""
    return [
        {"type": "commission", "event_time": "2025-03-01T08:00:00.123456+05:45", "party": "F1",
         "lots": [{"code": "L1", "product": "live_pig", "quantity": 10, "unit": "head"}]},
        {"type": "commission", "event_time": "2025-03-01T08:00:00-03:30", "party": "F1",
         "lots": [{"code": "L2", "product": "live_pig", "quantity": 2.5, "unit": "head"}], "epcis": {"a": [1, 2]}},
        {"type": "commission", "event_time": "2025-03-01T00:00:00Z", "party": "F1",
         "lots": [{"code": "L3", "product": "pork", "quantity": 1e-3, "unit": "kg", "name": "前腿肉"}]},
        {"type": "handoff", "event_time": "1999-12-31T23:59:59.000001+14:00", "party": "F1", "action": "ship",
         "from_party": "F1", "to_party": "W1", "lot": {"code": "L1", "quantity": 1, "unit": "head"},
         "unit_price": 12.5, "currency": "CNY"},
    ]


def test_canonical_content_is_the_reference_one():
    events = prepare(demo_raw() + odd_events(), captured_by="cli")
    assert len(events) > 1000
    for ev in events:
        assert canonical_content(ev) == reference_canonical(ev)


def test_prepare_gives_the_events_the_plain_way_gave():
    raw = demo_raw() + odd_events()
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    fast = prepare(raw, record_time=now, captured_by="cli")
    slow = reference_prepare(raw, now, "cli")
    assert fast == slow
    assert [to_json(e) for e in fast] == [to_json(e) for e in slow]
    assert [e.model_fields_set for e in fast] == [e.model_fields_set for e in slow]
    # the digests prepare keeps are the digests of the events' content
    assert isinstance(fast, EncodedBatch)
    assert all(d is None or d == digest_of(e) for e, d in zip(fast, fast.digests))
    assert any(d is not None for d in fast.digests)


def test_an_encoded_batch_fills_in_digests_and_bodies():
    events = prepare(odd_events(), captured_by="cli")
    batch = EncodedBatch.of(list(events))
    assert batch.digests == [digest_of(e) for e in events]
    assert batch.bodies == [to_json(e) for e in events]
    assert EncodedBatch.of(batch) is batch


def careful(text):
    """``safe_json.loads`` without its fast path."""
    saved = safe_json._fast
    safe_json._fast = lambda raw, limit: (False, None)
    try:
        return safe_json.loads(text, positioned=False)
    finally:
        safe_json._fast = saved


TRICKY = [
    '{"a": 1}', '[1, 2.5, -0, -0.0, 1e5, 1E-7, 12345678901234.5]', '{"a": 9007199254740992}',
    '{"a": 9007199254740993}', '[12345678901234567]', '{"a": -99999999999999999}', '{"a": 1e999}',
    '{"a": -1e400}', '[NaN]', '[Infinity]', '{"a": "1234567890123456789"}', '{"a": "\\ud800"}',
    '{"a": "x\\u0000y"}', '{"a": 1, "a": 2}', '{"a": [[[[[[[[]]]]]]]]}', '"text"', '12', 'null',
    '{"a": 1,}', '{"a" 1}', '', '  {"a": "中文"}  ', '{"a": 1.0000000000000000000001}',
    "[" * 40 + "]" * 40, '{"k": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}',
]


@pytest.mark.parametrize("text", TRICKY)
def test_safe_json_fast_path_answers_as_the_careful_decoder(text):
    try:
        expected = ("ok", careful(text))
    except InvalidInput as exc:
        expected = ("refused", type(exc), exc.message, exc.details)
    try:
        got = ("ok", safe_json.loads(text, positioned=False))
    except InvalidInput as exc:
        got = ("refused", type(exc), exc.message, exc.details)
    assert got == expected
    if got[0] == "ok":
        assert json.dumps(got[1]) == json.dumps(expected[1])  # same types too (1 is not 1.0)


def test_safe_json_fast_path_on_demo_lines():
    for raw in demo_raw(400):
        line = json.dumps(raw, ensure_ascii=False)
        assert safe_json._fast(line, 32)[0]  # trace codes of 16+ digits in strings need no care
        assert safe_json.loads(line, positioned=False) == careful(line)


def test_lineage_fill_makes_the_graph_add_edges_from_makes():
    rnd = random.Random(5)
    nodes = [f"L{i}" for i in range(300)]
    edges = [(rnd.choice(nodes), rnd.choice(nodes)) for _ in range(1500)] + [("L1", "L1"), ("L2", "L3"), ("L2", "L3")]
    a = LineageGraph()
    a.add_edges_from(edges)
    b = fill(LineageGraph(), edges)
    assert list(a.nodes) == list(b.nodes)
    assert list(a.edges) == list(b.edges)
    for n in a:
        assert list(a.successors(n)) == list(b.successors(n))
        assert list(a.predecessors(n)) == list(b.predecessors(n))
    b.add_edge("L1", "L299")  # still a working graph: views see later edits
    assert "L299" in b.succ["L1"] and b.has_edge("L1", "L299")


def test_an_encoded_batch_changed_in_place_is_encoded_afresh():
    events = prepare(odd_events(), captured_by="cli")
    batch = EncodedBatch.of(events)
    first = batch[0]
    batch[0], batch[1] = batch[1], first  # reordered in place: the digests and bodies no longer match
    assert not batch.aligned()
    again = EncodedBatch.of(batch)
    assert again is not batch and again.bodies == [to_json(e) for e in again]
    assert again.digests == [digest_of(e) for e in again]
    batch.append(first)
    assert not batch.aligned()
    with pytest.raises(ValueError):
        EncodedBatch([first], digests=[])
