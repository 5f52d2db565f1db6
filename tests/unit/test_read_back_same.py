"""The write door's read-back compares each body read back with its event as pydantic's equality does
(``ingest.capture._same``: its common case without pydantic's Python ``__eq__``): the same answer for the
demo's events read back, for other events, other classes, a changed field and a changed nested lot; and a
body that reads back as another event is still refused."""

from __future__ import annotations

from datetime import timedelta

from foodtrace.demo.generate import generate
from foodtrace.graph.batch import EncodedBatch
from foodtrace.ingest.capture import _same, prepare, read_back
from foodtrace.model.events import Handoff
from foodtrace.model.registry import EVENT_ADAPTER


def _demo():
    return EncodedBatch.of(prepare(list(generate(events=1500, seed=3)[1]), captured_by="cli"))


def test_same_answer_as_pydantic_equality():
    events = _demo()
    backs = [EVENT_ADAPTER.validate_json(b) for b in events.bodies]
    pairs = list(zip(backs, events))
    pairs += list(zip(backs, events[1:] + events[:1]))  # other events, mostly of other classes too
    for ev in events[:300]:
        pairs.append((ev.model_copy(update={"party": ev.party + "X"}), ev))
        pairs.append((ev.model_copy(update={"event_time": ev.event_time + timedelta(seconds=1)}), ev))
        if isinstance(ev, Handoff):  # a nested lot that differs
            pairs.append((ev.model_copy(update={"lot": ev.lot.model_copy(update={"quantity": ev.lot.quantity + 1})}),
                          ev))
    assert any(b == e for b, e in pairs) and any(b != e for b, e in pairs)
    for back, ev in pairs:
        assert _same(back, ev) == (back == ev)
        assert _same(ev, back) == (ev == back)


def test_a_body_that_reads_back_as_another_event_is_refused():
    events = _demo()
    assert read_back(events) == [] and events.read_back
    events = _demo()
    i = next(i for i, ev in enumerate(events) if isinstance(ev, Handoff))
    other = events[i].model_copy(update={"party": events[i].party + "X"})
    events.bodies[i] = other.model_dump_json(exclude_none=True)
    problems = read_back(events)
    assert [p["position"] for p in problems] == [i] and not events.read_back
