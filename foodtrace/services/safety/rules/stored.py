"""The rules' facts folded from the store's report facts (``GraphStore.report_facts``) rather than from
the whole log: the same ``Facts``, from the few fields the facts read of each event of the types they
fold (``graph/report_facts_codec.py``), without validating each stored event again (it was validated on
capture) and without an object per event: each decoded fact is folded as it is (``fold_dicts.DictFold``).
The district check (``anomalies.check_district``) and the statistics report
(``services/report/replay.py``) fold this way; ``Facts.from_log`` is the reference they must equal
(``tests/integration/test_report_facts.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from foodtrace.graph.report_facts_codec import decode
from foodtrace.graph.store import GraphStore
from foodtrace.services.safety.rules.facts import Facts
from foodtrace.services.safety.rules.fold_dicts import DictFold

TIMES_KEPT = 1 << 16  # parsed times kept at once (cleared when full: a log of all-distinct times stays small)


def fold_stored(store: GraphStore, end: datetime | None = None,
                each: dict[str, Callable[[dict, datetime], None]] | None = None,
                before_end: int | None = None, since: datetime | None = None,
                tally: dict[tuple[str, str], int] | None = None) -> Facts:
    """``Facts`` of the live events whose time is before ``end`` (``None``: all), in log order;
    ``each[type](fact, event time)`` is called with every live event's decoded fact of that type, after it is
    folded (the report counts its figures so). ``Facts.events`` is ``before_end`` when the caller counted it
    already, else the store's count of every live event before ``end``, of any type. With ``tally``, the live
    events read whose time is ``since`` or later are counted in it by (type, acting party): those of the types
    the report facts hold (``report_facts_codec.FOLDED``), which ``GraphStore.report_tally(..., skip=)`` then
    need not group."""
    facts = Facts()
    handlers = DictFold(facts).handlers
    also = each or {}
    parse = datetime.fromisoformat
    counting = tally is not None and since is not None
    # each time's text parsed (and placed against ``since``) once: a district's events share few times
    times: dict[str, tuple[datetime, bool]] = {}
    for _, fact, by in store.report_facts(end):
        if by is not None:
            continue
        d = decode(fact)
        typ = d["type"]
        text = d["event_time"]
        got = times.get(text)
        if got is None:
            if len(times) >= TIMES_KEPT:
                times.clear()
            moment = parse(text)
            got = times[text] = (moment, counting and moment >= since)  # type: ignore[operator]
        t, inside = got
        if inside:
            key = (typ, d["party"])
            tally[key] = tally.get(key, 0) + 1  # type: ignore[index,union-attr]
        handler = handlers.get(typ)
        if handler is not None:
            handler(d, t)
        count = also.get(typ)
        if count is not None:
            count(d, t)
    handlers.clear()  # its bound methods hold the folder, which holds the facts: no cycle left for the collector
    facts.events = before_end if before_end is not None else store.report_before_end(end)
    return facts


__all__ = ["fold_stored"]
