"""The report's pass over the store's report facts (``GraphStore.report_tally`` / ``report_facts``)
instead of the whole log: the same ``Facts`` and ``Collected`` that ``collect.read_log`` folds, from

- the tally of the period's events by type and acting party, and of the retracted ones — counted by
  the store over its time index without reading an event;
- the report facts of the events before the end of the period (``graph.report_facts_codec``: the
  few fields the rules' facts and the figures read, of the types they read), folded by the rules'
  ``stored.fold_stored``, the period's own events counted from the same decoded facts (``count_fact``).

``tests/integration/test_report_facts.py`` holds the two passes to the same report.
"""

from __future__ import annotations

from datetime import datetime

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
    counted = store.report_tally(start, end)
    col.retracted = counted.retracted
    for (typ, party), n in counted.live.items():
        col.records[typ] += n
        if typ not in OFFICE_RECORDS:
            col.actors.add(party)
    facts = fold_stored(store, end, lambda d, t: count_fact(col, d, t, t >= start, period),
                        before_end=counted.before_end)  # the same end: no second count
    return facts, col


def count_fact(col: Collected, d: dict, t: datetime, inside: bool, period: Period) -> None:
    """``collect.count_event`` of a decoded report fact (``d``, its event time ``t``; a field left out reads
    as None): what the figures keep of one live event before the end of the period, ``inside`` it or not."""
    typ = d["type"]
    if typ == "complaint_closure":
        col.closures.add(d["complaint_id"])
    elif typ == "recall_confirmation":
        col.confirmations[d["recall_id"]].setdefault(d["party"], (d.get("quantity_removed"), d.get("unit")))
    if not inside:
        return
    if typ == "party_registration":
        col.new.add(d["registered"]["id"])
    elif typ == "certificate":
        kind = d.get("kind")
        if kind in COUNTED_CERTS:
            col.certs.append(CertSeen(kind, d.get("result"), d.get("issuer"), period.month_of(t),  # type: ignore[arg-type]
                                      tuple(d.get("lots") or ()), d.get("quantity"), d.get("unit"), d.get("sampled")))
    elif typ == "complaint":
        col.complaints[d["complaint_id"]] = d.get("channel")  # type: ignore[assignment]
    elif typ in ("handoff", "retail_sale"):
        found = seen_fact(d)
        if found is not None:
            col.trades.append(found)
    elif typ == "recall":
        col.recalls[d["recall_id"]] = RecallSeen(list(d.get("lots") or ()), list(d.get("affected") or ()),
                                                 list(d.get("holders") or ()))


__all__ = ["read_facts", "count_fact"]
