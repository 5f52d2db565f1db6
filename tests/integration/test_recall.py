"""Recall (quantities through a mix, the workflow as events), complaints, investigation."""

from __future__ import annotations

from datetime import datetime
import re

import pytest

from foodtrace.errors import Conflict, InvalidInput, NotFound
from foodtrace.i18n.refusals import localize
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.complaints import (
    accept_complaint,
    close_complaint,
    file_complaint,
    link_complaint,
    list_complaints,
)
from foodtrace.services.safety.investigate import investigate
from foodtrace.services.safety.recall import (
    confirm_recall,
    plan_recall,
    recall_from_test,
    recall_report,
    recall_status,
    start_recall,
)
from foodtrace.services.safety.rules import check_entry
from foodtrace.render.rules import render_recall
from foodtrace.services.safety.warnings import public_notices
from tests.builders import at, cert, good_pork, mix, move, register, retract, sale, with_id

LATIN = re.compile(r"[A-Za-z]")
HAN = re.compile(r"[\u3400-\u9fff]")

T = datetime.fromisoformat(at(6, 9))


@pytest.fixture
def mixed(store):
    """Two pork chains; a producer mixes 100 kg from chain a with 300 kg from chain b into 380 kg
    of sausage, passes 200 kg on to a supermarket, which sells 2 kg."""
    capture(store, good_pork("a") + good_pork("b") + [
        register("P1", "producer", "Sausage Co"), register("M5", "supermarket", "Big Mart"),
        move("aWV", "aW1", "P1", 100.0, new="A100", time=at(4, 7)),
        move("bWV", "bW1", "P1", 300.0, new="B300", time=at(4, 7)),
        mix({"A100": 100.0, "B300": 300.0}, "SAUS", 380.0, time=at(5, 10)),
        move("SAUS", "P1", "M5", 200.0, new="S200", time=at(5, 14)),
        sale("S200", "SR", party="M5", qty=2.0, time=at(5, 16)),
    ])
    return store


def _holder(report, party):
    return next(h for h in report.exposure.holders if h.party == party)


def test_recall_quantities_through_a_mix(mixed):
    r = plan_recall(mixed, ["aPIG"], "clenbuterol")
    e = r.exposure
    assert r.status == "preview" and r.recall_id is None
    assert set(e.affected) == {"aPIG", "aCARC", "aWV", "aRL", "aRCPT", "A100", "SAUS", "S200", "SR"}
    assert e.shares["A100"] == 1 and e.shares["SAUS"] == 0.25 and e.shares["SR"] == 0.25
    assert [h.party for h in e.holders] == ["M5", "P1", "aF1", "aM1", "aS1", "aW1"]  # not chain b's
    assert _holder(r, "aF1").totals["head"] == {"received": 10, "passed_on": 10, "used": 0, "still_held": 0,
                                                "bad_received": 10, "bad_still_held": 0}
    assert _holder(r, "aS1").totals["head"]["used"] == 10 and _holder(r, "aS1").totals["kg"]["passed_on"] == 800
    w1 = _holder(r, "aW1").totals["kg"]
    assert (w1["received"], w1["passed_on"], w1["still_held"], w1["bad_still_held"]) == (800, 400, 400, 400)
    p1 = _holder(r, "P1").totals["kg"]
    assert (p1["received"], p1["used"], p1["passed_on"], p1["still_held"]) == (480, 100, 200, 180)
    assert (p1["bad_received"], p1["bad_still_held"]) == (195, 45)
    m5 = _holder(r, "M5").totals["kg"]
    assert (m5["received"], m5["passed_on"], m5["still_held"], m5["bad_received"], m5["bad_still_held"]) == (
        200, 2, 198, 50, 49.5)
    assert e.receipts == 2 and e.consumers == {"kg": 3.5}
    notice = next(n for n in r.notices if n.party == "M5")
    assert "Big Mart (M5)" in notice.en and "S200" in notice.en and "198 kg" in notice.en
    assert "S200" in notice.zh and "198 千克" in notice.zh


