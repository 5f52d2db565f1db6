#!/usr/bin/env python3
"""Ingest and open, measured as a user meets them.

    PYTHONPATH=. python scripts/bench_ingest.py --events 200000              # generate, ingest, open
    PYTHONPATH=. python scripts/bench_ingest.py --events 1000000 --dir /tmp/i1m
    PYTHONPATH=. python scripts/bench_ingest.py --file /tmp/i1m/events.jsonl --skip-generate

1. Generates the demo district's events ONCE into a JSON-lines file, streaming (one line at a time,
   nothing held in memory; 10M events is minutes), and reports the demo generator's own speed.
2. Times ``foodtrace ingest FILE --batch-size B`` as a separate process into a fresh SQLite store
   (the write door with a local principal: validation, permissions, authority, custody, digests).
3. Times opening the loaded store (``open_store``) in a fresh process, twice (cold and warm page cache).

Prints one line per figure and, with ``--json``, writes them as JSON. ``bench.py`` calls
``measure_ingest`` to put the figures in its table.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import resource
import subprocess
import sys
import tempfile
import time

REPO = Path(__file__).resolve().parent.parent


def generate_file(path: Path, events: int, seed: int = 7) -> tuple[int, float]:
    """Stream the demo district's events into ``path`` (JSON lines); (events written, seconds)."""
    import orjson

    sys.path.insert(0, str(REPO))
    from foodtrace.demo.generate import generate

    _, stream = generate(events=events, seed=seed)
    dumps = orjson.dumps
    n, t0 = 0, time.perf_counter()
    tmp = path.with_suffix(".part")
    with open(tmp, "wb", buffering=1 << 20) as fh:
        for ev in stream:
            fh.write(dumps(ev))
            fh.write(b"\n")
            n += 1
    tmp.replace(path)
    return n, time.perf_counter() - t0


LAST_CPU_S = [0.0]
WORKER_STAGES = ("read", "prepare", "encode", "read_back", "rows", "send")
MAIN_STAGES = ("receive", "check", "plan", "write", "commit")


def _env(root: Path = REPO, **extra: str) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)  # this checkout's package (or the baseline's), nothing else first
    env.update(extra)
    return env


