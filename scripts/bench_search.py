#!/usr/bin/env python3
"""The inspector console's search (``GraphStore.search``, ``GET /api/v1/search?q=``) on a large embedded
store, before and after its search index (``graph/search_index.py``): the SQL ``LIKE`` of before, the
build of the index for a store written without it (time, file growth), and the search with it.

    cp /tmp/sweep1m.db /tmp/search1m.db   # a COPY: this writes the index into the file
    python scripts/bench_search.py --store /tmp/search1m.db [--rounds 5]

Each figure is the median of ``--rounds`` calls after one not counted; both ways' answers are printed as hit
counts (equal where the text has no letters beyond ASCII whose case differs). The index is dropped first
when the file has one (``--keep`` leaves it).
"""

from __future__ import annotations

import argparse
from pathlib import Path
import sqlite3
import statistics
import sys
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def queries(db: Path) -> list[tuple[str, str]]:
    """(what, text): a rare code and a fragment of it, common text, short text, a name, a party id."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        top = con.execute("SELECT MAX(rowid) FROM lots").fetchone()[0]
        code = con.execute("SELECT code FROM lots WHERE rowid >= ? ORDER BY rowid LIMIT 1", (top // 2,)).fetchone()[0]
        name = con.execute("SELECT name FROM lots WHERE name IS NOT NULL LIMIT 1").fetchone()
        party = con.execute("SELECT id FROM parties ORDER BY id DESC LIMIT 1").fetchone()[0]
        n = con.execute("SELECT COUNT(*) FROM lots").fetchone()[0]
        late = con.execute("SELECT code FROM lots ORDER BY code LIMIT 1 OFFSET ?", (int(n * 0.95),)).fetchone()[0]
    name = (name[0] if name else "白条猪肉")
    return [("common, only late in code order", late[:8]), ("4 digits, few lots", "6" + late[7:10]),
            ("10 digits, late in code order", late[:10]), ("a rare code (whole)", code),
            ("a rare code's last 9 characters", code[-9:]),
            ("a common prefix", code[:4]), ("a day (medium)", code[10:18]), ("2 characters, common", code[:2]),
            ("2 characters, no lot", party[:2]), ("a name fragment (3)", name[:3]), ("a name fragment (2)", name[1:3]),
            ("a party id", party[:4]), ("nothing", "zzzq")]


def timed(fn, rounds: int):
    out = fn()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return out, statistics.median(times) * 1000


def used(conn: sqlite3.Connection) -> int:
    """Bytes of the file's pages in use (a dropped index's pages are free, and reused first)."""
    pages, free, size = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                         for p in ("page_count", "freelist_count", "page_size"))
    return (pages - free) * size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="keep an index the file already has")
    a = ap.parse_args()
    from foodtrace.graph import search_index
    from foodtrace.graph.embedded import EmbeddedStore

    if not a.keep:
        con = sqlite3.connect(a.store, isolation_level=None)
        con.execute("DROP TABLE IF EXISTS lot_search")
        con.execute("DROP TABLE IF EXISTS party_search")
        con.execute("DELETE FROM meta WHERE key LIKE 'search_index%'")
        con.close()
    qs = queries(a.store)
    t = time.perf_counter()
    store = EmbeddedStore(str(a.store)).open()
    print(f"open (no index yet): {time.perf_counter() - t:.2f} s")
    try:
        before = {text: timed(lambda: search_index.search_keys(store.conn, text, 20, indexed=False), a.rounds)
                  for _, text in qs}
        grown = used(store.conn)
        t = time.perf_counter()
        n = store.prepare_search()
        built = time.perf_counter() - t
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"index build: {n} rows in {built:.1f} s; the store grew by {used(store.conn) - grown:,} bytes")
        after = {text: timed(lambda: store.search(text, 20), a.rounds) for _, text in qs}
    finally:
        store.close()
    print("\n| query | text | LIKE before, ms | index, ms | lots / parties found |")
    print("|---|---|---:|---:|---|")
    for what, text in qs:
        (lots, parties), ms0 = before[text]
        hits, ms1 = after[text]
        print(f"| {what} | `{text}` | {ms0:.1f} | {ms1:.1f} | {len(hits.lots)} / {len(hits.parties)}"
              f"{'' if (len(lots), len(parties)) == (len(hits.lots), len(hits.parties)) else ' (LIKE: differs)'} |")


if __name__ == "__main__":
    main()
