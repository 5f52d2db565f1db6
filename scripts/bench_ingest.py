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


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def ingest_file(path: Path, db: Path, batch_size: int) -> float:
    """Seconds for ``foodtrace ingest`` of ``path`` into a fresh store at ``db`` (a separate process)."""
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", "from foodtrace.cli import main; main(prog_name='foodtrace')", "--store", f"sqlite:///{db}", "ingest", str(path),
           "--batch-size", str(batch_size)]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=_env(), capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"ingest failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return secs


OPEN_SNIPPET = """
import sys, time
t0 = time.perf_counter()
from foodtrace.graph import open_store
t1 = time.perf_counter()
s = open_store(sys.argv[1])
t2 = time.perf_counter()
st = s.status()
print(t2 - t1, t1 - t0, st.lots, st.links)
"""


def open_seconds(db: Path) -> dict:
    """Opening the store in a fresh process: seconds to open (imports apart), and the graph's size."""
    out = subprocess.run([sys.executable, "-c", OPEN_SNIPPET, f"sqlite:///{db}"], env=_env(),
                         capture_output=True, text=True, check=True)
    secs, imports, nodes, edges = out.stdout.split()
    return {"open_s": float(secs), "import_s": float(imports), "nodes": int(nodes), "edges": int(edges)}


def measure_ingest(events: int, workdir: Path, batch_size: int = 10_000, file: Path | None = None,
                   skip_generate: bool = False) -> dict:
    """Generate (unless there), ingest and open; every figure as a dict (bench.py's rows)."""
    workdir.mkdir(parents=True, exist_ok=True)
    file = file or workdir / f"events-{events}.jsonl"
    res: dict = {"file": str(file), "load_before": os.getloadavg()}
    if not (skip_generate and file.exists()):
        n, secs = generate_file(file, events)
        res.update(generated=n, generate_s=secs, generate_eps=n / secs)
    n = sum(1 for _ in open(file, "rb"))
    db = workdir / "ingest.db"
    secs = ingest_file(file, db, batch_size)
    res.update(events=n, batch_size=batch_size, ingest_s=secs, ingest_eps=n / secs)
    res["open_cold"] = open_seconds(db)
    res["open_warm"] = open_seconds(db)
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
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()
    workdir = a.dir or Path(tempfile.mkdtemp(prefix="ft-ingest-"))
    res = measure_ingest(a.events, workdir, a.batch_size, a.file, a.skip_generate)
    if "generate_s" in res:
        print(f"demo generator -> file: {res['generated']:,} events in {res['generate_s']:.1f} s "
              f"({res['generate_eps']:,.0f} events/s)")
    print(f"foodtrace ingest --batch-size {res['batch_size']}: {res['events']:,} events in {res['ingest_s']:.1f} s "
          f"({res['ingest_eps']:,.0f} events/s)")
    for k in ("open_cold", "open_warm"):
        o = res[k]
        print(f"open ({k[5:]}): {o['open_s']:.2f} s (imports {o['import_s']:.2f} s), {o['nodes']:,} lots, "
              f"{o['edges']:,} links")
    print(f"store: {res['store_bytes'] / res['events']:.0f} bytes/event; load average before "
          f"{res['load_before'][0]:.2f}, after {res['load_after'][0]:.2f}")
    if a.json:
        a.json.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
