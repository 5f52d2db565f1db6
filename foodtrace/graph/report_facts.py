"""The statistics report's facts in the embedded store: a projection of the log, indexed by event time.

``report_facts`` holds one row per stored event: its sequence number, its event time as UTC
microseconds (``t``), its type and acting party, and ``fact`` — the few fields the report reads of
it (``graph/report_facts_codec.py``; NULL for types the report only counts). ``write_facts`` writes
the rows inside the append's transaction (one call in ``sqlite_write.write_plan``), so the table
never lags the log. A retraction needs no update here: the ``retractions`` table, written in the
same transaction, is joined on every read, so a retracted event drops out of every figure at once.

The report reads it through three ``GraphStore`` methods:

- ``report_tally``: the events of a period by (type, acting party), the retracted ones, and the
  events before its end — counted by SQLite over the index ``(t, type, party)``, no event read;
- ``report_before_end``: only the last of those counts (the district check's ``Facts.events``);
- ``report_facts``: the facts of the events before the end of the period, in log order.

A store written before the table existed lacks rows for its old events: ``build`` adds them (from
the stored bodies, validated as on capture) — run by ``foodtrace db report-facts`` with a progress
bar, or else by the first report; the ``meta`` row ``report_facts`` marks the table complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
import logging
import sqlite3
from typing import Callable, Iterable, Iterator, Sequence

from foodtrace.graph.report_facts_codec import encode

FACTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS report_facts(
    seq INTEGER PRIMARY KEY,            -- the event's log sequence number
    t INTEGER NOT NULL,                 -- its event time, microseconds since 1970-01-01 UTC
    type TEXT NOT NULL,
    party TEXT NOT NULL,
    fact BLOB                           -- what the report reads of it (graph/report_facts_codec.py), or NULL
);
CREATE INDEX IF NOT EXISTS report_facts_time ON report_facts(t, type, party);
"""
COMPLETE = "report_facts"  # meta key: present when every event of the log has its row
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
BUILD_PAGE = 20_000
PAGE = 5_000  # facts read per statement

_log = logging.getLogger("foodtrace.store")


@dataclass(frozen=True)
class ReportTally:
    """Events counted by time (``GraphStore.report_tally``)."""

    live: dict[tuple[str, str], int]  # in the period, not retracted: (type, acting party) -> events
    retracted: int  # in the period, retracted
    before_end: int  # before the end of the period (the period's own included), not retracted


def micros(moment: datetime) -> int:
    """An aware moment as whole microseconds since 1970-01-01 UTC (exact: no float rounding)."""
    d = moment - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def write_facts(conn: sqlite3.Connection, events: Sequence, seq_of: dict[str, int],
                rows: list[tuple] | None = None) -> None:
    """One row per newly stored event (validated models with their ``event_id``), in the caller's
    transaction; ``rows``: those rows made ahead (``graph.batch_rows``). A batch that starts the log marks
    the table complete."""
    conn.executemany(
        "INSERT OR REPLACE INTO report_facts(seq, t, type, party, fact) VALUES (?,?,?,?,?)",
        rows if rows is not None else
        [(seq_of[ev.event_id], micros(ev.event_time), ev.type, ev.party, encode(ev)) for ev in events],
    )
    if seq_of and min(seq_of.values()) == 1:
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, '1')", (COMPLETE,))


def is_complete(conn: sqlite3.Connection) -> bool:
    """Whether every event has its row: the table was built (or began with the log) and its last row is
    the log's last event (an append by a version without the table would leave it behind)."""
    top = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
    if top == 0:
        return True
    if not conn.execute("SELECT 1 FROM meta WHERE key=?", (COMPLETE,)).fetchone():
        return False
    return conn.execute("SELECT COALESCE(MAX(seq), 0) FROM report_facts").fetchone()[0] == top


def missing(conn: sqlite3.Connection) -> int:
    """Events of the log without their row (0 once the table covers the log)."""
    return 0 if is_complete(conn) else conn.execute("SELECT COUNT(*) FROM events e WHERE NOT EXISTS "
                        "(SELECT 1 FROM report_facts f WHERE f.seq = e.seq)").fetchone()[0]


