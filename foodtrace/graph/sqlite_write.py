"""The embedded store's writes: one planned batch (``graph/batch.py``) into the SQLite tables."""

from __future__ import annotations

import sqlite3

from foodtrace.graph.batch import EVENT_COLUMNS, LOT_COLUMNS, BatchPlan
from foodtrace.graph.kept_views import drop_touched
from foodtrace.graph.report_facts import write_facts
from foodtrace.graph.search_index import write_rows
from foodtrace.graph.sqlite_support import chunks, marks
from foodtrace.model.events import PartyRegistration
from foodtrace.model.keys import ApiKeyIssued, ApiKeyRevoked

# A bulk load (a batch of BULK_EVENTS or more) raises the connection's page cache from SQLite's 2 MB to
# BULK_CACHE_KIB: the indexes on event ids and lot codes take keys in random order, and with the default
# cache every insert reads its index pages back from the file (at 200k events the writes took a fifth
# less CPU with the larger cache). Pages are allocated as used; the setting stays with the connection.
BULK_EVENTS = 1_000
BULK_CACHE_KIB = 262_144


def write_plan(conn: sqlite3.Connection, plan: BatchPlan) -> tuple[list[str], list[str]] | None:
    """Write a planned batch: its events, the parties, keys, retractions, lots, lot references and links
    they project to — inside the caller's transaction, which holds the write lock — and delete the read
    models kept in the file that these events make stale. Returns the lots and parties these events touch
    (``kept_views.touched``) when they were looked up for that (the caller's caches in memory drop the same),
    else None."""
    bulk = len(plan.new) >= BULK_EVENTS
    if bulk:
        conn.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    lots_before = conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM lots").fetchone()[0] if bulk else None
    # we hold the write lock: sequence numbers are ours to hand out
    base = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
    rows = plan.event_tuples(base)
    seq_of = {r[1]: r[0] for r in rows}
    conn.executemany(f"INSERT INTO events({', '.join(EVENT_COLUMNS)}) VALUES ({marks(len(EVENT_COLUMNS))})", rows)
    write_facts(conn, [ev for ev, _ in plan.new], seq_of, plan.fact_tuples(base))  # the report's time index
    parties, keys, revocations = [], [], []
    for ev, _ in plan.new:
        seq = seq_of[ev.event_id]
        if isinstance(ev, PartyRegistration):
            parties.append((ev.registered.id, ev.registered.model_dump_json(), seq))
        elif isinstance(ev, ApiKeyIssued):
            keys.append((ev.key_id, ev.key_hash, ev.holder, ev.role.value, ev.label, ev.event_time.isoformat(),
                         ev.event_id, seq))
        elif isinstance(ev, ApiKeyRevoked):
            revocations.append((ev.key_id, seq))
    conn.executemany(
        "INSERT INTO parties(id, body, seq) VALUES (?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET body=excluded.body, seq=excluded.seq",
        parties,
    )
    conn.executemany(
        "INSERT OR IGNORE INTO api_keys(key_id, key_hash, party, role, label, issued_at, event_id, seq) "
        "VALUES (?,?,?,?,?,?,?,?)",
        keys,
    )
    conn.executemany("INSERT INTO api_key_revocations(key_id, seq) VALUES (?,?)", revocations)
    if plan.retractions:
        targets = {t for t, _ in plan.retractions}
        stored_seq = dict(seqs_of(conn, [t for t in targets if t not in seq_of]))
        stored_seq.update({t: seq_of[t] for t in targets if t in seq_of})
        conn.executemany(
            "INSERT INTO retractions(seq, event_id, by_event_id, by_seq) VALUES (?,?,?,?)",
            [(stored_seq[t], t, by, seq_of[by]) for t, by in plan.retractions],
        )
    conn.executemany(
        "UPDATE lots SET product=NULL, quantity=NULL, unit=NULL, name=NULL, gtin=NULL, origin_party=NULL, "
        "created_at=NULL, created_by=NULL WHERE code=?",
        [(c,) for c in plan.unconfirmed()],
    )
    updates = ", ".join(f"{c}=excluded.{c}" for c in LOT_COLUMNS[1:])
    conn.executemany(
        f"INSERT INTO lots({', '.join(LOT_COLUMNS)}) VALUES ({marks(len(LOT_COLUMNS))}) "
        f"ON CONFLICT(code) DO UPDATE SET {updates}",
        plan.lot_tuples(),
    )
    conn.executemany("INSERT OR IGNORE INTO lots(code) VALUES (?)", [(c,) for c in plan.placeholders])
    touched = [*plan.created, *plan.placeholders, *plan.unconfirmed()]
    # the search index (graph/search_index.py): a bulk load leaves its new lots to the index's build
    write_rows(conn, touched, [p[0] for p in parties], first=base == 0, lots_before=lots_before)
    conn.executemany(
        "INSERT OR IGNORE INTO lot_events(code, seq) VALUES (?,?)", [(c, seq_of[e]) for c, e in plan.lot_refs]
    )
    conn.executemany(
        "INSERT INTO links(parent, child, seq, quantity) VALUES (?,?,?,?)",
        [(a, b, seq_of[e], q) for a, b, q, e in plan.links],
    )
    # the read models kept in the file (graph/kept_views.py) built from what these events touch: gone with them
    return drop_touched(conn, base, base + len(rows))


def seqs_of(conn: sqlite3.Connection, ids: list[str]) -> list[tuple[str, int]]:
    """(event id, sequence number) of the stored events among ``ids``."""
    out = []
    for part in chunks(ids):
        out += conn.execute(
            f"SELECT event_id, seq FROM events WHERE event_id IN ({marks(len(part))})", part
        ).fetchall()
    return out
