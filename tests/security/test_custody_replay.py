"""Custody cannot be fooled by replaying stored events or by retracting a lot's creation: each
attack goes through the write door with a business's principal over a real SQLite file, is refused
with its message key, and stores nothing; an honest replay of a whole batch is still a no-op."""

from __future__ import annotations

import pytest

from foodtrace.errors import Forbidden, InvalidInput
from foodtrace.graph import open_store
from foodtrace.model.vocab import Role
from foodtrace.services.capture.door import record
from foodtrace.services.capture.principal import Principal, local
from tests.builders import T0, commission, handoff, retract, with_id

LATER = "2025-03-02T08:00:00+08:00"
LATEST = "2025-03-03T08:00:00+08:00"


def op(party: str) -> Principal:
    return Principal(f"k-{party}", party, Role.OPERATOR)


def ship(code, src, dst, qty, time=LATER, document="DOC-S"):
    return {**handoff(code, src=src, dst=dst, qty=qty, time=time, document=document), "party": src, "action": "ship"}


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


def refused(store, principal, batch) -> list[str]:
    """Record ``batch``; expect the door's refusal with nothing stored; the details' message keys."""
    before = store.counts()["events"]
    with pytest.raises(InvalidInput) as exc:
        record(store, principal, batch)
    assert exc.value.key == "door_refused"
    assert store.counts()["events"] == before, "the refused batch stored something"
    return [d.get("key") for d in exc.value.details]


# -- F1: a replayed stored event is counted once ------------------------------------------------


def test_a_replayed_commission_does_not_double_what_the_farm_holds(store):
    made = with_id(commission("L1", product="pork", qty=10, unit="kg", party="F1"), "c-L1")
    record(store, op("F1"), [made])
    assert refused(store, op("F1"), [ship("L1", "F1", "W1", 20)]) == ["custody_holds_only"]
    assert refused(store, op("F1"), [made, ship("L1", "F1", "W1", 20)]) == ["custody_holds_only"]
    assert refused(store, op("F1"), [made, made, ship("L1", "F1", "W1", 11)]) == ["custody_holds_only"]


def test_a_replayed_receive_without_document_does_not_double_what_is_held(store):
    record(store, local(), [commission("L1", product="pork", qty=10, unit="kg", party="F1")])
    got = with_id(handoff("L1", src="F1", dst="W1", qty=10, time=LATER, document=None), "r-L1")
    record(store, op("W1"), [got], via="/api/v1/receipts")  # the entry gate: no shipment needed
    assert refused(store, op("W1"), [got, ship("L1", "W1", "M1", 20, time=LATEST)]) == ["custody_holds_only"]


def test_a_replayed_transformation_does_not_double_its_outputs(store):
    record(store, local(), [commission("PIG", qty=100, unit="kg", party="F1"),
                            ship("PIG", "F1", "S1", 100, time=T0),
                            handoff("PIG", src="F1", dst="S1", qty=100, time=T0, document="DOC-S")])
    cut = with_id({"type": "transformation", "event_time": LATER, "party": "S1", "kind": "slaughter",
                   "inputs": [{"code": "PIG", "quantity": 100, "unit": "kg"}],
                   "outputs": [{"code": "CARCASS", "product": "pork", "quantity": 100, "unit": "kg"}]}, "t-1")
    record(store, op("S1"), [cut])
    assert refused(store, op("S1"), [cut, ship("CARCASS", "S1", "W1", 150, time=LATEST)]) == ["custody_holds_only"]


def test_a_replayed_ship_does_not_let_the_receiver_receive_twice(store):
    record(store, local(), [commission("L1", product="pork", qty=20, unit="kg", party="F1")])
    sent = with_id(ship("L1", "F1", "W1", 10), "s-L1")
    record(store, op("F1"), [sent])
    record(store, op("W1"), [handoff("L1", src="F1", dst="W1", qty=10, time=LATER, document="DOC-S")])
    again = handoff("L1", src="F1", dst="W1", qty=10, time=LATEST, document="DOC-2")
    assert refused(store, op("W1"), [again]) == ["custody_not_shipped"]
    # the ship is F1's event: W1 may not even replay it (another party's event) — refused either way
    with pytest.raises(Forbidden):
        record(store, op("W1"), [sent, again])
    assert store.counts()["events"] == 3


