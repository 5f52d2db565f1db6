"""``custody_gap``: a lot made from a lot its maker never held (services/safety/rules/custody_gap.py), on the
rules' facts folded from events — no store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from foodtrace.services.safety.rules.custody_gap import broken_uses, made_by_non_holders
from foodtrace.services.safety.rules.facts import LotFact, Use

T0 = datetime(2025, 3, 1, 8, tzinfo=timezone(timedelta(hours=8)))


def _lot(*uses, owner="F1"):
    return LotFact("PIG", product="live_pig", quantity=10, unit="head", creator=owner, owner=owner, uses=list(uses))


def _hand(party, to, hour, new=None):
    return Use(f"h-{party}-{to}-{hour}", T0 + timedelta(hours=hour), "handoff_new" if new else "handoff", party, 5,
               "head", to_party=to, new_lot=new)


def test_a_chain_of_handoffs_from_the_owner_breaks_nothing_whatever_the_dates():
    # S1's handoff to W1 is dated before F1's to S1 (reported and dated late): still a chain from the owner
    lf = _lot(_hand("S1", "W1", 1), _hand("F1", "S1", 2), _hand("W1", "M1", 3, new="RL"))
    assert broken_uses(lf) == ({}, {})


def test_a_non_holder_passing_the_lot_on_breaks_it_and_its_receiver_holds_nothing():
    lf = _lot(_hand("F1", "S1", 1), _hand("X1", "M1", 2), _hand("M1", "M2", 3, new="M2-LOT"),
              Use("sale-1", T0, "sale", "M1", 1, "head", to_party="consumer", new_lot="R-1"),
              Use("tr-1", T0, "transformation", "X1", 5, "head"))
    by_code, by_event = broken_uses(lf)
    assert set(by_code) == {"M2-LOT", "R-1"} and set(by_event) == {"tr-1"}
    assert {**by_code, **by_event} == {"M2-LOT": "M1", "R-1": "M1", "tr-1": "X1"}


def test_a_placeholder_is_not_judged_here():
    lf = LotFact("PIG", uses=[_hand("X1", "M1", 1, new="X-FAKE")])  # no creator: an upstream gap instead
    assert broken_uses(lf) == ({}, {})


class _Facts:
    transforms: dict = {}


def test_the_finding_is_on_the_lot_made_and_held_against_the_party_that_made_it():
    lf = _lot(_hand("F1", "S1", 1), _hand("X1", "M1", 2, new="X-FAKE"))
    [f] = made_by_non_holders(_Facts(), lf, {})
    assert (f.code, f.lot, f.party, f.get("source")) == ("custody_gap", "X-FAKE", "X1", "PIG")
