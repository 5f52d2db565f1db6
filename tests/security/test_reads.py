"""Need to know (docs/http-api.md, "Who may read what"): an operator reads its own lots, one step up
and one step down — not other businesses' quantities, documents, certificates or customers further
away; the entry gate tells a receiver accept or reject without a supplier's holdings, upstream codes,
party ids or certificate numbers, and a check records nothing; a holder reads only its own row of a
recall. Inspectors see everything. Real app, real SQLite file, real HTTP.

The district: F1 (farm) -> S1 (slaughterhouse) -> W1 (wholesaler) -> M1 (supermarket) and C1
(canteen, W1's other customer); M1 sells (RCPT) and supplies a restaurant K1 (RL-K). A second
chain PIG2 -> CARC2 -> WV2 carries a failed test upstream. X1 is a supermarket none of it reached.
"""

from __future__ import annotations

from io import BytesIO

from fastapi.testclient import TestClient
from openpyxl import load_workbook
import pytest

from foodtrace.api.app import create_app
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from foodtrace.services.safety.recall import start_recall
from tests.builders import T0, cert, commission, handoff, register, sale, transform
from tests.e2e.conftest import make_settings

WORLD = [
    register("F1", "scale_farm", "Green Farm"), register("S1", "designated_slaughterhouse", "City Slaughterhouse"),
    register("W1", "wholesaler", "Meat Wholesale"), register("M1", "supermarket", "Corner Supermarket"),
    register("C1", "school_canteen", "School Canteen"), register("K1", "restaurant", "Noodle House"),
    register("X1", "supermarket", "Rival Mart"), register("INS", "regulator", "District office"),
    commission("PIG", party="F1"),
    cert(["PIG"], "animal_quarantine", issuer="INS", number="AQ-PIG-7"),
    handoff("PIG", src="F1", dst="S1", qty=10, document="DOC-F1-S1"),
    cert(["PIG"], "clenbuterol_test", issuer="S1", number="CL-PIG-7"),
    transform(["PIG"], ["CARC"], party="S1"),
    cert(["CARC"], "product_quarantine", issuer="INS", number="PQ-CARC-7"),
    cert(["CARC"], "meat_quality", issuer="S1", number="MQ-CARC-7"),
    handoff("CARC", new="WV", src="S1", dst="W1", qty=100, document="DOC-S1-W1"),
    cert(["WV"], "clenbuterol_test", issuer="W1", number="CL-WV-7"),
    handoff("WV", new="RL", src="W1", dst="M1", qty=40, document="DOC-W1-M1"),
    handoff("WV", new="CL1", src="W1", dst="C1", qty=30, document="DOC-W1-C1"),
    sale("RL", "RCPT", party="M1"),
    handoff("RL", new="RL-K", src="M1", dst="K1", qty=5, document="DOC-M1-K1"),
    # a second chain with a failed test upstream
    commission("PIG2", party="F1"),
    handoff("PIG2", src="F1", dst="S1", qty=10, document="DOC-F1-S1-2"),
    cert(["PIG2"], "clenbuterol_test", result="fail", issuer="S1", number="CL-PIG2-FAIL"),
    transform(["PIG2"], ["CARC2"], party="S1"),
    handoff("CARC2", new="WV2", src="S1", dst="W1", qty=100, document="DOC-S1-W1-2"),
]
# What nobody but W1's supply chain knows: upstream codes, other parties, documents, certificate numbers.
UPSTREAM = ("PIG", "CARC", "AQ-PIG-7", "CL-PIG-7", "MQ-CARC-7", "PQ-CARC-7", "DOC-F1-S1", "DOC-S1-W1", "F1", "S1")
OTHER_CUSTOMERS = ("CL1", "C1", "DOC-W1-C1", "RL", "M1", "DOC-W1-M1", "RCPT", "K1", "RL-K")


class Api:
    def __init__(self, client: TestClient, store, keys: dict[str, str]):
        self.client, self.store, self.keys = client, store, keys

    def get(self, path: str, who: str):
        return self.client.get(path, headers={"Authorization": f"Bearer {self.keys[who]}"})

    def post(self, path: str, who: str, body):
        return self.client.post(path, headers={"Authorization": f"Bearer {self.keys[who]}"}, json=body)


@pytest.fixture
def api(tmp_path):
    with TestClient(create_app(make_settings(tmp_path))) as client:
        store = client.app.state.store
        capture(store, WORLD)
        keys = {p: issue_key(store, p, "operator").key for p in ("F1", "S1", "W1", "M1", "C1", "X1")}
        keys["inspector"] = issue_key(store, "INS", "inspector").key
        yield Api(client, store, keys)


