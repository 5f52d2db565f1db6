"""Supervision records through their services on every backend: each record
kind, the errors (nothing half stored), the access rule, a case's evidence
surviving later retractions, campaigns, the figures and the risk ranking on
hand-made sets."""

from __future__ import annotations

from datetime import date, datetime
import re

import pytest

from foodtrace.errors import Conflict, Forbidden, InvalidInput, NotFound
from foodtrace.i18n.refusals import localize
from foodtrace.ingest.capture import capture
from foodtrace.services import supervision as sv
from foodtrace.services.safety.complaints import file_complaint
from foodtrace.services.supervision.office_records import list_office_records
from foodtrace.services.safety.rules import load_rules
from foodtrace.services.tracing.trace import forward_trace
from tests.builders import actor, at, good_pork, good_veg, register, retract
from tests.e2e.test_http_rules import ROGUE

INSPECTOR = actor("inspector", "REG")
ADMIN = actor("admin")


def when(day, hour=9):
    return datetime.fromisoformat(at(day, hour))


def failing_pork():
    """A second pork chain (prefix X) whose clenbuterol test failed."""
    chain = good_pork("X")
    for e in chain:
        if e["type"] == "certificate" and e["kind"] == "clenbuterol_test":
            e.update(result="fail", event_id="TEST-X")
    return chain


@pytest.fixture
def district(store):
    capture(store, good_pork() + good_veg() + ROGUE + failing_pork()
            + [register("SC1", "school_canteen", "No. 1 School"), register("SC2", "school_canteen", "No. 2 School")])
    return store


def n_events(store):
    return store.counts()["events"]


# -- inspections and campaigns ------------------------------------------------------


def test_an_inspection_is_recorded_linked_to_its_lots_and_read_back(district):
    s = district
    i = sv.record_inspection(s, INSPECTOR, "FM1", "rectification", ["Li", "Wang"], ["no quarantine certificate"],
                             notice_number="JG-1", rectify_by=date(2025, 3, 20), lots=["BL"], at=when(5),
                             inspection_id="JC-1")
    assert (i.subject_name, i.subject_kind, i.outcome, i.by, i.lots) == (
        "East Market", "farmers_market", "rectification", "REG", ["BL"])
    assert [e.event.type for e in s.lot_events(["BL"])["BL"]][-1] == "inspection"  # in the lot's history
    assert sv.get_inspection(s, INSPECTOR, "JC-1") == i
    assert [x.inspection_id for x in sv.list_inspections(s, INSPECTOR, subject="FM1")] == ["JC-1"]
    assert sv.list_inspections(s, INSPECTOR, outcome="no_problem") == []
    online = sv.record_inspection(s, INSPECTOR, "M1", "no_problem", ["Li"], mode="online_patrol", at=when(6))
    assert online.mode == "online_patrol" and online.inspection_id.startswith("JC20250306")
    # from a receipt made from the beef's retail lot? BL is the retail lot: its traces lead to the inspection
    refs = sv.records_for_lot(s, INSPECTOR, "BEEF")
    assert [(r.type, r.record_id, r.lots) for r in refs] == [("inspection", "JC-1", ["BL"])]


def test_bad_inspections_name_the_field_and_store_nothing(district):
    s = district
    before = n_events(s)
    bad = [
        (dict(subject="NOBODY"), InvalidInput, "subject"),
        (dict(lots=["BL", "NOPE"]), InvalidInput, "lots[1]"),
        (dict(outcome="rectification"), InvalidInput, "(event)"),  # no findings
        (dict(campaign_id="ZX-NONE"), NotFound, "campaign_id"),
        (dict(at=datetime(2025, 3, 5, 9)), InvalidInput, "at"),  # no time zone
    ]
    for change, error, field in bad:
        kw = {"subject": "FM1", "outcome": "no_problem", "inspectors": ["Li"], "at": when(5), **change}
        with pytest.raises(error) as exc:
            sv.record_inspection(s, INSPECTOR, **kw)
        assert any(d["field"] == field for d in exc.value.details), (field, exc.value.details)
    with pytest.raises(Forbidden):
        sv.record_inspection(s, actor("operator", "FM1"), "FM1", "no_problem", ["Li"])
    sv.record_inspection(s, INSPECTOR, "FM1", "no_problem", ["Li"], inspection_id="JC-9", at=when(5))
    with pytest.raises(Conflict):
        sv.record_inspection(s, INSPECTOR, "FM1", "no_problem", ["Li"], inspection_id="JC-9", at=when(6))
    assert n_events(s) == before + 1


