"""The shortcuts of the ingest and first-scan work answer as the plain ways at the edges: remembered UTC texts
(``model.event_base._utc_text``, ``graph.batch_rows.make_rows``) are per instant even where two aware times
compare equal without being one instant (a zone's repeated hour: Python ignores ``fold`` between times of
one ``tzinfo``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

from foodtrace.graph.batch import EncodedBatch, utc_iso
from foodtrace.graph.batch_rows import make_rows
from foodtrace.graph.report_facts import micros
from foodtrace.ingest.capture import prepare
from foodtrace.model.event_base import canonical_content



class RepeatedHour(tzinfo):
    """A zone as Europe/Berlin's in October 2024 (no time-zone database read): +02:00 until 2024-10-27 03:00,
    then +01:00, so 02:00-03:00 that day happened twice (``fold`` 0, then 1)."""

    def utcoffset(self, dt):
        naive = dt.replace(tzinfo=None, fold=0)
        if naive < datetime(2024, 10, 27, 2):
            return timedelta(hours=2)
        if naive >= datetime(2024, 10, 27, 3):
            return timedelta(hours=1)
        return timedelta(hours=1 if dt.fold else 2)

    def dst(self, dt):
        return None

    def tzname(self, dt):
        return None


ZONE = RepeatedHour()
# 02:30 of that day, twice: 00:30Z (fold=0) and 01:30Z (fold=1)
FIRST, SECOND = (datetime(2024, 10, 27, 2, 30, tzinfo=ZONE, fold=f) for f in (0, 1))


def _events():
    raw = [{"type": "commission", "event_time": "2025-03-01T08:00:00+08:00", "party": "F1",
            "lots": [{"code": c, "product": "live_pig", "quantity": 1, "unit": "head"}]} for c in ("Z1", "Z2")]
    a, b = prepare(raw, captured_by="cli")
    return a.model_copy(update={"event_time": FIRST}), b.model_copy(update={"event_time": SECOND})


def test_the_repeated_hour_is_two_instants_in_the_canonical_content():
    assert FIRST == SECOND and FIRST.astimezone(timezone.utc) != SECOND.astimezone(timezone.utc)
    for order in ((0, 1), (1, 0)):
        evs = _events()
        texts = {i: canonical_content(evs[i]) for i in order}
        assert '"event_time":"2024-10-27T00:30:00Z"' in texts[0]
        assert '"event_time":"2024-10-27T01:30:00Z"' in texts[1]


def test_rows_made_ahead_keep_the_repeated_hour_two_instants():
    evs = _events()
    made = make_rows(EncodedBatch.of(list(evs)))
    assert [r[0][2] for r in made.rows] == [utc_iso(ev.event_time) for ev in evs]
    assert [r[1][0] for r in made.rows] == [micros(ev.event_time) for ev in evs]
    assert made.rows[0][1][0] != made.rows[1][1][0]


def test_record_times_of_one_instant_at_other_offsets_write_alike_both_ways():
    """The one-process write (``BatchPlan.event_tuples``), the rows made ahead and ``event_rows`` (Neo4j) store
    each record time as written, also when two of one batch are one instant at other offsets."""
    from foodtrace.graph.batch import BatchPlan
    from tests.unit.test_ingest_wire_rows import same_instant_other_offsets

    raw = same_instant_other_offsets()
    for r, rt in zip(raw, ("2025-03-02T08:00:00+08:00", "2025-03-02T00:00:00+00:00", "2025-03-02T00:00:00-05:00")):
        r["record_time"] = rt
    made = make_rows(EncodedBatch.of(prepare(raw, keep_record_time=True, captured_by="cli")))
    plain = BatchPlan(new=list(zip(made, made.digests)), bodies=list(made.bodies))
    ahead = BatchPlan(new=list(zip(made, made.digests)), bodies=list(made.bodies), rows=list(made.rows))
    written = [ev.record_time.isoformat() for ev in made]
    assert len(set(written)) == 3
    assert [r[4] for r in plain.event_tuples(0)] == written == [r[4] for r in ahead.event_tuples(0)]
    assert [r["record_time"] for r in plain.event_rows(0)] == written