def test_recall_workflow_is_recorded_as_events_and_closes_when_holders_confirm(mixed):
    before = mixed.counts()["events"]
    r = start_recall(mixed, ["aPIG"], "clenbuterol found", by="REG", at=T)
    assert r.status == "open" and r.recall_id.startswith("RC20250306-") and r.started_by == "REG"
    assert sorted(r.unconfirmed) == ["M5", "P1", "aF1", "aM1", "aS1", "aW1"]
    assert mixed.counts()["events"] == before + 1
    again = start_recall(mixed, ["aPIG"], "clenbuterol found", by="REG", at=T)  # same day, same lots: a no-op
    assert again.recall_id == r.recall_id and mixed.counts()["events"] == before + 1
    # lots are recalled, including lots made from them; the gate refuses them
    assert recall_status(mixed, "SR").recalled and recall_status(mixed, "S200").recalls[0].status == "open"
    assert not recall_status(mixed, "bRL").recalled
    assert "recalled" in [x.code for x in check_entry(mixed, "S200", "M5", 1, at=T).reasons]
    with pytest.raises(InvalidInput) as exc:
        confirm_recall(mixed, r.recall_id, "bW1")
    assert exc.value.details[0]["field"] == "party"
    for party in r.unconfirmed:
        r = confirm_recall(mixed, r.recall_id, party, note="withdrawn", at=T)
    assert r.status == "closed" and r.unconfirmed == [] and all(n.confirmed for n in r.notices)
    assert recall_report(mixed, r.recall_id).status == "closed"
    assert recall_status(mixed, "SR").recalls[0].status == "closed"
    # a retracted recall no longer marks anything
    capture(mixed, [retract(f"urn:foodtrace:recall:{r.recall_id}", reason="wrong lot", party="REG")])
    assert not recall_status(mixed, "SR").recalled


def test_recall_from_a_failed_test(store):
    chain = [with_id(cert(["PIG"], "clenbuterol_test", result="fail", issuer="S1", time=at(3, 8)), "t-1")
             if e["type"] == "certificate" and e["kind"] == "clenbuterol_test" else e for e in good_pork()]
    capture(store, chain)
    r = recall_from_test(store, "t-1", at=T)
    assert r.trigger == "failed_test" and r.exposure.sources == ["PIG"]
    assert recall_status(store, "RCPT").recalled
    passing = next(e for e in store.lot_events(["CARC"])["CARC"] if e.event.type == "certificate")
    with pytest.raises(InvalidInput):
        recall_from_test(store, passing.event_id)
    with pytest.raises(NotFound):
        recall_from_test(store, "no-such-event")
    with pytest.raises(NotFound):
        start_recall(store, ["NOPE"], "x")


def test_complaints_are_filed_linked_investigated_and_closed(mixed):
    c1 = file_complaint(mixed, ["SR"], "stomach ache", complaint_id="TS1", at=T)
    c2 = file_complaint(mixed, ["aRCPT"], "bad smell", channel="online", complaint_id="TS2", at=T)
    assert (c1.status, c1.lots, c2.channel, c1.accepted_at) == ("received", ["SR"], "online", None)
    accepted = accept_complaint(mixed, "TS2", by="INS", note="screened", at=T)
    assert (accepted.status, accepted.accepted_at, accepted.accepted_by) == ("accepted", T, "INS")
    with pytest.raises(Conflict):
        accept_complaint(mixed, "TS2")
    with pytest.raises(Conflict):
        file_complaint(mixed, ["SR"], "again", complaint_id="TS1")
    with pytest.raises(NotFound):
        file_complaint(mixed, ["NOPE"], "x")
    with pytest.raises(NotFound):
        link_complaint(mixed, "TS1", recall_id="RC-NONE")
    link_complaint(mixed, "TS1", case="CASE-1")
    link_complaint(mixed, "TS2", case="CASE-1")
    r = start_recall(mixed, ["aPIG"], "complaints", at=T)
    assert link_complaint(mixed, "TS1", recall_id=r.recall_id).recalls == [r.recall_id]
    inv = investigate(mixed, [], case="CASE-1")
    assert inv.problem_lots == ["SR", "aRCPT"] and inv.complaints == ["TS1", "TS2"]
    assert inv.lots[0].code == "aWV" and inv.lots[0].explains == 2  # the most specific shared lot
    assert {p.party for p in inv.parties if p.explains == 2} == {"aF1", "aS1", "aW1"}
    closed = close_complaint(mixed, "TS1", "sausage withdrawn", at=T)
    assert closed.status == "closed" and closed.resolution == "sausage withdrawn"
    with pytest.raises(Conflict):
        close_complaint(mixed, "TS1", "twice")
    assert [c.complaint_id for c in list_complaints(mixed, status="open")] == ["TS2"]
    assert [c.complaint_id for c in list_complaints(mixed, status="accepted")] == ["TS2"]
    assert closed.accepted_at is None  # closed without being accepted: turned down (不予受理)
    with pytest.raises(Conflict):
        accept_complaint(mixed, "TS1")
    assert [c.complaint_id for c in list_complaints(mixed, lot="SR")] == ["TS1"]