def test_operators_read_only_their_own_inspections(district):
    s = district
    sv.record_inspection(s, INSPECTOR, "FM1", "no_problem", ["Li"], inspection_id="A", at=when(5))
    sv.record_inspection(s, INSPECTOR, "M1", "no_problem", ["Li"], inspection_id="B", at=when(5))
    fm1 = actor("operator", "FM1")
    assert [i.inspection_id for i in sv.list_inspections(s, fm1)] == ["A"]
    assert [i.inspection_id for i in sv.list_inspections(s, fm1, subject="M1")] == ["A"]  # cannot widen it
    assert sv.get_inspection(s, fm1, "A").subject == "FM1"
    with pytest.raises(NotFound):
        sv.get_inspection(s, fm1, "B")
    for read in (sv.list_cases, sv.list_campaigns, sv.list_trainings, sv.list_commitments, sv.list_destructions):
        with pytest.raises(Forbidden):
            read(s, fm1)
    with pytest.raises(Forbidden):
        sv.risk_ranking(s, actor=fm1)
    with pytest.raises(Forbidden):
        sv.supervision_figures(s, None, None, actor=fm1)
    with pytest.raises(Forbidden):
        sv.list_inspections(s, actor("consumer"))
    assert [r.record_id for r in sv.records_for_lot(s, fm1, "BL")] == []  # no lots named: nothing to find


def test_a_campaign_counts_what_was_done_in_it(district):
    s = district
    c = sv.start_campaign(s, INSPECTOR, "Spring canteens", date(2025, 3, 1), date(2025, 5, 31), ["school_canteen"],
                          campaign_id="ZX1", at=when(1))
    assert (c.in_scope, c.not_inspected, c.inspections) == (2, ["SC1", "SC2"], 0)
    sv.record_inspection(s, INSPECTOR, "SC1", "rectification", ["Li"], ["no sample kept"], campaign_id="ZX1",
                         at=when(5))
    sv.record_inspection(s, INSPECTOR, "SC1", "no_problem", ["Li"], campaign_id="ZX1", at=when(20))
    sv.record_training(s, INSPECTOR, "hygiene", ["SC1", "SC2"], hours=2, campaign_id="ZX1", at=when(2))
    sv.record_commitment(s, INSPECTOR, "SC2", "承诺书", campaign_id="ZX1", at=when(2))
    report = sv.campaign_report(s, INSPECTOR, "ZX1")
    assert (report.inspections, report.businesses_inspected, report.notices, report.suspensions, report.trainings,
            report.commitments, report.not_inspected) == (2, 1, 1, 0, 1, 1, ["SC2"])
    assert [x.campaign_id for x in sv.list_campaigns(s, INSPECTOR)] == ["ZX1"]
    with pytest.raises(InvalidInput) as exc:  # a supermarket is outside the scope
        sv.record_inspection(s, INSPECTOR, "M1", "no_problem", ["Li"], campaign_id="ZX1", at=when(5))
    assert exc.value.details[0]["field"] == "subject" and "outside the scope" in exc.value.details[0]["reason"]
    with pytest.raises(InvalidInput) as exc:  # after the campaign
        sv.record_inspection(s, INSPECTOR, "SC2", "no_problem", ["Li"], campaign_id="ZX1",
                             at=datetime.fromisoformat("2025-06-02T09:00:00+08:00"))
    assert exc.value.details[0]["field"] == "at"


