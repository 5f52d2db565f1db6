"""The district scripts/bench.py measures: the demo generator's events ingested into a store (the loop into
``store.append``), the store opened in a fresh process (open time, resident bytes per event), and the lots
each row samples from it (receipts, live-pig and vegetable-base lots, a slaughterhouse-day, the receipts the
HTTP rows scan the first time); and the time-stamped log line every step of the benchmark writes."""

from __future__ import annotations

from itertools import islice
import json
from pathlib import Path
import random
import sqlite3
import subprocess
import sys
import time

from foodtrace.demo.generate import generate
from foodtrace.ingest.capture import prepare
from scripts.bench_store_file import receipts as retail_receipts

REPO = Path(__file__).resolve().parent.parent
FRESH_RECEIPTS = 60_000


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ingest(store, events: int, seed: int, batch: int) -> tuple[int, float]:
    _, stream = generate(events=events, seed=seed)
    n, t0 = 0, time.perf_counter()
    last = t0
    while True:
        chunk = list(islice(stream, batch))
        if not chunk:
            break
        store.append(prepare(chunk))
        n += len(chunk)
        if time.perf_counter() - last > 10:
            last = time.perf_counter()
            log(f"  {n:,} events, {n / (last - t0):,.0f}/s")
    return n, time.perf_counter() - t0


def sample_lots(db: Path, k: int, seed: int, filed: int = 0) -> dict[str, list[str]]:
    con = sqlite3.connect(db)
    rnd = random.Random(seed)

    def pick(sql: str) -> list[str]:
        rows = [r[0] for r in con.execute(sql)]
        return rnd.sample(rows, min(k, len(rows)))

    receipts = retail_receipts(con)
    pick2 = rnd.sample(receipts, min(2 * k, len(receipts)))
    taken = set(pick2)
    rest = [c for c in receipts if c not in taken]
    lots = {
        # for the HTTP first scans: receipts none of the others is, each requested once (a 10 s run at the
        # page's build rate asks for far fewer); drawn with a generator of their own, so that the samples
        # below are those the same seed drew before
        "fresh": random.Random(seed + 1).sample(rest, min(FRESH_RECEIPTS, len(rest))),
        "receipts": pick2[:k],
        "scan": pick2[k:] or pick2[:k],  # receipts never traced before: a consumer's first scan
        "pigs": pick("SELECT code FROM lots WHERE product = 'live_pig'"),
        "veg": pick("SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by "
                    "WHERE e.type = 'commission' AND l.product NOT LIKE 'live_%'"),
    }
    row = con.execute(
        "SELECT party, substr(event_time, 1, 10) AS day, COUNT(*) c FROM events "
        "WHERE type = 'transformation' GROUP BY party, day ORDER BY c DESC LIMIT 1").fetchone()
    day_lots = [r[0] for r in con.execute(
        "SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by "
        "WHERE e.type = 'transformation' AND e.party = ? AND substr(e.event_time, 1, 10) = ?", row[:2])]
    lots["sh_day"] = day_lots
    con.close()
    # for the HTTP first scans of views kept in the file: ``filed`` receipts none of the others is, with a
    # generator of their own; a store too small for both lists gives up the end of ``fresh`` (half at most)
    taken = taken | set(lots["fresh"])
    lots["filed"] = random.Random(seed + 2).sample([c for c in rest if c not in taken],
                                                   min(filed, len(rest) - len(lots["fresh"])))
    short = min(filed - len(lots["filed"]), len(lots["fresh"]) // 2)
    if short > 0:
        lots["filed"] += lots["fresh"][-short:]
        lots["fresh"] = lots["fresh"][:-short]
    return lots


def open_in_subprocess(url: str) -> dict:
    code = (
        "import json, time, sys\n"
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
        "from foodtrace.graph import open_store\n"
        "import foodtrace.services.tracing\n"
        "before = rss(); t = time.perf_counter(); s = open_store(sys.argv[1]); dt = time.perf_counter() - t\n"
        "n = s.counts()['events']; ready = time.perf_counter() - t  # counts() waits for the lineage graph\n"
        "print(json.dumps({'open_s': dt, 'graph_ready_s': ready, 'rss_before': before, 'rss_after': rss(), 'events': n}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout)
