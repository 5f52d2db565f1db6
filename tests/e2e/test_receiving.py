"""Market entry (POST /api/v1/receipts) with the real app: accept records the
handoff, reject records the refusal with every reason in zh and en."""

from __future__ import annotations

import pytest

from tests.builders import commission, register, transform


def entry(**kw):
    body = {"code": "WV", "receiver": "X1", "quantity": 10, "unit": "kg", "document": "PZ-001"}
    return {**body, **kw}


def post(api, body, who="op_X1"):
    return api.client.post("/api/v1/receipts", headers=api.h(who), json=body)


def last_event(api):
    return list(api.store.iter_log())[-1].event


def test_accept_records_the_handoff_with_a_new_receipt_code(api):
    r = post(api, entry(event_time="2025-03-02T07:30:00+08:00"))
    assert r.status_code == 201
    d = r.json()
    assert d["accept"] is True and d["decision"] == "accept" and d["reasons"] == []
    assert d["lot"] == "WV" and d["supplier"] == "W1" and d["receipt_code"].startswith("X1-20250302-")
    ev = last_event(api)
    assert ev.type == "handoff" and ev.event_id == d["event_id"]
    assert (ev.party, ev.from_party, ev.to_party, ev.lot.quantity, ev.document) == ("X1", "W1", "X1", 10, "PZ-001")
    assert ev.new_lot.code == d["receipt_code"] and ev.new_lot.product.value == "pork"
    back = api.client.get(f"/api/v1/lots/{d['receipt_code']}/backward", headers=api.h("op_X1")).json()
    # X1 now reads its lot's trace: its own lot and one step up (need to know: not CARC, PIG further up)
    assert {n["code"] for n in back["lots"]} == {d["receipt_code"], "WV"}


def test_qr_links_and_given_receipt_code(api):
    d = post(api, entry(code="https://trace.example.cn/l/WV", quantity=3, receipt_code="X1-OWN-1")).json()
    assert d["accept"] and d["lot"] == "WV" and d["receipt_code"] == "X1-OWN-1"
    r = post(api, entry(quantity=1, receipt_code="X1-OWN-1"))
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "receipt_code"


def test_gs1_digital_link_and_a_rule_of_the_entry_gate(api):
    lot = commission("GS1-LOT", product="pork", qty=50, unit="kg", party="W1")
    lot["lots"][0]["gtin"] = "06901234567892"
    api.client.post("/api/v1/events", headers=api.h("admin"), json=[lot])
    d = post(api, entry(code="https://id.example.cn/01/06901234567892/10/GS1-LOT", quantity=20)).json()
    assert d["lot"] == "GS1-LOT"  # the link names the lot
    assert d["supplier"] is None  # a refusal names a supplier only when the request did (need to know)
    # pork that no designated slaughterhouse made: the rules engine's reason, merged into the answer
    assert [r["code"] for r in d["reasons"]] == ["no_slaughter_record"]
    assert "W1" not in str(d["reasons"])  # worded for the receiver: no other party's id


def reasons_of(r):
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["accept"] is False and d["decision"] == "reject" and d["receipt_code"] is None
    assert all(x["zh"] and x["en"] for x in d["reasons"])
    return [x["code"] for x in d["reasons"]]


@pytest.mark.parametrize("body,codes", [
    (entry(code="NO-SUCH-LOT"), ["unknown_lot"]),
    (entry(supplier="F1"), ["not_from_supplier"]),
    (entry(quantity=61), ["quantity_not_covered"]),  # W1 made WV of 100 kg and passed 40 on to M1
    (entry(unit="head"), ["unit_mismatch"]),
    (entry(code="RCPT"), ["no_supplier"]),  # a consumer's receipt: nobody but the consumer holds it
])
def test_reject_records_the_refusal_with_every_reason(api, body, codes):
    before = api.store.counts()["events"]
    r = post(api, body)
    assert reasons_of(r) == codes
    ev = last_event(api)
    assert api.store.counts()["events"] == before + 1
    assert ev.type == "entry_refusal" and ev.event_id == r.json()["event_id"]
    assert ev.party == "X1" and ev.presented == body["code"] and [x.code for x in ev.reasons] == codes
    assert ev.document == "PZ-001" and ev.quantity == body["quantity"]


def test_quantity_counts_what_was_already_received(api):
    assert post(api, entry(quantity=50)).json()["accept"]
    r = post(api, entry(quantity=15))  # 100 - 40 - 50 = 10 left at W1
    assert reasons_of(r) == ["quantity_not_covered"]
    text = r.json()["reasons"][0]
    assert "15" in text["en"] and "千克" in text["zh"]
    assert "10" not in text["en"] + text["zh"]  # what the supplier still holds is not told
    assert post(api, entry(quantity=10)).json()["accept"]


def test_unconfirmed_lot_is_refused(api):
    api.client.post("/api/v1/events", headers=api.h("admin"),
                    json=[register("W9", "wholesaler"), transform(["GHOST-PIG"], ["GHOST-CARC"], party="W9")])
    assert reasons_of(post(api, entry(code="GHOST-PIG"))) == ["unconfirmed_lot"]


def test_a_retry_with_the_same_event_id_answers_the_same_decision(api):
    first = post(api, entry(quantity=5, event_id="x1-entry-1"))
    assert first.status_code == 201
    again = post(api, entry(quantity=5, event_id="x1-entry-1"))
    assert again.status_code == 200 and again.json() == {**first.json(), "replayed": True}
    refused = post(api, entry(code="NOPE", event_id="x1-entry-2"))
    assert post(api, entry(code="NOPE", event_id="x1-entry-2")).json()["reasons"] == refused.json()["reasons"]
    r = post(api, entry(code="CARC", event_id="x1-entry-2"))  # the id names another request
    assert r.status_code == 409


