"""The demo district as one stream of events: its parties, pig and vegetable chains day by
day, the planted problems, complaints and the office's supervision records."""

from __future__ import annotations

from typing import Iterator

from foodtrace.demo.district import AVG_EVENTS_PER_PIG_LOT, AVG_EVENTS_PER_VEG_LOT, District, _Gen
from foodtrace.demo.parties import party_events
from foodtrace.demo.supervision import supervision_events


def generate(events: int = 20_000, seed: int = 7, year: int = 2025, days: int = 365,
             plant: bool = True, plant_complaints: bool = False,
             supervision: bool = True) -> tuple[District, Iterator[dict]]:
    """The district (filled in as the stream is consumed) and its event stream.

    ``events`` is the approximate size; ``plant=False`` makes a clean district;
    ``plant_complaints`` adds complaints on pork from one farm (``SF001``);
    ``supervision`` adds the office's supervision records (``demo_supervision``).
    """
    d = District(seed=seed, year=year, days=days, target_events=events,
                 complaint_source="SF001" if plant_complaints else None)
    return d, _stream(d, plant, supervision)


def _stream(d: District, plant: bool, supervision: bool = True) -> Iterator[dict]:
    g = _Gen(d)
    per_day = max(1.0, d.target_events / d.days)
    scale = max(0.5, (per_day / 60) ** 0.5)
    for e in party_events(g, scale):
        yield e
    pig_per_day = per_day * 0.55 / AVG_EVENTS_PER_PIG_LOT
    veg_per_day = per_day * 0.45 / AVG_EVENTS_PER_VEG_LOT
    plants = {}
    if plant:
        plants = {d.days // 4: "clenbuterol", d.days // 2: "withdrawal", (3 * d.days) // 4: "mass_balance"}
    pig_acc = veg_acc = 0.0
    for day in range(d.days):
        pig_acc += pig_per_day
        veg_acc += veg_per_day
        if day in plants:
            yield from g.pig_chain(day, plant=plants[day])
        while pig_acc >= 1:
            pig_acc -= 1
            yield from g.pig_chain(day)
        while veg_acc >= 1:
            veg_acc -= 1
            yield from g.veg_chain(day)
        if plant and day == d.days // 3:
            yield from g.rogue_beef(day)
        if g.n >= d.target_events * 1.5:
            break
    if d.complaint_source:
        yield from g.complaints()
    if supervision:
        yield from supervision_events(g)
    d.events = g.n
