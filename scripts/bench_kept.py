#!/usr/bin/env python3
"""Time what the store's checkpoints save, on either backend: the district report of the demo year and
of a month, and the district check (``check_district``), the first time (every checkpoint dropped first:
folded, then kept) against asked again (read back while nothing of its range changed), alternating
first / again for ``--rounds`` rounds (turn-about: base, new, base, new) on the same store in the same run,
each answer checked equal to the first's. A report asked again still computes its supervision figures (the
office's records of the period: not kept); they are timed apart.

    PYTHONPATH=. python scripts/bench_kept.py --store bolt://127.0.0.1:7690 --events 20000   # loads when empty
    PYTHONPATH=. python scripts/bench_kept.py --store sqlite:////tmp/kept.db --events 20000
    PYTHONPATH=. python scripts/bench_kept.py --store bolt://127.0.0.1:7690 --validity 2000   # WRITES

With ``--validity N``: then N events dated after the month's end are stored (commissions of 2026) and the
month's report is asked again: still read back, its validity check now reading the N events stored since.
WRITES to the store: run it on a database you own (Neo4j: ``FOODTRACE_NEO4J_PASSWORD``, default
foodtrace-dev). The machine's load average is printed before and after.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
import os
from pathlib import Path
import statistics
import sys
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from foodtrace.config import Settings  # noqa: E402
from foodtrace.graph import open_store  # noqa: E402
from foodtrace.services.report import district_report  # noqa: E402
from foodtrace.services.report.checkpoint import clear  # noqa: E402
from foodtrace.services.safety.rules.anomalies import check_district  # noqa: E402

YEAR = ("2025-01-01", "2025-12-31")
MONTH = ("2025-06-01", "2025-06-30")
NOW = datetime(2026, 1, 2, tzinfo=timezone.utc)  # the reports' "generated at", so answers can be compared


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def _dump(x) -> dict:
    return x.model_dump(mode="json")


def measures(store) -> dict:
    return {
        "report of the year": lambda: district_report(store, *YEAR, now=NOW),
        "report of a month": lambda: district_report(store, *MONTH, now=NOW),
        "district check": lambda: check_district(store),
    }


def turn_about(store, rounds: int) -> dict:
    """For each measure: the first times (checkpoints dropped before each) and the again times, alternating."""
    from foodtrace.services.report.figures import supervision
    from foodtrace.services.report.period import period

    out = {name: {"first": [], "again": [], "same": True} for name in measures(store)}
    out["supervision"] = {"of the year": [], "of a month": []}  # part of every report, never kept
    for _ in range(rounds):
        for name, fn in measures(store).items():
            clear(store)
            first, secs = _timed(fn)
            out[name]["first"].append(secs)
            again, secs = _timed(fn)
            out[name]["again"].append(secs)
            out[name]["same"] &= _dump(again) == _dump(first)
        for name, days in (("of the year", YEAR), ("of a month", MONTH)):
            out["supervision"][name].append(_timed(lambda: supervision(store, period(*days)))[1])
    return out


def validity(store, appended: int) -> dict:
    """The month's report asked again before and after ``appended`` events stored after its end."""
    from foodtrace.ingest.capture import capture

    from foodtrace.services.report.checkpoint import key
    from foodtrace.services.report.period import period
    from foodtrace.services.safety.rules.config import load_rules

    farm = next(se.event.registered.id for se in store.events_by_type(["party_registration"])
                if se.event.registered.kind.value == "scale_farm")
    fn = measures(store)["report of a month"]
    p = period(*MONTH)
    shelf, kind = store.report_checkpoints(), key(p, load_rules().model_dump_json())
    fn()

    def check() -> float:  # the validity check alone (shelf.get), median of 5
        return statistics.median(_timed(lambda: shelf.get(kind, None, p.end))[1] for _ in range(5))

    _, before = _timed(fn)
    check_before = check()
    for i in range(0, appended, 1000):
        capture(store, [{"type": "commission", "event_time": "2026-06-01T08:00:00+08:00", "party": farm,
                         "lots": [{"code": f"KEPT-VALIDITY-{time.time_ns()}-{i + j}", "product": "live_pig",
                                   "quantity": 1, "unit": "head"}]} for j in range(min(1000, appended - i))])
    still = shelf.get(kind, None, p.end) is not None
    check_after = check()
    _, after = _timed(fn)
    return {"appended": appended, "again_s_before": before, "again_s_after": after, "still_kept": still,
            "check_s_before": check_before, "check_s_after": check_after}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="sqlite:///PATH or bolt://HOST:PORT")
    ap.add_argument("--events", type=int, default=20_000, help="demo size when the store is empty")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--validity", type=int, default=0, metavar="N", help="also: N events stored after the month")
    a = ap.parse_args()
    settings = Settings(store=a.store, neo4j_password=os.environ.get("FOODTRACE_NEO4J_PASSWORD", "foodtrace-dev"))
    store = open_store(settings.store, settings)
    try:
        if store.counts()["events"] == 0:
            from foodtrace.demo.load import load_demo

            store.init_schema()
            _, secs = _timed(lambda: load_demo(store, events=a.events, seed=7))
            print(f"demo of {a.events:,} events loaded in {secs:.1f} s")
        n = store.counts()["events"]
        load_before = os.getloadavg()
        r = turn_about(store, a.rounds)
        v = validity(store, a.validity) if a.validity else None
        load_after = os.getloadavg()
    finally:
        store.close()
    kind = "Neo4j" if a.store.startswith(("bolt", "neo4j")) else "embedded"
    print(f"{kind} store {a.store}: {n:,} events; load average (1, 5, 15 min) before "
          f"{', '.join(f'{x:.2f}' for x in load_before)}, after {', '.join(f'{x:.2f}' for x in load_after)}")
    print("| measure | first time (folded), s | asked again (kept), s | ratio (medians) | same answer |")
    print("| --- | --- | --- | --- | --- |")
    sup = r.pop("supervision")
    for name, m in r.items():
        first, again = statistics.median(m["first"]), statistics.median(m["again"])
        print(f"| {name} | {' / '.join(f'{x:.3f}' for x in m['first'])} | {' / '.join(f'{x:.4f}' for x in m['again'])} "
              f"| {first / max(again, 1e-9):.0f}x | {'yes' if m['same'] else 'NO'} |")
    print("of which the supervision figures (computed by every report, not kept), s: " + "; ".join(
        f"{name} {' / '.join(f'{x:.4f}' for x in xs)}" for name, xs in sup.items()))
    if v:
        print(f"month asked again: {v['again_s_before']:.4f} s; after {v['appended']:,} events stored after its "
              f"end: {v['again_s_after']:.4f} s ({'still read back' if v['still_kept'] else 'NOT read back'}); its "
              f"validity check alone (median of 5): {v['check_s_before'] * 1000:.1f} ms, then "
              f"{v['check_s_after'] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