def test_a_recall_recorded_under_its_own_event_id_is_confirmed_in_a_later_batch(mixed):
    """An imported recall (the demo's, an EPCIS file's) carries an event id of its own: its holders'
    confirmations, arriving in a later batch through the write door, still find it."""
    from foodtrace.services.capture.door import record
    from foodtrace.services.capture.principal import system

    record(mixed, system("import"), [with_id({"type": "recall", "event_time": at(6, 9), "party": "REG",
                                              "recall_id": "RC-OWN", "lots": ["SAUS"], "reason": "bad casing",
                                              "holders": ["M5"]}, "urn:import:recall:1")])
    record(mixed, system("import"), [{"type": "recall_confirmation", "event_time": at(6, 12), "party": "M5",
                                      "recall_id": "RC-OWN", "lots": ["S200"]}])
    assert recall_report(mixed, "RC-OWN").status == "closed"


def test_a_recall_of_a_receipt_reaches_the_shop_that_sold_it_not_the_consumer(mixed):
    """A receipt's code stands for the lot it was sold from: the supermarket holds the rest of it and
    is the holder to notify; the consumer is not a holder."""
    r = plan_recall(mixed, ["SR"], "bad smell")
    assert r.exposure.sources == ["S200"] and "SR" in r.exposure.affected
    assert [h.party for h in r.exposure.holders] == ["M5"]
    assert _holder(r, "M5").totals["kg"]["still_held"] == 198.0
    assert r.exposure.receipts == 1 and [n.party for n in r.notices] == ["M5"]
    started = start_recall(mixed, ["SR"], "bad smell", by="REG", at=T)
    assert started.exposure.sources == ["S200"] and recall_status(mixed, "SR").recalled


def test_a_recall_from_a_failed_test_speaks_one_language_at_a_time(store):
    chain = [with_id(cert(["PIG"], "clenbuterol_test", result="fail", issuer="S1", number="2025-07", time=at(3, 8)),
                     "t-1") if e["type"] == "certificate" and e["kind"] == "clenbuterol_test" else e
             for e in good_pork()]
    capture(store, chain)
    r = recall_from_test(store, "t-1", at=T)
    assert (r.reason, r.reason_en) == ("瘦肉精检测不合格", "clenbuterol test failed")
    stored = store.get_events([f"urn:foodtrace:recall:{r.recall_id}"])[f"urn:foodtrace:recall:{r.recall_id}"]
    assert (stored.event.reason, stored.event.reason_en) == (r.reason, r.reason_en)
    assert recall_report(store, r.recall_id).reason_in("en") == "clenbuterol test failed"
    summary = recall_status(store, "RCPT").recalls[0]
    assert (summary.reason_in("zh"), summary.reason_in("en")) == (r.reason, r.reason_en)
    for n in r.notices:  # each holder's notice names the reason in its own language
        assert "瘦肉精检测不合格" in n.zh and "failed" not in n.zh
        assert "clenbuterol test failed" in n.en and not HAN.search(n.en.replace(n.party, ""))
    zh, en = render_recall(r, "zh"), render_recall(r, "en")
    assert not LATIN.search(zh.splitlines()[0].replace(r.recall_id, "")) and "瘦肉精检测不合格" in zh
    assert "clenbuterol test failed" in en.splitlines()[0] and not HAN.search(en.splitlines()[0])
    notice = next(n for n in public_notices(store) if n.id == r.recall_id)  # worded from the test's kind
    assert notice.quote is None and "瘦肉精检测" in notice.text_zh and "clenbuterol test" in notice.text_en
    # a reason given in both languages without a test behind it: the public notice quotes each in its own
    start_recall(store, ["PIG"], "异物", recall_id="RC-Q", at=T, reason_en="foreign matter")
    notice = next(n for n in public_notices(store) if n.id == "RC-Q")
    assert (notice.quote, notice.quote_en) == ("异物", "foreign matter")


