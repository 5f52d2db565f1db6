"""The statistics report on the demo district: every figure is present and agrees with what the
generator made (``District.parties``, ``District.tally``, the planted problems, recall and complaints)."""

from __future__ import annotations

from collections import Counter

import pytest

from foodtrace.demo.generate import generate
from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.render.report import render_report
from foodtrace.services.report import district_report
from foodtrace.services.safety.rules import load_rules

EVERYTHING = ("2025-01-01", "2026-01-31")  # the demo year and the days its last chains and cases run into


@pytest.fixture(scope="module")
def demo():
    store = open_store("memory://")
    district = load_demo(store, events=8000, seed=11, plant_complaints=True)
    yield store, district, district_report(store, *EVERYTHING)
    store.close()


def test_registered_and_reporting_parties_by_kind(demo):
    store, d, r = demo
    registered = Counter(p["kind"] for pid, p in d.parties.items() if pid != "XW001")  # XW001 never registers
    assert {k.kind: k.registered for k in r.membership.kinds if k.registered} == dict(registered)
    assert r.membership.unregistered_actors == ["XW001"]
    reporting = {k.kind: k.reporting for k in r.membership.kinds}
    # farms, bases, slaughterhouses, wholesalers, markets, shops and canteens all act; labs test samples;
    # cold storage, producers, workshops and stalls never do in the demo
    for kind in ("scale_farm", "vegetable_base", "designated_slaughterhouse", "wholesaler", "wholesale_market",
                 "supermarket", "school_canteen", "testing_lab", "animal_health_authority"):
        assert reporting[kind] == registered[kind], kind
    assert reporting["cold_storage"] == reporting["small_stall"] == reporting["producer"] == 0
    assert r.traceability.points == sum(registered[k] for k in (
        "designated_slaughterhouse", "wholesale_market", "farmers_market", "supermarket", "school_canteen"))


def test_records_are_the_generated_events_of_the_period(demo):
    _, d, r = demo
    _, stream = generate(events=8000, seed=11, plant_complaints=True)
    made = Counter(e["type"] for e in stream if "2025-01-01" <= e["event_time"][:10] <= "2026-01-31")
    cases = len(d.supervision["cases"])  # opened and updated through the case service once loaded
    made.update({"enforcement_case": cases, "case_update": cases})
    assert r.traceability.records_by_type == dict(made) and r.traceability.retracted == 0
    assert r.events_read == d.events + 2 * cases


def test_pigs_tests_and_quarantine_agree_with_the_generator(demo):
    _, d, r = demo
    tally = d.tally
    c = r.clenbuterol
    assert (c.samples, c.heads, c.failed) == (tally["pig_lots"], tally["pig_heads"], 1)  # the planted failure
    assert c.passed == tally["clenbuterol_passed"] and c.rate == pytest.approx(1 - 1 / tally["pig_lots"], abs=1e-4)
    assert c.rate < 1  # one failure in hundreds is never rounded away
    pork = next(m for m in r.meat if m.product == "pork")
    assert (pork.slaughters, pork.heads) == (tally["pig_lots"], tally["pig_heads"])
    assert pork.kg == pytest.approx(tally["pork_kg"]) and pork.rate == 1.0  # every demo pig is quarantined
    assert next(m for m in r.meat if m.product == "beef").elsewhere_kg == 520.0  # the rogue cattle


