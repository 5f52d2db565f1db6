"""Checkpoints of the statistics report and the district check in Neo4j (``Neo4jStore.report_checkpoints``):
the same ``Shelf`` methods as the embedded store's (``graph/report_facts_checkpoints.py``), kept in the database
itself, so every process and worker on it shares them.

A checkpoint is a node ``(:ReportCheckpoint {key, kind, lo, hi, hwm, made, blob})``: the report service's
kind, the time range ``[lo, hi)`` of the events it depends on as UTC ISO text (``batch.utc_iso``, the form of
``Event.event_time``: text order is time order; ``lo`` ``""``: open), ``hwm`` — the log's counter (the ``Meta``
node every append moves in its own transaction) when the report began reading — a counter ``made`` (the
``KEEP`` most recent are kept) and the opaque blob. ``key`` joins kind and range (unique).

It is **valid** exactly while no event of its range was stored or retracted after ``hwm``:

- no ``Event`` with ``seq > hwm`` and an ``event_time`` in the range;
- no error declaration with ``seq > hwm`` whose retracted events (``retracted_by``, set in the retraction's
  transaction) have a time in the range (a seek of ``ft_event_retracted (retracted_by, event_time)`` per
  declaration; only retracted events are in that index).

Each is a walk of the ``seq`` index from ``hwm``: only what was appended since is read.

An event outside the range leaves it valid; nothing is written on append (the write side pays nothing).
"""

from __future__ import annotations

from datetime import datetime

from foodtrace.graph.batch import utc_iso
from foodtrace.graph.report_facts_checkpoints import KEEP  # checkpoints kept (the oldest made are dropped)

OPEN = ""  # the start of an open range: every event time is at or after it

CHECKPOINT_SCHEMA = [
    "CREATE CONSTRAINT ft_checkpoint_key IF NOT EXISTS FOR (c:ReportCheckpoint) REQUIRE c.key IS UNIQUE",
    "CREATE INDEX ft_event_retracted IF NOT EXISTS FOR (e:Event) ON (e.retracted_by, e.event_time)",
]

MARK = "OPTIONAL MATCH (m:Meta {name: 'log'}) RETURN coalesce(m.seq, 0) AS seq"
# The two ways an event of ``[lo, hi)`` changed after ``hwm``, each a walk of the events appended since (the
# ``seq`` index from ``hwm``): one of them is in the range, or is an error declaration that retracted one of
# the range (a seek of ``ft_event_retracted``). Their bounds are parameters: with the bounds read from the
# checkpoint node in the same query, the server once planned the second walk as a scan of a whole index (a
# cached plan, seen in test runs after test_report_checkpoints), never with parameters.
STORED_SINCE = ("MATCH (e:Event) USING INDEX e:Event(seq) "
                "WHERE e.seq > $hwm AND e.event_time >= $lo AND e.event_time < $hi")
RETRACTED_SINCE = ("MATCH (r:Event) USING INDEX r:Event(seq) WHERE r.seq > $hwm AND r.type = 'error_declaration' "
                   "MATCH (t:Event) USING INDEX t:Event(retracted_by, event_time) "
                   "WHERE t.retracted_by = r.event_id AND t.event_time >= $lo AND t.event_time < $hi")
CHANGED = f"RETURN EXISTS {{ {STORED_SINCE} }} OR EXISTS {{ {RETRACTED_SINCE} }} AS changed"
# A read back is two round trips: the checkpoint's mark, then its blob if nothing changed since (and the
# checkpoint is still the one of that mark: another process may have replaced it meanwhile).
MARK_OF = "MATCH (c:ReportCheckpoint {key: $key}) RETURN c.hwm AS hwm"
BLOB_IF_UNCHANGED = (
    "MATCH (c:ReportCheckpoint {key: $key}) WHERE c.hwm = $hwm "
    f"WITH c, EXISTS {{ {STORED_SINCE} }} OR EXISTS {{ {RETRACTED_SINCE} }} AS changed "
    "RETURN CASE WHEN changed THEN null ELSE c.blob END AS blob"
)
# One writer of checkpoints at a time: the ``Meta`` node ``checkpoints`` holds the ``made`` counter and is
# locked by the increment; then the checkpoint is set and the oldest beyond ``KEEP`` are dropped.
PUT = (
    "MERGE (m:Meta {name: 'checkpoints'}) ON CREATE SET m.made = 0 SET m.made = m.made + 1 "
    "WITH m.made AS made "
    "MERGE (c:ReportCheckpoint {key: $key}) "
    "SET c.kind = $kind, c.lo = $lo, c.hi = $hi, c.hwm = $hwm, c.made = made, c.blob = $blob "
    "WITH made "
    "CALL () { MATCH (old:ReportCheckpoint) WITH old ORDER BY old.made DESC SKIP $keep DELETE old } "
    "RETURN made"
)
CLEAR = "MATCH (c:ReportCheckpoint) DELETE c RETURN count(*) AS n"


def bounds(start: datetime | None, end: datetime) -> tuple[str, str]:
    return (OPEN if start is None else utc_iso(start)), utc_iso(end)


def key_of(kind: str, lo: str, hi: str) -> str:
    return f"{kind}|{lo}|{hi}"


class Neo4jShelf:
    """``Neo4jStore.report_checkpoints()``: ``mark``, ``get``, ``put``, ``clear`` over the store's driver."""

    def __init__(self, store) -> None:
        self._store = store

    def mark(self) -> int:
        """The log's last sequence number (0: empty)."""
        return self._store._fetch(MARK)[0]["seq"]

    def changed_since(self, lo: str, hi: str, hwm: int) -> bool:
        """Whether an event whose time is in ``[lo, hi)`` was stored or retracted after ``hwm``."""
        return self._store._fetch(CHANGED, hwm=hwm, lo=lo, hi=hi)[0]["changed"]

    def get(self, kind: str, start: datetime | None, end: datetime) -> bytes | None:
        """The blob of a valid checkpoint (``changed_since`` would say no), else None."""
        lo, hi = bounds(start, end)
        key = key_of(kind, lo, hi)
        marks = self._store._fetch(MARK_OF, key=key)
        if not marks:
            return None
        rows = self._store._fetch(BLOB_IF_UNCHANGED, key=key, hwm=marks[0]["hwm"], lo=lo, hi=hi)
        return bytes(rows[0]["blob"]) if rows and rows[0]["blob"] is not None else None

    def put(self, kind: str, start: datetime | None, end: datetime, hwm: int, blob: bytes) -> None:
        """Keep a checkpoint (replacing one of the same kind and range); drop the oldest beyond ``KEEP``."""
        lo, hi = bounds(start, end)
        params = {"key": key_of(kind, lo, hi), "kind": kind, "lo": lo, "hi": hi, "hwm": hwm,
                  "blob": bytearray(blob), "keep": KEEP}
        self._store._write(lambda tx: tx.run(PUT, **params).consume())

    def clear(self) -> int:
        """Drop every checkpoint; how many there were."""
        return self._store._write(lambda tx: tx.run(CLEAR).single()["n"])


__all__ = ["Neo4jShelf", "CHECKPOINT_SCHEMA", "KEEP", "bounds"]
