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
        register("AHA", "animal_health_authority", "Animal Health Office"),
        commission(f"{p}PIG", party=f"{p}F1"),
        cert([f"{p}PIG"], "animal_quarantine", issuer="AHA"),
        handoff(f"{p}PIG", src=f"{p}F1", dst=f"{p}S1", qty=10),
        cert([f"{p}PIG"], "clenbuterol_test", issuer=f"{p}S1"),
        transform([f"{p}PIG"], [f"{p}CARC"], party=f"{p}S1"),
        cert([f"{p}CARC"], "product_quarantine", issuer="AHA"),
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
        register("AHA", "animal_health_authority", "Animal Health Office"),
        commission(f"{p}PIG", qty=heads, party=f"{p}F1", time=at(3, 5)),
        cert([f"{p}PIG"], "animal_quarantine", issuer="AHA", time=at(3, 6), quantity=heads, unit="head"),
        move(f"{p}PIG", f"{p}F1", f"{p}S1", heads, unit="head", time=at(3, 7)),
        cert([f"{p}PIG"], "clenbuterol_test", issuer=f"{p}S1", time=at(3, 8)),
        slaughter(f"{p}PIG", f"{p}CARC", heads, kg, party=f"{p}S1", time=at(3, 10)),
        cert([f"{p}CARC"], "product_quarantine", issuer="AHA", time=at(3, 10), quantity=kg, unit="kg"),
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


# -- a small district for the statistics report: every figure known (see tests/integration/test_report.py) --


def _reg(pid, kind, area="330106", time="2025-01-05T09:00:00+08:00", **attributes):
    ev = register(pid, kind, f"{kind} {pid}", area)
    ev["event_time"] = time
    ev["registered"]["attributes"] = attributes
    return ev


def _case(typ, day, hour=10, month=3, party="inspector", **kw):
    return {"type": typ, "event_time": f"2025-{month:02d}-{day:02d}T{hour:02d}:00:00+08:00", "party": party, **kw}