def test_an_honest_replay_of_a_whole_batch_is_a_no_op_duplicate(store):
    batch = [with_id(commission("L1", product="pork", qty=10, unit="kg", party="F1"), "c-L1"),
             with_id(ship("L1", "F1", "W1", 10), "s-L1")]
    first = record(store, op("F1"), batch)
    assert first.stored == ["c-L1", "s-L1"]
    again = record(store, op("F1"), batch)
    assert again.stored == [] and again.duplicates == ["c-L1", "s-L1"]
    assert store.counts()["events"] == 2
    # a replay followed by a new, lawful use still counts the stored events once
    record(store, op("F1"), [batch[0], with_id(commission("L3", product="pork", qty=5, unit="kg", party="F1"), "c-L3"),
                             with_id(ship("L3", "F1", "W1", 5, document="DOC-3"), "s-L3")])
    assert store.counts()["events"] == 4


# -- F1b: retracting a lot's creation does not switch custody off --------------------------------


@pytest.fixture
def retracted_lot(store):
    record(store, op("F1"), [with_id(commission("L2", product="pork", qty=10, unit="kg", party="F1"), "c-L2")])
    record(store, op("F1"), [ship("L2", "F1", "W1", 4, document="DOC-W")])
    record(store, op("W1"), [handoff("L2", src="F1", dst="W1", qty=4, time=LATER, document="DOC-W")])
    record(store, op("F1"), [retract("c-L2", party="F1", time=LATER)])
    assert store.get_lot("L2").unconfirmed
    return store


def test_a_lot_whose_creation_is_retracted_is_held_by_nobody(retracted_lot):
    store = retracted_lot
    assert refused(store, op("F1"), [ship("L2", "F1", "M1", 1, time=LATEST)]) == ["custody_not_held"]
    # the wholesaler that received part of it before the retraction may not pass it on either
    assert refused(store, op("W1"), [ship("L2", "W1", "M1", 1, time=LATEST)]) == ["custody_not_held"]


def test_retracting_and_shipping_in_one_batch_is_refused(store):
    record(store, op("F1"), [with_id(commission("L2", product="pork", qty=10, unit="kg", party="F1"), "c-L2")])
    keys = refused(store, op("F1"), [retract("c-L2", party="F1", time=LATER), ship("L2", "F1", "W1", 1)])
    assert keys == ["custody_not_held"]
    assert not store.get_lot("L2").unconfirmed


def test_a_lot_created_again_after_its_retraction_is_held_again(retracted_lot):
    store = retracted_lot
    # 8 kg made again, 4 kg of it counted as shipped to W1 before: 4 kg to pass on
    record(store, op("F1"), [commission("L2", product="pork", qty=8, unit="kg", party="F1", time=LATEST),
                             ship("L2", "F1", "M1", 4, time=LATEST, document="DOC-M")])
    assert refused(store, op("F1"), [ship("L2", "F1", "M1", 1, time=LATEST, document="DOC-M2")]) == ["custody_not_held"]


def test_a_lot_never_seen_is_still_a_placeholder(store):
    """A partner reported before its supplier: nothing is known to check, the rules flag the gap."""
    record(store, op("W1"), [ship("NEVER", "W1", "M1", 3)])
    assert store.get_lot("NEVER").unconfirmed


# -- a whole lot shipped, then received; the two sides of a handoff without a document -----------


def test_a_whole_lot_shipped_can_be_received(store):
    record(store, local(), [commission("L1", product="pork", qty=10, unit="kg", party="F1")])
    record(store, op("F1"), [ship("L1", "F1", "W1", 10)])  # the farm passes on everything it holds
    got = record(store, op("W1"), [handoff("L1", src="F1", dst="W1", qty=10, time=LATEST, document="DOC-S")])
    assert len(got.stored) == 1
    assert refused(store, op("W1"), [ship("L1", "W1", "M1", 11, time=LATEST)]) == ["custody_holds_only"]


def test_both_sides_of_a_handoff_without_a_document_count_once(store):
    record(store, local(), [commission("L1", product="pork", qty=10, unit="kg", party="F1")])
    record(store, op("F1"), [ship("L1", "F1", "W1", 10, document=None)])
    record(store, op("W1"), [handoff("L1", src="F1", dst="W1", qty=10, time=LATEST, document=None)])
    # the receiver holds the 10 kg once, not twice: passing on 20 is refused, 10 is not
    assert refused(store, op("W1"), [ship("L1", "W1", "M1", 20, time=LATEST)]) == ["custody_holds_only"]
    assert len(record(store, op("W1"), [ship("L1", "W1", "M1", 10, time=LATEST)]).stored) == 1
