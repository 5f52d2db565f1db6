"""``GraphStore.party_trades`` — a party's handoffs and retail sales in a time window, what a stall's ledger
lists — on every backend (``store`` fixture): the expected events, equal to the backend-neutral default
built on the log, whatever the party's id spells and wherever else it is written."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from foodtrace.graph.store import GraphStore
from foodtrace.ingest.capture import capture
from tests.builders import commission, handoff, retract, sale, with_id

CST = timezone(timedelta(hours=8))
START, END = datetime(2025, 3, 1, tzinfo=CST), datetime(2025, 4, 1, tzinfo=CST)
IN, BEFORE, AT_END = "2025-03-10T08:00:00+08:00", "2025-02-28T23:59:59.999999+08:00", "2025-04-01T00:00:00+08:00"


def _trades(stall: str) -> list[dict]:
    return [
        commission("PORK-1", product="pork", unit="kg", qty=500, party="W1"),
        with_id(handoff("PORK-1", src="W1", dst=stall, time=IN) | {"party": "W1", "action": "ship"}, "shipped"),
        with_id(handoff("PORK-1", src="W1", dst=stall, time=IN), "received"),
        with_id(sale("PORK-1", "R-1", party=stall, time="2025-03-31T23:59:59.999999+08:00"), "sold"),
        with_id(handoff("PORK-1", src=stall, dst="M9", time="2025-03-01T00:00:00+08:00") | {"party": "M9"},
                "passed_on"),
        with_id(handoff("PORK-1", src="W1", dst=stall, time=BEFORE), "too_early"),
        with_id(handoff("PORK-1", src="W1", dst=stall, time=AT_END), "too_late"),
        with_id(handoff("PORK-1", src="W1", dst="M9", time=IN, document=stall), "names_it_elsewhere"),
        with_id(sale("PORK-1", "R-2", party="M9", time=IN), "others_sale"),
        with_id(handoff("PORK-1", src="W1", dst=stall, time=IN, qty=7), "taken_back"),
        with_id(retract("taken_back", party=stall), "retraction"),
        with_id(handoff("PORK-1", src="W1", dst=stall + "X", time=IN), "longer_id"),
    ]


@pytest.mark.parametrize("stall", ["M1", '摊位"7\\号'])
def test_a_partys_trades_in_a_window(store, stall):
    capture(store, _trades(stall))
    got = store.party_trades(stall, START, END)
    ids = [se.event.event_id for se in got]
    assert ids == ["shipped", "received", "sold", "passed_on"]  # in log order; the window's end excluded
    assert [se.seq for se in got] == sorted(se.seq for se in got)
    assert all(se.retracted_by is None for se in got)
    assert [se.seq for se in GraphStore.party_trades(store, stall, START, END)] == [se.seq for se in got]


def test_nobody_and_an_empty_window(store):
    capture(store, _trades("M1"))
    assert store.party_trades("NOBODY", START, END) == []
    assert store.party_trades("M1", START, START) == []
    late = store.party_trades("M1", END, END + timedelta(days=1))
    assert [se.event.event_id for se in late] == ["too_late"]
