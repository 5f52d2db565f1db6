"""A refusal is an answer, and an answer is a read: as a hostile operator, party B (X1, a supermarket the
pork chain never touched) tries to take, move or claim what party A's chain made, and the refusal it gets
names nothing of A's that B may not see — the event that made A's lot, the recall A's lot is under, what A
holds, whether a recall or an event of A's exists. A itself, and an inspector or admin, still get the
full text. Real app over a real SQLite file (``api`` of tests/e2e)."""

from __future__ import annotations

import json

import pytest

from foodtrace.services.safety.recall import start_recall
from tests.builders import commission, retract

T = "2025-03-20T10:00:00+08:00"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def _post(api, who, body, headers=None):
    return api.client.post("/api/v1/events", json=body, headers={**api.h(who), **(headers or {})})


def _maker(api, code) -> str:
    return api.store.get_lot(code).created_by


def _said(r) -> tuple[list[tuple[str, str, str]], str]:
    err = {k: v for k, v in r.json()["error"].items() if k != "request_id"}  # random hex: not a text said
    return [(d["field"], d.get("key"), d["reason"]) for d in err["details"]], json.dumps(err, ensure_ascii=False)


def test_b_taking_a_code_of_as_hears_only_that_it_exists(api):
    made_by = _maker(api, "PIG")  # F1's lot
    r = _post(api, "op_X1", [commission("PIG", party="X1", time=T)])
    assert r.status_code == 422, r.text
    details, text = _said(r)
    assert details == [("lots[0].code", "store_lot_exists_unseen", "lot PIG already exists")]
    assert made_by not in text and "ni:///" not in text and "F1" not in text
    zh = _post(api, "op_X1", [commission("PIG", party="X1", time=T)], ZH)
    details, text = _said(zh)
    assert details[0][2] == "追溯码 PIG 已存在" and made_by not in text
    assert api.store.get_lot("PIG").created_by == made_by  # nothing changed


def test_a_itself_and_the_office_still_hear_which_event_made_it(api):
    made_by = _maker(api, "PIG")
    again = [commission("PIG", party="F1", qty=11, time=T)]  # other content: a second creation
    for who in ("op_F1", "admin"):
        r = _post(api, who, again)
        assert r.status_code == 422, r.text
        (field, key, reason), = _said(r)[0]
        assert key == "store_lot_exists" and reason == f"lot PIG already exists (created by event {made_by})"


def test_a_downstream_party_that_may_read_the_lot_hears_its_maker(api):
    # M1 received RL from W1, made from WV: WV is one step up of M1's own lot, so M1 reads WV and its maker
    r = _post(api, "op_M1", [commission("WV", party="M1", product="pork", unit="kg", time=T)])
    (field, key, reason), = _said(r)[0]
    assert key == "store_lot_exists" and _maker(api, "WV") in reason


def test_b_moving_a_recalled_lot_of_as_does_not_learn_the_recall(api):
    start_recall(api.store, ["WV"], "clenbuterol", by="INS", recall_id="RC-SECRET-7")
    ship = {"type": "handoff", "action": "ship", "event_time": T, "party": "X1", "from_party": "X1",
            "to_party": "M1", "lot": {"code": "WV", "quantity": 1, "unit": "kg"}}
    r = _post(api, "op_X1", [ship])
    assert r.status_code == 422, r.text
    details, text = _said(r)
    assert details == [("lot.code", "custody_recalled_unseen", "lot WV is under recall: it may not be passed on")]
    assert "RC-SECRET-7" not in text
    assert "RC-SECRET-7" not in _post(api, "op_X1", [ship], ZH).text
    # W1, which holds WV, hears the recall it was notified of
    mine = {**ship, "party": "W1", "from_party": "W1"}
    details, _ = _said(_post(api, "op_W1", [mine]))
    assert details[0][1] == "custody_recalled" and "RC-SECRET-7" in details[0][2]


@pytest.mark.parametrize("qty", [1, 59, 61, 100_000])
def test_b_claiming_a_delivery_from_a_learns_nothing_of_what_a_holds(api, qty):
    """W1 holds 60 kg of WV. X1 records a receive of WV from W1 that W1 never shipped: whatever the quantity,
    the same refusal — no shipment to X1 — and nothing about W1's holding (none, some, how much)."""
    receive = {"type": "handoff", "action": "receive", "event_time": T, "party": "X1", "from_party": "W1",
               "to_party": "X1", "lot": {"code": "WV", "quantity": qty, "unit": "kg"}, "document": "D-1"}
    r = _post(api, "op_X1", [receive])
    assert r.status_code == 422, r.text
    details, text = _said(r)
    assert [(f, k) for f, k, _ in details] == [("action", "custody_not_shipped")]
    assert "60" not in text and "hold" not in text


def test_a_recall_confirmation_by_a_non_holder_does_not_tell_whether_the_recall_exists(api):
    start_recall(api.store, ["WV"], "clenbuterol", by="INS", recall_id="RC-REAL")
    said = []
    for rid in ("RC-REAL", "RC-NONE"):
        body = [{"type": "recall_confirmation", "event_time": T, "party": "X1", "recall_id": rid, "lots": ["RL"],
                 "note": "checked"}]
        r = _post(api, "op_X1", body)
        assert r.status_code == 422, r.text
        (field, key, reason), = _said(r)[0]
        said.append((field, key, reason.replace(rid, "R")))
    assert said[0] == said[1] == ("recall_id", "recall_not_holder", "recall R does not name X1 as a holder")


def test_retracting_an_event_of_as_or_an_unknown_one_is_refused_alike(api):
    theirs = _maker(api, "WV")  # W1's receive that made WV
    said = []
    for target in (theirs, "ni:///sha-256;" + "0" * 64 + "?ver=foodtrace1"):
        r = _post(api, "op_X1", [retract(target, party="X1", time=T)])
        assert r.status_code == 403, r.text
        (field, key, reason), = _said(r)[0]
        said.append((field, key, reason.replace(target, "E")))
    assert said[0] == said[1] == ("retracts[0]", "access_retract_other", "event E is not one of party 'X1''s")
