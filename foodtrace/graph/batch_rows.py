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

from foodtrace.graph.batch import EncodedBatch, event_values
from foodtrace.graph.report_facts import micros


def make_rows(batch: EncodedBatch) -> EncodedBatch:
    """Fill ``batch.rows`` (its digests and bodies first, where not known): for each event, its
    ``EVENT_COLUMNS`` values after ``seq`` (``graph.batch.event_values``, as the write makes them) and its
    ``report_facts`` values after ``seq`` but the fact."""
    batch = EncodedBatch.of(batch)
    batch.rows = list(zip(event_values(batch, batch.digests, batch.bodies),
                          [(micros(ev.event_time), ev.type, ev.party) for ev in batch]))
    return batch


__all__ = ["make_rows"]
