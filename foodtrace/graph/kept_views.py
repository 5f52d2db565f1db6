"""Read models kept in the embedded store's SQLite file (the consumer's view of a lot): exact at all times,
shared by every process that opens the file and still there after a restart.

Two tables. ``kept_views``: one row per kept value — ``id`` (a 64-bit hash of its kind and key; the kind and
key are stored too and compared on read), ``build`` (a hash of the code that made it: ``Persisted.build``; a
row of another build is never served), ``seq`` (the log position it was checked against), ``deps`` (its
dependencies' ids, packed) and ``body`` (the value as the kind's codec encodes it). ``kept_view_deps``:
``dep -> view`` for each lot and party a value was built from (a dependency's id: a 64-bit hash of ``l``+code
or ``p``+party id; two names with one hash only drop a row more than needed).

Exact: every write of the log goes through ``sqlite_write.write_plan``, which calls ``drop_touched`` in the
append's own transaction, deleting every row built from a lot or party the new events touch (the same set the
in-memory caches drop: ``touched``, looked up once for both). A value is written only in a write transaction
that checks that the events committed since its build began (``seq``) touch none of its dependencies
(``Writer``): written behind, by a thread with its own connection, off the request's path. A row that cannot
be decoded is not served (the value is built again and its row replaced).
"""

from __future__ import annotations

from dataclasses import dataclass
import hashlib
import logging
import sqlite3
import struct
import threading
from typing import Any, Callable, Iterable

from foodtrace.graph.sqlite_support import chunks, marks

log = logging.getLogger("foodtrace.store")

SCHEMA = """
CREATE TABLE IF NOT EXISTS kept_views(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL,
    build INTEGER NOT NULL, seq INTEGER NOT NULL, deps BLOB NOT NULL, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS kept_view_deps(dep INTEGER NOT NULL, view INTEGER NOT NULL,
    PRIMARY KEY(dep, view)) WITHOUT ROWID;
"""

# the events a stretch of the log (last < seq <= top) touches: the lots they name, the lots of the events they
# retract; and the parties they register
TOUCHED_LOTS = ("SELECT code FROM lot_events WHERE seq > ?1 AND seq <= ?2 UNION SELECT le.code FROM retractions r "
                "JOIN lot_events le ON le.seq = r.seq WHERE r.by_seq > ?1 AND r.by_seq <= ?2")
TOUCHED_PARTIES = ("SELECT json_extract(body, '$.registered.id') FROM events WHERE seq > ? AND seq <= ? "
                   "AND type = 'party_registration'")
MAX_CHECKED = 20_000  # a value whose build began more events back than this is not written (not worth the check)
BATCH = 200  # values written in one transaction (the write lock held a few milliseconds)
GATHER_S = 0.2  # the writer waits this long for a batch to fill before it writes (a transaction a view cost ~4x)


@dataclass(frozen=True)
class Persisted:
    """How a kind of read model is kept in the file: ``build`` (an integer naming the code that builds and
    encodes it), ``encode(value) -> bytes``, ``decode(bytes) -> value`` (raises on a damaged row)."""

    build: int
    encode: Callable[[Any], bytes]
    decode: Callable[[bytes], Any]


def _h64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def view_id(kind: str, key: str) -> int:
    return _h64(f"{kind}\x1e{key}")


def dep_ids(lots: Iterable[str], parties: Iterable[str]) -> list[int]:
    return sorted({*(_h64("l" + c) for c in lots), *(_h64("p" + p) for p in parties if p is not None)})


def touched(conn: sqlite3.Connection, last: int, top: int) -> tuple[list[str], list[str]]:
    """The lots and parties the events ``last < seq <= top`` touch (what a kept value built before them
    may no longer show)."""
    lots = [c for (c,) in conn.execute(TOUCHED_LOTS, (last, top))]
    parties = [p for (p,) in conn.execute(TOUCHED_PARTIES, (last, top))]
    return lots, parties


