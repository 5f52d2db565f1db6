"""The rules' facts folded from the store's report facts (``GraphStore.report_facts``) rather than from
the whole log: the same ``Facts``, from the few fields the facts read of each event of the types they
fold (``graph/report_facts_codec.py``), without validating each stored event again (it was validated on
capture). The district check (``anomalies.check_district``) and the statistics report
(``services/report/replay.py``) fold this way; ``Facts.from_log`` is the reference they must equal
(``tests/integration/test_report_facts.py``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from foodtrace.graph.report_facts_codec import decode
from foodtrace.graph.store import GraphStore, StoredEvent
from foodtrace.model.parties import Party
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
    """A report fact (or a stored body) as a ``Slim`` event."""
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


def fold_stored(store: GraphStore, end: datetime | None = None,
                each: Callable[[Any], None] | None = None, before_end: int | None = None) -> Facts:
    """``Facts`` of the live events whose time is before ``end`` (``None``: all), in log order;
    ``each(event)`` is called with every live event folded (the report counts its figures so).
    ``Facts.events`` is ``before_end`` when the caller counted it already, else the store's tally (every
    live event before ``end``, of any type)."""
    facts = Facts()
    fold = facts.fold
    for seq, fact, by in store.report_facts(end):
        if by is not None:
            continue
        ev = slim(decode(fact))
        fold(StoredEvent(seq, ev))  # type: ignore[arg-type]
        if each is not None:
            each(ev)
    facts.events = before_end if before_end is not None else store.report_tally(None, end).before_end
    return facts


__all__ = ["fold_stored", "Slim", "slim"]