def test_a_reason_the_inspector_types_stays_one_text(store):
    capture(store, good_pork())
    r = start_recall(store, ["PIG"], "异物 foreign matter", recall_id="RC-T", at=T)
    assert r.reason == "异物 foreign matter" and r.reason_en is None
    assert r.reason_in("en") == r.reason_in("zh") == "异物 foreign matter"
    ev = store.get_events(["urn:foodtrace:recall:RC-T"])["urn:foodtrace:recall:RC-T"].event
    assert ev.reason_en is None


def _said(call, error, lang):
    with pytest.raises(error) as exc:
        call()
    err = localize(exc.value, lang)
    return err.message, err.details[0]["reason"]


def test_recall_complaint_and_investigation_refusals_in_chinese_and_english(mixed):
    """recall.py, complaints.py, investigate.py: each refusal said in zh, the English unchanged."""
    cases = [
        (lambda: start_recall(mixed, [], "x"), InvalidInput,
         ("请至少写明一个须召回的批次", "不得为空"), ("name at least one lot to recall", "empty")),
        (lambda: start_recall(mixed, ["aPIG"], " "), InvalidInput,
         ("召回须写明原因", "不得为空"), ("a recall needs a reason", "empty")),
        (lambda: recall_report(mixed, "RC-NONE"), NotFound,
         ("没有编号为 RC-NONE 的召回", "无此召回"), ("no recall 'RC-NONE'", "unknown recall")),
        (lambda: recall_from_test(mixed, "NO-TEST"), NotFound,
         ("没有编号为 NO-TEST 的检测记录", "无此记录或已被撤销"), ("no test event 'NO-TEST'", "unknown or retracted")),
        (lambda: file_complaint(mixed, [], "x"), InvalidInput,
         ("投诉举报须至少写明一个批次", "不得为空"), ("a complaint names at least one lot", "empty")),
        (lambda: accept_complaint(mixed, "TS-NONE"), NotFound,
         ("没有编号为 TS-NONE 的投诉举报", "无此投诉举报"), ("no complaint 'TS-NONE'", "unknown complaint")),
        (lambda: link_complaint(mixed, "TS-NONE"), InvalidInput,
         ("请写明召回编号或调查案件", "或写明调查案件"), ("give a recall id or an investigation case", "or case")),
        (lambda: investigate(mixed, [], ["TS-A", "TS-B"]), NotFound,
         ("没有编号为 TS-A, TS-B 的投诉举报", "无此投诉举报：TS-A"), ("no complaint TS-A, TS-B", "unknown: TS-A")),
        (lambda: investigate(mixed, []), InvalidInput,
         ("请至少写明一个问题批次或一件投诉举报", "不得为空"), ("name at least one problem lot or complaint", "empty")),
    ]
    for call, error, zh, en in cases:
        assert _said(call, error, "zh") == zh and _said(call, error, "en") == en
    r = start_recall(mixed, ["aPIG"], "complaints", at=T)
    assert _said(lambda: confirm_recall(mixed, r.recall_id, "NOBODY"), InvalidInput, "zh") == (
        f"NOBODY 不是召回 {r.recall_id} 所涉批次的持有者", "未持有被召回的批次")
    assert _said(lambda: confirm_recall(mixed, r.recall_id, "NOBODY"), InvalidInput, "en") == (
        f"'NOBODY' is not a holder in recall {r.recall_id}", "not a holder of the recalled lots")
    file_complaint(mixed, ["SR"], "stomach ache", complaint_id="TS1", at=T)
    close_complaint(mixed, "TS1", "done", at=T)
    assert _said(lambda: accept_complaint(mixed, "TS1"), Conflict, "zh") == ("投诉举报 TS1 已办结", "已办结")
    assert _said(lambda: accept_complaint(mixed, "TS1"), Conflict, "en") == ("complaint TS1 is closed already",
                                                                             "closed")
    assert _said(lambda: check_entry(mixed, "SR", "M5", 0), InvalidInput, "zh") == ("数量须大于零", "须大于 0")  # entry.py
    assert _said(lambda: check_entry(mixed, "SR", "NOBODY", 1), InvalidInput, "en") == (
        "receiver 'NOBODY' is not a registered party", "not a registered party")
