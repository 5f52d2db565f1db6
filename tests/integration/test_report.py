"""The district statistics report on a small hand-made district where every figure is known
(``tests.builders.stats_district``), on every backend."""

from __future__ import annotations

from datetime import datetime

import pytest

from foodtrace.errors import InvalidInput
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.render.report import render_report
from foodtrace.services.report import district_report
from foodtrace.services.safety.rules import check_district
from tests.builders import stats_district

MARCH = ("2025-03-01", "2025-03-31")


@pytest.fixture(scope="module")
def mem_district():
    s = open_store("memory://")
    capture(s, stats_district())
    yield s
    s.close()


def _kinds(rows) -> dict:
    return {r.kind: (r.registered, r.new, r.reporting) for r in rows}


def test_every_figure_of_the_hand_made_district(store):
    capture(store, stats_district())
    r = district_report(store, *MARCH)

    m = r.membership
    kinds = _kinds(m.kinds)
    assert kinds["scale_farm"] == kinds["household_farm"] == kinds["designated_slaughterhouse"] == (1, 0, 1)
    assert kinds["cold_storage"] == kinds["producer"] == kinds["restaurant"] == (1, 0, 0)
    assert kinds["farmers_market"] == (1, 0, 0)  # it acts only in April
    assert kinds["small_shop"] == (1, 1, 0)  # registered in March, never reports
    assert kinds["small_stall"] == (0, 0, 0) and next(k for k in m.kinds if k.kind == "small_stall").rate is None
    assert (m.registered, m.reporting, m.rate) == (15, 10, 0.6667)
    assert m.unregistered_actors == ["X1"]  # not "inspector": recalls and complaints are the office's records
    groups = {g.group: (g.registered, g.reporting) for g in m.groups}
    assert groups == {"production": (6, 4), "sellers": (4, 3), "caterers": (2, 1), "small": (1, 0), "other": (2, 2)}

    tr = r.traceability
    assert tr.points == 4 and {n.kind: n.reporting for n in tr.nodes}["farmers_market"] == 0
    in_march = [e for e in stats_district()
                if e["event_time"].startswith("2025-03") and e.get("event_id") != "wrong-sale"]
    assert tr.records == len(in_march) == 41 and tr.retracted == 1
    assert tr.records_by_type["certificate"] == 11 and tr.records_by_type["error_declaration"] == 1

    v = r.vegetables
    assert (v.tested.samples, v.tested.passed, v.tested.failed, v.varieties) == (4, 3, 1, 2)
    assert {x.key: (x.samples, x.passed) for x in v.by_variety} == {"cabbage": (3, 2), "spinach": (1, 1)}
    assert (v.compliance_certificates, v.compliance_kg, v.compliance_issuers) == (2, 800.0, 1)

    pork, beef = r.meat
    assert (pork.product, pork.slaughters, pork.heads, pork.kg, pork.quarantined_kg, pork.rate) == (
        "pork", 2, 15, 1200.0, 800.0, 0.6667)
    assert (beef.product, beef.kg, beef.elsewhere_kg) == ("beef", 0.0, 500.0)

    c = r.clenbuterol
    assert (c.samples, c.heads, c.passed, c.failed, c.rate) == (2, 15, 1, 1, 0.5)

    ts = r.tests
    assert (ts.rapid.samples, ts.rapid.passed, ts.rapid.rate) == (5, 3, 0.6)
    assert {x.key: (x.samples, x.passed) for x in ts.rapid_by_tester} == {
        "designated_slaughterhouse": (2, 1), "wholesale_market": (2, 2), "supermarket": (1, 0)}
    assert (ts.lab.samples, ts.lab.passed) == (1, 1) and [x.key for x in ts.lab_by_category] == ["vegetable"]
    assert [(x.key, x.samples, x.passed) for x in ts.monthly] == [("2025-03", 6, 4)]

    cp = r.complaints
    assert (cp.received, cp.closed, cp.rate, cp.by_channel) == (2, 1, 0.5, {"hotline": 1, "online": 1})

    rc = r.recalls
    assert (rc.started, rc.closed, rc.lots, rc.affected_lots, rc.holders, rc.confirmations) == (1, 0, 1, 4, 4, 3)
    assert rc.recalled_quantity == {"head": 5.0} and rc.removed == {"kg": 390.0}

    a = r.anomalies
    assert {x.kind: (x.count, x.score) for x in a.rows if x.count} == {
        "failed_test": (2, 12), "undesignated_slaughter": (1, 12), "missing_certificate": (3, 9),
        "failed_lot_slaughtered": (1, 12)}  # S1 slaughtered PIG2 after its test failed; CARC2 has no product quarantine
    assert (a.count, a.score, a.parties) == (7, 45, 4)
    assert [(p.party, p.score) for p in a.top] == [("S1", 18), ("X1", 12), ("F2", 9), ("M1", 6)]

    tp = {(x.attribute, x.kind): (x.registered, x.connected) for x in [*r.transparency.rows, *r.transparency.totals]}
    assert tp[("transparent_kitchen", "school_canteen")] == (1, 1)
    assert tp[("transparent_kitchen", "restaurant")] == (1, 0)
    assert tp[("transparent_kitchen", "supermarket")] == (1, 1)  # "yes" counts; listed though not a caterer
    assert tp[("transparent_kitchen", "all")] == (3, 2) and tp[("sunshine_warehouse", "all")] == (2, 1)
    assert tp[("transparent_workshop", "all")] == (1, 1) and tp[("transparent_workshop", "small_workshop")] == (0, 0)

    f = r.flow
    assert f.kg == 700.0
    assert {n.id: (n.kg, n.flag) for n in f.nodes} == {
        "a:330110": (500.0, None), "a:330122": (200.0, None), "s:S1": (600.0, None), "s:X1": (100.0, "undesignated"),
        "r:supermarket": (500.0, None), "r:school_canteen": (200.0, None)}
    assert {(k.source, k.target): k.kg for k in f.links} == {
        ("a:330110", "s:S1"): 500.0, ("a:330122", "s:S1"): 100.0, ("a:330122", "s:X1"): 100.0,
        ("s:S1", "r:supermarket"): 400.0, ("s:S1", "r:school_canteen"): 200.0, ("s:X1", "r:supermarket"): 100.0}

    assert len(r.supervision) > 10 and all(f.value == 0 for f in r.supervision)  # no supervision records here
    assert set(r.definitions) >= {"membership", "flow", "anomalies", "supervision"}
    assert all(d.zh and d.en and d.zh != d.en for d in r.definitions.values())