# -- enforcement cases ---------------------------------------------------------------


def test_a_case_keeps_the_trace_as_the_store_knew_it_when_it_was_opened(district):
    s = district
    case = sv.open_case(s, INSPECTOR, "anomaly", lots=["BEEF"], case_id="AJ-1", at=when(6))
    assert (case.subjects, case.source_refs, case.lots) == (["XW001"], ["undesignated_slaughter:BEEF"], ["BEEF"])
    assert "XW001" in case.summary and case.status == "opened"
    stored = s.get_events(["urn:foodtrace:supervision:enforcement_case:AJ-1"])[
        "urn:foodtrace:supervision:enforcement_case:AJ-1"].event
    back, fwd = stored.evidence
    assert (back.direction, sorted(back.lots), back.edges) == ("backward", ["BEEF", "COW"], [("COW", "BEEF")])
    assert (fwd.direction, sorted(fwd.lots)) == ("forward", ["BEEF", "BL"])
    handoff = next(e.event_id for e in s.lot_events(["BL"])["BL"] if e.event.type == "handoff")
    # the events of the lots: commission, handoff to XW001, slaughter, and the beef's handoff to the market
    assert handoff in fwd.events and handoff in back.events and len(back.events) == 4
    before = stored.model_dump()

    # later the market's receipt is retracted: the trace changes, the evidence does not
    capture(s, [retract(handoff, party="FM1", time=at(7))])
    assert forward_trace(s, "BEEF").lots[-1].code == "BEEF" and len(forward_trace(s, "BEEF").lots) == 1
    again = s.get_events([stored.event_id])[stored.event_id].event
    assert again.model_dump() == before
    ev = sv.case_evidence(s, INSPECTOR, "AJ-1")
    assert ev.retracted_since == [handoff]
    fwd_view = next(tr for tr in ev.traces if tr.direction == "forward")
    assert fwd_view.lots_gone_since == ["BL"] and sorted(fwd_view.lots) == ["BEEF", "BL"]
    assert next(e for e in fwd_view.events if e.event_id == handoff).retracted_by is not None
    # and the log will not take another version of the case-opening event
    with pytest.raises(Conflict):
        capture(s, [{**stored.model_dump(mode="json", exclude_none=True), "summary": "something else"}])


def test_cases_from_a_complaint_a_failed_test_and_an_inspection(district):
    s = district
    c = file_complaint(s, ["RCPT"], "diarrhoea", complaint_id="TS1", at=when(6))
    from_complaint = sv.open_case(s, INSPECTOR, "complaint", refs=[c.complaint_id], at=when(7))
    assert from_complaint.subjects == ["M1"] and from_complaint.lots == ["RCPT"]
    assert from_complaint.summary == "diarrhoea" and from_complaint.evidence_lots == 5  # PIG … RCPT
    from_test = sv.open_case(s, INSPECTOR, "failed_test", refs=["TEST-X"], at=when(7))
    assert from_test.subjects == ["XF1"] and from_test.lots == ["XPIG"]
    # the summary made from the source is said in each reader's language, never the two mixed in one
    number = next(e.event.number for e in s.get_events(["TEST-X"]).values())
    assert from_test.summary_in("zh") == f"瘦肉精检测 {number} 不合格" and "clenbuterol" not in from_test.summary
    assert from_test.summary_in("en") == f"clenbuterol test {number} failed"
    assert from_complaint.summary_in("en") == "diarrhoea"  # the complainant's words, as written
    insp = sv.record_inspection(s, INSPECTOR, "FM1", "suspension", ["Li"], ["beef without quarantine"], lots=["BL"],
                                at=when(8))
    from_insp = sv.open_case(s, INSPECTOR, "inspection", refs=[insp.inspection_id], at=when(8))
    assert (from_insp.subjects, from_insp.lots, from_insp.summary) == (["FM1"], ["BL"], "beef without quarantine")
    before = n_events(s)
    for source, refs, lots, field in [("failed_test", ["urn:foodtrace:nope"], [], "source_refs[0]"),
                                      ("failed_test", [], [], "source_refs"),
                                      ("anomaly", [], ["RCPT"], "lots"),  # a clean lot: no anomaly on it
                                      ("anomaly", ["failed_test:NOPE"], [], "source_refs"),
                                      ("rumour", [], [], "source")]:
        with pytest.raises(InvalidInput) as exc:
            sv.open_case(s, INSPECTOR, source, refs=refs, lots=lots)
        assert exc.value.details[0]["field"] == field
    with pytest.raises(NotFound):
        sv.open_case(s, INSPECTOR, "complaint", refs=["TS-NONE"])
    with pytest.raises(InvalidInput) as exc:
        sv.open_case(s, INSPECTOR, "anomaly", lots=["BEEF"], subjects=["XW001", "GHOST"])
    assert exc.value.details[0]["field"] == "subjects[1]"
    assert n_events(s) == before
    assert [x.case_id for x in sv.list_cases(s, INSPECTOR, subject="M1")] == [from_complaint.case_id]


