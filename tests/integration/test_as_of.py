"""Traces as the store knew them at a past record time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from foodtrace.errors import InvalidInput
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.asof import trace_as_of
from foodtrace.services.tracing.trace import backward_trace
from tests.builders import cert, commission, retract, sale, transform, with_id

T1 = datetime(2025, 3, 1, tzinfo=timezone.utc)


def test_trace_as_of_sees_what_was_recorded_then(store):
    capture(store, [with_id(commission("PIG"), "c1"), with_id(transform(["PIG"], ["CARC"]), "t1")],
            record_time=T1)
    capture(store, [with_id(cert(["PIG"], "clenbuterol_test"), "k1"), with_id(sale("CARC", "R1"), "s1")],
            record_time=T1 + timedelta(days=1))
    capture(store, [with_id(retract("k1", reason="wrong sample"), "x1")], record_time=T1 + timedelta(days=2))

    now = backward_trace(store, "R1")
    assert now.lot("PIG").tests == []  # retracted today
    day1 = trace_as_of(store, "R1", T1 + timedelta(days=1, hours=1))
    assert [t.kind for t in day1.lot("PIG").tests] == ["clenbuterol_test"]  # before the retraction
    assert {n.code for n in day1.lots} == {"R1", "CARC", "PIG"}
    day0 = trace_as_of(store, "CARC", T1 + timedelta(hours=1), forward=True)
    assert {n.code for n in day0.lots} == {"CARC"}  # the sale was not recorded yet
    assert {n.code for n in trace_as_of(store, "CARC", T1 + timedelta(days=3), forward=True).lots} == {"CARC", "R1"}


def test_as_of_needs_a_time_zone(mem):
    capture(mem, [commission("PIG")])
    with pytest.raises(InvalidInput):
        trace_as_of(mem, "PIG", datetime(2025, 1, 1))
