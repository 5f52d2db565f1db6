"""Small builders of raw events for tests."""

from __future__ import annotations

from itertools import count

T0 = "2025-03-01T08:00:00+08:00"
_ids = count(1)


def commission(code, product="live_pig", qty=10, unit="head", party="F1", time=T0, **kw):
    return {"type": "commission", "event_time": time, "party": party,
            "lots": [{"code": code, "product": product, "quantity": qty, "unit": unit}], **kw}


def transform(inputs, outputs, kind="slaughter", party="S1", product="pork", time=T0, **kw):
    return {"type": "transformation", "event_time": time, "party": party, "kind": kind,
            "inputs": [{"code": c, "quantity": 1, "unit": "kg"} for c in inputs],
            "outputs": [{"code": c, "product": product, "quantity": 100, "unit": "kg"} for c in outputs], **kw}


def handoff(code, new=None, src="S1", dst="W1", qty=50, time=T0, **kw):
    ev = {"type": "handoff", "event_time": time, "party": dst, "from_party": src, "to_party": dst,
          "lot": {"code": code, "quantity": qty, "unit": "kg"}, "document": "DOC-1", **kw}
    if new:
        ev["new_lot"] = {"code": new, "product": "pork", "quantity": qty, "unit": "kg"}
    return ev


def cert(lots, kind="animal_quarantine", result="pass", issuer="V1", number=None, time=T0, **kw):
    return {"type": "certificate", "event_time": time, "party": issuer, "issuer": issuer, "kind": kind,
            "number": number or f"N{next(_ids)}", "result": result, "lots": list(lots), **kw}


def sale(code, receipt, party="M1", qty=1.5, time=T0):
    return {"type": "retail_sale", "event_time": time, "party": party,
            "lot": {"code": code, "quantity": qty, "unit": "kg"}, "receipt": receipt}


def retract(*ids, reason="wrong lot", party="S1", corrective=(), time=T0):
    return {"type": "error_declaration", "event_time": time, "party": party, "retracts": list(ids),
            "reason": reason, "corrective_event_ids": list(corrective)}


def register(pid, kind="scale_farm", name=None, area="330106"):
    return {"type": "party_registration", "event_time": T0, "party": "REG",
            "registered": {"id": pid, "name": name or f"party {pid}", "kind": kind, "area_code": area,
                           "registered_on": "2020-01-01"}}


def with_id(ev, eid):
    return {**ev, "event_id": eid}


def pork_chain(prefix=""):
    """farm -> quarantine -> slaughter -> meat quality -> wholesale -> retail -> receipt."""
    p = prefix
    return [
        register(f"{p}F1", "scale_farm", "Green Farm"),
        register(f"{p}S1", "designated_slaughterhouse", "City Slaughterhouse"),
        register(f"{p}W1", "wholesaler"),
        register(f"{p}M1", "supermarket"),
        commission(f"{p}PIG", party=f"{p}F1"),
        cert([f"{p}PIG"], "animal_quarantine", issuer="REG"),
        handoff(f"{p}PIG", src=f"{p}F1", dst=f"{p}S1", qty=10),
        cert([f"{p}PIG"], "clenbuterol_test", issuer=f"{p}S1"),
        transform([f"{p}PIG"], [f"{p}CARC"], party=f"{p}S1"),
        cert([f"{p}CARC"], "meat_quality", issuer=f"{p}S1"),
        handoff(f"{p}CARC", new=f"{p}WV", src=f"{p}S1", dst=f"{p}W1", qty=100),
        handoff(f"{p}WV", new=f"{p}RL", src=f"{p}W1", dst=f"{p}M1", qty=40),
        sale(f"{p}RL", f"{p}RCPT", party=f"{p}M1"),
    ]


# -- chains for the food-safety rules: consistent quantities, times and parties ------


def at(day, hour=8):
    """A time in March 2025, Beijing time."""
    return f"2025-03-{day:02d}T{hour:02d}:00:00+08:00"