def codes(trace: dict) -> set[str]:
    return {n["code"] for n in trace["lots"]}


def node(trace: dict, code: str) -> dict:
    return next(n for n in trace["lots"] if n["code"] == code)


def numbers(n: dict) -> set[str]:
    return {c["number"] for c in n["certificates"] + n["tests"]}


def absent(text: str, words) -> list[str]:
    """The ``words`` found in ``text`` as whole tokens (quotes or spaces around them)."""
    return [w for w in words if f'"{w}"' in text or f" {w} " in text or f"({w})" in text]


def xlsx_cells(body: bytes) -> set[str]:
    ws = load_workbook(BytesIO(body)).active
    return {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}


# -- leak 1: a custody claim on another business's lot opened its whole trace ------------------------


def test_a_receipt_claim_on_a_lot_opens_only_that_lot_not_its_trace(api):
    # how the claim got in is the write side's business; stored directly, reads must still be cut
    capture(api.store, [{**handoff("WV", src="W1", dst="X1", qty=0.01, document="X1-CLAIM"), "party": "X1"}])
    for direction in ("backward", "forward"):
        r = api.get(f"/api/v1/lots/WV/{direction}", "X1")
        assert r.status_code == 200, r.text
        tr = r.json()
        assert codes(tr) == {"WV"}  # not CARC, PIG upstream nor RL, CL1 of other customers
        assert set(tr["parties"]) == {"W1", "X1"}
        assert absent(r.text, UPSTREAM + OTHER_CUSTOMERS) == []
        holders = node(tr, "WV")["holders"]
        assert {(h["party"], h["quantity"]) for h in holders} == {("W1", 100.0), ("X1", 0.01)}  # no 40, no 30
        assert all(h["document"] in (None, "X1-CLAIM") for h in holders)
    for path in ("/api/v1/lots/CARC", "/api/v1/lots/RL", "/api/v1/lots/CL1/backward", "/api/v1/lots/PIG/forward"):
        assert api.get(path, "X1").status_code == 403, path


def test_a_transformation_of_a_sliver_shows_the_input_lot_and_nothing_beyond(api):
    sausage = {**transform(["WV"], ["X1-SAUSAGE"], kind="processing", party="X1", product="pork"),
               "inputs": [{"code": "WV", "quantity": 0.001, "unit": "kg"}]}
    capture(api.store, [sausage])
    back = api.get("/api/v1/lots/X1-SAUSAGE/backward", "X1")
    assert back.status_code == 200 and codes(back.json()) == {"X1-SAUSAGE", "WV"}
    assert numbers(node(back.json(), "WV")) == {"CL-WV-7"}  # the lot it took in: its tests are shown
    fwd = api.get("/api/v1/lots/WV/forward", "X1")
    assert fwd.status_code == 200 and codes(fwd.json()) == {"WV", "X1-SAUSAGE"}
    for r in (back, fwd):
        assert absent(r.text, UPSTREAM + OTHER_CUSTOMERS) == []
    assert {h["party"] for h in node(fwd.json(), "WV")["holders"]} == {"W1"}  # the maker only: not M1, C1


def test_exports_of_a_claimed_lot_hold_only_the_claimant_s_step(api):
    capture(api.store, [{**handoff("WV", src="W1", dst="X1", qty=0.01, document="X1-CLAIM"), "party": "X1"}])
    epcis = api.get("/api/v1/lots/WV/epcis", "X1")
    assert epcis.status_code == 200
    assert "X1-CLAIM" in epcis.text and "CL-WV-7" in epcis.text  # its own receipt; the lot's own test
    assert absent(epcis.text, UPSTREAM + OTHER_CUSTOMERS) == []
    assert "urn:foodtrace:party:C1" not in epcis.text and "urn:foodtrace:party:S1" not in epcis.text
    fsma = api.get("/api/v1/lots/WV/fsma.xlsx", "X1")
    assert fsma.status_code == 200
    cells = xlsx_cells(fsma.content)
    assert "X1-CLAIM" in cells
    assert not cells & {"CARC", "PIG", "RL", "CL1", "DOC-S1-W1", "DOC-W1-M1", "DOC-W1-C1", "C1", "M1", "S1"}
    full = xlsx_cells(api.get("/api/v1/lots/WV/fsma.xlsx", "inspector").content)
    assert {"DOC-W1-M1", "DOC-W1-C1", "CARC"} <= full  # the inspector's export is whole


