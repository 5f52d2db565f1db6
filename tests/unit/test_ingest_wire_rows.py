"""The bulk ingest's worker hands the main process its batches through ``ingest/jsonl_wire.py`` with their
stored rows made ahead (``graph/batch_rows.py``): the models come back equal, each with its own fields
set, and the rows made ahead are the rows the write would have made from the events. Also the shortcuts
in the time checks (``model/common.py``) answer as before."""

from __future__ import annotations

from datetime import datetime, timezone
import pickle

import pytest
from pydantic import BaseModel, ConfigDict

from foodtrace.errors import InvalidInput
from foodtrace.graph.batch import BatchPlan, EncodedBatch, utc_iso
from foodtrace.graph.batch_rows import make_rows
from foodtrace.graph.report_facts import micros
from foodtrace.graph.report_facts_codec import encode
from foodtrace.ingest import jsonl_wire
from foodtrace.ingest.capture import prepare, read_back
from tests.unit.test_ingest_fast_paths import demo_raw, odd_events


def same_instant_other_offsets():
    """Two events at the same instant written with different offsets, and a record time of each kind."""
    return [
        {"type": "commission", "event_time": "2025-03-01T08:00:00+08:00", "party": "F1",
         "lots": [{"code": "S1", "product": "live_pig", "quantity": 1, "unit": "head"}]},
        {"type": "commission", "event_time": "2025-03-01T00:00:00+00:00", "party": "F1",
         "lots": [{"code": "S2", "product": "live_pig", "quantity": 1, "unit": "head"}]},
        {"type": "commission", "event_time": "2025-02-28T19:00:00-05:00", "party": "F1",
         "lots": [{"code": "S3", "product": "live_pig", "quantity": 1, "unit": "head"}]},
    ]


def batch(raw=None):
    events = EncodedBatch.of(prepare(raw or demo_raw(600) + odd_events() + same_instant_other_offsets(),
                                     captured_by="cli"))
    assert read_back(events) == []
    return make_rows(events)


def test_the_wire_gives_back_equal_models_each_with_a_fields_set_of_its_own():
    sent = batch()
    got = jsonl_wire.loads(jsonl_wire.dumps(("batch", [1, 2], sent)))[2]
    assert isinstance(got, EncodedBatch) and list(got) == list(sent)
    assert got.digests == sent.digests and got.bodies == sent.bodies and got.rows == sent.rows
    assert got.read_back and got.aligned()  # still marked read back, for the events it holds
    sets = []
    for a, b in zip(got, sent):
        assert type(a) is type(b) and a.__dict__ == b.__dict__
        assert type(a.__pydantic_fields_set__) is set and a.__pydantic_fields_set__ == b.__pydantic_fields_set__
        assert a.__pydantic_extra__ is None and a.__pydantic_private__ is None
        sets.append(id(a.__pydantic_fields_set__))
        nested = getattr(a, "lot", None)
        if isinstance(nested, BaseModel):
            sets.append(id(nested.__pydantic_fields_set__))
            assert nested == getattr(b, "lot")
    assert len(set(sets)) == len(sets)  # no set shared between two models: changing one changes no other
    # pydantic's own operations work on the rebuilt models
    first = got[0]
    assert first.model_copy(update={"party": "X"}).party == "X" and first.party != "X"
    assert first.model_dump_json(exclude_none=True) == sent[0].model_dump_json(exclude_none=True)


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")
    a: int


def test_a_model_with_extra_fields_takes_pydantics_own_way():
    m = Loose(a=1, b=2)
    assert jsonl_wire._reduce(m) == m.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    back = jsonl_wire.loads(jsonl_wire.dumps([m]))[0]
    assert back == m and back.b == 2


def test_rows_made_ahead_are_the_rows_the_write_makes():
    made = batch()
    plain = BatchPlan(new=list(zip(made, made.digests)), bodies=list(made.bodies))
    ahead = BatchPlan(new=list(zip(made, made.digests)), bodies=list(made.bodies), rows=list(made.rows))
    assert ahead.event_tuples(41) == plain.event_tuples(41)
    assert plain.fact_tuples(41) is None
    assert ahead.fact_tuples(41) == [(seq, micros(ev.event_time), ev.type, ev.party, encode(ev))
                                     for seq, ev in enumerate(made, start=42)]
    # the same instant at three offsets: one UTC text, three stored bodies as written
    rows = {ev.lots[0].code: row for ev, row in zip(made, made.rows) if ev.type == "commission" and
            ev.lots[0].code in ("S1", "S2", "S3")}
    assert {r[0][2] for r in rows.values()} == {utc_iso(datetime(2025, 3, 1, tzinfo=timezone.utc))}
    assert len({r[0][6] for r in rows.values()}) == 3


def test_record_times_of_the_same_instant_keep_their_own_offsets():
    raw = same_instant_other_offsets()
    for r, rt in zip(raw, ("2025-03-02T08:00:00+08:00", "2025-03-02T00:00:00+00:00", "2025-03-02T00:00:00Z")):
        r["record_time"] = rt
    made = make_rows(EncodedBatch.of(prepare(raw, keep_record_time=True, captured_by="cli")))
    assert [row[0][3] for row in made.rows] == [ev.record_time.isoformat() for ev in made]
    assert made.rows[0][0][3] != made.rows[1][0][3]


@pytest.mark.parametrize("text, ok", [
    ("2025-03-01T08:00:00+08:00", True), ("1970-01-01T08:00:00+08:00", True),
    ("1970-01-01T07:59:59+08:00", False), ("1971-01-01T00:00:00+14:00", True),
    ("2199-12-31T23:59:59+00:00", True), ("2199-12-31T23:00:00-10:00", False),
    ("2198-12-31T23:59:59-23:00", True), ("1740787200", False), ("1e5", False), (" 12 ", False),
    ("2025-03-01T080000+0800", None),
])
def test_the_time_checks_answer_as_before(text, ok):
    raw = {"type": "commission", "event_time": text, "party": "F1",
           "lots": [{"code": "T1", "product": "live_pig", "quantity": 1, "unit": "head"}]}
    if ok is None:  # whatever pydantic makes of it: no number, so never the "bare number" refusal
        try:
            prepare([raw], captured_by="cli")
        except InvalidInput as exc:
            assert "ISO 8601" not in exc.details[0]["reason"]
        return
    if ok:
        assert prepare([raw], captured_by="cli")[0].event_time == datetime.fromisoformat(text)
    else:
        with pytest.raises(InvalidInput) as err:
            prepare([raw], captured_by="cli")
        assert err.value.details[0]["field"] == "event_time"


def test_lot_tuples_are_the_lot_rows():
    from foodtrace.graph.batch import LOT_COLUMNS
    from foodtrace.model.vocab import Commodity

    made = batch()
    plan = BatchPlan()
    for ev in made:
        for code, fields, _ in ev.lot_rows(lambda code: Commodity.PORK):
            plan.created[code] = (fields, ev)
    assert len(plan.created) > 100
    assert plan.lot_tuples() == [tuple(r[c] for c in LOT_COLUMNS) for r in plan.lot_rows()]
