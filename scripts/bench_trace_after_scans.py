"""The trace API after consumer scans, in process: ``scripts/bench_http.py``'s steps without HTTP, on the app as
served (``foodtrace.api.serving:app_from_env``: the serving collector policy), so that the server's CPU per
trace request and what its read-model caches did can be seen — which the HTTP bench cannot show.

    python scripts/bench_trace_after_scans.py COPY --codes codes.txt --fresh receipts.txt [--workers 2]

Steps: ``--first`` first scans (each of ``--fresh`` once), ``--warm`` kept consumer pages and a quarter as many
public JSON reads of ``--codes`` at random, then ``--requests`` trace API requests (backward) of ``--codes`` at
random, measured: CPU per request (``time.process_time``: every thread of the process), the collector's time by
generation, and per worker the hits and misses of each kind of read model over the measured requests.
``--workers 2``: two apps, each with its own store and caches on the same file, each request to one at random
(as uvicorn's workers share the connections). ``--clear lot_piece,party_ref``: forget those kinds before the
measured requests. ``--trace-warm``: ask the trace of each code once before them. The store's file is written
(an API key, views written behind): run it on a copy.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
from pathlib import Path
import random
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.asgi_call import call  # noqa: E402


class Workers:
    """Several apps as uvicorn's workers: each request to one of them at random."""

    def __init__(self, apps: list):
        self.apps, self.rnd = apps, random.Random(5)

    async def __call__(self, scope, receive, send):
        return await self.apps[self.rnd.randrange(len(self.apps))](scope, receive, send)


async def run(apps: list, args, key: str) -> None:
    lifespans = []  # held: a task nobody holds may be collected, and its app's store closed
    for app in apps:
        startup: asyncio.Queue = asyncio.Queue()
        await startup.put({"type": "lifespan.startup"})

        async def lifespan_send(message):
            pass

        lifespans.append(asyncio.get_running_loop().create_task(
            app({"type": "lifespan", "asgi": {"version": "3.0"}}, startup.get, lifespan_send)))
    await asyncio.sleep(1.0)
    stores = [app.state.store for app in apps]
    for store in stores:  # the lineage loaded and the first full collection passed, as bench_http waits for
        await asyncio.to_thread(store.status, True)
    await asyncio.sleep(1.5)
    app = Workers(apps) if len(apps) > 1 else apps[0]
    codes = [c.strip() for c in Path(args.codes).read_text().splitlines() if c.strip()]
    fresh = [c.strip() for c in Path(args.fresh).read_text().splitlines() if c.strip()][: args.first]
    cpu = time.process_time()
    for code in fresh:
        await call(app, "/l/" + code)
        await asyncio.sleep(0)  # the loop's other tasks (the collector's sweep) run between requests
    first_us = (time.process_time() - cpu) / max(len(fresh), 1) * 1e6
    rnd = random.Random(7)
    for _ in range(args.warm):
        await call(app, "/l/" + rnd.choice(codes))
        await asyncio.sleep(0)
    for _ in range(args.warm // 4):
        await call(app, "/api/v1/public/lots/" + rnd.choice(codes))
        await asyncio.sleep(0)
    auth = f"Bearer {key}"
    if args.trace_warm:
        for code in codes:
            await call(app, f"/api/v1/lots/{code}/backward", auth)
            await asyncio.sleep(0)
    caches = [store._caches for store in stores]
    for kinds in caches:
        for kind in filter(None, args.clear.split(",")):
            if kind in kinds:
                kinds[kind].clear()
    before = [{k: (c.hits, c.misses) for k, c in kinds.items()} for kinds in caches]
    spent, started = [0.0, 0.0, 0.0], [0.0]

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[info["generation"]] += time.perf_counter() - started[0]

    gc.callbacks.append(timed)
    asked = [rnd.choice(codes) for _ in range(args.requests)]
    cpu = time.process_time()
    for code in asked:
        status = await call(app, f"/api/v1/lots/{code}/backward", auth)
        assert status == 200, status
        await asyncio.sleep(0)
    trace_us = (time.process_time() - cpu) / len(asked) * 1e6
    gc.callbacks.remove(timed)
    for i, (kinds, was) in enumerate(zip(caches, before)):
        said = ", ".join(f"{k} {c.hits - was.get(k, (0, 0))[0]}/{c.misses - was.get(k, (0, 0))[1]}"
                         for k, c in sorted(kinds.items()))
        print(f"worker {i}: hits/misses over the measured requests: {said}")
    collector = ", ".join(f"{s / len(asked) * 1e6:,.0f}" for s in spent)
    print(f"{args.label}: first scans {first_us:,.0f} µs CPU each ({len(fresh):,}); trace API {trace_us:,.0f} µs "
          f"CPU a request ({len(asked):,}); collector by generation {collector} µs a request (wall); "
          f"load {os.getloadavg()[0]:.2f}", flush=True)
    for task in lifespans:
        task.cancel()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", help="a copy of an embedded store's file (it is written)")
    ap.add_argument("--codes", required=True, help="receipts for the kept pages and the trace API, one a line")
    ap.add_argument("--fresh", required=True, help="other receipts for the first scans, one a line")
    ap.add_argument("--first", type=int, default=6000)
    ap.add_argument("--warm", type=int, default=10000)
    ap.add_argument("--requests", type=int, default=700)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--clear", default="", help="kinds of read model to forget before the measured requests")
    ap.add_argument("--trace-warm", action="store_true")
    ap.add_argument("--label", default="run")
    args = ap.parse_args(argv)
    os.environ.update(FOODTRACE_STORE=f"sqlite:///{Path(args.db).resolve()}",
                      FOODTRACE_PUBLIC_RATE_PER_MINUTE="1000000000", FOODTRACE_PUBLIC_BURST="1000000000")
    from foodtrace.api.serving import app_from_env
    from foodtrace.graph import open_store
    from foodtrace.services.admin.keys import issue_key

    with open_store(os.environ["FOODTRACE_STORE"]) as store:
        key = issue_key(store, "BENCH", "admin", label="scripts/bench_trace_after_scans.py").key
    apps = [app_from_env() for _ in range(args.workers)]
    for handler in logging.getLogger("foodtrace").handlers:  # the log lines written as served, to /dev/null
        if getattr(handler, "_foodtrace", False):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 — open for the whole run
    asyncio.run(run(apps, args, key))


if __name__ == "__main__":
    main()
