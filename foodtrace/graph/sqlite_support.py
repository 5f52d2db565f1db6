"""The SQLite side of the embedded store: its schema, row mappers, host-parameter
chunking, the translation of SQLite failures into ``StoreUnavailable``, and the
attribute-free networkx graph the store keeps in memory."""

from __future__ import annotations

import functools
import inspect
import sqlite3
from typing import Iterator


from foodtrace.errors import StoreUnavailable
from foodtrace.i18n.keyed import keyed
from foodtrace.graph.report_facts import FACTS_SCHEMA
from foodtrace.graph.search_index import SEARCH_SCHEMA
from foodtrace.model.keys import ApiKey
from foodtrace.model.lots import Lot

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events(
    seq INTEGER PRIMARY KEY,            -- the log's sequence number, never reused (append-only)
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    event_time TEXT NOT NULL,
    record_time TEXT NOT NULL,
    party TEXT NOT NULL,
    digest TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_party ON events(party, seq);
CREATE INDEX IF NOT EXISTS events_type_time ON events(type, event_time);
CREATE TABLE IF NOT EXISTS retractions(
    seq INTEGER PRIMARY KEY,            -- the retracted event
    event_id TEXT NOT NULL,
    by_event_id TEXT NOT NULL,
    by_seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS retractions_by ON retractions(by_seq);
CREATE TABLE IF NOT EXISTS lots(
    code TEXT PRIMARY KEY,
    product TEXT, quantity REAL, unit TEXT, name TEXT, gtin TEXT,
    origin_party TEXT, created_at TEXT, created_by TEXT   -- created_by NULL: placeholder
);
CREATE INDEX IF NOT EXISTS lots_gtin ON lots(gtin) WHERE gtin IS NOT NULL;
CREATE TABLE IF NOT EXISTS lot_events(code TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(code, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lot_events_seq ON lot_events(seq);   -- what a stretch of the log touched (read models)
CREATE TABLE IF NOT EXISTS links(parent TEXT NOT NULL, child TEXT NOT NULL, seq INTEGER NOT NULL, quantity REAL);
CREATE INDEX IF NOT EXISTS links_seq ON links(seq);
CREATE INDEX IF NOT EXISTS links_pair ON links(parent, child);
CREATE TABLE IF NOT EXISTS parties(id TEXT PRIMARY KEY, body TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys(
    key_id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, party TEXT NOT NULL, role TEXT NOT NULL,
    label TEXT, issued_at TEXT NOT NULL, event_id TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_key_revocations(key_id TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY(key_id, seq)) WITHOUT ROWID;
"""
SCHEMA += FACTS_SCHEMA  # the statistics report's time index (graph/report_facts.py)
SCHEMA += SEARCH_SCHEMA  # the search index (graph/search_index.py)

# A key counts unless its issuance is retracted; it is revoked while a revocation is in force.
KEYS_QUERY = """
SELECT k.key_id, k.key_hash, k.party, k.role, k.label, k.issued_at, k.event_id,
       EXISTS(SELECT 1 FROM api_key_revocations v WHERE v.key_id = k.key_id
              AND v.seq NOT IN (SELECT seq FROM retractions)) AS revoked
FROM api_keys k WHERE k.seq NOT IN (SELECT seq FROM retractions)
"""

CHUNK = 500  # SQLite host-parameter batches


def chunks(items: list, n: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def in_write_transaction(conn: sqlite3.Connection, work):
    """``work(conn)`` inside ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back if it raises); what it returns."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        out = work(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return out


def marks(n: int) -> str:
    """``?,?,…`` for an ``IN (…)`` list of ``n`` values."""
    return ",".join("?" * n)


def _translate(exc: sqlite3.Error) -> StoreUnavailable:
    if "locked" in str(exc) or "busy" in str(exc):
        return keyed(StoreUnavailable, "store_busy", sqlite="SQLite", reason=str(exc))
    return keyed(StoreUnavailable, "store_sqlite_error", sqlite="SQLite", reason=str(exc))


def _translated(it: Iterator) -> Iterator:
    try:
        yield from it
    except sqlite3.Error as exc:
        raise _translate(exc) from exc


def _sqlite_errors(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        try:
            result = fn(*a, **k)
        except sqlite3.Error as exc:
            raise _translate(exc) from exc
        return _translated(result) if inspect.isgenerator(result) else result

    return wrapper


def translate_sqlite_errors(cls):
    """Class decorator: every public method's SQLite failures (a lock held past
    the timeout, a disk error) become ``StoreUnavailable``; generators are
    wrapped as they are consumed."""
    for name, attr in list(cls.__dict__.items()):
        if not name.startswith("_") and inspect.isfunction(attr):
            setattr(cls, name, _sqlite_errors(attr))
    return cls


LOT_SELECT = "SELECT code, product, quantity, unit, name, gtin, origin_party, created_at, created_by FROM lots"


def lot_from_row(row) -> Lot:
    code, product, quantity, unit, name, gtin, origin, created_at, created_by = row
    return Lot(code=code, product=product, quantity=quantity, unit=unit, name=name, gtin=gtin, origin_party=origin,
               created_at=created_at, created_by=created_by, unconfirmed=created_by is None)


def key_from_row(row) -> ApiKey:
    key_id, key_hash, party, role, label, issued_at, event_id, revoked = row
    return ApiKey(key_id=key_id, key_hash=key_hash, party=party, role=role, label=label, issued_at=issued_at,
                  event_id=event_id, revoked=bool(revoked))