def test_a_case_is_handed_over_then_closed_with_its_amounts(district):
    s = district
    sv.open_case(s, INSPECTOR, "anomaly", refs=["undesignated_slaughter:BEEF"], case_id="AJ-1", at=when(6))
    with pytest.raises(InvalidInput):
        sv.update_case(s, INSPECTOR, "AJ-1", "handed_to_police", at=when(7))  # to whom?
    with pytest.raises(InvalidInput) as exc:
        sv.update_case(s, INSPECTOR, "AJ-1", "closed", at=when(5))
    assert exc.value.details[0]["field"] == "at"
    c = sv.update_case(s, INSPECTOR, "AJ-1", "handed_to_police", handed_to="District police", confiscated_yuan=3000,
                       at=when(7))
    assert c.status == "handed_to_police" and c.confiscated_yuan == 3000
    with pytest.raises(Conflict):
        sv.update_case(s, INSPECTOR, "AJ-1", "handed_to_police", handed_to="again", at=when(8))
    c = sv.update_case(s, INSPECTOR, "AJ-1", "closed", fine_yuan=50000, decision_number="罚决-1", at=when(20))
    assert (c.status, c.fine_yuan, c.confiscated_yuan, [x.status for x in c.steps]) == (
        "closed", 50000, 3000, ["handed_to_police", "closed"])
    with pytest.raises(Conflict):
        sv.update_case(s, INSPECTOR, "AJ-1", "closed", at=when(21))
    with pytest.raises(NotFound):
        sv.update_case(s, INSPECTOR, "AJ-404", "closed")
    assert sv.get_case(s, ADMIN, "AJ-1") == c
    assert [x.case_id for x in sv.list_cases(s, INSPECTOR, status="closed")] == ["AJ-1"]
    assert sv.list_cases(s, INSPECTOR, status="opened") == []


# -- trainings, commitments, destruction ----------------------------------------------


