#!/usr/bin/env python3
"""Time the district statistics report: from the store's report facts (the default) against the
whole-log fold it replaced (``district_report(..., from_log=True)``), in the same run, for the demo
year and one month — the first time (folded, figures kept) and asked again (read back from the report's
checkpoint) — and check that every way gives the same report.

    PYTHONPATH=. python scripts/bench_report.py --events 200000 --db /tmp/d200k.db   # reuse a loaded file
    PYTHONPATH=. python scripts/bench_report.py --db /tmp/bench1m/bench.db --no-log   # facts only (faster)
    PYTHONPATH=. python scripts/bench_report.py --append-cost   # what writing the facts costs store.append
    PYTHONPATH=. python scripts/bench_report.py --db COPY.db --validity 20000   # the kept report as the log grows

``scripts/bench.py`` calls ``bench_report(store)`` and adds ``report_rows`` to its table. A store
written before the report facts existed is indexed first (timed apart: ``prepare_s``).
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
import os
from pathlib import Path
import sys
import tempfile
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from foodtrace.graph import open_store  # noqa: E402
from foodtrace.graph.report_facts import micros  # noqa: E402
from foodtrace.services.report import district_report  # noqa: E402
from foodtrace.services.report.checkpoint import clear  # noqa: E402
from foodtrace.services.report.facts import prepare  # noqa: E402
from foodtrace.services.report.period import period  # noqa: E402

YEAR = ("2025-01-01", "2025-12-31")
MONTH = ("2025-06-01", "2025-06-30")
NOW = datetime(2026, 1, 2, tzinfo=timezone.utc)  # the reports' "generated at", so both can be compared
TARGET_YEAR_1M_S = 3.0  # issue 22: a year's report at 1M events
TARGET_YEAR_10M_S = 30.0


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def _cpu(fn):
    """``fn()``, its wall seconds and this process's CPU seconds (a shared machine's load shows in the first)."""
    c = time.process_time()
    out, wall = _timed(fn)
    return out, wall, time.process_time() - c


def bench_report(store, with_log: bool = True) -> dict:
    """Seconds for the year's and a month's report: the first time (folded from the report facts; its
    figures kept), asked again (read back from the checkpoint) and, with ``with_log``, folded from the
    whole log (the baseline); the events each reads, and whether every way gives the same report. The
    store's checkpoints are dropped first, so the first report of each period folds."""
    r: dict = {"load_before": os.getloadavg()}
    _, r["prepare_s"] = _timed(lambda: prepare(store))
    r["checkpoints_dropped"] = clear(store)
    for name, (first, last) in (("year", YEAR), ("month", MONTH)):
        p = period(first, last)
        tally = store.report_tally(p.start, p.end)
        r[f"{name}_events"] = sum(tally.live.values())  # events of the period
        r[f"{name}_facts_read"] = sum(1 for _ in store.report_facts(p.end))  # facts folded (everything before the end)
        facts, r[f"{name}_s"], r[f"{name}_cpu_s"] = _cpu(lambda: district_report(store, first, last, now=NOW))
        again, r[f"{name}_kept_s"] = _timed(lambda: district_report(store, first, last, now=NOW))
        r[f"{name}_kept_same"] = again.model_dump() == facts.model_dump()
        if with_log:
            log, r[f"{name}_log_s"] = _timed(lambda: district_report(store, first, last, now=NOW, from_log=True))
            r[f"{name}_same"] = facts.model_dump() == log.model_dump()
    r["load_after"] = os.getloadavg()
    r["rows_kept"] = kept_rows(r)
    return r


def kept_rows(r: dict) -> list[str]:
    """bench.py's rows of the reports asked again (their figures read back from the checkpoint)."""
    out = []
    for name in ("year", "month"):
        if f"{name}_kept_s" in r:
            same = "same report" if r[f"{name}_kept_same"] else "DIFFERENT REPORT"
            target = f"<= {TARGET_YEAR_1M_S:g} {'✔' if r['year_kept_s'] <= TARGET_YEAR_1M_S else '✘'}" \
                if name == "year" else "reads no fact (nothing before its end changed)"
            out.append(f"| statistics report of the {name}, asked again (figures kept), s | {r[f'{name}_kept_s']:.2f} "
                       f"| – | {r[f'{name}_s']:.2f} (first time) | {r[f'{name}_s'] / max(r[f'{name}_kept_s'], 1e-9):.0f}x, "
                       f"{same} | {target} |")
    return out


def append_cost(events: int = 20_000, rounds: int = 2) -> dict:
    """Events/s of ``store.append`` (events prepared beforehand) with and without the report facts' write,
    alternating, in fresh files: what indexing the report costs the write side."""
    import foodtrace.graph.sqlite_write as sw
    from foodtrace.demo.generate import generate
    from foodtrace.ingest.capture import prepare as prepare_events

    _, stream = generate(events=events, seed=7)
    raw = list(stream)
    batches = [prepare_events(raw[i:i + 2000], captured_by="cli") for i in range(0, len(raw), 2000)]
    n = sum(len(b) for b in batches)
    real = sw.write_facts
    out: dict = {"events": n, "with": [], "without": [], "load": os.getloadavg()}
    try:
        for _ in range(rounds):
            for hook in (False, True):
                sw.write_facts = real if hook else (lambda *a, **k: None)
                with open_store(f"sqlite:///{tempfile.mkdtemp()}/append.db") as store:
                    _, secs = _timed(lambda: [store.append(b) for b in batches])
                out["with" if hook else "without"].append(n / secs)
    finally:
        sw.write_facts = real
    return out


