"""Who may record what: each attack of the trust issue, tried with a business's own API key against
the served app, is refused — and nothing is stored, and the check, the trace and the consumer page
still answer (``unharmed``). Then the lawful ways to say the same things still work."""

from __future__ import annotations

import pytest

from foodtrace.services.capture.door import record
from foodtrace.services.capture.principal import local, system
from tests.builders import T0, cert, commission, handoff, retract, sale

LATER = "2025-03-02T08:00:00+08:00"


def post(api, who, batch):
    return api.client.post("/api/v1/events", headers=api.h(who), json=batch)


def reasons(r) -> str:
    return " ".join(f"{d['field']}: {d['reason']}" for d in r.json()["error"]["details"])


# -- authority: who may issue which certificate --------------------------------------------


def test_a_supermarket_cannot_issue_a_quarantine_certificate_in_the_authoritys_name(api, unharmed):
    forged = cert(["PIG"], "animal_quarantine", issuer="AHA", time=LATER)
    forged["party"] = "X1"
    r = post(api, "op_X1", [forged])
    assert r.status_code == 403 and "issuer" in reasons(r)
    unharmed()


def test_a_supermarket_cannot_issue_a_quarantine_certificate_as_itself(api, unharmed):
    r = post(api, "op_M1", [cert(["RL"], "animal_quarantine", issuer="M1", time=LATER)])
    assert r.status_code == 422
    assert "supermarket may not issue animal_quarantine" in reasons(r)
    unharmed()


def test_meat_quality_only_by_the_slaughterhouse_about_its_own_slaughter(api, unharmed):
    # the wholesaler cannot put the slaughterhouse's name on it …
    forged = {**cert(["WV"], "meat_quality", issuer="S1", time=LATER), "party": "W1"}
    assert post(api, "op_W1", [forged]).status_code == 403
    # … and the slaughterhouse cannot certify meat it never slaughtered or held
    record(api.store, local(), [commission("OTHER-MEAT", product="pork", qty=50, unit="kg", party="F1", time=T0)])
    before = api.store.counts()["events"]
    r = post(api, "op_S1", [cert(["OTHER-MEAT"], "meat_quality", issuer="S1", time=LATER)])
    assert r.status_code == 422 and "neither made nor held lot OTHER-MEAT" in reasons(r)
    assert api.store.counts()["events"] == before


def test_the_entry_gate_does_not_flip_on_a_forged_certificate(api):
    """The attack of the issue: a forged meat quality certificate turned the gate from reject to accept."""
    record(api.store, local(), [commission("BARE", product="pork", qty=100, unit="kg", party="W1", time=T0)])
    first = api.client.get("/api/v1/entry/BARE", params={"receiver": "M1", "quantity": 5},
                           headers=api.h("inspector")).json()
    forged = {**cert(["BARE"], "meat_quality", issuer="S1", time=LATER), "party": "W1"}
    assert post(api, "op_W1", [forged]).status_code == 403
    assert post(api, "op_W1", [{**forged, "party": "W1", "issuer": "W1"}]).status_code == 422
    again = api.client.get("/api/v1/entry/BARE", params={"receiver": "M1", "quantity": 5},
                           headers=api.h("inspector")).json()
    assert first["accept"] is False, first
    assert again["accept"] == first["accept"] and again["reasons"] == first["reasons"]


def test_the_authority_may_issue_and_the_wrong_issuer_cannot_retract_it(api):
    api.keys["op_AHA"] = __import__("foodtrace.services.admin.keys", fromlist=["issue_key"]).issue_key(
        api.store, "AHA", "operator").key
    r = post(api, "op_AHA", [{**cert(["PIG"], "animal_quarantine", issuer="AHA", time=LATER), "event_id": "q-2"}])
    assert r.status_code == 201, r.text
    r = post(api, "op_M1", [retract("q-2", party="M1", time=LATER)])
    assert r.status_code == 403 and "retracts[0]" in reasons(r)


# -- custody: a party passes on only what it holds ----------------------------------------------


def test_a_business_cannot_claim_custody_of_a_strangers_lot_by_receiving_it(api, unharmed):
    claim = handoff("WV", src="W1", dst="X1", qty=0.01, time=LATER)  # "received" from W1, who never shipped
    r = post(api, "op_X1", [claim])
    assert r.status_code == 422 and "no shipment of lot WV from W1 to X1" in reasons(r)
    assert api.client.get("/api/v1/lots/WV/backward", headers=api.h("op_X1")).status_code == 403
    unharmed()


def test_a_business_cannot_use_a_strangers_lot_in_a_transformation(api, unharmed):
    grab = {"type": "transformation", "event_time": LATER, "party": "X1", "kind": "processing",
            "inputs": [{"code": "WV", "quantity": 0.001, "unit": "kg"}],
            "outputs": [{"code": "X1-SAUSAGE", "product": "pork", "quantity": 0.001, "unit": "kg"}]}
    r = post(api, "op_X1", [grab])
    assert r.status_code == 422 and "X1 does not hold lot WV" in reasons(r)
    assert api.client.get("/api/v1/lots/WV/forward", headers=api.h("op_X1")).status_code == 403
    unharmed()


