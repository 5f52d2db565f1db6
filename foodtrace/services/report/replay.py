"""The report's pass over the store's report facts (``GraphStore.report_tally`` / ``report_events``)
instead of the whole log: the same ``Facts`` and ``Collected`` that ``collect.read_log`` folds, built
from

- the tally of events by type and acting party before the end of the period, split by whether
  they fall in it (records by type, who acted, events read, retractions) — answered by the store's
  time index without reading an event;
- the report facts of the events before the end of the period (``graph.report_facts_codec``: the
  few fields the rules' facts and the figures read, of the types they read), wrapped in ``Slim``
  (attribute access like the event model, without validating each event again — they were validated
  on capture).

``tests/integration/test_report_facts.py`` holds the two passes to the same report.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from foodtrace.graph.report_facts_codec import decode
from foodtrace.graph.store import GraphStore, StoredEvent
from foodtrace.model.parties import Party
from foodtrace.services.report.collect import OFFICE_RECORDS, Collected, count_event
from foodtrace.services.report.period import Period
from foodtrace.services.safety.rules.facts import Facts



class Slim:
    """A stored event (or a lot in it) read from its JSON object: fields as attributes, enums as their
    values. A field left out of the stored form is None (events are stored without their None fields)."""

    def __init__(self, fields: dict) -> None:
        self.__dict__.update(fields)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return None

    def settled_amount(self) -> float | None:
        """As ``model.settlement.Priced.settled_amount``."""
        if self.amount is not None:
            return self.amount
        if self.unit_price is not None and self.lot is not None:
            return round(self.unit_price * self.lot.quantity, 2)
        return None

    def used_lots(self) -> list[str]:
        """As ``model.events.Recall.used_lots`` (the only event whose used lots the facts fold)."""
        return list(dict.fromkeys([*(self.lots or ()), *(self.affected or ())]))


def slim(fact: dict) -> Slim:
    """A report fact (``graph.report_facts_codec``) as a ``Slim`` event."""
    for key, value in fact.items():
        cls = type(value)
        if cls is dict:
            fact[key] = Party.model_validate(value) if key == "registered" else Slim(value)
        elif cls is list and value and type(value[0]) is dict:
            fact[key] = [Slim(v) for v in value]
    fact["event_time"] = datetime.fromisoformat(fact["event_time"])
    until = fact.get("valid_until")
    if until is not None:
        fact["valid_until"] = date.fromisoformat(until)
    return Slim(fact)


def read_facts(store: GraphStore, period: Period) -> tuple[Facts, Collected]:
    """Facts up to the end of the period and the counts of the period, from the store's report facts."""
    facts, col = Facts(), Collected(last_day=period.last)
    start, end = period.start, period.end
    counted = store.report_tally(start, end)
    col.retracted = counted.retracted
    for (typ, party), n in counted.live.items():
        col.records[typ] += n
        if typ not in OFFICE_RECORDS:
            col.actors.add(party)
    fold = facts.fold
    for seq, fact, by in store.report_facts(end):
        if by is not None:
            continue
        ev = slim(decode(fact))
        fold(StoredEvent(seq, ev))  # type: ignore[arg-type]
        count_event(col, ev, ev.event_time >= start, period)
    facts.events = counted.before_end
    return facts, col


__all__ = ["read_facts", "Slim", "slim"]