def slaughter(pig, carcass, heads=10, kg=800.0, party="S1", product="pork", time=None, unit="head"):
    return {"type": "transformation", "event_time": time or at(3, 10), "party": party, "kind": "slaughter",
            "inputs": [{"code": pig, "quantity": heads, "unit": unit}],
            "outputs": [{"code": carcass, "product": product, "quantity": kg, "unit": "kg"}]}


def mix(inputs, output, qty, kind="mixing", party="P1", product="pork", time=None):
    """``inputs``: {code: kg}."""
    return {"type": "transformation", "event_time": time or at(5, 10), "party": party, "kind": kind,
            "inputs": [{"code": c, "quantity": q, "unit": "kg"} for c, q in inputs.items()],
            "outputs": [{"code": output, "product": product, "quantity": qty, "unit": "kg"}]}


def move(code, src, dst, qty, new=None, product="pork", unit="kg", time=None, document=None):
    ev = {"type": "handoff", "event_time": time or at(4, 6), "party": dst, "from_party": src, "to_party": dst,
          "lot": {"code": code, "quantity": qty, "unit": unit}}
    if document:
        ev["document"] = document
    if new:
        ev["new_lot"] = {"code": new, "product": product, "quantity": qty, "unit": unit}
    return ev


def applied(lots, name="florfenicol", days=28, time=None, party="F1", kind="veterinary_drug"):
    return {"type": "input_application", "event_time": time or at(1, 9), "party": party, "lots": list(lots),
            "input_kind": kind, "input_name": name, "interval_days": days}


def good_pork(p="", heads=10, kg=800.0):
    """A pork chain that passes every shipped rule: farm -> quarantine -> slaughterhouse (clenbuterol
    test) -> slaughter -> meat quality -> wholesaler -> supermarket -> receipt."""
    return [
        register(f"{p}F1", "scale_farm", "Green Farm"),
        register(f"{p}S1", "designated_slaughterhouse", "City Slaughterhouse"),
        register(f"{p}W1", "wholesaler", "Meat Wholesale"),
        register(f"{p}M1", "supermarket", "Corner Supermarket"),
        register("REG", "regulator", "District Office"),
        commission(f"{p}PIG", qty=heads, party=f"{p}F1", time=at(3, 5)),
        cert([f"{p}PIG"], "animal_quarantine", issuer="REG", time=at(3, 6), quantity=heads, unit="head"),
        move(f"{p}PIG", f"{p}F1", f"{p}S1", heads, unit="head", time=at(3, 7)),
        cert([f"{p}PIG"], "clenbuterol_test", issuer=f"{p}S1", time=at(3, 8)),
        slaughter(f"{p}PIG", f"{p}CARC", heads, kg, party=f"{p}S1", time=at(3, 10)),
        cert([f"{p}CARC"], "meat_quality", issuer=f"{p}S1", time=at(3, 11), quantity=kg, unit="kg"),
        move(f"{p}CARC", f"{p}S1", f"{p}W1", kg, new=f"{p}WV", time=at(4, 3)),
        move(f"{p}WV", f"{p}W1", f"{p}M1", 300.0, new=f"{p}RL", time=at(4, 6)),
        sale(f"{p}RL", f"{p}RCPT", party=f"{p}M1", time=at(4, 9)),
    ]


def good_veg(p="", kg=500.0):
    """Vegetables that pass: base -> compliance certificate -> wholesaler -> supermarket."""
    return [
        register(f"{p}B1", "vegetable_base", "Green Base"),
        register(f"{p}W2", "wholesaler", "Veg Wholesale"),
        register(f"{p}M2", "supermarket", "Fresh Mart"),
        commission(f"{p}VEG", product="cabbage", qty=kg, unit="kg", party=f"{p}B1", time=at(3, 4), activity="harvest"),
        cert([f"{p}VEG"], "compliance", issuer=f"{p}B1", time=at(3, 5), quantity=kg, unit="kg"),
        move(f"{p}VEG", f"{p}B1", f"{p}W2", kg, new=f"{p}VV", product="cabbage", time=at(4, 3)),
        move(f"{p}VV", f"{p}W2", f"{p}M2", 200.0, new=f"{p}VR", product="cabbage", time=at(4, 6)),
    ]
