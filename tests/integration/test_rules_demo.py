"""The rules on generated districts: the check lists exactly the planted problems, nothing on a
clean district, and the investigation finds the farm the planted complaints come from."""

from __future__ import annotations

import pytest

from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.services.safety.complaints import list_complaints
from foodtrace.services.safety.investigate import investigate
from foodtrace.services.safety.recall import plan_recall
from foodtrace.services.safety.rules import check_district


@pytest.fixture(scope="module")
def planted():
    store = open_store("memory://")
    district = load_demo(store, events=8000, seed=11, plant_complaints=True)
    yield store, district
    store.close()


def test_check_lists_exactly_the_planted_problems(planted):
    store, district = planted
    report = check_district(store)
    assert sorted((a.kind, a.lot, a.party) for a in report.anomalies) == sorted(
        (p["kind"], p["lot"], p["party"]) for p in district.planted)
    assert report.events == store.counts()["events"]
    by_kind = {a.kind: a for a in report.anomalies}
    assert by_kind["undesignated_slaughter"].party == "XW001"
    assert by_kind["undesignated_slaughter"].reached == [next(
        p["reached"] for p in district.planted if p["kind"] == "undesignated_slaughter")]
    assert by_kind["withdrawal_period"].data["short"] == next(
        p["days_short"] for p in district.planted if p["kind"] == "withdrawal_period")
    assert by_kind["failed_test"].reached  # the failed pig's meat went on to markets
    assert {s.party for s in report.scores} == {p["party"] for p in district.planted}


@pytest.mark.parametrize("seed", [7, 3])
def test_a_clean_district_has_no_anomalies(seed):
    with open_store("memory://") as store:
        load_demo(store, events=4000, seed=seed, plant=False)
        report = check_district(store)
        assert report.anomalies == [] and report.scores == [] and report.events > 3000


def test_investigation_ranks_the_source_farm_first(planted):
    store, district = planted
    complaints = [c.complaint_id for c in list_complaints(store)]
    assert len(complaints) >= 3 and district.complaint_source == "SF001"
    inv = investigate(store, [], complaints=complaints)
    first = inv.parties[0]
    assert first.party == district.complaint_source and first.explains == len(complaints)
    assert sorted(inv.problem_lots) == sorted(district.complaint_lots)
    # any other party explaining as many complaints made more lots (it is less specific)
    assert all(p.lots_made > first.lots_made for p in inv.parties[1:] if p.explains == first.explains)


def test_recall_of_the_failed_pig_reaches_its_markets(planted):
    store, district = planted
    failed = next(p for p in district.planted if p["kind"] == "failed_test")
    report = plan_recall(store, [failed["lot"]], "clenbuterol")
    parties = {h.party for h in report.exposure.holders}
    assert {failed["party"], failed["tested_by"]} <= parties
    assert all(report.exposure.shares[c] == 1 for c in report.exposure.affected)
