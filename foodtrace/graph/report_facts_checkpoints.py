"""Checkpoints of the statistics report in the embedded store: what a report folded, kept with the log
position it reflects, and read back only while the log still says the same for its time range.

A checkpoint is a row of ``report_checkpoints``: a kind (the report service's key: the period, time zone and
rules of a report, ``services/report/checkpoint.py``), the time range ``[start, end)`` of the events it
depends on in UTC microseconds (``start`` -1: open), ``hwm`` — the log's last sequence number when the report
began reading — and an opaque blob (the report's figures as JSON).

It is **valid** exactly while no event of its range was stored or retracted after ``hwm``: no row of
``report_facts`` with ``seq > hwm`` and a time in the range, no row of ``retractions`` recorded by an event
after ``hwm`` (``by_seq > hwm``) whose retracted event lies in the range. Both are index look-ups (the
primary key of ``report_facts`` and ``retractions_by``) proportional to what was appended since, so an old
event reported late, a correction or a retraction makes every checkpoint it touches fall back to the fold at
once — nothing is updated in place, and the append writes nothing here (zero cost on the write side).
"""

from __future__ import annotations

from datetime import datetime
import sqlite3

from foodtrace.graph.report_facts import micros, store_prepare

CHECKPOINT_SCHEMA = """
CREATE TABLE IF NOT EXISTS report_checkpoints(
    kind TEXT NOT NULL,                 -- what it is of (the report service's key)
    start INTEGER NOT NULL,             -- microseconds since 1970-01-01 UTC, -1: open
    end INTEGER NOT NULL,               -- exclusive
    hwm INTEGER NOT NULL,               -- the log's last seq when the report began reading
    made INTEGER NOT NULL,              -- a counter: the most recent are kept
    blob BLOB NOT NULL,
    PRIMARY KEY(kind, start, end)
);
"""
KEEP = 64  # checkpoints kept (the oldest made are dropped)
OPEN = -1
PUT_WAIT_MS = 2_000


def _bounds(start: datetime | None, end: datetime) -> tuple[int, int]:
    return (OPEN if start is None else micros(start)), micros(end)


def ensure(conn: sqlite3.Connection) -> None:
    conn.executescript(CHECKPOINT_SCHEMA)


def mark(conn: sqlite3.Connection) -> int:
    """The log's last sequence number (0: empty)."""
    return conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]


def changed_since(conn: sqlite3.Connection, lo: int, hi: int, hwm: int) -> bool:
    """Whether an event whose time is in ``[lo, hi)`` (``lo`` -1: open) was stored or retracted after ``hwm``."""
    low = "" if lo == OPEN else "AND f.t >= ? "
    args = () if lo == OPEN else (lo,)
    # NOT INDEXED: walk the rows after hwm by sequence number, not the time index (most rows are before ``hi``)
    if conn.execute(f"SELECT 1 FROM report_facts f NOT INDEXED WHERE f.seq > ? AND f.t < ? {low}LIMIT 1",
                    (hwm, hi, *args)).fetchone():
        return True
    return conn.execute(f"SELECT 1 FROM retractions r JOIN report_facts f ON f.seq = r.seq "
                        f"WHERE r.by_seq > ? AND f.t < ? {low}LIMIT 1", (hwm, hi, *args)).fetchone() is not None


def get(conn: sqlite3.Connection, kind: str, start: datetime | None, end: datetime) -> bytes | None:
    """The blob of a valid checkpoint (``changed_since`` says no), else None."""
    lo, hi = _bounds(start, end)
    try:
        row = conn.execute("SELECT hwm, blob FROM report_checkpoints WHERE kind=? AND start=? AND end=?",
                           (kind, lo, hi)).fetchone()
    except sqlite3.OperationalError:  # no checkpoint was ever kept in this file
        return None
    if row is None or changed_since(conn, lo, hi, row[0]):
        return None
    return row[1]


def put(conn: sqlite3.Connection, kind: str, start: datetime | None, end: datetime, hwm: int, blob: bytes) -> None:
    """Keep a checkpoint (replacing one of the same kind and range); drop the oldest beyond ``KEEP``."""
    lo, hi = _bounds(start, end)
    waited = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {PUT_WAIT_MS}")  # a checkpoint is not worth a long wait for the file
    try:
        ensure(conn)
        _put(conn, kind, lo, hi, hwm, blob)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(waited)}")


def _put(conn: sqlite3.Connection, kind: str, lo: int, hi: int, hwm: int, blob: bytes) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        made = conn.execute("SELECT COALESCE(MAX(made), 0) + 1 FROM report_checkpoints").fetchone()[0]
        conn.execute("INSERT OR REPLACE INTO report_checkpoints(kind, start, end, hwm, made, blob) "
                     "VALUES (?,?,?,?,?,?)", (kind, lo, hi, hwm, made, blob))
        conn.execute("DELETE FROM report_checkpoints WHERE made NOT IN (SELECT made FROM report_checkpoints "
                     "ORDER BY made DESC LIMIT ?)", (KEEP,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def drop_all(conn: sqlite3.Connection) -> int:
    ensure(conn)
    return conn.execute("DELETE FROM report_checkpoints").rowcount


class Shelf:
    """The embedded store's checkpoints (``GraphStore.report_checkpoints``), its lock held per statement."""

    def __init__(self, store) -> None:
        self._store = store

    def mark(self) -> int:
        store_prepare(self._store)
        with self._store._lock:
            return mark(self._store.conn)

    def get(self, kind: str, start: datetime | None, end: datetime) -> bytes | None:
        store_prepare(self._store)
        with self._store._lock:
            return get(self._store.conn, kind, start, end)

    def put(self, kind: str, start: datetime | None, end: datetime, hwm: int, blob: bytes) -> None:
        with self._store._lock:
            put(self._store.conn, kind, start, end, hwm, blob)

    def clear(self) -> int:
        with self._store._lock:
            return drop_all(self._store.conn)


__all__ = ["Shelf", "CHECKPOINT_SCHEMA", "changed_since", "get", "put", "mark", "drop_all"]
