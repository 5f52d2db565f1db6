"""What the consumer views kept in an embedded store's file cost (``graph/kept_views.py``): the room their two
tables take, and what they add to appends — each append deletes, in its own transaction, the views built from
what it touches. Run on a COPY of a store (it appends): once on a copy whose views were kept (``foodtrace db
views``) and once on a copy without (the base), the same seed.

    python scripts/bench_kept_views.py /tmp/pview/bench.db --tests 1000

Prints one JSON line: the tables' bytes (``dbstat``), the views kept, then for each append — a recall of the
upstream lot behind the most receipts among a sample, one batch of ``--tests`` lab tests on as many random
receipts' shelf lots, ``--small`` appends of one lab test each — its wall time, the CPU time of the thread that
appends, and the views it deleted. ``--warm N``: first read N random receipts' views (from the file, or built),
so that the appends drop views from the store's memory too, as a serving process's do.
"""

from __future__ import annotations

from datetime import datetime, timezone
import json
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.bench_store_file import receipts as receipts_of, store_file_parser  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = store_file_parser(__doc__, "a COPY of an embedded store's file (appended to)", seed=11)
    ap.add_argument("--tests", type=int, default=1000)
    ap.add_argument("--small", type=int, default=50)
    ap.add_argument("--warm", type=int, default=0, help="views read into memory before the appends")
    args = ap.parse_args(argv)
    from foodtrace.graph import open_store
    from foodtrace.ingest.capture import capture
    from foodtrace.services.safety.recall import start_recall
    from foodtrace.services.tracing.consumer import ready_view

    out: dict = {"load_before": os.getloadavg()[0]}
    con = sqlite3.connect(args.db)
    try:
        out["bytes"] = dict(con.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'kept_view%' "
                                        "OR name LIKE 'sqlite_autoindex_kept_view%' GROUP BY name").fetchall())
    except sqlite3.Error:
        out["bytes"] = None
    out["file_bytes"] = os.path.getsize(args.db)

    def kept() -> int:
        try:
            return con.execute("SELECT COUNT(*) FROM kept_views").fetchone()[0]
        except sqlite3.Error:
            return 0

    out["views"] = kept()
    receipts = sorted(receipts_of(con))  # code order (SQLite's BINARY order is Python's for str)
    lab = con.execute("SELECT id FROM parties WHERE json_extract(body, '$.kind') = 'testing_lab' "
                      "ORDER BY id LIMIT 1").fetchone()[0]
    rnd = random.Random(args.seed)
    store = open_store(f"sqlite:///{args.db}")
    try:
        store.status(catch_up=True)
        # the upstream lot behind the most receipts, among the roots of 50 random receipts' lineages
        roots = {}
        for code in rnd.sample(receipts, 50):
            lin = store.backward(code)
            for lot in lin.lots:
                if lot not in roots:
                    roots[lot] = len(store.forward(lot).lots)
        top = max(roots, key=roots.get)
        now = datetime.now(timezone.utc).isoformat()
        for code in random.Random(args.seed + 1).sample(receipts, min(args.warm, len(receipts))):
            ready_view(store, code)
        store.flush_models()  # the views built (none on a filled copy) written before the appends are timed
        out["views_in_memory"] = sum(len(c) for c in store._caches.values())

        def timed(name: str, fn) -> None:
            before = kept()
            t, c = time.perf_counter(), time.thread_time()
            fn()
            out[name] = {"ms": round((time.perf_counter() - t) * 1000, 1),
                         "cpu_ms": round((time.thread_time() - c) * 1000, 1), "views_deleted": before - kept()}

        timed("recall", lambda: start_recall(store, [top], "bench: kept views", at=None))
        out["recall"]["lots_downstream"] = roots[top]
        shelf = {}
        for code in rnd.sample(receipts, args.tests):
            parents = [p for p in store.backward(code, limit=1).lots if p != code]
            shelf[code] = parents[0] if parents else code
        tests = [{"type": "certificate", "event_time": now, "party": lab, "issuer": lab, "kind": "lab_test",
                  "number": f"BENCH-{i}", "result": "pass", "lots": [lot]} for i, lot in enumerate(shelf.values())]
        timed("tests_batch", lambda: capture(store, tests))
        out["tests_batch"]["events"] = len(tests)
        small = [{"type": "certificate", "event_time": now, "party": lab, "issuer": lab, "kind": "lab_test",
                  "number": f"BENCH-S{i}", "result": "pass", "lots": [code]}
                 for i, code in enumerate(rnd.sample(receipts, args.small))]
        timed("small_appends", lambda: [capture(store, [ev]) for ev in small])
        out["small_appends"]["each_ms"] = round(out["small_appends"]["ms"] / max(len(small), 1), 2)
        out["small_appends"]["each_cpu_ms"] = round(out["small_appends"]["cpu_ms"] / max(len(small), 1), 3)
    finally:
        store.close()
        con.close()
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
