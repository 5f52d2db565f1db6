"""The rules' facts folded straight from decoded report facts (``rules/fold_dicts.py``, the report's and the
district check's fold) are the facts ``Facts.fold`` makes of the validated events (the reference) — from
the embedded store's report facts (``report_facts_codec``) and from stored bodies (what Neo4j returns: None
fields left out) — and so are the period's counts (``replay.FactCount`` against ``collect.count_event``)."""

from __future__ import annotations

from dataclasses import astuple
from datetime import datetime
import threading

import orjson
import pytest

from foodtrace.graph.report_facts_codec import encode
from foodtrace.graph.store import StoredEvent
from foodtrace.ingest.capture import prepare
from foodtrace.model.event_base import to_json
from foodtrace.services.report.collect import Collected, count_event
from foodtrace.services.report.period import period
from foodtrace.services.report.replay import FactCount
from foodtrace.services.safety.rules.anomalies import check_facts
from foodtrace.services.safety.rules.config import load_rules
from foodtrace.services.safety.rules.facts import Facts
from foodtrace.services.safety.rules.fold_dicts import DictFold
from foodtrace.services.safety.rules.gc_pause import gc_paused
from tests.builders import applied, at, cert, commission, handoff, move, pork_chain, sale, stats_district

MARCH = period("2025-03-01", "2025-03-31")


def _events() -> list:
    extra = [
        cert(["RCPT9"], "lab_test", issuer="L1", time=at(14, 5)),  # a receipt named before its sale: a placeholder
        commission("RL9", product="pork", qty=20, unit="kg", party="W1", time=at(14, 6)),
        sale("RL9", "RCPT9", party="M1", time=at(14, 7)),
        sale("RL9", "RCPT10", party="M1", time=at(14, 8)),
        # one handoff reported by both sides under one document, then the same lot again without one
        move("RL9", "M1", "C1", 5.0, time=at(15, 6), document="D-9") | {"action": "ship", "party": "M1"},
        move("RL9", "M1", "C1", 5.0, time=at(15, 7), document="D-9") | {"action": "receive"},
        move("RL9", "M1", "C1", 2.0, new="RL9B", time=at(15, 8)),
        move("RL9", "M1", "C1", 1.0, time=at(15, 9), document="D-10"),  # two receipts under one document
        move("RL9", "M1", "C1", 1.0, time=at(15, 10), document="D-10"),  # are two handoffs
        applied(["PIG1"], days=28, time=at(2, 5)),
        {"type": "aggregation", "event_time": at(16, 5), "party": "W1", "action": "pack", "parent": "PAL1",
         "parent_lot": {"code": "PAL1", "product": "pork", "quantity": 3.0, "unit": "kg"},
         "children": [{"code": "RL9", "quantity": 3.0, "unit": "kg"}, {"code": "RL9B"}]},
        {"type": "aggregation", "event_time": at(16, 6), "party": "W1", "action": "unpack", "parent": "PAL1",
         "children": [{"code": "RL9"}]},
        handoff("CARC1", src="S1", dst="W1", qty=10, time=at(17, 5), amount=120.5, place="WM1"),
        sale("RL1", "RCPT11", party="M1", time=at(17, 6)) | {"unit_price": 30.0},
    ]
    raw = [*stats_district(), *pork_chain("X"), *extra]
    return prepare(raw, captured_by="test")


def _reference(events) -> tuple[Facts, Collected]:
    facts, col = Facts(), Collected(last_day=MARCH.last)
    for seq, ev in enumerate(events, start=1):
        if ev.event_time < MARCH.end:
            facts.fold(StoredEvent(seq, ev))
            count_event(col, ev, ev.event_time >= MARCH.start, MARCH)
    return facts, col


def _from_dicts(events, as_dict) -> tuple[Facts, Collected]:
    facts, col = Facts(), Collected(last_day=MARCH.last)
    fold, count = DictFold(facts).handlers, FactCount(col, MARCH).by_type
    for ev in events:
        d = as_dict(ev)
        if d is None:
            continue
        t = datetime.fromisoformat(d["event_time"])
        if t >= MARCH.end:
            continue
        for handlers in (fold, count):
            if d["type"] in handlers:
                handlers[d["type"]](d, t)
    return facts, col


def _same(a: Facts, b: Facts) -> None:
    assert list(a.lots) == list(b.lots)  # the same lots in the same order (the figures sum in it)
    for code, lf in a.lots.items():
        assert astuple(lf) == astuple(b.lots[code]), code
    assert a.parties == b.parties and a.transforms == b.transforms and a.recall_started == b.recall_started
    assert a._transfers == b._transfers


@pytest.mark.parametrize("as_dict", [lambda ev: None if (f := encode(ev)) is None else orjson.loads(f),
                                     lambda ev: orjson.loads(to_json(ev))], ids=["report fact", "stored body"])
def test_the_dict_fold_is_the_model_fold(as_dict):
    events = _events()
    ref, ref_col = _reference(events)
    facts, col = _from_dicts(events, as_dict)
    _same(ref, facts)
    # the period's counts (the fold counts type and party apart, from the store's tally)
    for name in ("new", "certs", "complaints", "closures", "recalls", "trades"):
        assert getattr(col, name) == getattr(ref_col, name), name
    assert dict(col.confirmations) == dict(ref_col.confirmations)
    assert {t.amount for t in col.trades} == {120.5, 45.0}  # an amount, and a unit price × the quantity
    assert facts.lots["RCPT9"].certs and facts.lots["RCPT9"].made_by == "retail_sale"  # the placeholder completed
    cfg = load_rules()
    ref.events = facts.events = len(events)
    assert check_facts(facts, cfg).model_dump() == check_facts(ref, cfg).model_dump()
    assert check_facts(facts, cfg).anomalies  # the district plants problems


def test_the_collector_pause_is_shared_and_restores_what_it_found():
    import gc

    assert gc.isenabled()
    entered, leave = threading.Event(), threading.Event()

    def report():
        with gc_paused():
            entered.set()
            leave.wait(5)

    other = threading.Thread(target=report)
    other.start()
    entered.wait(5)
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other report is still folding
    leave.set()
    other.join(5)
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # disabled by someone else before: left so
    finally:
        gc.enable()