def ingest_file(path: Path, db: Path, batch_size: int, root: Path = REPO, **env: str) -> float:
    """Seconds for ``foodtrace ingest`` of ``path`` into a fresh store at ``db`` (a separate process).
    The process's CPU seconds (user + system) go to ``LAST_CPU_S``: on a shared machine they vary far
    less than the wall time."""
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    path, db = Path(path).resolve(), Path(db).resolve()
    cmd = [sys.executable, "-c", "from foodtrace.cli import main; main(prog_name='foodtrace')", "--store", f"sqlite:///{db}", "ingest", str(path),
           "--batch-size", str(batch_size)]
    t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, env=_env(root, **env), capture_output=True, text=True, cwd=root)  # python -c: cwd first
    secs, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU_S[0] = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if out.returncode != 0:
        raise SystemExit(f"ingest failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return secs


OPEN_SNIPPET = """
import sys, time
t0 = time.perf_counter()
from foodtrace.graph import open_store
import foodtrace.graph.embedded  # imported by open_store on first use: not the open's own time
t1 = time.perf_counter()
s = open_store(sys.argv[1])
t2 = time.perf_counter()
lot = s.conn.execute("SELECT code FROM lots ORDER BY code DESC LIMIT 1").fetchone()
if lot:
    s.backward(lot[0])
t3 = time.perf_counter()
st = s.status(catch_up=True)
t4 = time.perf_counter()
print(t2 - t1, t1 - t0, t3 - t2, t4 - t1, st.lots, st.links)
"""


def open_seconds(db: Path, root: Path = REPO) -> dict:
    """Opening the store in a fresh process: seconds until ``open_store`` returns (imports apart), until a
    first trace is answered, and until the lineage graph is loaded; and the graph's size."""
    out = subprocess.run([sys.executable, "-c", OPEN_SNIPPET, f"sqlite:///{Path(db).resolve()}"], env=_env(root),
                         capture_output=True, text=True, check=True, cwd=root)
    secs, imports, first, ready, nodes, edges = out.stdout.split()
    return {"open_s": float(secs), "import_s": float(imports), "first_trace_s": float(first),
            "graph_ready_s": float(ready), "nodes": int(nodes), "edges": int(edges)}


def stage_times(file: Path, db: Path, batch_size: int = 10_000) -> dict[str, float]:
    """CPU microseconds per event in each stage of the JSON-lines ingest, in this one process, the garbage
    collector paused as ``foodtrace ingest`` pauses it: read and decode, prepare, encode (digests and bodies),
    the door's read-back, the stored rows made ahead (``graph/batch_rows.py``), the batch's trip between the
    processes (``ingest/jsonl_wire.py``: pickled, unpickled), the door's other checks, planning, the SQLite
    writes (the report's facts encoded among them), commit and graph update — the same calls the command
    makes. With the worker (``ingest/jsonl_worker.py``) the first six run in the worker process and the rest
    in the main one: ``WORKER_STAGES``, ``MAIN_STAGES``; the slower of the two sums bounds the rate."""
    import gc

    sys.path.insert(0, str(REPO))
    from foodtrace.graph import open_store
    from foodtrace.graph.batch import EncodedBatch, plan_batch
    from foodtrace.graph.sqlite_write import write_plan
    from foodtrace.graph.batch_rows import make_rows
    from foodtrace.ingest import jsonl_wire
    from foodtrace.ingest.capture import read_back
    from foodtrace.ingest.jsonl import _prepare_numbered, read_lines
    from foodtrace.services.capture.door import check
    from foodtrace.services.capture.principal import local

    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    store, who = open_store(f"sqlite:///{db}"), local(None)
    t: dict[str, float] = dict.fromkeys(("read", "prepare", "encode", "read_back", "rows", "send", "receive", "check",
                                         "plan", "write", "commit"), 0.0)
    n, chunk, clock = 0, [], time.process_time
    gc.disable()

    def batch(chunk: list) -> None:
        c = clock(); events = _prepare_numbered(chunk, "cli"); t["prepare"] += clock() - c
        c = clock(); events = EncodedBatch.of(events); t["encode"] += clock() - c
        c = clock(); read_back(events); t["read_back"] += clock() - c
        c = clock(); make_rows(events); t["rows"] += clock() - c
        c = clock(); sent = jsonl_wire.dumps(events); t["send"] += clock() - c
        c = clock(); events = jsonl_wire.loads(sent); t["receive"] += clock() - c
        c = clock(); check(store, who, events); t["check"] += clock() - c
        with store._lock:
            store.conn.execute("BEGIN IMMEDIATE")
            store._catch_up()
            c = clock(); plan = plan_batch(events, store); t["plan"] += clock() - c
            c = clock(); write_plan(store.conn, plan); t["write"] += clock() - c
            c = clock(); store.conn.execute("COMMIT"); store._catch_up(); t["commit"] += clock() - c

    try:
        lines = read_lines(file)
        while True:
            c = clock(); chunk = [x for _, x in zip(range(batch_size), lines)]; t["read"] += clock() - c
            if not chunk:
                break
            n += len(chunk)
            batch(chunk)
            gc.collect(1)
    finally:
        gc.enable()
        store.close()
    return {k: v / n * 1e6 for k, v in t.items()} | {"events": n}


def measure_ingest(events: int, workdir: Path, batch_size: int = 10_000, file: Path | None = None,
                   skip_generate: bool = False, baseline: Path | None = None, rounds: int = 3,
                   one_process: bool = False, worker: str = "") -> dict:
    """Generate (unless there), ingest and open; every figure as a dict (bench.py's rows). With
    ``baseline`` (a checkout of the code to compare with, e.g. ``git archive main | tar -x -C DIR``) the
    same file is ingested and the same store opened by that code too, turn about, in the same run: the
    ratios hold on a shared, noisy machine where the absolute figures do not. ``one_process``: this code
    ingests the file a second time without its worker process (``FOODTRACE_INGEST_WORKER=0``); ``worker``
    "1" forces the worker on for the first ingest, "0" off ("": as ``foodtrace ingest`` decides)."""
    workdir.mkdir(parents=True, exist_ok=True)
    file = file or workdir / f"events-{events}.jsonl"
    res: dict = {"file": str(file), "load_before": os.getloadavg()}
    if not (skip_generate and file.exists()):
        n, secs = generate_file(file, events)
        res.update(generated=n, generate_s=secs, generate_eps=n / secs)
    n = sum(1 for _ in open(file, "rb"))
    db = workdir / "ingest.db"
    secs = ingest_file(file, db, batch_size, **({"FOODTRACE_INGEST_WORKER": worker} if worker else {}))
    res.update(worker=worker or "auto", events=n, batch_size=batch_size, ingest_s=secs, ingest_eps=n / secs, ingest_cpu_s=LAST_CPU_S[0])
    if one_process:
        one_secs = ingest_file(file, workdir / "one-process.db", batch_size, FOODTRACE_INGEST_WORKER="0")
        res.update(one_process_ingest_s=one_secs, one_process_ingest_eps=n / one_secs,
                   one_process_ingest_cpu_s=LAST_CPU_S[0], worker_speedup=one_secs / secs)
    if baseline is not None:
        base_secs = ingest_file(file, workdir / "baseline.db", batch_size, root=baseline)
        res.update(baseline_ingest_s=base_secs, baseline_ingest_eps=n / base_secs, ingest_speedup=base_secs / secs,
                   baseline_ingest_cpu_s=LAST_CPU_S[0], ingest_cpu_speedup=LAST_CPU_S[0] / res["ingest_cpu_s"])
    opens, base_opens = [], []
    for _ in range(rounds):  # turn about, so that both see the same machine
        opens.append(open_seconds(db))
        if baseline is not None:
            base_opens.append(open_seconds(workdir / "baseline.db", root=baseline))
    res["open"] = min(opens, key=lambda o: o["open_s"])
    res["open_runs_s"] = [o["open_s"] for o in opens]
    if base_opens:
        res["baseline_open"] = min(base_opens, key=lambda o: o["open_s"])
        res["baseline_open_runs_s"] = [o["open_s"] for o in base_opens]
        res["open_speedup"] = res["baseline_open"]["open_s"] / res["open"]["open_s"]
    res["store_bytes"] = db.stat().st_size
    res["load_after"] = os.getloadavg()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--dir", type=Path, default=None, help="where the file and the store go (default: a temp dir)")
    ap.add_argument("--file", type=Path, default=None, help="the JSON-lines file (default: DIR/events-N.jsonl)")
    ap.add_argument("--skip-generate", action="store_true", help="reuse --file if it exists")
    ap.add_argument("--batch-size", type=int, default=10_000)
    ap.add_argument("--baseline", type=Path, default=None,
                    help="a checkout of the code to compare with (ingest and open it too, same run)")
    ap.add_argument("--rounds", type=int, default=3, help="opens of each store (the best is reported)")
    ap.add_argument("--worker", choices=["", "0", "1"], default="",
                    help="the first ingest with its worker process forced on (1) or off (0); default: auto")
    ap.add_argument("--one-process", action="store_true",
                    help="also ingest without the worker process (FOODTRACE_INGEST_WORKER=0), same run")
    ap.add_argument("--stages", action="store_true", help="only: CPU microseconds per event in each stage")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()
    workdir = a.dir or Path(tempfile.mkdtemp(prefix="ft-ingest-"))
    if a.stages:
        st = stage_times(a.file or workdir / f"events-{a.events}.jsonl", workdir / "stages.db", a.batch_size)
        print(f"{st.pop('events'):,} events, CPU µs per event: " + ", ".join(f"{k} {v:.1f}" for k, v in st.items())
              + f"; total {sum(st.values()):.1f}; load average {os.getloadavg()[0]:.2f}")
        w, m = sum(st[k] for k in WORKER_STAGES), sum(st[k] for k in MAIN_STAGES)
        one = sum(v for k, v in st.items() if k not in ("send", "receive"))
        print(f"one process: {one:.1f} µs/event ({1e6 / one:,.0f} events per CPU second); with the worker: worker "
              f"{w:.1f}, main {m:.1f} µs/event, bound {1e6 / max(w, m):,.0f} events/s on two free cores")
        return
    res = measure_ingest(a.events, workdir, a.batch_size, a.file, a.skip_generate, a.baseline, a.rounds,
                         a.one_process, a.worker)
    for line in report_lines(res):
        print(line)
    if a.json:
        a.json.write_text(json.dumps(res, indent=2))


def report_lines(res: dict) -> list[str]:
    out = []
    if "generate_s" in res:
        out.append(f"demo generator -> file: {res['generated']:,} events in {res['generate_s']:.1f} s "
                   f"({res['generate_eps']:,.0f} events/s)")
    out.append(f"foodtrace ingest --batch-size {res['batch_size']} (worker: {res.get('worker', 'auto')}): "
               f"{res['events']:,} events in "
               f"{res['ingest_s']:.1f} s ({res['ingest_eps']:,.0f} events/s), {res['ingest_cpu_s']:.1f} CPU s "
               f"({res['events'] / res['ingest_cpu_s']:,.0f} events per CPU second)")
    if "one_process_ingest_s" in res:
        out.append(f"  without the worker process: {res['one_process_ingest_s']:.1f} s "
                   f"({res['one_process_ingest_eps']:,.0f} events/s), {res['one_process_ingest_cpu_s']:.1f} CPU s; "
                   f"the worker's speed-up {res['worker_speedup']:.2f}x wall")
    if "baseline_ingest_s" in res:
        out.append(f"  baseline: {res['baseline_ingest_s']:.1f} s ({res['baseline_ingest_eps']:,.0f} events/s), "
                   f"{res['baseline_ingest_cpu_s']:.1f} CPU s; speed-up {res['ingest_speedup']:.2f}x wall, "
                   f"{res['ingest_cpu_speedup']:.2f}x CPU")
    o = res["open"]
    out.append(f"open: {o['open_s']:.3f} s (runs {', '.join(f'{x:.3f}' for x in res['open_runs_s'])}; imports "
               f"{o['import_s']:.2f} s apart); first trace {o['first_trace_s']:.3f} s; "
               f"lineage graph loaded at {o['graph_ready_s']:.2f} s; {o['nodes']:,} lots, {o['edges']:,} links")
    if "baseline_open" in res:
        b = res["baseline_open"]
        out.append(f"  baseline: open {b['open_s']:.3f} s (runs {', '.join(f'{x:.3f}' for x in res['baseline_open_runs_s'])}),"
                   f" graph loaded at {b['graph_ready_s']:.2f} s; open speed-up {res['open_speedup']:.1f}x")
    out.append(f"store: {res['store_bytes'] / res['events']:.0f} bytes/event; load average before "
               f"{res['load_before'][0]:.2f}, after {res['load_after'][0]:.2f}")
    return out


if __name__ == "__main__":
    main()