def test_graph_and_trace_csv_are_not_an_operator_s(api):
    for path in ("/api/v1/lots/RL/graph", "/api/v1/lots/RL/trace.csv"):
        assert api.get(path, "M1").status_code == 403
        assert api.get(path, "inspector").status_code == 200


# -- leak 2: the entry gate told a competitor's holdings and upstream details, and stored a refusal ----


def test_the_gate_check_tells_safety_not_holdings_and_records_nothing(api):
    """X1 never made nor held WV2: the check tells it the lot's safety, and nothing of the quantity left
    — not even "exceeds" without the number, which for quantity after quantity told the stock (round 9,
    tests/security/test_round9_mends.py); the receipt checks the quantity, on record."""
    before = api.store.counts()
    r = api.get("/api/v1/entry/WV2?receiver=X1&quantity=100000", "X1")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["accept"] is False
    got = {x["code"] for x in d["reasons"]}
    assert "failed_test" in got and not got & {"quantity_exceeds", "quantity_not_covered"}
    assert all(x["zh"] and x["en"] and x["party"] is None for x in d["reasons"])
    assert all(x["lot"] in (None, "WV2") for x in d["reasons"])
    text = str(d["reasons"])
    assert not [w for w in ("PIG2", "CARC2", "CL-PIG2-FAIL", "S1", "F1", "W1") if w in text]
    assert all(set(x["data"]) <= {"kind", "kinds", "product", "days"} for x in d["reasons"])  # no "left", no "number"
    assert "100" not in text.replace("100000", "")  # what is left of WV2 (100 kg) is not told
    failed = next(x for x in d["reasons"] if x["code"] == "failed_test")
    assert "瘦肉精" in failed["zh"] and "clenbuterol" in failed["en"].lower() and "上游" in failed["zh"]
    assert api.store.counts() == before  # a check stores nothing
    # the inspector reads the full decision
    full = api.get("/api/v1/entry/WV2?receiver=X1&quantity=100000", "inspector").json()
    assert "CL-PIG2-FAIL" in str(full["reasons"]) and any(x["lot"] == "PIG2" for x in full["reasons"])
    assert next(x for x in full["reasons"] if x["code"] == "quantity_exceeds")["data"]["left"] == 100
    assert api.store.counts() == before


def test_a_refused_receipt_names_no_guessed_supplier_and_tells_no_holdings(api):
    body = {"code": "WV", "receiver": "X1", "quantity": 100000, "unit": "kg", "document": "X1-D"}
    r = api.post("/api/v1/receipts", "X1", body)
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["decision"] == "reject" and d["supplier"] is None
    assert [x["code"] for x in d["reasons"]] == ["quantity_not_covered"]
    assert not [w for w in ("30", "W1", "CARC", "PIG", "MQ-CARC-7", "PQ-CARC-7") if w in str(d["reasons"])]
    ev = api.store.get_events([d["event_id"]])[d["event_id"]].event
    assert ev.type == "entry_refusal" and ev.party == "X1" and ev.from_party is None
    # a refusal for another receiver: 403, nothing stored
    before = api.store.counts()
    assert api.post("/api/v1/receipts", "X1", {**body, "receiver": "W1"}).status_code == 403
    assert api.store.counts() == before


def test_a_refused_receipt_with_upstream_faults_is_worded_for_the_receiver(api):
    body = {"code": "WV2", "receiver": "X1", "supplier": "W1", "quantity": 5, "unit": "kg", "document": "X1-D2"}
    d = api.post("/api/v1/receipts", "X1", body).json()
    assert d["decision"] == "reject" and d["supplier"] == "W1"  # named by the request
    assert "failed_test" in {x["code"] for x in d["reasons"]}
    stored = api.store.get_events([d["event_id"]])[d["event_id"]].event
    for text in (str(d["reasons"]), str([x.model_dump() for x in stored.reasons])):
        assert not [w for w in ("PIG2", "CARC2", "CL-PIG2-FAIL", "S1", "F1") if w in text]


# -- leak 3: a holder read every other holder's quantities in a recall ---------------------------------