@pytest.mark.parametrize("body,field", [
    ({**entry(), "price": 12.5}, "price"),  # over-posting
    ({**entry(), "quantity": -1}, "quantity"),
    ({k: v for k, v in entry().items() if k != "document"}, "document"),
    (entry(event_time="2025-03-02T07:30:00"), "event_time"),
    (entry(event_time=1740873600), "event_time"),
    (entry(receiver="X1", supplier="X1"), "supplier"),
])
def test_bad_requests_are_422_and_store_nothing(api, body, field):
    before = api.store.counts()
    r = post(api, body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"][0]["field"] == field
    assert api.store.counts() == before


def test_the_supplier_is_whoever_still_holds_the_lot(api):
    assert post(api, entry(quantity=5, event_time="2025-03-03T08:00:00+08:00")).json()["supplier"] == "W1"
    # X1 is now WV's latest holder, but it relabelled what it got (a new lot): W1 still holds WV
    later = entry(receiver="M1", quantity=5, event_time="2025-03-04T08:00:00+08:00")
    assert post(api, later, who="op_M1").json() | {"receipt_code": None, "event_id": None} == {
        "accept": True, "decision": "accept", "reasons": [], "lot": "WV", "supplier": "W1", "receipt_code": None,
        "event_id": None, "replayed": False}


def test_exports_carry_receipts_and_refusals(api):
    post(api, entry(quantity=5))
    post(api, entry(quantity=500))  # refused: recorded against WV
    doc = api.client.get("/api/v1/lots/WV/epcis", headers=api.h("inspector"))
    assert doc.status_code == 200 and "entry_refusal" in doc.text
    assert api.client.get("/api/v1/lots/WV/fsma.xlsx", headers=api.h("inspector")).status_code == 200


def test_a_decision_that_changed_since_the_check_records_nothing(api):
    """The desk sends the decision the clerk saw: a lot checked as refused is never recorded as received,
    nor a lot checked as accepted recorded as refused."""
    before = len(list(api.store.iter_log()))
    for body in (entry(expect="reject"), entry(code="NOPE", expect="accept")):
        r = post(api, body)
        assert r.status_code == 409 and r.json()["error"]["details"][0]["field"] == "expect"
    assert len(list(api.store.iter_log())) == before
    assert post(api, entry(expect="accept")).json()["accept"] is True
    refused = post(api, entry(code="NOPE", expect="reject"))
    assert refused.status_code == 201 and refused.json()["accept"] is False


def test_the_gate_says_what_it_checked(api):
    d = api.client.get("/api/v1/entry/WV?receiver=X1&quantity=5", headers=api.h("op_X1")).json()
    assert d["accept"] is True
    codes = [c["code"] for c in d["checked"]]
    assert codes[0] == "registered" and "livestock" in codes and "designated_slaughter" in codes
    assert any("动物检疫合格证明" in c["zh"] for c in d["checked"])
    assert any("animal quarantine certificate" in c["en"] for c in d["checked"])


def test_the_gates_refusals_are_said_in_the_readers_language(api):
    """receiving.py over HTTP: a receipt code taken, a changed decision, an event id reused, the same party
    on both sides, in zh (Accept-Language) and in English as before."""
    assert post(api, entry(quantity=1, receipt_code="X1-OWN-1")).status_code == 201
    zh_h = {**api.h("op_X1"), "accept-language": "zh-CN"}

    def said(body, lang):
        h = zh_h if lang == "zh" else api.h("op_X1")
        err = api.client.post("/api/v1/receipts", headers=h, json=body).json()["error"]
        return err["message"], err["details"][0]["reason"]

    cases = [
        (entry(quantity=1, receipt_code="X1-OWN-1"), ("批次 X1-OWN-1 已存在", "已有使用此追溯码的批次，请另选追溯码"),
         ("lot X1-OWN-1 already exists", "a lot with this code exists; choose another")),
        (entry(expect="reject"), ("查验后结论已改变，未记录任何内容", "当前结论为接收，请重新查验"),
         ("the decision changed since the check; nothing was recorded", "the decision now is accept; check again")),
    ]
    for body, zh, en in cases:
        assert said(body, "zh") == zh and said(body, "en") == en
    assert post(api, entry(code="NOPE", event_id="x1-entry-9")).status_code == 201  # refused, recorded
    body = entry(code="CARC", event_id="x1-entry-9")
    assert said(body, "zh") == ("记录 x1-entry-9 此前已为另一次请求记录", "已被另一条记录使用")
    assert said(body, "en") == ("event x1-entry-9 was recorded before for another request",
                                "already used by another event")


def test_a_receipt_from_oneself_is_refused_in_chinese(api):
    from foodtrace.errors import InvalidInput
    from foodtrace.i18n.refusals import localize
    from foodtrace.services.capture.principal import local
    from foodtrace.services.safety.receiving import EntryRequest, receive

    req = EntryRequest(**entry(supplier="X1"))
    with pytest.raises(InvalidInput) as exc:
        receive(api.store, local("X1"), req)
    assert (localize(exc.value, "zh").message, exc.value.details[0]["reason"]) == ("供货方与收货方不得相同", "与收货方相同")
