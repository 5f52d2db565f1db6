#!/usr/bin/env python3
"""The FIRST computation of the year's report, a month's report and the district check (none read back
from a checkpoint: every checkpoint of the store is dropped before each), timed in wall and CPU seconds,
and their full output written as JSON — to compare two versions of the code on the same store:

    cp /tmp/bench1m/bench.db /tmp/x/bench.db        # a copy you own: this WRITES checkpoints to it
    PYTHONPATH=/work/main python scripts/bench_first_fold.py --db /tmp/x/bench.db --out /tmp/x/base.json
    PYTHONPATH=. python scripts/bench_first_fold.py --db /tmp/x/bench.db --out /tmp/x/new.json
    cmp /tmp/x/base.json /tmp/x/new.json            # the same bytes: the same reports and check

The code measured is whichever ``foodtrace`` is first on ``PYTHONPATH`` (printed; this script adds nothing to
the path), so the baseline and the change run the same script. The report's ``generated_at`` is fixed; the
path of the rules file (which the check and the report's anomalies name) is written as ``<rules file>`` (two
checkouts name two paths).
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
import json
import os
from pathlib import Path
import time

import foodtrace
from foodtrace.graph import open_store
from foodtrace.services.report import district_report
from foodtrace.services.report.checkpoint import clear
from foodtrace.services.safety.rules import check_district, load_rules

YEAR = ("2025-01-01", "2025-12-31")
MONTH = ("2025-06-01", "2025-06-30")
NOW = datetime(2026, 1, 2, tzinfo=timezone.utc)


def _measured(fn):
    """``fn()``, its wall and CPU seconds."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="a copy you own (checkpoints are dropped and written)")
    ap.add_argument("--out", type=Path, default=None, help="the full output as JSON")
    ap.add_argument("--only", choices=("year", "month", "check"), action="append", default=None)
    ap.add_argument("--repeat", type=int, default=1, help="compute each N times (each the first: dropped between)")
    a = ap.parse_args()
    which = a.only or ["year", "month", "check"]
    print(f"code: {Path(foodtrace.__file__).parent}; load average {os.getloadavg()[0]:.2f}")
    store = open_store(f"sqlite:///{a.db}")
    store.status(catch_up=True)  # the lineage loads in the background: not timed below
    store.prepare_report()
    out: dict = {}
    for name in which:
        walls, cpus = [], []
        for _ in range(a.repeat):
            clear(store)
            if name == "check":
                r, wall, cpu = _measured(lambda: check_district(store))
                out[name] = r.model_dump(mode="json")
            else:
                first, last = YEAR if name == "year" else MONTH
                r, wall, cpu = _measured(lambda: district_report(store, first, last, now=NOW))
                out[name] = r.model_dump(mode="json")
            walls.append(wall)
            cpus.append(cpu)
        print(f"{name}: wall {', '.join(f'{w:.2f}' for w in walls)} s; CPU {', '.join(f'{c:.2f}' for c in cpus)} s "
              f"(best {min(cpus):.2f}); load average {os.getloadavg()[0]:.2f}")
    clear(store)
    store.close()
    if a.out:
        text = json.dumps(out, ensure_ascii=False, sort_keys=True, indent=1)
        a.out.write_text(text.replace(json.dumps(load_rules().source), '"<rules file>"'))  # two checkouts, two paths


if __name__ == "__main__":
    main()