def build(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Add the rows of every event that lacks one (a store written before the table existed), each
    from its stored body validated as on capture, in one write transaction (appends wait); then mark
    the table complete. ``progress(done, total)`` after each page. Returns the events looked at."""
    from foodtrace.graph.store import read_stored

    if is_complete(conn):
        return 0
    total = missing(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        done, last = 0, 0
        while True:
            rows = conn.execute("SELECT e.seq, e.body FROM events e WHERE e.seq > ? AND NOT EXISTS "
                                "(SELECT 1 FROM report_facts f WHERE f.seq = e.seq) ORDER BY e.seq LIMIT ?",
                                (last, BUILD_PAGE)).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            new = []
            for seq, body in rows:
                se = read_stored(seq, body)
                if se is not None:  # an unreadable event is skipped here as by every read
                    ev = se.event
                    new.append((seq, micros(ev.event_time), ev.type, ev.party, encode(ev)))
            conn.executemany("INSERT INTO report_facts(seq, t, type, party, fact) VALUES (?,?,?,?,?)", new)
            done += len(rows)
            if progress is not None:
                progress(done, total)
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, '1')", (COMPLETE,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return done


def _range(start: datetime | None, end: datetime | None) -> tuple[str, tuple]:
    where, params = [], []
    if start is not None:
        where.append("f.t >= ?")
        params.append(micros(start))
    if end is not None:
        where.append("f.t < ?")
        params.append(micros(end))
    return (" AND ".join(where) or "1"), tuple(params)


def tally(conn: sqlite3.Connection, start: datetime | None, end: datetime | None,
          skip: frozenset[str] = frozenset()) -> ReportTally:
    """``ReportTally`` from the time index alone (no fact is read); the types in ``skip`` left out of ``live``."""
    where, params = _range(start, end)
    kinds, kept = "", ()
    if skip:
        kinds, kept = f" AND f.type NOT IN ({','.join('?' * len(skip))})", tuple(sorted(skip))
    # every event counted over the covering index alone, then the (few) retracted ones taken out
    live: dict[tuple[str, str], int] = {(typ, party): n for typ, party, n in conn.execute(
        f"SELECT f.type, f.party, COUNT(*) FROM report_facts f WHERE {where}{kinds} GROUP BY 1, 2", params + kept)}
    retracted = 0
    for typ, party, n in conn.execute(f"SELECT f.type, f.party, COUNT(*) FROM retractions r "
                                      f"JOIN report_facts f ON f.seq = r.seq WHERE {where} GROUP BY 1, 2", params):
        retracted += n
        if typ in skip:
            continue
        left = live[(typ, party)] - n
        if left:
            live[(typ, party)] = left
        else:
            del live[(typ, party)]
    return ReportTally(live, retracted, before_end(conn, end))


def before_end(conn: sqlite3.Connection, end: datetime | None) -> int:
    """The live events whose time is before ``end`` (``None``: all), over the time index alone."""
    where, params = _range(None, end)
    before = conn.execute(f"SELECT COUNT(*) FROM report_facts f WHERE {where}", params).fetchone()[0]
    gone = conn.execute(f"SELECT COUNT(*) FROM retractions r JOIN report_facts f ON f.seq = r.seq WHERE {where}",
                        params).fetchone()[0]
    return before - gone


def scan_tally(rows: Iterable[tuple[str, str, datetime, bool]], start: datetime | None,
               end: datetime | None, skip: frozenset[str] = frozenset()) -> ReportTally:
    """The same counts from ``(type, party, event time, retracted)`` rows (a backend without the index)."""
    live: dict[tuple[str, str], int] = {}
    retracted = before = 0
    for typ, party, moment, gone in rows:
        if end is not None and moment >= end:
            continue
        before += not gone
        if start is not None and moment < start:
            continue
        if gone:
            retracted += 1
        elif typ not in skip:
            live[(typ, party)] = live.get((typ, party), 0) + 1
    return ReportTally(live, retracted, before)


def facts_page(conn: sqlite3.Connection, after_seq: int, end: datetime | None,
               limit: int = PAGE) -> list[tuple[int, bytes, str | None]]:
    """``(seq, fact, retracting event id or None)`` of the next events after ``after_seq`` that have a
    fact and whose time is before ``end``, in log order (empty: no more)."""
    where, params = _range(None, end)
    return conn.execute(
        "SELECT f.seq, f.fact, r.by_event_id FROM report_facts f LEFT JOIN retractions r ON r.seq = f.seq "
        f"WHERE f.seq > ? AND f.fact IS NOT NULL AND {where} ORDER BY f.seq LIMIT ?",
        (after_seq, *params, limit)).fetchall()


# -- the embedded store's side: its lock held around each statement -----------------------------------


def _logged(done: int, total: int) -> None:
    if done == total or done % (BUILD_PAGE * 10) == 0:
        _log.info("report facts: %d of %d events indexed", done, total)


def store_prepare(store, progress: Callable[[int, int], None] | None = None) -> int:
    """``GraphStore.prepare_report`` of the embedded store (two look-ups when there is nothing to do)."""
    with store._lock:
        return build(store.conn, progress or _logged)


def store_tally(store, start: datetime | None, end: datetime | None, skip: frozenset[str] = frozenset()) -> ReportTally:
    store_prepare(store)
    with store._lock:
        return tally(store.conn, start, end, skip)


def store_before_end(store, end: datetime | None) -> int:
    store_prepare(store)
    with store._lock:
        return before_end(store.conn, end)


def store_facts(store, end: datetime | None) -> Iterator[tuple[int, bytes, str | None]]:
    """``GraphStore.report_facts`` of the embedded store, read in pages."""
    store_prepare(store)
    last = 0
    while True:
        with store._lock:
            rows = facts_page(store.conn, last, end)
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


__all__ = ["FACTS_SCHEMA", "ReportTally", "write_facts", "build", "missing", "is_complete", "tally",
           "scan_tally", "facts_page", "micros", "store_prepare", "store_tally", "store_facts", "before_end",
           "store_before_end"]