def test_no_more_than_held_and_the_supplier_is_not_blamed(api, unharmed):
    # W1 holds 100 - 40 = 60 kg of WV; a 5,000 kg "receipt" from it cannot be recorded by the receiver …
    r = post(api, "op_M1", [handoff("WV", src="W1", dst="M1", qty=5000, time=LATER)])
    assert r.status_code == 422
    # … nor shipped by W1 itself
    r = post(api, "op_W1", [{**handoff("WV", src="W1", dst="M1", qty=5000, time=LATER), "party": "W1",
                             "action": "ship"}])
    assert r.status_code == 422 and "W1 holds only 60 kg of lot WV" in reasons(r)
    check = api.client.get("/api/v1/check", headers=api.h("inspector")).json()
    assert not [a for a in check["anomalies"] if a["kind"] == "mass_balance"]
    unharmed()


def test_a_ship_in_another_partys_name_is_refused(api, unharmed):
    r = post(api, "op_M1", [{**handoff("WV", src="W1", dst="M1", qty=1, time=LATER), "party": "W1",
                             "action": "ship"}])
    assert r.status_code == 403 and "party" in reasons(r)
    unharmed()


def test_a_lawful_ship_then_receive_and_a_sale_of_what_is_held(api):
    ship = {**handoff("WV", src="W1", dst="X1", qty=10, time=LATER), "party": "W1", "action": "ship"}
    assert post(api, "op_W1", [ship]).status_code == 201
    receive = handoff("WV", new="X1-RL", src="W1", dst="X1", qty=10, time="2025-03-02T09:00:00+08:00")
    assert post(api, "op_X1", [receive]).status_code == 201
    assert post(api, "op_X1", [sale("X1-RL", "X1-RCPT", party="X1", qty=2, time="2025-03-02T10:00:00+08:00")]
                ).status_code == 201
    r = post(api, "op_X1", [sale("X1-RL", "X1-RCPT2", party="X1", qty=9, time="2025-03-02T11:00:00+08:00")])
    assert r.status_code == 422 and "X1 holds only 8 kg of lot X1-RL" in reasons(r)


# -- recalls ------------------------------------------------------------------------------------


@pytest.fixture
def recalled(api):
    r = api.client.post("/api/v1/recalls", headers=api.h("inspector"),
                        json={"codes": ["WV"], "reason": "clenbuterol", "recall_id": "RC-1"})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_recalled_lot_refused_at_the_gate_is_refused_as_a_plain_handoff_too(api, recalled, unharmed):
    r = post(api, "op_W1", [{**handoff("WV", src="W1", dst="X1", qty=1, time=LATER), "party": "W1",
                             "action": "ship"}])
    assert r.status_code == 422 and "under recall RC-1" in reasons(r)
    r = post(api, "op_M1", [sale("RL", "RCPT-9", party="M1", qty=0.5, time=LATER)])
    assert r.status_code == 422 and "under recall RC-1" in reasons(r)
    unharmed()


def test_a_recall_confirmation_only_by_a_holder_it_names(api, recalled, unharmed):
    stranger = {"type": "recall_confirmation", "event_time": LATER, "party": "X1", "recall_id": "RC-1"}
    r = post(api, "op_X1", [stranger])
    assert r.status_code == 422 and "does not name X1" in reasons(r)
    unharmed()
    holder = {**stranger, "party": "M1"}
    assert post(api, "op_M1", [holder]).status_code == 201


# -- what only a service writes, and who wrote it -----------------------------------------------


def test_entry_refusals_only_through_the_receiving_desk(api, unharmed):
    smear = {"type": "entry_refusal", "event_time": LATER, "party": "X1", "presented": "WV", "lot": "WV",
             "from_party": "W1", "quantity": 1, "unit": "kg", "document": "X",
             "reasons": [{"code": "failed_test", "zh": "不合格", "en": "failed"}]}
    r = post(api, "op_X1", [smear])
    assert r.status_code == 403 and "/api/v1/receipts" in reasons(r)
    unharmed()


def test_every_record_names_its_author(api):
    assert post(api, "op_F1", [commission("NEWPIG", party="F1", time=LATER)]).status_code == 201
    record(api.store, system("demo"), [commission("SYSPIG", party="F1", time=LATER)])
    record(api.store, local(), [commission("CLIPIG", party="F1", time=LATER)])
    authors = {se.event.lots[0].code: se.event.captured_by for se in api.store.events_by_type(["commission"])}
    assert authors["NEWPIG"].startswith("key:") and authors["NEWPIG"].endswith("@F1")
    assert authors["SYSPIG"] == "system:demo" and authors["CLIPIG"] == "cli"


def test_an_inspector_records_office_records_but_no_business_events(api, unharmed):
    r = post(api, "inspector", [commission("INSPIG", party="INS", time=LATER)])
    assert r.status_code == 403 and "inspector may not" in reasons(r)  # not through the capture route
    with pytest.raises(Exception, match="commission events are not an inspector's to record"):
        record(api.store, _inspector(), [commission("INSPIG", party="INS", time=LATER)])
    unharmed()


def _inspector():
    from foodtrace.model.vocab import Role
    from foodtrace.services.capture.principal import Principal

    return Principal("k_ins", "INS", Role.INSPECTOR)
