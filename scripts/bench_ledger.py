#!/usr/bin/env python3
"""A stall's own ledger (``GET /api/v1/stall/ledger``: ``services/capture/stall.own_ledger``) for one month,
for the party with the most retail sales in the store — now (``GraphStore.party_trades``: the store's time
index, the party's trades only) against the way it was read before (every handoff and retail sale of the
log parsed and filtered: ``GraphStore.party_trades``' backend-neutral default), same rows checked.

    python scripts/bench_ledger.py --store /tmp/bench1m-g/bench.db [--month 2025-06] [--rounds 5]

(also run by ``scripts/bench.py`` as a part: ``measure(run)``). Ours is the median of ``--rounds`` calls after
one not counted; the way before is one call (a whole-log pass: 77.6 s at 1M events on this machine).
"""

from __future__ import annotations

import argparse
from calendar import monthrange
import os
from pathlib import Path
import statistics
import sqlite3
import sys
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGETS = {"ledger_month_s": ("<=", 1.0)}
ROWS = [
    ("ledger_month_s", "a stall's month ledger (the busiest stall): s", "the whole-log way before, s"),
    ("ledger_speedup", "… times faster than reading every trade of the log, same rows", ""),
]


def busiest(db: Path) -> tuple[str, str]:
    """The party with the most retail sales, and the month it sold most in (YYYY-MM, UTC)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        party, month, _ = con.execute(
            "SELECT party, substr(event_time, 1, 7) AS m, COUNT(*) AS n FROM events WHERE type = 'retail_sale' "
            "GROUP BY party, m ORDER BY n DESC LIMIT 1").fetchone()
    return party, month


def ledger_figures(store, party: str, month: str, rounds: int = 5, before: bool = True, log=print) -> dict:
    from foodtrace.graph.store import GraphStore
    from foodtrace.services.capture.principal import Principal
    from foodtrace.services.capture.stall import own_ledger

    year, mon = (int(x) for x in month.split("-"))
    first, last = f"{month}-01", f"{month}-{monthrange(year, mon)[1]:02d}"
    who = Principal(id="bench", party=party, role="operator")
    rows = own_ledger(store, who, first, last)  # one call not counted
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        again = own_ledger(store, who, first, last)
        times.append(time.perf_counter() - t)
    assert again == rows
    out = {"party": party, "month": month, "rows": len(rows), "ledger_month_s": statistics.median(times)}
    if before:
        log(f"ledger: {party} {month}, the way before (a pass over every trade of the log)")
        kind = type(store)
        fast = kind.party_trades
        kind.party_trades = GraphStore.party_trades  # the default: what own_ledger read before
        try:
            t = time.perf_counter()
            old = own_ledger(store, who, first, last)
            out["ledger_before_s"] = time.perf_counter() - t
        finally:
            kind.party_trades = fast
        assert old == rows, "the ledger differs from the way before"
        out["ledger_speedup"] = out["ledger_before_s"] / out["ledger_month_s"]
    return out


def measure(run) -> dict:
    """bench.py's part: the busiest stall's busiest month, on the run's store."""
    party, month = busiest(run.db)
    res = ledger_figures(run.store, party, month, log=run.log)
    return {"ledger": res, "ledger_month_s": res["ledger_month_s"], "ledger_speedup": res["ledger_speedup"]}


def main() -> None:
    from foodtrace.graph import open_store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, type=Path, help="an embedded store's file")
    ap.add_argument("--month", help="YYYY-MM (default: the busiest stall's busiest month)")
    ap.add_argument("--party", help="the stall's party id (default: the one with the most retail sales)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-before", action="store_true", help="skip the whole-log way (slow on a large store)")
    args = ap.parse_args()
    party, month = busiest(args.store)
    store = open_store(f"sqlite:///{args.store}")
    store.status(catch_up=True)
    res = ledger_figures(store, args.party or party, args.month or month, args.rounds, not args.no_before)
    load = os.getloadavg()[0]
    line = f"{res['party']} {res['month']}: {res['rows']} rows, {res['ledger_month_s'] * 1000:.1f} ms"
    if "ledger_before_s" in res:
        line += f"; before {res['ledger_before_s']:.2f} s ({res['ledger_speedup']:,.0f}x)"
    print(f"{line}; load {load:.2f}")


if __name__ == "__main__":
    main()