def test_vegetable_and_rapid_and_lab_tests(demo):
    _, d, r = demo
    tally = d.tally
    v = r.vegetables
    varieties = {k[4:]: n for k, n in tally.items() if k.startswith("veg_") and "_kg_" not in k and k != "veg_lots"}
    assert v.compliance_certificates == tally["veg_lots"] and v.varieties == len(varieties)
    rapid = {k.key: (k.samples, k.passed) for k in r.tests.rapid_by_tester}
    for kind in ("wholesale_market", "supermarket", "farmers_market"):
        assert rapid[kind] == (tally[f"rapid_tests_{kind}"],) * 2, kind
    assert rapid["designated_slaughterhouse"] == (tally["pig_lots"], tally["pig_lots"] - 1)
    assert v.tested.samples == sum(tally[f"rapid_tests_{k}"] for k in ("wholesale_market", "supermarket",
                                                                       "farmers_market")) + tally["lab_tests_veg"]
    assert v.tested.rate == 1.0
    lab = {k.key: k.samples for k in r.tests.lab_by_category}
    assert lab == {"vegetable": tally["lab_tests_veg"], "meat": tally["lab_tests_meat"]}
    assert sum(m.samples for m in r.tests.monthly) == r.tests.rapid.samples + r.tests.lab.samples
    assert len(r.tests.monthly) == 13


def test_cases_and_anomalies(demo):
    _, d, r = demo
    assert (r.complaints.received, r.complaints.closed) == (len(d.complaint_lots), len(d.complaints_closed)) == (5, 3)
    rc = r.recalls
    assert (rc.started, rc.closed, rc.holders, rc.confirmations) == (1, 0, len(d.recall["holders"]),
                                                                    len(d.recall["confirmed"]))
    assert rc.removed == {"kg": d.recall["removed_kg"]} and rc.recalled_quantity["head"] > 0
    scores = load_rules().scores
    planted = Counter(p["kind"] for p in d.planted)
    assert {a.kind: a.count for a in r.anomalies.rows if a.count} == dict(planted)
    assert r.anomalies.score == sum(scores[k] * n for k, n in planted.items())
    assert {p.party for p in r.anomalies.top} == {p["party"] for p in d.planted}


def test_transparency_from_the_party_attributes(demo):
    _, d, r = demo
    totals = {t.attribute: (t.registered, t.connected) for t in r.transparency.totals}
    for attr, kinds in (("transparent_kitchen", ("school_canteen", "kindergarten_canteen", "restaurant")),
                        ("sunshine_warehouse", ("cold_storage", "wholesale_market")),
                        ("transparent_workshop", ("producer", "small_workshop"))):
        parties = [p for pid, p in d.parties.items() if p.get("kind") in kinds and pid != "XW001"]
        assert totals[attr] == (len(parties), sum(1 for p in parties if p["attributes"].get(attr))), attr
        assert totals[attr][1] > 0


def test_the_meat_flow_agrees_with_what_each_kind_received(demo):
    _, d, r = demo
    received = {k[len("pork_kg_to_"):]: kg for k, kg in d.tally.items() if k.startswith("pork_kg_to_")}
    received["farmers_market"] += 120.0  # the rogue beef
    nodes = {n.id: n for n in r.flow.nodes}
    assert {k: nodes[f"r:{k}"].kg for k in received} == pytest.approx(received)
    assert r.flow.kg == pytest.approx(sum(received.values()))
    assert nodes["s:XW001"].flag == "undesignated" and nodes["s:XW001"].kg == 120.0
    assert sum(n.kg for n in r.flow.nodes if n.column == 0) == pytest.approx(r.flow.kg)
    assert {n.key for n in r.flow.nodes if n.column == 0} <= {"330106", "330110", "330122", "330127", "330183",
                                                              "331002", "330522"}


def test_the_supervision_figures_of_the_year(demo):
    _, d, r = demo
    sv = {f.key: f.value for f in r.supervision}
    assert sv["cases_opened"] == len(d.supervision["cases"]) and sv["inspections"] > 0 and sv["campaigns"] == 1
    assert all(f.label.zh and f.label.en for f in r.supervision)


def test_a_calendar_year_renders_every_section(demo):
    store, _, _ = demo
    year = district_report(store, "2025-01-01", "2025-12-31")
    assert [m.key for m in year.tests.monthly] == [f"2025-{m:02d}" for m in range(1, 13)]
    for lang in ("zh", "en"):
        md = render_report(year, "md", lang)
        assert md.count("\n## ") == len(year.definitions)
        assert "| —" not in md.split("\n## ")[1]  # membership: every rate is defined