def validity_cost(store, appended: int) -> dict:
    """What the checkpoint's validity check costs as the log grows past it: the year's report kept, then
    ``appended`` events stored after its end (commissions in 2026, through ``ingest.capture``), then the
    year again — still read back, the check walking every row appended since. WRITES to the store: run it
    on a copy you own."""
    from foodtrace.ingest.capture import capture

    farm = next(pid for pid, p in store.get_parties(
        [r[0] for r in store.conn.execute("SELECT id FROM parties")]).items() if p.kind.value == "scale_farm")
    district_report(store, *YEAR, now=NOW)  # kept (or already kept)
    _, before = _timed(lambda: district_report(store, *YEAR, now=NOW))
    for i in range(0, appended, 1000):
        capture(store, [{"type": "commission", "event_time": "2026-06-01T08:00:00+08:00", "party": farm,
                         "lots": [{"code": f"VALIDITY-{i + j}", "product": "live_pig", "quantity": 1, "unit": "head"}]}
                        for j in range(min(1000, appended - i))])
    p = period(*YEAR)
    shelf = store.report_checkpoints()
    _, check = _timed(lambda: [shelf.get(k, None, p.end) for (k,) in store.conn.execute(
        "SELECT kind FROM report_checkpoints WHERE end = ?", (micros(p.end),)).fetchall()])
    _, after = _timed(lambda: district_report(store, *YEAR, now=NOW))
    return {"appended": appended, "kept_s_before": before, "kept_s_after": after, "checks_s": check,
            "load": os.getloadavg()}


def report_rows(r: dict | None) -> list[str]:
    """Rows for bench.py's table (embedded column; the log fold in the baseline column)."""
    if not r:
        return []
    out = []
    for name, label in (("year", "statistics report of the year, first time (report facts), s"),
                        ("month", "statistics report of a month, first time (report facts), s")):
        if f"{name}_s" not in r:
            continue
        base = r.get(f"{name}_log_s")
        ratio = f"{base / r[f'{name}_s']:.1f}x" if base else "–"
        same = {True: ", same report", False: ", DIFFERENT REPORT"}.get(r.get(f"{name}_same"), "")
        target = (f"<= {TARGET_YEAR_1M_S:g} {'✔' if r['year_s'] <= TARGET_YEAR_1M_S else '✘'}"
                  if name == "year" else f"reads {r['month_facts_read']:,} facts for {r['month_events']:,} events")
        out.append(f"| {label} | {r[f'{name}_s']:.2f} | – | "
                   f"{'–' if base is None else f'{base:.2f} (whole-log fold)'} | {ratio}{same} | {target} |")
    return out + kept_rows(r)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=200_000, help="demo size when --db does not exist yet")
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--no-log", action="store_true", help="skip the whole-log baseline")
    ap.add_argument("--append-cost", action="store_true", help="only: store.append with and without the facts")
    ap.add_argument("--validity", type=int, default=0, metavar="N",
                    help="only: the kept year's report before and after N events stored after its end (WRITES --db)")
    a = ap.parse_args()
    if a.append_cost:
        c = append_cost()
        print(f"{c['events']:,} events, load average {c['load'][0]:.1f}: store.append events/s without the report "
              f"facts {', '.join(f'{v:,.0f}' for v in c['without'])}; with {', '.join(f'{v:,.0f}' for v in c['with'])}")
        return
    db = a.db or Path(tempfile.mkdtemp()) / "bench.db"
    fresh = not db.exists()
    store = open_store(f"sqlite:///{db}")
    if fresh:
        from foodtrace.demo.load import load_demo

        _, secs = _timed(lambda: load_demo(store, events=a.events))
        print(f"load {a.events} events: {secs:.1f} s")
    print(f"store: {store.counts()['events']:,} events ({db})")
    _, secs = _timed(lambda: store.status(catch_up=True))  # the lineage loads in the background: not timed below
    print(f"lineage loaded in {secs:.1f} s")
    if a.validity:
        print(validity_cost(store, a.validity))
        store.close()
        return
    r = bench_report(store, with_log=not a.no_log)
    store.close()
    print(f"load average before {r['load_before'][0]:.2f}, after {r['load_after'][0]:.2f} (1 min); "
          f"indexing old events {r['prepare_s']:.2f} s; CPU seconds of the first reports: year "
          f"{r['year_cpu_s']:.2f}, month {r['month_cpu_s']:.2f}")
    print("| measure | embedded | Neo4j | baseline | ratio | target |\n| --- | --- | --- | --- | --- | --- |")
    print("\n".join(report_rows(r)))


if __name__ == "__main__":
    main()