def test_trainings_commitments_and_destruction(district):
    s = district
    tr = sv.record_training(s, INSPECTOR, "incoming checks", ["W1", "M1", "W1"], hours=2.5, at=when(10))
    assert tr.attendees == ["W1", "M1"] and tr.hours == 2.5
    cm = sv.record_commitment(s, INSPECTOR, "W1", "肉品经营质量安全承诺书", valid_until=date(2025, 12, 31), at=when(10))
    assert cm.subject == "W1"
    d = sv.record_destruction(s, INSPECTOR, "uninspected beef", 28000, "nonconforming", quantity=400, unit="kg",
                              lots=["BEEF"], at=when(25))
    assert (d.value_yuan, d.lots, d.reason) == (28000, ["BEEF"], "nonconforming")
    assert [x.training_id for x in sv.list_trainings(s, INSPECTOR, party="M1")] == [tr.training_id]
    assert sv.list_trainings(s, INSPECTOR, party="F1") == []
    assert [x.subject for x in sv.list_commitments(s, INSPECTOR)] == ["W1"]
    assert [x.destruction_id for x in sv.list_destructions(s, INSPECTOR)] == [d.destruction_id]
    before = n_events(s)
    with pytest.raises(InvalidInput) as exc:
        sv.record_training(s, INSPECTOR, "x", ["W1", "NOBODY"])
    assert exc.value.details[0]["field"] == "attendees[1]"
    with pytest.raises(InvalidInput) as exc:  # XW001 is not registered, and no case names it yet
        sv.record_destruction(s, INSPECTOR, "beef", 1, "expired", subjects=["XW001"])
    assert exc.value.details[0]["field"] == "subjects[0]"
    with pytest.raises(InvalidInput) as exc:
        sv.record_commitment(s, INSPECTOR, "NOBODY", "x")
    assert exc.value.details[0]["field"] == "subject"
    with pytest.raises(Forbidden):
        sv.record_destruction(s, actor("operator", "W1"), "beef", 1, "expired")
    assert n_events(s) == before
    sv.open_case(s, INSPECTOR, "anomaly", lots=["BEEF"], case_id="AJ-1", at=when(6))
    d2 = sv.record_destruction(s, INSPECTOR, "beef", 100, "nonconforming", subjects=["XW001"], case_id="AJ-1")
    assert d2.subjects == ["XW001"] and d2.case_id == "AJ-1"


# -- figures and risk ----------------------------------------------------------------


def test_figures_of_a_period_on_a_hand_made_set(district):
    s = district
    sv.start_campaign(s, INSPECTOR, "Spring", date(2025, 3, 1), date(2025, 5, 31), ["school_canteen"], at=when(1))
    sv.start_campaign(s, INSPECTOR, "Winter", date(2025, 11, 1), date(2025, 12, 31), ["supermarket"], at=when(1))
    sv.record_inspection(s, INSPECTOR, "SC1", "rectification", ["Li"], ["x"], at=when(5))
    sv.record_inspection(s, INSPECTOR, "SC1", "no_problem", ["Li"], mode="online_patrol", at=when(15))
    sv.record_inspection(s, INSPECTOR, "M1", "suspension", ["Li"], ["y"], at=when(16))
    late = sv.record_inspection(s, INSPECTOR, "M2", "no_problem", ["Li"], at=when(31))  # 31 March: outside
    sv.open_case(s, INSPECTOR, "anomaly", lots=["BEEF"], case_id="AJ-1", at=when(6))
    sv.open_case(s, INSPECTOR, "failed_test", refs=["TEST-X"], case_id="AJ-2", at=when(6))
    sv.update_case(s, INSPECTOR, "AJ-1", "handed_to_police", handed_to="police", confiscated_yuan=1000.5, at=when(7))
    sv.update_case(s, INSPECTOR, "AJ-2", "closed", fine_yuan=20000, confiscated_yuan=500, at=when(8))
    sv.record_training(s, INSPECTOR, "t", ["SC1", "SC2"], at=when(9))
    sv.record_commitment(s, INSPECTOR, "SC1", "c", at=when(9))
    sv.record_commitment(s, INSPECTOR, "SC2", "c", at=when(9), commitment_id="CN-2")
    sv.record_destruction(s, INSPECTOR, "milk", 1200, "expired", at=when(10))
    capture(s, [retract("urn:foodtrace:supervision:commitment:CN-2", party="REG", time=at(11))])
    figures = sv.supervision_figures(s, date(2025, 3, 1), date(2025, 3, 30))
    assert {k: v["value"] for k, v in figures.items()} == {
        "inspections": 3, "online_patrols": 1, "businesses_inspected": 2, "notices": 1, "suspensions": 1,
        "campaigns": 1, "cases_opened": 2, "cases_closed": 1, "cases_handed_over": 1, "amount_fined": 20000.0,
        "amount_confiscated": 1500.5, "amount_total": 21500.5, "trainings": 1, "training_attendances": 2,
        "commitments": 1, "destructions": 1, "destruction_value": 1200.0,
        # nothing of these recorded; people trained falls back to the businesses attending
        "cases_in_progress": 0, "case_amount": 0.0, "interviews": 0, "people_trained": 2, "publicity_events": 0,
        "publicity_materials": 0, "media_posts": 0, "tableware_samples": 0, "tableware_passed": 0,
        "special_samples": 0, "special_passed": 0, "samples_pending": 0, "incidents": 0}
    assert list(figures) == list(sv.figures.FIGURES)
    assert figures["notices"]["zh"] == "责令改正通知书（份）" and figures["cases_handed_over"]["en"] == (
        "cases handed to the police")
    everything = sv.supervision_figures(s, None, None)
    assert everything["inspections"]["value"] == 4 and everything["campaigns"]["value"] == 2
    # times: the start is included, the end is not
    exact = sv.supervision_figures(s, late.time, datetime.fromisoformat("2025-04-01T00:00:00+08:00"))
    assert exact["inspections"]["value"] == 1 and exact["campaigns"]["value"] == 1
    with pytest.raises(InvalidInput):
        sv.supervision_figures(s, datetime(2025, 3, 1), None)


