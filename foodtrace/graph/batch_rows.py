"""Each event's stored rows made ahead of the write, from the event alone: its ``events`` row and the
first columns of its ``report_facts`` row, but for the sequence number the store hands out when it writes
them.

A bulk ingest's worker process (``ingest/jsonl_worker.py``) makes them beside its validation and
encoding, so that the main process, which checks and writes, only numbers and inserts them: the same
values ``BatchPlan.event_tuples`` and ``report_facts.write_facts`` make from the events (the same
functions), so the same stored bytes. The report's fact itself (``report_facts_codec.encode``, about
4 CPU µs an event) is left to the main process: made in the worker, it left the worker the slower of the
two by as much (``docs/performance.md``)."""

from __future__ import annotations

from foodtrace.graph.batch import EncodedBatch, utc_iso
from foodtrace.graph.report_facts import micros


def make_rows(batch: EncodedBatch) -> EncodedBatch:
    """Fill ``batch.rows`` (its digests and bodies first, where not known): for each event, its
    ``EVENT_COLUMNS`` values after ``seq`` and its ``report_facts`` values after ``seq`` but the fact."""
    batch = EncodedBatch.of(batch)
    record_times: dict = {}  # a batch shares one record time (one object): format it once
    instants: dict = {}  # and many events share an event time (both forms depend on the instant alone)
    rows = []
    for ev, dig, body in zip(batch, batch.digests, batch.bodies):
        rt = record_times.get(id(ev.record_time))  # by object: equal times of other offsets write otherwise
        if rt is None:
            rt = record_times[id(ev.record_time)] = ev.record_time.isoformat()
        when = ev.event_time
        t = None if when.fold else instants.get(when)  # fold: equal to its fold=0 twin of one zone, another instant
        if t is None:
            t = (utc_iso(when), micros(when))
            if not when.fold:
                instants[when] = t
        rows.append(((ev.event_id, ev.type, t[0], rt, ev.party, dig, body),
                     (t[1], ev.type, ev.party)))
    batch.rows = rows
    return batch


__all__ = ["make_rows"]
