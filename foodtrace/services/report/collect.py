"""The report's one pass over the log.

Every event recorded before the end of the period is folded into the rules'
``Facts`` (so the anomalies, the lineage of the meat and the certificates of
each lot are known as they stood at the end of the period), and the events of
the period itself are counted here. Retracted events are left out of both.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from foodtrace.graph.store import GraphStore
from foodtrace.services.report.period import Period
from foodtrace.services.report.trade import TradeSeen, seen
from foodtrace.services.safety.rules.facts import Facts

TEST_KINDS = ("pesticide_rapid_test", "clenbuterol_test", "lab_test")
# The office's own records: who makes them does not "report to the platform".
OFFICE_RECORDS = frozenset({"party_registration", "recall", "complaint", "complaint_link", "complaint_closure",
                            "complaint_acceptance",
                            "inspection", "campaign", "enforcement_case", "case_update", "training", "commitment",
                            "destruction"})
COUNTED_CERTS = frozenset((*TEST_KINDS, "compliance"))


@dataclass(slots=True)
class CertSeen:
    kind: str
    result: str
    issuer: str
    month: str
    lots: tuple[str, ...]
    quantity: float | None
    unit: str | None
    sampled: int | None = None  # animals or items sampled, when the test says


@dataclass
class RecallSeen:
    lots: list[str]
    affected: list[str]
    holders: list[str]


@dataclass
class Collected:
    """What the period's events say, beside the facts."""

    records: Counter = field(default_factory=Counter)  # events of the period by type
    last_day: date | None = None  # the period's last day (who had joined the platform by then)
    retracted: int = 0
    actors: set[str] = field(default_factory=set)  # parties acting in the period (office records aside)
    new: set[str] = field(default_factory=set)  # parties registered in the period
    certs: list[CertSeen] = field(default_factory=list)  # tests and compliance certificates of the period
    complaints: dict[str, str] = field(default_factory=dict)  # filed in the period: id -> channel
    closures: set[str] = field(default_factory=set)  # complaints closed before the end
    recalls: dict[str, RecallSeen] = field(default_factory=dict)  # started in the period
    confirmations: dict[str, dict[str, tuple[float | None, str | None]]] = field(
        default_factory=lambda: defaultdict(dict))  # recall -> party -> (quantity removed, unit), before the end
    trades: list[TradeSeen] = field(default_factory=list)  # handoffs and sales of the period with an amount


def _v(x: Any) -> Any:
    return getattr(x, "_value_", x)


def read_log(store: GraphStore, period: Period, keep: Callable[[Any], bool] | None = None) -> tuple[Facts, Collected]:
    """Stream the log once: facts up to the end of the period, counts of the period; only the events
    ``keep`` keeps, when given (an inspector's areas: ``capture.scope.Scope.event``)."""
    facts, col = Facts(), Collected(last_day=period.last)
    start, end = period.start, period.end
    for se in store.iter_log():
        ev = se.event
        moment = ev.event_time
        if moment >= end:
            continue
        inside = moment >= start
        if keep is not None and not keep(ev):
            continue
        if se.retracted_by is not None:
            col.retracted += inside
            continue
        facts.fold(se)
        if inside:
            col.records[ev.type] += 1
            if ev.type not in OFFICE_RECORDS:
                col.actors.add(ev.party)
        count_event(col, ev, inside, period)
    return facts, col


def count_event(col: Collected, ev: Any, inside: bool, period: Period) -> None:
    """What the figures keep of one live event recorded before the end of the period (``inside``: in it)
    besides its type and party, which are counted apart (``read_log``; ``replay.read_facts``)."""
    typ = ev.type
    if typ == "complaint_closure":
        col.closures.add(ev.complaint_id)
    elif typ == "recall_confirmation":
        col.confirmations[ev.recall_id].setdefault(ev.party, (ev.quantity_removed, _v(ev.unit)))
    if not inside:
        return
    if typ == "party_registration":
        col.new.add(ev.registered.id)
    elif typ == "certificate":
        kind = _v(ev.kind)
        if kind in COUNTED_CERTS:
            col.certs.append(CertSeen(kind, _v(ev.result), ev.issuer, period.month_of(ev.event_time),
                                      tuple(ev.lots), ev.quantity, _v(ev.unit), ev.sampled))
    elif typ == "complaint":
        col.complaints[ev.complaint_id] = _v(ev.channel)
    elif typ in ("handoff", "retail_sale"):
        found = seen(ev)
        if found is not None:
            col.trades.append(found)
    elif typ == "recall":
        col.recalls[ev.recall_id] = RecallSeen(list(ev.lots), list(ev.affected), list(ev.holders))


__all__ = ["read_log", "count_event", "Collected", "CertSeen", "RecallSeen", "TEST_KINDS", "OFFICE_RECORDS"]