def test_the_risk_ranking_on_a_hand_made_set(district, tmp_path):
    s = district
    file_complaint(s, ["RCPT"], "diarrhoea", complaint_id="TS1", at=when(6), accept=True)
    sv.record_inspection(s, INSPECTOR, "SC1", "rectification", ["Li"], ["x"], at=when(5), notice_number="N-1")
    sv.record_inspection(s, INSPECTOR, "SC2", "no_problem", ["Li"], at=when(5))
    sv.open_case(s, INSPECTOR, "anomaly", lots=["BEEF"], case_id="AJ-1", at=when(6))
    as_of = when(30)
    r = sv.risk_ranking(s, actor=INSPECTOR, as_of=as_of)
    by = {e.party: e for e in r.entries}
    assert r.entries[0].party == "XW001" and r.entries[0].kind is None
    assert {x.code for x in by["XW001"].reasons} == {"anomaly", "case", "not_inspected"}
    assert by["XW001"].score == 2 * 12 + 10 + 1
    assert [(x.code, x.points) for x in by["XF1"].reasons] == [("failed_test", 12), ("not_inspected", 1)]
    assert {x.code for x in by["FM1"].reasons} == {"reached", "kind", "not_inspected"}
    assert [x.code for x in by["M1"].reasons] == ["complaint", "not_inspected"]
    assert by["SC1"].score == 6 + 2 and by["SC1"].last_inspected == date(2025, 3, 5)
    assert by["SC2"].score == 0 and [x.points for x in by["SC2"].reasons] == [2, -2]  # never below zero
    assert "REG" not in by  # the regulator is not ranked
    assert all(x.zh and x.en and x.zh != x.en for e in r.entries for x in e.reasons)
    assert [e.rank for e in r.entries] == list(range(1, len(r.entries) + 1))
    assert [e.score for e in r.entries] == sorted((e.score for e in r.entries), reverse=True)
    # planted problems rank above every business with nothing against it
    problems = {"XW001", "XF1"}
    clean = [e for e in r.entries if {x.code for x in e.reasons} <= {"kind", "not_inspected", "no_problem"}]
    assert clean and min(by[p].score for p in problems) > max(e.score for e in clean)
    assert len(sv.risk_ranking(s, as_of=as_of, top=3).entries) == 3
    # the weights come from the rules file
    custom = tmp_path / "rules.toml"
    text = load_rules().source
    custom.write_text(open(text, encoding="utf-8").read().replace("failed_test = 12.0", "failed_test = 100.0"),
                      encoding="utf-8")
    top = sv.risk_ranking(s, rules=load_rules(custom), as_of=as_of, top=1).entries[0]
    assert (top.party, top.score) == ("XF1", 101)


# -- refusals in the reader's language ------------------------------------------------