def stats_district():
    """March 2025 in a tiny district, with a little before (January, February) and after (April).

    Pork: PIG1 (F1, 10 head, quarantined) -> CARC1 800 kg -> W1 -> M1 300 kg, C1 200 kg;
          PIG2 (F2, 5 head, no quarantine, clenbuterol FAIL) -> CARC2 400 kg -> W1 -> M1 100 kg; recalled.
    Beef: CAT1 (F2, 2 head) slaughtered by X1 (unregistered) -> BEEF1 500 kg -> M1 100 kg.
    Vegetables: VEG1 cabbage 500 kg (compliance 500 kg, lab test pass) -> W1 -> WM1 rapid test pass on VV1
                -> M1 VR1 200 kg, rapid test FAIL by M1; VEG2 spinach 300 kg (compliance without a quantity)
                -> W1 VV2, rapid test pass by WM1.
    """
    apr = "2025-04-02T10:00:00+08:00"
    return [
        _reg("F1", "scale_farm", "330110"), _reg("F2", "household_farm", "330122"), _reg("B1", "vegetable_base"),
        _reg("CS1", "cold_storage", sunshine_warehouse=False), _reg("S1", "designated_slaughterhouse"),
        _reg("P1", "producer", transparent_workshop=True), _reg("W1", "wholesaler"),
        _reg("WM1", "wholesale_market", sunshine_warehouse=True), _reg("FM1", "farmers_market"),
        _reg("M1", "supermarket", transparent_kitchen="yes"), _reg("R1", "restaurant", transparent_kitchen=False),
        _reg("C1", "school_canteen", transparent_kitchen=True), _reg("L1", "testing_lab"), _reg("REG", "regulator"),
        _reg("NEW1", "small_shop", time="2025-03-02T09:00:00+08:00"),
        # February: not in the period
        commission("VEG0", product="cabbage", qty=100, unit="kg", party="B1", time="2025-02-10T08:00:00+08:00",
                   activity="harvest"),
        cert(["VEG0"], "compliance", issuer="B1", time="2025-02-10T09:00:00+08:00", quantity=100, unit="kg"),
        # March: pork
        commission("PIG1", qty=10, party="F1", time=at(3, 5)),
        cert(["PIG1"], "animal_quarantine", issuer="REG", time=at(3, 6), quantity=10, unit="head"),
        move("PIG1", "F1", "S1", 10, unit="head", time=at(3, 7)),
        cert(["PIG1"], "clenbuterol_test", issuer="S1", time=at(3, 8)),
        slaughter("PIG1", "CARC1", 10, 800.0, party="S1", time=at(3, 10)),
        cert(["CARC1"], "product_quarantine", issuer="REG", time=at(3, 10), quantity=800.0, unit="kg"),
        cert(["CARC1"], "meat_quality", issuer="S1", time=at(3, 11), quantity=800.0, unit="kg"),
        move("CARC1", "S1", "W1", 800.0, new="WV1", time=at(4, 3)),
        move("WV1", "W1", "M1", 300.0, new="RL1", time=at(4, 6)),
        move("WV1", "W1", "C1", 200.0, new="RL2", time=at(4, 6)),
        sale("RL1", "RCPT1", party="M1", time=at(4, 9)),
        with_id(sale("RL1", "RCPT-WRONG", party="M1", time=at(4, 10)), "wrong-sale"),
        retract("wrong-sale", party="M1", time=at(4, 11)),
        commission("PIG2", qty=5, party="F2", time=at(5, 5)),
        move("PIG2", "F2", "S1", 5, unit="head", time=at(5, 7)),
        cert(["PIG2"], "clenbuterol_test", result="fail", issuer="S1", time=at(5, 8)),
        slaughter("PIG2", "CARC2", 5, 400.0, party="S1", time=at(5, 10)),
        move("CARC2", "S1", "W1", 400.0, new="WV2", time=at(6, 3)),
        move("WV2", "W1", "M1", 100.0, new="RL3", time=at(6, 6)),
        # March: private slaughter of cattle
        commission("CAT1", product="live_cattle", qty=2, party="F2", time=at(7, 5)),
        move("CAT1", "F2", "X1", 2, unit="head", time=at(7, 8)),
        slaughter("CAT1", "BEEF1", 2, 500.0, party="X1", product="beef", time=at(7, 10)),
        move("BEEF1", "X1", "M1", 100.0, new="RL4", product="beef", time=at(8, 6)),
        # March: vegetables
        commission("VEG1", product="cabbage", qty=500, unit="kg", party="B1", time=at(10, 4), activity="harvest"),
        cert(["VEG1"], "compliance", issuer="B1", time=at(10, 5), quantity=500, unit="kg"),
        cert(["VEG1"], "lab_test", issuer="L1", time=at(10, 6)),
        move("VEG1", "B1", "W1", 500.0, new="VV1", product="cabbage", time=at(11, 3)),
        cert(["VV1"], "pesticide_rapid_test", issuer="WM1", time=at(11, 4)),
        move("VV1", "W1", "M1", 200.0, new="VR1", product="cabbage", time=at(11, 6)),
        cert(["VR1"], "pesticide_rapid_test", result="fail", issuer="M1", time=at(11, 7)),
        commission("VEG2", product="spinach", qty=300, unit="kg", party="B1", time=at(12, 4), activity="harvest"),
        cert(["VEG2"], "compliance", issuer="B1", time=at(12, 5)),
        move("VEG2", "B1", "W1", 300.0, new="VV2", product="spinach", time=at(13, 3)),
        cert(["VV2"], "pesticide_rapid_test", issuer="WM1", time=at(13, 4)),
        # March: a recall of PIG2's meat and two complaints
        _case("recall", 20, recall_id="R1", lots=["PIG2"], reason="clenbuterol", trigger="failed_test",
              affected=["PIG2", "CARC2", "WV2", "RL3"], holders=["F2", "S1", "W1", "M1"]),
        _case("recall_confirmation", 21, party="S1", recall_id="R1"),
        _case("recall_confirmation", 21, party="W1", recall_id="R1", quantity_removed=300.0, unit="kg"),
        _case("recall_confirmation", 22, party="M1", recall_id="R1", quantity_removed=90.0, unit="kg"),
        _case("complaint", 23, complaint_id="C-1", lots=["RCPT1"], description="smell", channel="hotline"),
        _case("complaint", 24, complaint_id="C-2", lots=["RL3"], description="colour", channel="online"),
        _case("complaint_closure", 28, complaint_id="C-1", lots=["RCPT1"], resolution="answered"),
        # April: not in the period
        _case("recall_confirmation", 2, month=4, party="F2", recall_id="R1"),
        _case("complaint_closure", 2, month=4, complaint_id="C-2", lots=["RL3"], resolution="answered"),
        cert(["PIG1"], "clenbuterol_test", issuer="S1", time=apr),
        move("WV1", "W1", "FM1", 100.0, new="RL5", time=apr),
    ]


