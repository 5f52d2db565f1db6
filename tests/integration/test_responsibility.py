"""Who answers for a failed lot going on: the slaughterhouse that slaughters a lot whose test failed
(and certifies its meat), the official vet who quarantines that meat as passing, and whoever passes
on a lot after its recall started — each an anomaly with its own score from rules.toml."""

from __future__ import annotations

from datetime import datetime

import pytest

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.rules import check_district, check_entry, load_rules
from tests.builders import at, cert, good_pork, move


@pytest.fixture
def mem():
    store = open_store("memory://")
    yield store
    store.close()


def _failing(hour: int):
    """The pork chain with its clenbuterol test failing at ``hour`` on 3 March (slaughter at 10:00)."""
    return [cert(["PIG"], "clenbuterol_test", result="fail", issuer="S1", time=at(3, hour), number="CL-1")
            if e["type"] == "certificate" and e["kind"] == "clenbuterol_test" else e for e in good_pork()]


def test_slaughtering_and_certifying_a_failed_lot_is_held_against_the_slaughterhouse_and_the_vet(mem):
    capture(mem, _failing(8))
    report = check_district(mem)
    found = {(a.code, a.party): a for a in report.anomalies}
    assert set(found) == {("failed_test", "F1"), ("slaughtered_failed_lot", "S1"), ("certified_failed_lot", "AHA")}
    scores = load_rules().scores
    sh, vet = found[("slaughtered_failed_lot", "S1")], found[("certified_failed_lot", "AHA")]
    assert sh.kind == vet.kind == "failed_lot_slaughtered" and sh.score == vet.score == scores["failed_lot_slaughtered"]
    assert sh.lot == vet.lot == "CARC" and sh.data["input"] == "PIG" and sh.data["certified"] == ["meat_quality"]
    assert "屠宰" in sh.zh and "CL-1" in sh.zh and "肉品品质检验合格证" in sh.zh and "2025-03-03 08:00" in sh.zh
    assert "slaughter" in sh.en and "meat quality certificate" in sh.en and "屠" not in sh.en
    assert "动物检疫合格证明（产品）" in vet.zh and "quarantine certificate (products)" in vet.en
    # the slaughterhouse's own score now counts this; the check's scores add up per party
    assert {s.party: s.score for s in report.scores}["S1"] == scores["failed_lot_slaughtered"]


def test_a_test_that_fails_after_the_slaughter_holds_only_the_farm(mem):
    capture(mem, _failing(12))  # the sample's result came in after the carcass was made
    assert [(a.code, a.party) for a in check_district(mem).anomalies] == [("failed_test", "F1")]


def test_passing_on_a_lot_after_its_recall_started(mem):
    chain = [e for e in good_pork() if not (e["type"] == "handoff" and e["lot"]["code"] == "WV")]
    recall = {"type": "recall", "event_time": at(4, 4), "party": "REG", "recall_id": "RC1", "lots": ["CARC"],
              "reason": "样品复检不合格", "affected": ["CARC", "WV"], "holders": ["W1"]}
    capture(mem, chain + [recall])
    assert check_district(mem).anomalies == []  # nothing moved after the recall yet
    capture(mem, [move("WV", "W1", "M1", 300.0, new="RL", time=at(4, 6))])  # two hours after it started
    (a,) = check_district(mem).anomalies
    assert (a.kind, a.code, a.lot, a.party) == ("sold_after_recall", "passed_on_after_recall", "WV", "W1")
    assert a.score == load_rules().scores["sold_after_recall"] and a.data["recall"] == "RC1"
    assert "召回" in a.zh and "RC1" in a.zh and "300 千克" in a.zh and "recalled" in a.en


def test_the_gate_asks_for_the_carcass_product_quarantine(mem):
    """两证两章: without the official vet's product quarantine the pork is refused, naming it."""
    capture(mem, [e for e in good_pork() if not (e["type"] == "certificate" and e["kind"] == "product_quarantine")])
    d = check_entry(mem, "WV", "M1", 100, at=datetime.fromisoformat(at(4, 6)))
    assert [(r.code, r.lot, r.data.get("kind")) for r in d.reasons] == [
        ("missing_certificate", "CARC", "product_quarantine")]
    assert "动物检疫合格证明（产品）" in d.reasons[0].zh