def _said(call, error=InvalidInput):
    """The error ``call`` raises, said in zh and in en (two copies: an error is said once)."""
    with pytest.raises(error) as zh:
        call()
    with pytest.raises(error) as en:
        call()
    return localize(zh.value, "zh"), localize(en.value, "en")


def test_supervisions_refusals_are_said_in_chinese_and_unchanged_in_english(district):
    s = district
    kw = {"subject": "FM1", "outcome": "no_problem", "inspectors": ["Li"]}
    zh, en = _said(lambda: sv.record_inspection(s, INSPECTOR, **kw, at=datetime(2025, 3, 5, 9)))  # records.py
    assert (zh.message, zh.details[0]["reason"]) == ("时间须带时区", "须写明时区（如 2025-03-01T08:00:00+08:00）")
    assert (en.message, en.details[0]["reason"]) == (
        "a time needs a time zone", "a time zone is required (e.g. 2025-03-01T08:00:00+08:00)")
    zh, en = _said(lambda: sv.record_inspection(s, INSPECTOR, **kw, lots=["BL", "NOPE"], at=when(5)))
    assert zh.message == "有无法识别的批次，未记录任何内容" and zh.details[0]["field"] == "lots[1]"
    assert "NOPE" in zh.details[0]["reason"] and not re.search(r"[a-z]{2,}", zh.details[0]["reason"])
    assert en.message == "unknown lots; nothing was recorded" and en.details[0]["reason"] == \
        "no lot with trace code 'NOPE'"
    zh, en = _said(lambda: sv.record_inspection(s, actor("operator", "FM1"), **kw), Forbidden)  # access.py
    assert (zh.message, zh.details[0]["reason"]) == ("只有监管人员或管理员可以录入监管记录", "经营主体无权录入监管记录")
    assert en.details[0]["reason"] == "operator may not write supervision records"
    zh, en = _said(lambda: sv.get_inspection(s, INSPECTOR, "JC-NONE"), NotFound)  # inspections.py
    assert (zh.message, zh.details[0]["reason"]) == ("没有编号为 JC-NONE 的监督检查记录", "无此监督检查记录")
    assert (en.message, en.details[0]["reason"]) == ("no inspection 'JC-NONE'", "unknown inspection")
    sv.start_campaign(s, INSPECTOR, "Spring canteens", date(2025, 3, 1), date(2025, 5, 31), ["school_canteen"],
                      campaign_id="ZX1", at=when(1))
    zh, en = _said(lambda: sv.record_inspection(s, INSPECTOR, **{**kw, "subject": "M1"}, campaign_id="ZX1",
                                                at=when(5)))
    assert zh.message == "监督检查与专项整治不符，未记录任何内容"
    assert zh.details[0]["reason"] == "超市不属于专项整治 ZX1 的对象（学校食堂）"
    assert en.details[0]["reason"] == "a supermarket is outside the scope of campaign ZX1 (school_canteen)"
    zh, en = _said(lambda: list_office_records(s, INSPECTOR, kind="parade"))  # office_records.py
    assert (zh.message, zh.details[0]["reason"]) == ("无法识别的记录类别“parade”", "可选：宣传活动、约谈、抽检、食品安全事故")
    assert en.details[0]["reason"] == "one of publicity, interview, sampling, incident"
    zh, en = _said(lambda: sv.open_case(s, INSPECTOR, "rumour"))  # cases.py
    assert zh.message == "无法识别的案件来源“rumour”" and zh.details[0]["reason"].startswith("应为以下之一：监测异常、投诉举报")
    assert (en.message, en.details[0]["reason"]) == (
        "unknown case source 'rumour'", "expected one of anomaly, complaint, failed_test, inspection")
    zh, en = _said(lambda: sv.update_case(s, INSPECTOR, "AJ-NONE", "closed", at=when(6)), NotFound)
    assert (zh.message, en.message) == ("没有编号为 AJ-NONE 的案件", "no case 'AJ-NONE'")
