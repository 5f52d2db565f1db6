"""The report's pass over the store's report facts (``GraphStore.report_tally`` / ``report_facts``)
instead of the whole log: the same ``Facts`` and ``Collected`` that ``collect.read_log`` folds, from

- the tally of the period's events by type and acting party, and of the retracted ones — counted by
  the store over its time index without reading an event;
- the report facts of the events before the end of the period (``graph.report_facts_codec``: the
  few fields the rules' facts and the figures read, of the types they read), folded by the rules'
  ``stored.fold_stored``.

``tests/integration/test_report_facts.py`` holds the two passes to the same report.
"""

from __future__ import annotations

from foodtrace.graph.store import GraphStore
from foodtrace.services.report.collect import OFFICE_RECORDS, Collected, count_event
from foodtrace.services.report.period import Period
from foodtrace.services.safety.rules.facts import Facts
from foodtrace.services.safety.rules.stored import fold_stored


def read_facts(store: GraphStore, period: Period) -> tuple[Facts, Collected]:
    """Facts up to the end of the period and the counts of the period, from the store's report facts."""
    col = Collected(last_day=period.last)
    start, end = period.start, period.end
    counted = store.report_tally(start, end)
    col.retracted = counted.retracted
    for (typ, party), n in counted.live.items():
        col.records[typ] += n
        if typ not in OFFICE_RECORDS:
            col.actors.add(party)
    facts = fold_stored(store, end, lambda ev: count_event(col, ev, ev.event_time >= start, period),
                        before_end=counted.before_end)  # the same end: no second count
    return facts, col


__all__ = ["read_facts"]
