"""The report's facts in the embedded store: a projection of the log indexed by event time.

``report_facts`` holds one row per stored event — its event time as UTC microseconds (``t``), its
sequence number, type and acting party — clustered by ``(t, seq)``, so a period's events are one
range of the index. It is written by ``write_facts`` inside the append's transaction (one call
in ``sqlite_write.write_plan``), so it never lags the log. Retractions need no update here: the
``retractions`` table, written in the same transaction, is joined on read.

The statistics report reads from it (``GraphStore.report_events`` / ``report_tally``):

- ``tally``: events of a period by (type, acting party), and how many of them are retracted —
  answered by SQLite over the index alone;
- ``seqs`` then ``bodies``: the stored bodies of the events of some types before a moment, in log
  order, as plain JSON objects (``json.loads``; no model validation) with the id of the retracting
  event, if any.

A store written before this table existed lacks rows for its old events: ``build`` adds them
(``foodtrace db report-facts``, or on the first report — with a progress callback), and the
``meta`` row ``report_facts`` says the table covers the whole log.
"""

from __future__ import annotations

from datetime import datetime, timezone
import json
import logging
import sqlite3
from typing import Callable, Iterable, Iterator, Sequence

FACTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS report_facts(
    t INTEGER NOT NULL,                 -- event time, microseconds since 1970-01-01 UTC
    seq INTEGER NOT NULL,               -- the event's log sequence number
    type TEXT NOT NULL,
    party TEXT NOT NULL,
    PRIMARY KEY(t, seq)
) WITHOUT ROWID;
"""
COMPLETE = "report_facts"  # meta key: present when every event of the log has its row
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
BUILD_PAGE = 20_000
PAGE = 500  # events read per statement (SQLite host parameters)


def micros(moment: datetime) -> int:
    """An aware moment as whole microseconds since 1970-01-01 UTC (exact; no float rounding)."""
    d = moment - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def ensure(conn: sqlite3.Connection) -> None:
    """Create the table (idempotent)."""
    conn.executescript(FACTS_SCHEMA)


def write_facts(conn: sqlite3.Connection, events: Sequence, seq_of: dict[str, int]) -> None:
    """One row per newly stored event (``events``: models with ``event_id``, ``event_time``, ``type``,
    ``party``), in the caller's transaction. A batch that starts the log marks the table complete."""
    conn.executemany(
        "INSERT OR IGNORE INTO report_facts(t, seq, type, party) VALUES (?,?,?,?)",
        [(micros(ev.event_time), seq_of[ev.event_id], ev.type, ev.party) for ev in events],
    )
    if seq_of and min(seq_of.values()) == 1:
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, '1')", (COMPLETE,))


def is_complete(conn: sqlite3.Connection) -> bool:
    if conn.execute("SELECT 1 FROM meta WHERE key=?", (COMPLETE,)).fetchone():
        return True
    return conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def missing(conn: sqlite3.Connection) -> int:
    """Events of the log without their row (0 once the table covers the log)."""
    if is_complete(conn):
        return 0
    have = conn.execute("SELECT COUNT(*) FROM report_facts").fetchone()[0]
    return max(0, conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] - have)


