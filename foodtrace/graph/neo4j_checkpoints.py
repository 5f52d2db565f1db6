"""Checkpoints of the statistics report and the district check in Neo4j (``Neo4jStore.report_checkpoints``):
the same ``Shelf`` methods as the embedded store's (``graph/report_facts_checkpoints.py``), kept in the database
itself, so every process and worker on it shares them.

A checkpoint is a node ``(:ReportCheckpoint {key, kind, lo, hi, hwm, made, blob})``: the report service's
kind, the time range ``[lo, hi)`` of the events it depends on as UTC ISO text (``batch.utc_iso``, the form of
``Event.event_time``: text order is time order; ``lo`` ``""``: open), ``hwm`` — the log's counter (the ``Meta``
node every append moves in its own transaction) when the report began reading — a counter ``made`` (the
``KEEP`` most recent are kept) and the opaque blob. ``key`` joins kind and range (unique).

It is **valid** exactly while no event of its range was stored or retracted after ``hwm``:

- no ``Event`` with ``seq > hwm`` and an ``event_time`` in the range (a seek of the ``seq`` index from ``hwm``:
  only what was appended since is read);
- no error declaration with ``seq > hwm`` whose retracted events (``retracted_by``, set in the retraction's
  transaction) have a time in the range (a seek of the ``(type, seq)`` index, then of
  ``ft_event_retracted (retracted_by, event_time)`` per declaration; only retracted events are in that index).

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
# The two ways an event of ``[lo, hi)`` changed after ``hwm`` (each a pattern over the indexes named above).
_STORED = ("MATCH (e:Event) USING INDEX e:Event(seq) "
           "WHERE e.seq > {hwm} AND e.event_time >= {lo} AND e.event_time < {hi}")
_RETRACTED = ("MATCH (r:Event) USING INDEX r:Event(type, seq) WHERE r.type = 'error_declaration' AND r.seq > {hwm} "
              "MATCH (t:Event) USING INDEX t:Event(retracted_by, event_time) "
              "WHERE t.retracted_by = r.event_id AND t.event_time >= {lo} AND t.event_time < {hi}")
_GIVEN = {"hwm": "$hwm", "lo": "$lo", "hi": "$hi"}
_KEPT = {"hwm": "c.hwm", "lo": "c.lo", "hi": "c.hi"}
STORED_SINCE = _STORED.format(**_GIVEN) + " RETURN e.seq AS seq LIMIT 1"
RETRACTED_SINCE = _RETRACTED.format(**_GIVEN) + " RETURN t.seq AS seq LIMIT 1"
# A checkpoint and whether it is stale, in one round trip (the blob only when it is not).
GET = (
    "MATCH (c:ReportCheckpoint {key: $key}) "
    f"WITH c, EXISTS {{ {_STORED.format(**_KEPT)} }} OR EXISTS {{ {_RETRACTED.format(**_KEPT)} }} AS stale "
    "RETURN stale, CASE WHEN stale THEN null ELSE c.blob END AS blob"
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
        args = {"hwm": hwm, "lo": lo, "hi": hi}
        return bool(self._store._fetch(STORED_SINCE, **args) or self._store._fetch(RETRACTED_SINCE, **args))

    def get(self, kind: str, start: datetime | None, end: datetime) -> bytes | None:
        """The blob of a valid checkpoint (``changed_since`` would say no: the same patterns), else None."""
        rows = self._store._fetch(GET, key=key_of(kind, *bounds(start, end)))
        if not rows or rows[0]["stale"]:
            return None
        return bytes(rows[0]["blob"])

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
