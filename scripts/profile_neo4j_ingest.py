#!/usr/bin/env python3
"""Where the Neo4j append spends the server's CPU: each statement of the write transaction, and the
commit, in server CPU microseconds per event (``/proc`` of the local dev server), over the first N
events of a JSON-lines file. Wipes the database at the URL.

    python scripts/profile_neo4j_ingest.py FILE --events 40000 --batch 5000 --neo4j bolt://127.0.0.1:7689
    python scripts/profile_neo4j_ingest.py FILE --drop ft_lot_code_cf,ft_lot_name_cf   # an index's share

``--drop`` removes indexes for the run (opening a store makes them again). Each statement is run to its end
before the next (as the store does: ``consume()``), so the CPU between two readings is that statement's;
what is left of the transaction's server CPU is its commit (index updates, the transaction log) and the
server's own work meanwhile (garbage collection: also read, from ``jstat``).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from itertools import islice
import json
import os
from pathlib import Path
import sys
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench_neo4j import Cpu, server_pid  # noqa: E402
from foodtrace.config import Settings  # noqa: E402
from foodtrace.graph import neo4j_store, neo4j_write, open_store  # noqa: E402
from foodtrace.ingest.capture import prepare  # noqa: E402


class _Done(list):
    def consume(self):
        return None

    def single(self):
        return self[0] if self else None


class TimedTx:
    """A transaction whose statements are each run to the end and charged their server CPU."""

    def __init__(self, tx, cpu: Cpu, spent: dict):
        self.tx, self.cpu, self.spent = tx, cpu, spent

    def run(self, query, **params):
        before = self.cpu.server()
        rows = _Done(self.tx.run(query, **params))
        entry = self.spent[" ".join(query.split())[:70]]
        entry[0] += self.cpu.server() - before
        entry[1] += 1
        return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--events", type=int, default=40_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--neo4j", default=os.environ.get("FOODTRACE_TEST_NEO4J_URL", "bolt://127.0.0.1:7687"))
    ap.add_argument("--drop", default="", help="indexes to drop for this run, comma-separated")
    args = ap.parse_args()
    store = open_store(args.neo4j, Settings(store=args.neo4j, neo4j_password=os.environ.get(
        "FOODTRACE_NEO4J_PASSWORD", "foodtrace-dev")))
    cpu = Cpu(server_pid(args.neo4j))
    store.init_schema()
    store.wipe()
    with store._session() as s:
        for name in filter(None, args.drop.split(",")):
            s.run(f"DROP INDEX {name} IF EXISTS").consume()
    spent: dict = defaultdict(lambda: [0.0, 0])
    neo4j_store.append_tx = lambda tx, events: neo4j_write.append_tx(TimedTx(tx, cpu, spent), events)
    n, server, client, gc0, t0 = 0, 0.0, 0.0, cpu.gc_s(), time.perf_counter()
    with open(args.file, encoding="utf-8") as f:
        while n < args.events and (chunk := list(islice(f, min(args.batch, args.events - n)))):
            events = prepare([json.loads(line) for line in chunk])
            with cpu:
                store.append(events)
            server, client, n = server + cpu.server_s, client + cpu.client_s, n + len(chunk)
    wall, gc = time.perf_counter() - t0, cpu.gc_s() - gc0
    store.close()
    print(f"{n} events, batch {args.batch}, dropped [{args.drop}]: {n / wall:,.0f} events/s wall; server "
          f"{server / n * 1e6:.0f} µs/event, client {client / n * 1e6:.0f} µs/event; server GC {gc / n * 1e6:.0f} "
          f"µs/event; load {os.getloadavg()[0]:.1f}")
    charged = 0.0
    for query, (secs, runs) in sorted(spent.items(), key=lambda kv: -kv[1][0]):
        charged += secs
        print(f"  {secs / n * 1e6:6.0f} µs/event  x{runs:<4}  {query}")
    print(f"  {(server - charged) / n * 1e6:6.0f} µs/event  commit and the server's other work")


if __name__ == "__main__":
    main()
