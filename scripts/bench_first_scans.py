"""A first scan's server work in process: the consumer page of receipts never scanned before, asked through
the app's kept path (``KeptFirstApp._kept``: the view built at once, kept, its page rendered and kept) as
``foodtrace serve`` answers them, without HTTP. Prints the CPU per first scan (and per kept scan after), and
the time the collector spent, by generation. The store is only read (but see ``--filled``).

    python scripts/bench_first_scans.py /tmp/bench1m-g/bench.db --scans 1500 --collector sweep
    python scripts/bench_first_scans.py COPY.db --scans 2000 --filled   # views kept in the file first

``--filled``: first keep the views (and pages) of the receipts it will scan in the store's file, as
``foodtrace db views`` keeps them (``fill_views(only=…)``; this writes to the file: run it on a copy), so each
first scan reads its view from the file instead of building it.

``--collector``: ``sweep`` — the serving worker's policy (``api/gc_policy.py``: a sweep every 0.1 s);
``off`` — no collections (the code's own cost); ``default`` — CPython's.
"""

from __future__ import annotations

import gc
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.bench_store_file import receipts as receipts_of, store_file_parser  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = store_file_parser(__doc__, "an embedded store's file (read only, unless --filled)", seed=7)
    ap.add_argument("--scans", type=int, default=1500)
    ap.add_argument("--collector", choices=("sweep", "off", "default"), default="sweep")
    ap.add_argument("--filled", action="store_true", help="keep the scanned receipts' views in the file first")
    args = ap.parse_args(argv)
    os.environ.setdefault("FOODTRACE_PUBLIC_RATE_PER_MINUTE", "1000000000")
    os.environ.setdefault("FOODTRACE_PUBLIC_BURST", "1000000000")
    from foodtrace.api import gc_policy, observe
    from foodtrace.api.app import create_app
    from foodtrace.config import Settings
    from foodtrace.graph import open_store

    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as con:
        receipts = receipts_of(con)
    settings = Settings(store=f"sqlite:///{args.db}")
    store = open_store(settings.store)
    store.status(catch_up=True)
    codes = random.Random(args.seed).sample(receipts, args.scans)
    asked = set(codes)
    warm = random.Random(99).sample([c for c in receipts if c not in asked], 50)
    if args.filled:
        from foodtrace.api.routes.pages import file_page
        from foodtrace.services.safety.rules import load_rules
        from foodtrace.services.tracing.view_fill import fill_views

        cpu = time.process_time()
        n = fill_views(store, rules=load_rules(), page=file_page(settings), only=codes + warm)
        print(f"kept {n:,} views in the file: {(time.process_time() - cpu) / max(n, 1) * 1e3:.2f} CPU ms a view")
        store.close()
        store = open_store(settings.store)  # a fresh process's memory: nothing kept but the file
        store.status(catch_up=True)
    app = create_app(settings, store=store)
    app.state.store = observe.watch(app, store)  # as served: the store's calls timed

    def scan(code: str):
        path = f"/l/{code}"
        return app._kept({"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
                          "query_string": b"", "headers": [(b"accept-language", b"zh-CN")],
                          "client": ("127.0.0.1", 5000)})

    for code in warm:  # warm: templates, rules, parties
        assert scan(code) is not None
    if args.collector == "sweep":  # as a serving worker: survivors of each full collection frozen
        gc_policy.install()
        gc_policy.full_collection()
    else:
        gc.collect()
        gc.freeze()
    spent = [0.0, 0.0, 0.0]
    started: dict[str, float] = {}

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        else:
            spent[info["generation"]] += time.perf_counter() - started.get("t", time.perf_counter())

    gc.callbacks.append(timed)
    if args.collector == "off":
        gc.disable()
    cpu, last = time.process_time(), time.monotonic()
    for code in codes:
        scan(code)
        if args.collector == "sweep" and time.monotonic() - last >= gc_policy.SWEEP_S:
            gc_policy.sweep()
            last = time.monotonic()
    first = (time.process_time() - cpu) / len(codes)
    collected = list(spent)
    cpu = time.process_time()
    for code in codes:
        scan(code)
    kept = (time.process_time() - cpu) / len(codes)
    by_generation = ", ".join(f"{s / len(codes) * 1e6:,.0f}" for s in collected)
    print(f"first scan: {first * 1e6:,.0f} µs CPU; kept: {kept * 1e6:,.0f} µs; collector per first scan by "
          f"generation: {by_generation} µs; load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
