"""The report's pass over the store's report facts (``GraphStore.report_tally`` / ``report_facts``)
instead of the whole log: the same ``Facts`` and ``Collected`` that ``collect.read_log`` folds, from

- the tally of the period's events by type and acting party, and of the retracted ones — counted by
  the store over its time index without reading an event, but for the types the report facts hold, which
  the fold below counts as it reads them (the store's GROUP BY over every event of a year was ~7 % of it);
- the report facts of the events before the end of the period (``graph.report_facts_codec``: the
  few fields the rules' facts and the figures read, of the types they read), folded by the rules'
  ``stored.fold_stored``, the period's own events counted from the same decoded facts (``FactCount``).

``tests/integration/test_report_facts.py`` holds the two passes to the same report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from foodtrace.graph.report_facts_codec import FOLDED
from foodtrace.graph.store import GraphStore
from foodtrace.services.report.collect import COUNTED_CERTS, OFFICE_RECORDS, CertSeen, Collected, RecallSeen
from foodtrace.services.report.period import Period
from foodtrace.services.report.trade import seen_fact
from foodtrace.services.safety.rules.facts import Facts
from foodtrace.services.safety.rules.stored import fold_stored


def read_facts(store: GraphStore, period: Period) -> tuple[Facts, Collected]:
    """Facts up to the end of the period and the counts of the period, from the store's report facts."""
    col = Collected(last_day=period.last)
    start, end = period.start, period.end
    counted = store.report_tally(start, end, skip=FOLDED)  # the types read below are counted as they are read
    col.retracted = counted.retracted
    live = dict(counted.live)
    facts = fold_stored(store, end, FactCount(col, period).by_type, before_end=counted.before_end,  # the same end
                        since=start, tally=live)
    for (typ, party), n in live.items():
        col.records[typ] += n
        if typ not in OFFICE_RECORDS:
            col.actors.add(party)
    return facts, col


class FactCount:
    """``collect.count_event`` of decoded report facts (``d``, its event time ``t``; a field left out reads as
    None): what the figures keep of each live event before the end of the period besides its type and party,
    one function per type that has something to keep (``by_type``; the fold calls no other)."""

    def __init__(self, col: Collected, period: Period) -> None:
        self.col, self.period, self.start = col, period, period.start
        self.by_type: dict[str, Callable[[dict, datetime], None]] = {
            "complaint_closure": self.closure, "recall_confirmation": self.confirmation,
            "party_registration": self.registration, "certificate": self.certificate, "complaint": self.complaint,
            "handoff": self.trade, "retail_sale": self.trade, "recall": self.recall}

    def closure(self, d: dict, t: datetime) -> None:
        self.col.closures.add(d["complaint_id"])

    def confirmation(self, d: dict, t: datetime) -> None:
        self.col.confirmations[d["recall_id"]].setdefault(d["party"], (d.get("quantity_removed"), d.get("unit")))

    def registration(self, d: dict, t: datetime) -> None:
        if t >= self.start:
            self.col.new.add(d["registered"]["id"])

    def certificate(self, d: dict, t: datetime) -> None:
        kind = d.get("kind")
        if kind in COUNTED_CERTS and t >= self.start:
            self.col.certs.append(CertSeen(kind, d.get("result"), d.get("issuer"), self.period.month_of(t),  # type: ignore[arg-type]
                                           tuple(d.get("lots") or ()), d.get("quantity"), d.get("unit"),
                                           d.get("sampled")))

    def complaint(self, d: dict, t: datetime) -> None:
        if t >= self.start:
            self.col.complaints[d["complaint_id"]] = d.get("channel")  # type: ignore[assignment]

    def trade(self, d: dict, t: datetime) -> None:
        if t >= self.start:
            found = seen_fact(d)
            if found is not None:
                self.col.trades.append(found)

    def recall(self, d: dict, t: datetime) -> None:
        if t >= self.start:
            self.col.recalls[d["recall_id"]] = RecallSeen(list(d.get("lots") or ()), list(d.get("affected") or ()),
                                                          list(d.get("holders") or ()))


__all__ = ["read_facts", "FactCount"]