def build(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Add the rows of every event that lacks one (a store written before the table existed), in one
    write transaction (appends wait), then mark the table complete. ``progress(done, total)`` is
    called after each page. Returns the number of rows added."""
    ensure(conn)
    if is_complete(conn):
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        have = {s for (s,) in conn.execute("SELECT seq FROM report_facts")}
        total = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] - len(have)
        done, last = 0, 0
        while True:
            rows = conn.execute("SELECT seq, event_time, type, party FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                (last, BUILD_PAGE)).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            new = [(micros(datetime.fromisoformat(t)), s, typ, p) for s, t, typ, p in rows if s not in have]
            conn.executemany("INSERT OR IGNORE INTO report_facts(t, seq, type, party) VALUES (?,?,?,?)", new)
            done += len(new)
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


Tally = dict[tuple[str, str, bool], int]


def tally(conn: sqlite3.Connection, start: datetime | None, end: datetime | None) -> Tally:
    """Events whose time is before ``end``: live ones by (type, party, time at or after ``start``),
    retracted ones summed under ``("", "", inside)`` (``GraphStore.report_tally``)."""
    where, params = _range(None, end)
    inside = "f.t >= ?" if start is not None else "1"
    out: Tally = {}
    for typ, party, within, gone, n in conn.execute(
            f"SELECT f.type, f.party, {inside}, r.seq IS NOT NULL, COUNT(*) FROM report_facts f "
            f"LEFT JOIN retractions r ON r.seq = f.seq WHERE {where} GROUP BY 1, 2, 3, 4",
            ((micros(start),) if start is not None else ()) + params):
        key = ("", "", bool(within)) if gone else (typ, party, bool(within))
        out[key] = out.get(key, 0) + n
    return out


def split_tally(rows: Iterable[tuple[str, str, datetime, bool]], start: datetime | None,
                end: datetime | None) -> Tally:
    """The same tally from ``(type, party, event time, retracted)`` rows (a backend without the index)."""
    out: Tally = {}
    for typ, party, moment, gone in rows:
        if end is not None and moment >= end:
            continue
        within = start is None or moment >= start
        key = ("", "", within) if gone else (typ, party, within)
        out[key] = out.get(key, 0) + 1
    return out


def seqs(conn: sqlite3.Connection, types: Iterable[str], end: datetime | None) -> list[int]:
    """Sequence numbers of the events of ``types`` whose time is before ``end``, ascending."""
    wanted = sorted(set(types))
    where, params = _range(None, end)
    out = [s for (s,) in conn.execute(
        f"SELECT f.seq FROM report_facts f WHERE {where} AND f.type IN ({','.join('?' * len(wanted))})",
        (*params, *wanted))]
    out.sort()
    return out


def bodies(conn: sqlite3.Connection, seq_page: list[int]) -> list[tuple[int, dict, str | None]]:
    """``(seq, stored body as a JSON object, retracting event id or None)`` of these events, by seq."""
    rows = conn.execute(
        f"SELECT e.seq, e.body, r.by_event_id FROM events e LEFT JOIN retractions r ON r.seq = e.seq "
        f"WHERE e.seq IN ({','.join('?' * len(seq_page))}) ORDER BY e.seq", seq_page).fetchall()
    loads = json.loads
    return [(seq, loads(body), by) for seq, body, by in rows]


# -- the embedded store's side (its lock held around each statement) --------------------------------

_log = logging.getLogger("foodtrace.store")


def _logged(done: int, total: int) -> None:
    if done == total or done % (BUILD_PAGE * 10) == 0:
        _log.info("report facts: %d of %d events indexed", done, total)


def store_prepare(store, progress: Callable[[int, int], None] | None = None) -> int:
    """Build the rows the store lacks (once per store object; ``GraphStore.prepare_report``)."""
    if getattr(store, "_report_facts_ready", False):
        return 0
    with store._lock:
        added = build(store.conn, progress or _logged)
        store._report_facts_ready = True
    return added


def store_tally(store, start: datetime | None, end: datetime | None) -> Tally:
    store_prepare(store)
    with store._lock:
        return tally(store.conn, start, end)


def store_events(store, types: Iterable[str], end: datetime | None) -> Iterator[tuple[int, dict, str | None]]:
    store_prepare(store)
    with store._lock:
        wanted = seqs(store.conn, types, end)
    for i in range(0, len(wanted), PAGE):
        with store._lock:
            rows = bodies(store.conn, wanted[i:i + PAGE])
        yield from rows


__all__ = ["FACTS_SCHEMA", "write_facts", "build", "missing", "is_complete", "ensure", "tally", "split_tally", "seqs", "bodies",
           "micros", "Tally", "store_prepare", "store_tally", "store_events"]
