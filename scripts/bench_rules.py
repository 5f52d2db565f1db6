#!/usr/bin/env python3
"""Time the food-safety rules on a demo district.

    PYTHONPATH=. python scripts/bench_rules.py --events 20000
    PYTHONPATH=. python scripts/bench_rules.py --events 200000 --db /tmp/d200k.db   # reuse a loaded file
    PYTHONPATH=. python scripts/bench_rules.py --db COPY.db --first   # the check folded, not read back

Loads the demo (planted problems and complaints) into a SQLite file unless it is
there already, then times: the district check (streams the whole log), the
market-entry gate on sample lots, a recall plan, and an investigation. The district check is kept in the
store while no event is appended (``rules/kept_check.py``): on a store checked before, it is read back unless
``--first`` drops the store's checkpoints first (WRITES the file: use a copy). ``scripts/bench_first_fold.py``
times the first check and reports of two checkouts on one store and compares their output.
"""

from __future__ import annotations

import argparse
from pathlib import Path
import resource
import statistics
import tempfile
import time

from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.services.safety.complaints import list_complaints
from foodtrace.services.safety.investigate import investigate
from foodtrace.services.safety.recall import plan_recall
from foodtrace.services.safety.rules import check_district, check_entry


def timed(fn, repeat=1):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--first", action="store_true", help="drop the store's checkpoints: the check folds (WRITES --db)")
    a = ap.parse_args()
    db = a.db or Path(tempfile.mkdtemp()) / "bench.db"
    fresh = not db.exists()
    store = open_store(f"sqlite:///{db}")
    if fresh:
        district, secs = timed(lambda: load_demo(store, events=a.events, plant_complaints=True))
        print(f"load {a.events} events: {secs:.1f} s")
    counts = store.counts()
    print(f"store: {counts['events']} events, {counts['lots']} lots ({db})")
    if a.first:
        from foodtrace.services.report.checkpoint import clear

        store.status(catch_up=True)  # the lineage loads in the background: not timed
        clear(store)
    cpu = time.process_time()
    report, secs = timed(lambda: check_district(store))
    cpu = time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"check: {secs:.2f} s ({cpu:.2f} CPU s), {len(report.anomalies)} anomalies {report.counts}; "
          f"peak RSS {rss:.0f} MB")
    lots = [a.lot for a in report.anomalies if a.lot]
    receiver = next(iter(store.get_parties(["SM001"])), "SM001")
    _, secs = timed(lambda: [check_entry(store, c, receiver, 1.0) for c in lots], repeat=5)
    print(f"entry gate: {1000 * secs / max(1, len(lots)):.1f} ms per lot ({len(lots)} lots)")
    failed = next(a.lot for a in report.anomalies if a.kind == "failed_test")
    plan, secs = timed(lambda: plan_recall(store, [failed], "bench"), repeat=5)
    print(f"recall plan: {1000 * secs:.1f} ms ({len(plan.exposure.affected)} lots, {len(plan.exposure.holders)} holders)")
    complaints = [c.complaint_id for c in list_complaints(store)]
    inv, secs = timed(lambda: investigate(store, [], complaints=complaints), repeat=5)
    print(f"investigation: {1000 * secs:.1f} ms ({len(complaints)} complaints, first: {inv.parties[0].party})")
    store.close()


if __name__ == "__main__":
    main()