def test_the_anomalies_are_the_checks(mem_district):
    r = district_report(mem_district, *MARCH)
    check = check_district(mem_district)
    assert r.anomalies.count == len(check.anomalies) and r.anomalies.score == sum(a.score for a in check.anomalies)


def test_what_happens_after_the_period_is_not_counted_until_it_is_in(mem_district):
    spring = district_report(mem_district, "2025-01-01", "2025-04-30")
    assert (spring.complaints.received, spring.complaints.closed) == (2, 2)
    assert spring.recalls.closed == 1 and spring.recalls.confirmations == 4
    assert spring.clenbuterol.samples == 3 and spring.vegetables.compliance_certificates == 3
    assert _kinds(spring.membership.kinds)["farmers_market"] == (1, 1, 1)  # registered in January
    assert spring.flow.kg == 800.0  # FM1's April pork
    assert [m.key for m in spring.tests.monthly] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    feb = district_report(mem_district, "2025-02-01", "2025-02-28")
    assert feb.vegetables.compliance_certificates == 1 and feb.clenbuterol.samples == 0
    assert feb.anomalies.count == 0 and feb.flow.kg == 0 and feb.flow.nodes == []
    assert _kinds(feb.membership.kinds)["small_shop"] == (0, 0, 0)  # NEW1 registers in March


def test_days_are_whole_days_in_the_time_zone(mem_district):
    beijing = district_report(mem_district, "2025-03-03", "2025-03-03")
    utc = district_report(mem_district, "2025-03-03", "2025-03-03", tz="UTC")
    named = district_report(mem_district, "2025-03-03", "2025-03-03", tz="Asia/Shanghai")
    assert beijing.traceability.records_by_type.get("commission") == 1  # PIG1, 05:00 Beijing time
    assert "commission" not in utc.traceability.records_by_type  # 2 March 21:00 UTC
    assert named.traceability.records_by_type == beijing.traceability.records_by_type
    assert (beijing.tz, utc.tz, named.tz) == ("+08:00", "+00:00", "Asia/Shanghai")


@pytest.mark.parametrize("first, last, tz, field", [
    ("2025-04-01", "2025-03-01", "+08:00", "from"),
    ("2025-02-30", "2025-03-01", "+08:00", "from"),
    ("2025-01-01", "March", "+08:00", "to"),
    ("2025-01-01", "2025-03-01", "+25:00", "tz"),
    ("2025-01-01", "2025-03-01", "Nowhere/City", "tz"),
])
def test_a_bad_period_names_the_field(mem_district, first, last, tz, field):
    with pytest.raises(InvalidInput) as exc:
        district_report(mem_district, first, last, tz=tz)
    assert exc.value.details[0]["field"] == field


def test_defaults_to_this_year_so_far(mem_district):
    r = district_report(mem_district, None, None)
    today = datetime.now(r.generated_at.tzinfo).date()
    assert (r.period_from.isoformat(), r.period_to) == (f"{today.year}-01-01", today)


def test_markdown_in_both_languages_states_each_definition(mem_district):
    r = district_report(mem_district, *MARCH)
    zh, en = render_report(r, "md", "zh"), render_report(r, "md", "en")
    assert zh.startswith("# 食品安全追溯统计报告") and en.startswith("# Food-safety traceability statistics")
    assert zh.count("> 口径:") == en.count("> Definition:") == len(r.definitions)
    assert "加入率" in zh and "明厨亮灶" in zh and "私屠滥宰" in zh and "66.67%" in zh
    assert "membership rate" in en and "transparent kitchen" in en and "XW" not in en and "X1 (unregistered)" in en
    assert "| pork | 2 | 15 | 1,200.0 | 800.0 | 66.67% | 0.0 |" in en
    html = render_report(r, "html", "en")
    assert html.count("<svg") == 3 and "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    with pytest.raises(InvalidInput):
        render_report(r, "rtf")
