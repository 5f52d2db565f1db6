#!/usr/bin/env python3
"""Profile what a kept consumer page (or public JSON) costs inside the app: ASGI calls straight into
``foodtrace.api.serving:app_from_env`` (the app as served: a kept answer does the middleware's duties
itself, the log line written as served, to /dev/null; no server, no sockets), on a store made before,
after each view has been built and kept.

    python scripts/profile_kept.py --store /tmp/x.db --codes codes.txt [--path /api/v1/public/lots/] [--sort cumtime]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
from pathlib import Path
import pstats
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.asgi_call import call  # noqa: E402


async def profile(app, paths: list[str], rounds: int, sort: str) -> None:
    startup: asyncio.Queue = asyncio.Queue()
    await startup.put({"type": "lifespan.startup"})

    async def lifespan_send(message):
        pass

    asyncio.get_running_loop().create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, startup.get,
                                               lifespan_send))
    await asyncio.sleep(0.5)
    for p in paths * 2:  # built, then kept
        assert await call(app, p) == 200, p
    t = time.perf_counter()
    for p in paths * rounds:
        await call(app, p)
    print(f"{(time.perf_counter() - t) / (len(paths) * rounds) * 1000:.3f} ms per kept request, "
          f"load average {os.getloadavg()[0]:.1f}")
    pr = cProfile.Profile()
    pr.enable()
    for p in paths * rounds:
        await call(app, p)
    pr.disable()
    pstats.Stats(pr).sort_stats(sort).print_stats(40)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="an embedded store file")
    ap.add_argument("--codes", required=True, help="a file of lot codes, one a line")
    ap.add_argument("--path", default="/l/")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sort", default="tottime")
    args = ap.parse_args()
    os.environ.update(FOODTRACE_STORE=f"sqlite:///{Path(args.store).resolve()}",
                      FOODTRACE_PUBLIC_RATE_PER_MINUTE="1000000000", FOODTRACE_PUBLIC_BURST="1000000000")
    from foodtrace.api.serving import app_from_env

    app = app_from_env()
    for handler in logging.getLogger("foodtrace").handlers:  # the lines written as served, to /dev/null
        if getattr(handler, "_foodtrace", False):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 — open for the whole run
    codes = [c.strip() for c in Path(args.codes).read_text().splitlines() if c.strip()][: args.count]
    asyncio.run(profile(app, [args.path + c for c in codes], args.rounds, args.sort))


if __name__ == "__main__":
    main()
