"""The statistics report's facts on Neo4j: indexed Cypher over the event nodes' time.

Event nodes carry their event time as UTC ISO 8601 text (``batch.utc_iso``: one form for every event,
so text order is time order) under the range index ``ft_event_time``; retracted events carry
``retracted_by``, set in the transaction of the retraction. So

- ``tally``: a period's events by (type, acting party) and the retracted ones, and the live events
  before its end, are counted by the server over the index (no event body crosses the wire);
- ``facts``: the stored bodies of the event types the report folds, before the end, in log order,
  in pages — a body's fields are a superset of ``report_facts_codec``'s, read the same way.
Nothing is kept beside the graph: the event nodes are the projection.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterator

from foodtrace.graph.batch import utc_iso
from foodtrace.graph.report_facts import PAGE, ReportTally
from foodtrace.graph.report_facts_codec import FOLDED

REPORT_SCHEMA = ["CREATE INDEX ft_event_time IF NOT EXISTS FOR (e:Event) ON (e.event_time)"]


def _window(start: datetime | None, end: datetime | None) -> tuple[str, dict]:
    where, params = [], {}
    if start is not None:
        where.append("e.event_time >= $start")
        params["start"] = utc_iso(start)
    if end is not None:
        where.append("e.event_time < $end")
        params["end"] = utc_iso(end)
    return (" AND ".join(where) or "true"), params


def tally(store, start: datetime | None, end: datetime | None, skip: frozenset[str] = frozenset()) -> ReportTally:
    """``GraphStore.report_tally`` on Neo4j (the types in ``skip`` left out of ``live`` as they are read)."""
    inside, p_in = _window(start, end)
    before, p_before = _window(None, end)

    def work(tx):
        live: dict[tuple[str, str], int] = {}
        retracted = 0
        for r in tx.run(f"MATCH (e:Event) WHERE {inside} RETURN e.type AS type, e.party AS party, "
                        "e.retracted_by IS NOT NULL AS gone, count(*) AS n", **p_in):
            if r["gone"]:
                retracted += r["n"]
            elif r["type"] not in skip:
                live[(r["type"], r["party"])] = r["n"]
        n = tx.run(f"MATCH (e:Event) WHERE {before} AND e.retracted_by IS NULL RETURN count(*) AS n",
                   **p_before).single()["n"]
        return ReportTally(live, retracted, n)

    return store._read(work)


def facts(store, end: datetime | None) -> Iterator[tuple[int, str, str | None]]:
    """``GraphStore.report_facts`` on Neo4j: ``(seq, stored body, retracting event id or None)``."""
    before, params = _window(None, end)
    types = sorted(FOLDED)
    last = 0
    while True:
        rows = store._read(lambda tx: [
            (r["seq"], r["body"], r["by"]) for r in tx.run(
                f"MATCH (e:Event) WHERE e.seq > $after AND e.type IN $types AND {before} "
                "RETURN e.seq AS seq, e.body AS body, e.retracted_by AS by ORDER BY e.seq LIMIT $limit",
                after=last, types=types, limit=PAGE, **params)])
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


__all__ = ["tally", "facts", "REPORT_SCHEMA"]
