"""Store-level primitives for backup and verification, per backend: the log's raw rows (id, stored digest,
stored body — read without decoding, so that an unreadable event can be reported), every lot code, and
SQLite's online backup (a consistent copy while the server keeps writing)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterator, NamedTuple

from foodtrace.errors import InvalidInput, StoreUnavailable
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore

PAGE = 1000


class RawEvent(NamedTuple):
    seq: int
    event_id: str
    digest: str
    body: str


def _embedded(store: GraphStore):
    from foodtrace.graph.embedded import EmbeddedStore

    return store if isinstance(store, EmbeddedStore) else None


def raw_log(store: GraphStore) -> Iterator[RawEvent]:
    """Every stored event as written, in log order."""
    last = 0
    while True:
        if _embedded(store):
            with store._lock:
                rows = store.conn.execute("SELECT seq, event_id, digest, body FROM events WHERE seq > ? "
                                          "ORDER BY seq LIMIT ?", (last, PAGE)).fetchall()
        else:
            rows = store._read(lambda tx: [tuple(r.values()) for r in tx.run(
                "MATCH (e:Event) WHERE e.seq > $after RETURN e.seq, e.event_id, e.digest, e.body "
                "ORDER BY e.seq LIMIT $n", after=last, n=PAGE)])
        if not rows:
            return
        yield from (RawEvent(*r) for r in rows)
        last = rows[-1][0]


def lot_codes(store: GraphStore) -> list[str]:
    """Every lot code the projection holds (placeholders included), sorted."""
    if _embedded(store):
        with store._lock:
            store._catch_up()
            return [c for (c,) in store.conn.execute("SELECT code FROM lots ORDER BY code")]
    return store._read(lambda tx: [r[0] for r in tx.run("MATCH (l:Lot) RETURN l.code ORDER BY l.code")])


def sqlite_online_backup(store: GraphStore, target: Path) -> None:
    """Copy an embedded store's SQLite file to ``target`` with SQLite's online backup API: a consistent
    snapshot while other connections (the server) go on writing.

    The copy is one backup step (``pages=-1``): it holds one read transaction, and in WAL mode writers go
    on meanwhile. A copy in small steps restarts from the first page whenever another connection writes
    between two steps, so under a steady write load it may never end."""
    if not _embedded(store) or store.path == ":memory:":
        raise InvalidInput("an online backup needs a SQLite file store", [refusal(None, "store", "store_is", url=store.url)],
                           key="backup_needs_file")
    if target.exists():
        raise InvalidInput(f"{target} exists; a backup never overwrites", [refusal(None, "path", "backup_exists", path=str(target))],
                           key="backup_exists", args={"path": str(target)})
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(store.path, timeout=store._timeout)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"backup of {store.path} failed: {exc}", key="backup_failed",
                               args={"path": store.path, "reason": str(exc)}) from exc
    finally:
        src.close()