def test_a_holder_reads_only_its_own_row_of_a_recall(api):
    start_recall(api.store, ["WV"], "clenbuterol", by="INS", recall_id="RC-9")
    full = api.get("/api/v1/recalls/RC-9", "inspector").json()
    assert {"W1", "M1", "C1"} <= {h["party"] for h in full["exposure"]["holders"]}
    r = api.get("/api/v1/recalls/RC-9", "M1")
    assert r.status_code == 200
    mine = r.json()
    assert [h["party"] for h in mine["exposure"]["holders"]] == ["M1"]
    assert [n["party"] for n in mine["notices"]] == ["M1"] and mine["unconfirmed"] == ["M1"]
    assert mine["exposure"]["consumers"] == {} and mine["exposure"]["receipts"] == 0
    assert set(mine["exposure"]["affected"]) <= {e["code"] for e in mine["exposure"]["holders"][0]["lots"]}
    assert absent(r.text, ("C1", "CL1", "W1", "K1", "DOC-W1-C1")) == []
    ok = api.post("/api/v1/recalls/RC-9/confirmations", "M1", {"note": "off the shelf"})
    assert ok.status_code == 201
    assert [n["party"] for n in ok.json()["notices"]] == ["M1"] and ok.json()["notices"][0]["confirmed"]
    assert absent(ok.text, ("C1", "CL1", "K1")) == []
    assert api.get("/api/v1/recalls/RC-9", "X1").status_code == 403


# -- what a lawful operator still sees ------------------------------------------------------------------


def test_a_supermarket_sees_its_lot_its_supplier_s_lot_and_tests_and_its_customers(api):
    back = api.get("/api/v1/lots/RL/backward", "M1").json()
    assert codes(back) == {"RL", "WV"}
    wv = node(back, "WV")
    assert numbers(wv) == {"CL-WV-7"} and wv["quantity"] == 100  # one step up: the supplier's lot and its test
    assert "W1" in back["parties"] and back["parties"]["W1"]["name"] == "Meat Wholesale"
    assert {(h["party"], h["role"]) for h in wv["holders"]} == {("W1", "issued"), ("M1", "received")}
    assert next(h for h in wv["holders"] if h["party"] == "W1")["document"] is None  # not S1 -> W1's document
    assert next(h for h in node(back, "RL")["holders"] if h["role"] == "issued")["document"] == "DOC-W1-M1"
    fwd = api.get("/api/v1/lots/RL/forward", "M1").json()
    assert codes(fwd) == {"RL", "RCPT", "RL-K"}  # one step down: its sale and its own customer
    assert node(fwd, "RL-K")["quantity"] == 5 and "K1" in fwd["parties"]
    assert api.get("/api/v1/lots/WV", "M1").status_code == 200
    for path in ("/api/v1/lots/CARC", "/api/v1/lots/PIG", "/api/v1/lots/CL1"):
        assert api.get(path, "M1").status_code == 403, path


def test_a_wholesaler_sees_its_supplier_s_certificates_and_all_its_customers(api):
    back = api.get("/api/v1/lots/WV/backward", "W1").json()
    assert codes(back) == {"WV", "CARC"}
    assert numbers(node(back, "CARC")) == {"MQ-CARC-7", "PQ-CARC-7"}  # the carcass's two certificates (两证)
    assert absent(str(back), ("PIG", "AQ-PIG-7", "CL-PIG-7", "DOC-F1-S1", "F1")) == []
    fwd = api.get("/api/v1/lots/WV/forward", "W1").json()
    assert codes(fwd) == {"WV", "RL", "CL1"}  # its customers' lots, not what they did with them
    assert {h["party"] for h in node(fwd, "WV")["holders"]} >= {"M1", "C1"}
    assert absent(str(fwd), ("RCPT", "RL-K", "K1", "DOC-M1-K1")) == []


def test_a_farm_sees_its_customer_s_lot_but_not_its_size(api):
    fwd = api.get("/api/v1/lots/PIG/forward", "F1").json()
    assert codes(fwd) == {"PIG", "CARC"}
    assert node(fwd, "CARC")["quantity"] is None  # the slaughterhouse's output is its own business
    assert numbers(node(fwd, "PIG")) == {"AQ-PIG-7", "CL-PIG-7"}  # its own lot: every certificate and test
    assert numbers(node(fwd, "CARC")) == set()  # step down: not the slaughterhouse's certificates
    assert {(h["party"], h["role"]) for h in node(fwd, "PIG")["holders"]} == {("F1", "origin"), ("S1", "received")}
    carc = api.get("/api/v1/lots/CARC", "F1")
    assert carc.status_code == 200 and carc.json()["quantity"] is None
    assert api.get("/api/v1/lots/CARC", "inspector").json()["quantity"] == 100


def test_inspectors_see_everything(api):
    back = api.get("/api/v1/lots/RL/backward", "inspector").json()
    assert codes(back) == {"RL", "WV", "CARC", "PIG"}
    assert {"AQ-PIG-7", "CL-PIG-7"} <= numbers(node(back, "PIG"))
    assert {h["party"] for h in node(back, "WV")["holders"]} >= {"W1", "M1", "C1"}
    assert T0[:10] in back["lots"][0]["created_at"]