def actor(role: str, party: str | None = None):
    """A caller of the given role acting for ``party`` (an API key's principal); an unknown role
    (e.g. "consumer") as a bare caller the permission model knows nothing of."""
    from types import SimpleNamespace

    from foodtrace.model.vocab import Role
    from foodtrace.services.capture.principal import Principal

    try:
        return Principal(f"test-{role}", party, Role(role))
    except ValueError:
        return SimpleNamespace(role=role, party=party)


def fanout_pork(carcasses=20, wholesalers=4, retailers=60, per_lot=48):
    """One lot of pigs (``PIGS``) slaughtered into ``carcasses`` lots, each sold to one of ``wholesalers``
    (a new lot each), each of those split into ``per_lot`` receipts at ``retailers`` supermarkets, farmers'
    markets and school canteens: a forward trace of 1 + 2 × carcasses + carcasses × per_lot lots
    (1,001 with the defaults). Lawful: quarantined, designated slaughter, quantities that balance."""
    kinds = ("supermarket", "farmers_market", "school_canteen")
    evs = [register("FF", "scale_farm", "Fan Farm"), register("FS", "designated_slaughterhouse", "Fan Slaughterhouse"),
           register("AHA", "animal_health_authority", "Animal Health Office")]
    evs += [register(f"FW{w}", "wholesaler", f"Wholesaler {w}") for w in range(wholesalers)]
    evs += [register(f"FR{r:02d}", kinds[r % 3], f"{kinds[r % 3].replace('_', ' ').title()} {r:02d}")
            for r in range(retailers)]
    evs += [commission("PIGS", qty=carcasses, party="FF", time=at(1)),
            cert(["PIGS"], "animal_quarantine", issuer="AHA", time=at(1, 9)),
            {**handoff("PIGS", src="FF", dst="FS", time=at(1, 10)), "lot": {"code": "PIGS", "quantity": carcasses,
                                                                          "unit": "head"}},
            {"type": "transformation", "event_time": at(2), "party": "FS", "kind": "slaughter",
             "inputs": [{"code": "PIGS", "quantity": carcasses, "unit": "head"}],
             "outputs": [{"code": f"C{c:02d}", "product": "pork", "quantity": 80.0, "unit": "kg"}
                         for c in range(carcasses)]}]
    evs.append(cert([f"C{c:02d}" for c in range(carcasses)], "meat_quality", issuer="FS", time=at(2, 9)))
    for c in range(carcasses):
        w = f"FW{c % wholesalers}"
        evs.append({**handoff(f"C{c:02d}", new=f"W{c:02d}", src="FS", dst=w, qty=80.0, time=at(2, 12))})
        for j in range(per_lot):
            r = f"FR{(c * per_lot + j) % retailers:02d}"
            evs.append(handoff(f"W{c:02d}", new=f"R{c:02d}-{j:02d}", src=w, dst=r, qty=1.5, time=at(3, 6)))
    return evs
