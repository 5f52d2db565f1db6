"""Bad input: every case names position, field and reason, and stores nothing."""

from __future__ import annotations

import pytest

from foodtrace.errors import InvalidInput, TooLarge
from foodtrace.ingest.capture import capture, prepare
from tests.builders import commission, handoff


def _err(raw_batch):
    with pytest.raises(InvalidInput) as exc:
        prepare(raw_batch)
    return exc.value.details


@pytest.mark.parametrize("bad,field,reason", [
    (commission("P", time="2025-03-01T08:00:00"), "event_time", "time zone"),
    (commission("P", qty=0), "lots[0].quantity", "greater than 0"),
    (commission("P", qty=-3), "lots[0].quantity", "greater than 0"),
    (commission("P", unit="lb"), "lots[0].unit", "'kg', 'head' or 'piece'"),
    (commission("P", colour="red"), "colour", "unknown field"),
    ({**commission("P"), "type": "teleport"}, "(event)", "unknown event type"),
    ({k: v for k, v in commission("P").items() if k != "party"}, "party", "field required"),
    ({k: v for k, v in commission("P").items() if k != "type"}, "(event)", "'type' required"),
    (handoff("C", src="A", dst="A"), "(event)", "must differ"),
    (commission("has space"), "lots[0].code", "pattern"),
    ("not an object", None, "JSON object"),
])
def test_each_bad_event_is_named(bad, field, reason):
    details = _err([commission("GOOD"), bad])
    assert details[0]["position"] == 1
    assert details[0]["field"] == field
    assert reason in details[0]["reason"]


def test_all_errors_listed_and_nothing_stored(mem):
    with pytest.raises(InvalidInput) as exc:
        capture(mem, [commission("A", qty=0), commission("B"), commission("C", unit="box")])
    assert [d["position"] for d in exc.value.details] == [0, 2]
    assert mem.counts()["events"] == 0


def test_batch_must_be_a_list(mem):
    with pytest.raises(InvalidInput, match="list"):
        capture(mem, {"type": "commission"})


def test_max_events():
    with pytest.raises(TooLarge):
        prepare([commission(f"P{i}") for i in range(5)], max_events=3)


def test_ids_and_record_time_are_set():
    ev, = prepare([commission("P")])
    assert ev.event_id.startswith("ni:///sha-256;") and ev.record_time.utcoffset() is not None
    given, = prepare([{**commission("P"), "event_id": "urn:x:1", "record_time": "2020-01-01T00:00:00Z"}])
    assert given.event_id == "urn:x:1" and given.record_time.year != 2020  # the server sets it
