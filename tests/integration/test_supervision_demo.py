"""The demo district's supervision year: its records, its cases opened with
evidence, its figures, and the risk ranking putting every business with a
planted problem above every clean one."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.builders import actor

from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.services import supervision as sv
from foodtrace.services.safety.rules import check_district

ADMIN = actor("admin", "REG001")
END_OF_YEAR = datetime.fromisoformat("2025-12-31T23:00:00+08:00")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('superv') / 'demo.db'}")
    district = load_demo(store, events=8000, seed=11, plant_complaints=True)
    yield store, district
    store.close()


def test_the_demo_has_a_spring_campaign_on_school_canteens(demo):
    store, district = demo
    info = district.supervision
    c = sv.campaign_report(store, ADMIN, info["campaign"])
    assert c.scope_kinds == ["school_canteen"] and (c.start, c.end) == (date(2025, 3, 1), date(2025, 5, 31))
    assert c.not_inspected == [] and c.businesses_inspected == c.in_scope == len(info["canteens"])
    assert (c.notices, c.suspensions, c.trainings, c.commitments) == (1, 0, 1, len(info["canteens"]))
    rectified = sv.list_inspections(store, ADMIN, subject=info["rectified"])
    assert [i.outcome for i in rectified] == ["rectification", "no_problem"]  # the notice, then the re-inspection
    assert rectified[0].notice_number and rectified[0].rectify_by
    online = sv.list_inspections(store, ADMIN)
    assert sum(i.mode == "online_patrol" for i in online) == 2


def test_the_demo_cases_come_from_the_planted_problems_with_their_evidence(demo):
    store, district = demo
    rogue = next(p for p in district.planted if p["kind"] == "undesignated_slaughter")
    failed = next(p for p in district.planted if p["kind"] == "failed_test")
    cases = {c.source: c for c in sv.list_cases(store, ADMIN)}
    police = cases["anomaly"]
    assert (police.subjects, police.lots, police.status) == (["XW001"], [rogue["lot"]], "handed_to_police")
    assert police.steps[0].handed_to
    ev = sv.case_evidence(store, ADMIN, police.case_id)
    forward = next(tr for tr in ev.traces if tr.direction == "forward")
    assert rogue["retail_lot"] in forward.lots and ev.retracted_since == [] and forward.lots_added_since == []
    closed = cases["failed_test"]
    assert (closed.subjects, closed.lots, closed.status) == ([failed["party"]], [failed["lot"]], "closed")
    assert closed.fine_yuan > 0 and closed.source_refs == [failed["test_event"]]
    destroyed = sv.list_destructions(store, ADMIN, party="XW001")
    assert len(destroyed) == 1 and destroyed[0].lots == [rogue["lot"]] and destroyed[0].value_yuan > 0


def test_supervision_records_add_no_anomaly_and_loading_twice_changes_nothing(demo):
    store, district = demo
    report = check_district(store)
    assert sorted((a.kind, a.lot, a.party) for a in report.anomalies) == sorted(
        (p["kind"], p["lot"], p["party"]) for p in district.planted)
    before = store.counts()
    load_demo(store, events=8000, seed=11, plant_complaints=True)
    assert store.counts() == before and len(sv.list_cases(store, ADMIN)) == 2


def test_the_demo_figures(demo):
    store, district = demo
    f = {k: v["value"] for k, v in sv.supervision_figures(store, date(2025, 1, 1), date(2025, 12, 31)).items()}
    n = len(district.supervision["canteens"])
    assert f["inspections"] == n + 1 + 2 + 1  # canteens, one re-inspection, two online patrols, the market
    assert (f["notices"], f["suspensions"], f["campaigns"]) == (2, 0, 1)
    assert (f["cases_opened"], f["cases_closed"], f["cases_handed_over"]) == (2, 1, 1)
    assert f["amount_total"] == f["amount_fined"] + f["amount_confiscated"] > 0
    assert f["trainings"] == 2 and f["commitments"] == n + len([p for p in district.parties if p.startswith("WP")])
    assert f["destructions"] == 1 and f["destruction_value"] == 28000
    assert sv.supervision_figures(store, date(2024, 1, 1), date(2024, 12, 31))["inspections"]["value"] == 0


def test_the_risk_ranking_puts_planted_problems_above_clean_businesses(demo):
    store, district = demo
    ranking = sv.risk_ranking(store, actor=ADMIN, as_of=END_OF_YEAR)
    by = {e.party: e for e in ranking.entries}
    planted = {p["party"] for p in district.planted}
    assert ranking.entries[0].party == "XW001"
    clean = [e for e in ranking.entries if {r.code for r in e.reasons} <= {"kind", "not_inspected", "no_problem"}]
    assert len(clean) > 20
    assert min(by[p].score for p in planted) > max(e.score for e in clean)
    for p in planted:  # each planted problem is among its party's reasons, in both languages
        assert {r.code for r in by[p].reasons} & {"anomaly", "failed_test"}
        assert all(r.zh and r.en for r in by[p].reasons)
    top = sv.risk_ranking(store, actor=ADMIN, as_of=END_OF_YEAR, top=3)
    assert len(top.entries) == 3 and {e.party for e in top.entries} <= planted and top.businesses == len(by)


def test_the_demo_risk_ranking_shows_the_accepted_planted_complaints(demo):
    store, district = demo
    ranking = sv.risk_ranking(store, actor=ADMIN, as_of=END_OF_YEAR)
    refs = {r.ref for e in ranking.entries for r in e.reasons if r.code == "complaint"}
    lots = store.get_lots(district.complaint_lots)
    assert len(district.complaint_lots) == 5 and refs == {f"TS{district.year}{n:04d}" for n in range(1, 6)}
    makers = {lots[c].origin_party for c in district.complaint_lots}
    assert all(any(r.code == "complaint" for r in e.reasons) for e in ranking.entries if e.party in makers)
