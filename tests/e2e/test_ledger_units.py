"""Quantities as written: a ledger filled in 斤 is stored in kg and keeps ``declared`` (50 斤 as written),
so the business's own ledger — shown back and exported — says 斤; the EPCIS export stays valid; public
views show neither."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from foodtrace.ingest.epcis import validate_document

SHIP = "销售日期,购货方,追溯码,数量,单位,单价,金额\n2025-03-02 07:00,X1,WV,40,斤,15,600\n"


def _filled_purchase_template(api) -> bytes:
    book = load_workbook(io.BytesIO(api.client.get("/api/v1/public/templates/purchase.xlsx?lang=zh").content))
    ws = book.worksheets[0]
    heads = {str(ws.cell(1, i).value).split("（")[0]: i for i in range(1, ws.max_column + 1)}
    for col in heads.values():
        ws.cell(2, col).value = None  # the example row, cleared
    for head, value in {"进货日期": "2025-03-02 10:00", "供货方": "W1", "追溯码": "WV", "产品": "白条肉",
                        "数量": 40, "单位": "斤", "单价": 15, "金额": 600, "本店追溯码": "X1-WV"}.items():
        ws.cell(2, heads[head]).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_template_filled_in_jin_is_stored_in_kg_and_shown_back_in_jin(api):
    assert api.client.post("/api/v1/ledgers", content=SHIP.encode("gbk"), headers=api.h("op_W1")).status_code == 201
    r = api.client.post("/api/v1/ledgers", content=_filled_purchase_template(api), headers=api.h("op_X1"))
    assert r.status_code == 201, r.text
    (eid,) = r.json()["event_ids"]
    ev = api.store.get_events([eid])[eid].event
    assert (ev.lot.quantity, ev.lot.unit.value, ev.unit_price) == (20, "kg", 30)  # stored: kg, price per kg
    assert (ev.declared.quantity, ev.declared.unit) == (40, "斤")  # as written

    rows = api.client.get("/api/v1/stall/ledger?from=2025-03-01&to=2025-03-03", headers=api.h("op_X1")).json()
    purchases = [x for x in rows if x["kind"] == "purchase"]
    assert len(purchases) == 1, rows
    row = purchases[0]
    assert (row["quantity"], row["unit"], row["unit_price"], row["amount"]) == (40, "斤", 15, 600)
    assert (row["stored_quantity"], row["stored_unit"]) == (20, "kg")

    xl = api.client.get("/api/v1/stall/ledger.xlsx?from=2025-03-01&to=2025-03-03&lang=zh", headers=api.h("op_X1"))
    ws = load_workbook(io.BytesIO(xl.content)).worksheets[0]
    values = [c.value for c in ws[2]]
    assert 40 in values and "斤" in values and 15 in values and "千克" not in values
    en = api.client.get("/api/v1/stall/ledger.xlsx?from=2025-03-01&to=2025-03-03&lang=en", headers=api.h("op_X1"))
    values = [c.value for c in load_workbook(io.BytesIO(en.content)).worksheets[0][2]]
    assert "jin (0.5 kg)" in values and "斤" not in values  # no Chinese in the English ledger

    again = api.client.post("/api/v1/ledgers", content=SHIP.encode("gbk"), headers=api.h("op_W1"))
    assert again.status_code == 200 and again.json()["duplicates"] == 1  # the same file twice counts once
    sold = api.client.get("/api/v1/stall/ledger?from=2025-03-01&to=2025-03-03", headers=api.h("op_W1")).json()
    assert [(x["quantity"], x["unit"], x["unit_price"]) for x in sold if x["counterpart"] == "X1"] == [(40, "斤", 15)]


def test_a_declared_quantity_stays_in_a_valid_epcis_export_and_off_public_views(api):
    api.client.post("/api/v1/ledgers", content=SHIP.encode("gbk"), headers=api.h("op_W1"))
    assert api.client.post("/api/v1/ledgers", content=_filled_purchase_template(api),
                           headers=api.h("op_X1")).status_code == 201
    doc = api.client.get("/api/v1/lots/X1-WV/epcis", headers=api.h("op_X1"))
    assert doc.status_code == 200
    validate_document(doc.json())
    natives = [e.get("ft:event", {}) for e in doc.json()["epcisBody"]["eventList"]]
    assert {"quantity": 40.0, "unit": "斤"} in [n.get("declared") for n in natives]
    public = api.client.get("/api/v1/public/lots/X1-WV")
    assert public.status_code == 200 and "斤" not in public.text and "declared" not in public.text
    assert "600" not in public.text and "amount" not in public.text and "unit_price" not in public.text
    page = api.client.get("/l/X1-WV")
    assert page.status_code == 200 and "斤" not in page.text
    assert ">600" not in page.text and "600.0" not in page.text and "15.0" not in page.text
    # imported again from its own export: the same events (the declared quantity is part of the content)
    own = [n for n in natives if n.get("declared") and n["party"] == "X1"]
    again = api.client.post("/api/v1/events", json=own, headers=api.h("op_X1"))
    assert again.status_code in (200, 201), again.text
    assert json.loads(again.text)["stored"] == 0


def test_the_stall_forms_keep_the_quantity_as_written(api):
    r = api.client.post("/api/v1/stall/purchases", headers=api.h("op_X1"),
                        json={"code": "WV", "supplier": "W1", "quantity": 10, "unit": "斤", "unit_price": 16})
    assert r.status_code == 201, r.text
    ev = api.store.get_events([r.json()["event_id"]])[r.json()["event_id"]].event
    assert (ev.lot.quantity, ev.unit_price, ev.declared.quantity, ev.declared.unit) == (5, 32, 10, "斤")
    s = api.client.post("/api/v1/stall/sales", headers=api.h("op_X1"),
                        json={"code": r.json()["receipt_code"], "quantity": 4, "unit": "斤", "amount": 64})
    assert s.status_code == 201, s.text
    sale = api.store.get_events([s.json()["event_id"]])[s.json()["event_id"]].event
    assert (sale.lot.quantity, sale.declared.quantity, sale.declared.unit) == (2, 4, "斤")
    rows = api.client.get("/api/v1/stall/ledger", headers=api.h("op_X1")).json()
    assert sorted((x["kind"], x["quantity"], x["unit"]) for x in rows) == [("purchase", 10, "斤"), ("sale", 4, "斤")]
    kg = api.client.post("/api/v1/stall/sales", headers=api.h("op_X1"),
                         json={"code": r.json()["receipt_code"], "quantity": 1, "unit": "kg"})
    kg_sale = api.store.get_events([kg.json()["event_id"]])[kg.json()["event_id"]].event
    assert kg_sale.declared is None  # written in the stored unit: nothing more to keep
