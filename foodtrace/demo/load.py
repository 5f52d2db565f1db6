"""Loading the demo district into a store, streamed in batches."""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import islice
from typing import Callable

from foodtrace.demo.district import District
from foodtrace.demo.generate import generate
from foodtrace.graph.store import GraphStore
from foodtrace.services.capture.door import record
from foodtrace.services.capture.principal import system

BATCH = 2000


def load_demo(store: GraphStore, events: int = 20_000, seed: int = 7, plant: bool = True,
              progress: Callable[[int], None] | None = None, batch: int = BATCH,
              plant_complaints: bool = False, supervision: bool = True) -> District:
    """Generate a district of about ``events`` events and record it through the
    write door as the system principal ``system:demo`` (every rule applies: the
    demo's events are lawful), ``batch`` events per all-or-nothing batch; then open the
    demo's enforcement cases through the case service (which keeps their
    evidence). Loading twice is a no-op (the generator is deterministic,
    capture idempotent, and cases already open are left alone)."""
    district, stream = generate(events=events, seed=seed, plant=plant, plant_complaints=plant_complaints,
                                supervision=supervision)
    principal = system("demo")
    while True:
        chunk = list(islice(stream, batch))
        if not chunk:
            break
        record(store, principal, chunk, record_time=datetime.now(timezone.utc))
        if progress:
            progress(len(chunk))
    if district.supervision.get("cases"):
        from foodtrace.demo.supervision import open_demo_cases

        open_demo_cases(store, district)
    return district