def ensure(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def any_kept(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM kept_views LIMIT 1").fetchone() is not None


def _delete(conn: sqlite3.Connection, ids: Iterable[int]) -> int:
    """Delete these rows and their dependency entries; how many there were."""
    n = 0
    for part in chunks(list(ids)):
        rows = conn.execute(f"SELECT id, deps FROM kept_views WHERE id IN ({marks(len(part))})", part).fetchall()
        dep_rows = [(d, vid) for vid, deps in rows for d in _unpack(deps)]
        conn.executemany("DELETE FROM kept_view_deps WHERE dep = ? AND view = ?", dep_rows)
        conn.executemany("DELETE FROM kept_views WHERE id = ?", [(vid,) for vid, _ in rows])
        n += len(rows)
    return n


def drop_deps(conn: sqlite3.Connection, deps: Iterable[int]) -> int:
    """Inside a write transaction: delete every row built from one of these dependencies."""
    views: set[int] = set()
    for part in chunks(list(deps)):
        views.update(v for (v,) in conn.execute(
            f"SELECT view FROM kept_view_deps WHERE dep IN ({marks(len(part))})", part))
    return _delete(conn, views) if views else 0


def drop_touched(conn: sqlite3.Connection, last: int, top: int) -> tuple[list[str], list[str]] | None:
    """Inside the append's transaction (``sqlite_write.write_plan``): delete the rows built from a lot or
    party that the events ``last < seq <= top`` touch. Nothing to do (one look-up) while nothing is kept.
    Returns those lots and parties (``touched``) when it looked them up, for the caches in memory to drop the
    same without a second look-up; None when nothing was kept (or no event)."""
    if top <= last or not any_kept(conn):
        return None
    lots, parties = touched(conn, last, top)
    drop_deps(conn, dep_ids(lots, parties))
    return lots, parties


def _pack(deps: list[int]) -> bytes:
    return struct.pack(f"<{len(deps)}q", *deps)


def _unpack(blob: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(blob) // 8}q", blob)


def load(conn: sqlite3.Connection, kind: str, keys: list[str], persisted: Persisted) -> dict[str, tuple[Any, tuple]]:
    """``key -> (value, its dependencies' ids)`` for the values kept in the file for ``keys`` (of this build,
    decodable); the others are missing."""
    ids = {view_id(kind, k): k for k in keys}
    out: dict[str, tuple[Any, tuple]] = {}
    if len(ids) == 1:  # a first scan: one row by its id, the statement cached by SQLite's connection
        rows: Iterable[tuple] = conn.execute(_ONE, list(ids))
    else:
        rows = (row for part in chunks(list(ids)) for row in conn.execute(
            f"SELECT id, key, kind, build, deps, body FROM kept_views WHERE id IN ({marks(len(part))})", part))
    for vid, k, vkind, build, deps, body in rows:
        if k != ids.get(vid) or vkind != kind or build != persisted.build:
            continue  # another key with this hash, or a value an older (or newer) build made
        try:
            out[k] = (persisted.decode(body), _unpack(deps))
        except Exception:  # noqa: BLE001 — a damaged row: built again (and replaced) as if missing
            log.warning("kept view %r could not be read; it is built again", k)
    return out


_ONE = "SELECT id, key, kind, build, deps, body FROM kept_views WHERE id = ?"


def have(conn: sqlite3.Connection, kind: str, keys: list[str], build: int) -> set[str]:
    """Those of ``keys`` kept in the file by this build."""
    ids = {view_id(kind, k): k for k in keys}
    out: set[str] = set()
    for part in chunks(list(ids)):
        out.update(ids[v] for v, k in conn.execute(
            f"SELECT id, key FROM kept_views WHERE id IN ({marks(len(part))}) AND build = ?", [*part, build])
            if ids.get(v) == k)
    return out


@dataclass(frozen=True)
class Pending:
    """A value built from the log as of ``seen`` (and maybe later), waiting to be written: encoded by the
    writer (off the request's path)."""

    kind: str
    key: str
    seen: int
    value: Any
    lots: frozenset[str] | list[str]
    parties: frozenset[str] | list[str]
    persisted: Persisted


def pending(kind: str, key: str, seen: int, value: Any, lots, parties, persisted: Persisted) -> Pending:
    return Pending(kind, key, seen, value, lots, parties, persisted)


@dataclass(frozen=True)
class Encoded:
    """A pending value encoded, its dependencies' ids computed: ready to be written."""

    kind: str
    key: str
    seen: int
    build: int
    deps: list[int]
    body: bytes


def encode(items: Iterable[Pending]) -> list[Encoded]:
    """Done before the write transaction (the write lock is held for the writes only)."""
    return [Encoded(p.kind, p.key, p.seen, p.persisted.build, dep_ids(p.lots, p.parties), p.persisted.encode(p.value))
            for p in items]


def write(conn: sqlite3.Connection, items: list[Encoded]) -> int:
    """Inside a write transaction: write those ``items`` still exact — those for which no event committed
    after their build began touches a lot or party they were built from. How many were written."""
    if not items:
        return 0
    top = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
    behind = [p.seen for p in items if p.seen < top]
    stale: set[int] = set()
    if behind:
        since = min(behind)
        if top - since > MAX_CHECKED:
            items = [p for p in items if p.seen >= top or top - p.seen <= MAX_CHECKED]
            since = min((p.seen for p in items if p.seen < top), default=top)
        stale = set(dep_ids(*touched(conn, since, top))) if since < top else set()
    ids = {view_id(p.kind, p.key): p for p in items if p.seen >= top or not stale.intersection(p.deps)}
    _delete(conn, ids)  # the rows they replace (of another build, damaged, or the same key's older value)
    conn.executemany("INSERT INTO kept_views(id, kind, key, build, seq, deps, body) VALUES (?,?,?,?,?,?,?)",
                     [(vid, p.kind, p.key, p.build, top, _pack(p.deps), p.body) for vid, p in ids.items()])
    conn.executemany("INSERT OR IGNORE INTO kept_view_deps(dep, view) VALUES (?, ?)",
                     [(d, vid) for vid, p in ids.items() for d in p.deps])
    return len(ids)


def clear(conn: sqlite3.Connection, kind: str | None = None) -> int:
    """Inside a write transaction: delete every kept value (of ``kind``); how many."""
    if kind is None:
        n = conn.execute("DELETE FROM kept_views").rowcount
        conn.execute("DELETE FROM kept_view_deps")
        return n
    ids = [v for (v,) in conn.execute("SELECT id FROM kept_views WHERE kind = ?", (kind,))]
    return _delete(conn, ids)


class Writer:
    """Writes values behind, in batches, by a thread with its own connection to the file: a request never
    waits for SQLite's write lock (a busy writer only delays the rows). Started at the first value; values
    beyond ``limit`` waiting are dropped (they are built again at their next scan)."""

    def __init__(self, path: str, timeout: float, limit: int = 10_000):
        self.path, self.timeout, self.limit = path, timeout, limit
        self._items: list = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.written = self.dropped = 0

    def put(self, item: Pending) -> None:
        with self._cond:
            if self._closed:
                return
            if len(self._items) >= self.limit:
                self.dropped += 1
                return
            self._items.append(item)
            if self._thread is None or not self._thread.is_alive():  # the first value, or a thread that failed
                self._thread = threading.Thread(target=self._run, name="kept-views-writer", daemon=True)
                self._thread.start()
            self._cond.notify()

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until what was put is written (or dropped)."""
        with self._cond:
            self._flushing += 1
            try:
                self._cond.notify_all()
                self._cond.wait_for(lambda: not self._items and not self._busy, timeout)
            finally:
                self._flushing -= 1

    _busy = False
    _flushing = 0

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        conn = None
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=self.timeout, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            # no sync of its own: a view lost to a power cut is built again; the appends that delete views
            # sync (FULL), and the log's order keeps every earlier transaction with them
            conn.execute("PRAGMA synchronous=NORMAL")
            while True:
                with self._cond:
                    self._cond.wait_for(lambda: self._items or self._closed)
                    if not self._items and self._closed:
                        return
                    # a batch gathered for a while: each transaction has a cost of its own
                    self._cond.wait_for(lambda: len(self._items) >= BATCH or self._closed or self._flushing,
                                        GATHER_S)
                    batch, self._items = self._items[:BATCH], self._items[BATCH:]
                    self._busy = True
                try:
                    batch = encode(batch)
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        n = write(conn, batch)
                        conn.execute("COMMIT")
                        self.written += n
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                except Exception:  # noqa: BLE001 — a row not written is built again at its next scan
                    log.warning("kept views not written (%d)", len(batch), exc_info=True)
                    self.dropped += len(batch)
                finally:
                    with self._cond:
                        self._busy = False
                        self._cond.notify_all()
        finally:
            if conn is not None:
                conn.close()
            with self._cond:
                self._busy = False
                self._items.clear()
                self._cond.notify_all()


__all__ = ["Persisted", "Writer", "any_kept", "clear", "dep_ids", "encode", "drop_deps", "drop_touched", "ensure", "have",
           "load", "pending", "touched", "view_id", "write"]
