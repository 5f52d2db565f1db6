"""Each food-safety rule on small hand-made chains: a passing and a failing case."""

from __future__ import annotations

from datetime import datetime

import pytest

from foodtrace.errors import ConfigError, InvalidInput
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.rules import check_district, check_entry, load_rules
from tests.builders import (
    applied,
    at,
    cert,
    commission,
    good_pork,
    good_veg,
    mix,
    move,
    register,
    retract,
    slaughter,
    transform,
    with_id,
)


def when(day, hour=8):
    return datetime.fromisoformat(at(day, hour))


def without(chain, *drop):
    """The chain without the events for which ``drop(event)`` holds."""
    return [e for e in chain if not any(d(e) for d in drop)]


def is_cert(kind, lot=None):
    return lambda e: e["type"] == "certificate" and e["kind"] == kind and (lot is None or lot in e["lots"])


def codes(decision):
    return sorted((r.code, r.lot) for r in decision.reasons)


def anomalies(store):
    return sorted((a.code, a.lot, a.party) for a in check_district(store).anomalies)


# -- market-entry gate -------------------------------------------------------------


def test_good_pork_and_vegetables_are_accepted_and_the_district_is_clean(mem):
    capture(mem, good_pork() + good_veg())
    for code, receiver in (("WV", "M1"), ("VV", "M2")):
        d = check_entry(mem, code, receiver, 100, at=when(4, 6))
        assert d.accept and d.reasons == [], (code, d.reasons)
        assert (d.rule, d.unit) == ("pork" if code == "WV" else "vegetable", "kg")
    assert check_district(mem).anomalies == []


def test_live_animals_entering_a_slaughterhouse_need_quarantine(mem):
    capture(mem, [register("F1", "scale_farm"), register("S1", "designated_slaughterhouse"),
                  commission("PIG", qty=10, party="F1", time=at(3, 5))])
    d = check_entry(mem, "PIG", "S1", 10, at=when(3, 7))
    assert (d.rule, codes(d)) == ("livestock", [("missing_certificate", "PIG")])
    capture(mem, [cert(["PIG"], "animal_quarantine", issuer="REG", time=at(3, 6), quantity=10, unit="head")])
    assert check_entry(mem, "PIG", "S1", 10, at=when(3, 7)).accept
    assert not check_entry(mem, "PIG", "S1", 11, at=when(3, 7)).accept  # more heads than the lot holds


def test_pork_without_quarantine_is_refused_with_zh_and_en_reasons(mem):
    capture(mem, without(good_pork(), is_cert("animal_quarantine")))
    d = check_entry(mem, "WV", "M1", 100, at=when(4, 6))
    assert not d.accept
    assert codes(d) == [("missing_certificate", "PIG")]
    r = d.reasons[0]
    assert r.data["kind"] == "animal_quarantine" and r.party == "F1"
    assert "动物检疫合格证明" in r.zh and "animal quarantine certificate" in r.en
    # the check reports it once (the supermarket reached), charged to the farm
    assert anomalies(mem) == [("missing_certificate", "PIG", "F1")]


def test_every_failing_reason_is_listed(mem):
    chain = without(good_pork(), is_cert("animal_quarantine"), is_cert("meat_quality"), is_cert("clenbuterol_test"))
    capture(mem, chain)
    d = check_entry(mem, "RL", "M1", 1, at=when(4, 8))
    assert sorted(r.data["kind"] for r in d.reasons) == ["animal_quarantine", "clenbuterol_test", "meat_quality"]


def test_a_failed_clenbuterol_test_refuses_the_meat_downstream(mem):
    chain = [cert(["PIG"], "clenbuterol_test", result="fail", issuer="S1", time=at(3, 8)) if is_cert("clenbuterol_test")(e)
             else e for e in good_pork()]
    capture(mem, chain)
    d = check_entry(mem, "WV", "M1", 100, at=when(4, 6))
    assert codes(d) == [("failed_test", "PIG")]  # not also "missing"
    assert "瘦肉精检测" in d.reasons[0].zh and d.reasons[0].party == "F1"
    # the farm answers for the failed test; the slaughterhouse for slaughtering the lot anyway and passing
    # its meat, the official vet's office for quarantining that meat as passing
    assert anomalies(mem) == [("certified_failed_lot", "CARC", "AHA"), ("failed_test", "PIG", "F1"),
                              ("slaughtered_failed_lot", "CARC", "S1")]


def test_meat_quality_may_be_on_the_carcass_or_further_down_but_only_from_a_designated_slaughterhouse(mem):
    chain = without(good_pork(), is_cert("meat_quality"))
    capture(mem, chain)
    assert codes(check_entry(mem, "WV", "M1", 100, at=when(4, 6))) == [("missing_certificate", "CARC")]
    capture(mem, [cert(["WV"], "meat_quality", issuer="W1", time=at(4, 4))])  # a wholesaler may not issue it
    assert codes(check_entry(mem, "WV", "M1", 100, at=when(4, 6))) == [("missing_certificate", "CARC")]
    capture(mem, [cert(["WV"], "meat_quality", issuer="S1", time=at(4, 4), number="MQ-late")])
    assert check_entry(mem, "WV", "M1", 100, at=when(4, 6)).accept


def _beef(slaughterer="S1", quarantine=True):
    chain = [
        register("F1", "household_farm"), register("S1", "designated_slaughterhouse"), register("M1", "farmers_market"),
        register("W1", "wholesaler"),
        commission("COW", product="live_cattle", qty=2, party="F1", time=at(3, 5)),
        move("COW", "F1", slaughterer, 2, unit="head", time=at(3, 7)),
        slaughter("COW", "BEEF", 2, 520.0, party=slaughterer, product="beef", time=at(3, 22)),
        move("BEEF", slaughterer, "M1", 120.0, new="BL", product="beef", time=at(4, 5)),
    ]
    if quarantine:
        chain.append(cert(["COW"], "animal_quarantine", issuer="REG", time=at(3, 6), quantity=2, unit="head"))
        chain.append(cert(["BEEF"], "product_quarantine", issuer="REG", time=at(3, 22), quantity=520.0, unit="kg"))
    return chain


def test_beef_needs_quarantine_and_a_designated_slaughterhouse_but_no_clenbuterol_test(mem):
    capture(mem, _beef())
    assert check_entry(mem, "BEEF", "M1", 120, at=when(4, 5)).accept
    assert anomalies(mem) == []


@pytest.mark.parametrize("slaughterer,status", [("XW001", "unregistered"), ("W1", "wholesaler")])
def test_beef_slaughtered_at_an_undesignated_point(mem, slaughterer, status):
    capture(mem, _beef(slaughterer, quarantine=False))
    d = check_entry(mem, "BEEF", "M1", 120, at=when(4, 5))
    # neither the animals nor the meat were quarantined (两证), and the slaughter point is not designated
    assert codes(d) == [("missing_certificate", "BEEF"), ("missing_certificate", "COW"),
                        ("undesignated_slaughter", "BEEF")]
    und = next(r for r in d.reasons if r.code == "undesignated_slaughter")
    assert und.party == slaughterer and und.data["status"] == status and "私屠滥宰" in und.zh
    # the check lists one anomaly: the missing quarantine certificates are part of it
    report = check_district(mem)
    assert [(a.code, a.lot, a.party) for a in report.anomalies] == [("undesignated_slaughter", "BEEF", slaughterer)]
    assert report.anomalies[0].data["missing"] == ["COW"] and report.anomalies[0].reached == ["M1"]
    assert report.scores[0].party == slaughterer and report.scores[0].score == load_rules().scores["undesignated_slaughter"]


def test_meat_with_no_slaughter_record_is_private_slaughter_risk(mem):
    capture(mem, [register("X1", "small_workshop"), register("M1", "farmers_market"),
                  commission("MEAT", product="pork", qty=50, unit="kg", party="X1", time=at(3, 5)),
                  move("MEAT", "X1", "M1", 50.0, new="ML", time=at(3, 6))])
    d = check_entry(mem, "MEAT", "M1", 50, at=when(3, 6))
    assert ("no_slaughter_record", "MEAT") in codes(d)
    assert ("no_slaughter_record", "MEAT", "X1") in anomalies(mem)


def test_vegetables_need_compliance_or_a_recent_passing_rapid_test(mem):
    chain = without(good_veg(), is_cert("compliance"))
    capture(mem, chain)
    d = check_entry(mem, "VV", "M2", 100, at=when(4, 6))
    assert codes(d) == [("missing_certificate", "VV")]
    assert "快检 2 天内有效" in d.reasons[0].zh and "rapid test counts for 2 days" in d.reasons[0].en
    capture(mem, [cert(["VV"], "pesticide_rapid_test", issuer="M2", time=at(4, 4))])
    assert check_entry(mem, "VV", "M2", 100, at=when(4, 6)).accept
    assert not check_entry(mem, "VV", "M2", 100, at=when(7, 6)).accept  # three days later: too old


def test_a_failed_rapid_test_refuses_vegetables_even_with_a_compliance_certificate(mem):
    capture(mem, good_veg() + [cert(["VV"], "pesticide_rapid_test", result="fail", issuer="M2", time=at(4, 4))])
    assert codes(check_entry(mem, "VV", "M2", 100, at=when(4, 6))) == [("failed_test", "VV")]


def test_certified_quantity_must_cover_the_lot(mem):
    chain = [cert(["VEG"], "compliance", issuer="B1", time=at(3, 5), quantity=300, unit="kg")
             if is_cert("compliance")(e) else e for e in good_veg()]
    capture(mem, chain)
    d = check_entry(mem, "VV", "M2", 100, at=when(4, 6))
    assert codes(d) == [("certificate_short", "VEG")]
    assert d.reasons[0].data["certified"] == 300 and d.reasons[0].data["quantity"] == 500
    assert "证物不符" in d.reasons[0].zh
    assert anomalies(mem) == [("certificate_short", "VEG", "B1")]


def test_receiving_more_than_is_left_of_the_lot(mem):
    capture(mem, good_pork())  # 800 kg voucher, 300 kg already passed on
    assert check_entry(mem, "WV", "M1", 500, at=when(4, 7)).accept
    d = check_entry(mem, "WV", "M1", 600, at=when(4, 7))
    assert codes(d) == [("quantity_exceeds", "WV")] and d.reasons[0].data["left"] == 500


def test_unknown_lot_is_refused_and_bad_input_is_an_error(mem):
    capture(mem, good_pork())
    d = check_entry(mem, "NOPE", "M1", 1)
    assert not d.accept and codes(d) == [("unknown_lot", "NOPE")]
    with pytest.raises(InvalidInput) as exc:
        check_entry(mem, "WV", "NOBODY", 1)
    assert exc.value.details[0]["field"] == "receiver"
    with pytest.raises(InvalidInput) as exc:
        check_entry(mem, "WV", "M1", 0)
    assert exc.value.details[0]["field"] == "quantity"


def test_an_upstream_gap_is_refused(mem):
    capture(mem, [register("S1", "designated_slaughterhouse"), register("M1", "supermarket"),
                  transform(["GHOST"], ["C1"], party="S1", time=at(3, 10))])
    assert ("upstream_gap", "GHOST") in codes(check_entry(mem, "C1", "M1", 10))


# -- withdrawal / pre-harvest intervals ----------------------------------------------


@pytest.mark.parametrize("applied_on,short", [("2025-03-01", 26), ("2025-02-04", 1), ("2025-02-03", None)])
def test_slaughter_inside_the_withdrawal_period(mem, applied_on, short):
    capture(mem, good_pork() + [applied(["PIG"], "florfenicol", 28, time=f"{applied_on}T09:00:00+08:00")])
    found = [a for a in check_district(mem).anomalies if a.code == "withdrawal_period"]
    if short is None:  # 28 calendar days before the slaughter on 3 March: allowed
        assert found == []
        assert check_entry(mem, "WV", "M1", 100, at=when(4, 6)).accept
        return
    (a,) = found
    assert (a.lot, a.party, a.data["short"], a.data["applied"], a.data["ended"]) == (
        "PIG", "F1", short, applied_on, "2025-03-03")
    assert "氟苯尼考" in a.zh and "florfenicol" in a.en and f"{short} 天" in a.zh and f"{short} days short" in a.en
    assert a.reached == ["M1", "S1"]
    assert codes(check_entry(mem, "WV", "M1", 100, at=when(4, 6))) == [("withdrawal_period", "PIG")]


def test_harvest_inside_the_pre_harvest_interval(mem):
    chain = good_veg() + [applied(["VEG"], "chlorpyrifos", 7, time=at(1, 8), party="B1", kind="pesticide")]
    capture(mem, chain)
    (a,) = check_district(mem).anomalies
    assert (a.code, a.lot, a.party, a.data["short"], a.data["action"]) == ("withdrawal_period", "VEG", "B1", 5, "harvest")
    assert "采收" in a.zh


# -- mass balance --------------------------------------------------------------------


def test_a_lot_passing_on_more_than_it_held(mem):
    capture(mem, good_pork() + [register("M3", "supermarket"),
                                move("WV", "W1", "M3", 505.0, new="RL3", time=at(4, 7))])  # 300 + 505 = 805 <= 800 + 1% + 0.5
    assert anomalies(mem) == []
    capture(mem, [move("WV", "W1", "M3", 100.0, new="RL4", time=at(4, 8))])
    (a,) = check_district(mem).anomalies
    assert (a.code, a.lot, a.party, a.data["received"], a.data["passed_on"]) == ("mass_balance", "WV", "W1", 800, 905)


def test_carcass_yield_out_of_range(mem):
    capture(mem, [e if e["type"] != "transformation" else slaughter("PIG", "CARC", 10, 1500.0, time=at(3, 10))
                  for e in without(good_pork(), is_cert("meat_quality"), is_cert("product_quarantine"))]
            + [cert(["CARC"], "meat_quality", issuer="S1", time=at(3, 11), quantity=1500, unit="kg"),
               cert(["CARC"], "product_quarantine", issuer="AHA", time=at(3, 11), quantity=1500, unit="kg")])
    (a,) = check_district(mem).anomalies
    assert (a.kind, a.code, a.lot, a.party, a.data["per_head"]) == ("mass_balance", "carcass_yield", "CARC", "S1", 150)


@pytest.mark.parametrize("out,flagged", [(200.0, False), (250.0, True)])
def test_mixing_kg_out_against_kg_in(mem, out, flagged):
    capture(mem, good_pork("a") + good_pork("b") + [register("P1", "producer"),
            move("aRL", "aM1", "P1", 100.0, time=at(4, 10)), move("bRL", "bM1", "P1", 100.0, time=at(4, 10)),
            mix({"aRL": 100.0, "bRL": 100.0}, "MIX", out, time=at(5, 10))])
    found = [(a.code, a.lot) for a in check_district(mem).anomalies]
    assert found == ([("transform_balance", "MIX")] if flagged else [])


def test_a_party_passing_on_more_than_it_received(mem):
    chain = good_pork()
    # the wholesaler takes 500 kg of the carcass under its own code and passes on 300 + 250 kg of it:
    # the lot (800 kg) is not exceeded, the wholesaler is
    chain = [move("CARC", "S1", "W1", 500.0, time=at(4, 3)) if e["type"] == "handoff" and e["lot"]["code"] == "CARC"
             else move("CARC", "W1", "M1", 300.0, new="RL", time=at(4, 6)) if e["type"] == "handoff"
             and e["lot"]["code"] == "WV" else e for e in chain]
    capture(mem, chain)
    assert anomalies(mem) == []
    capture(mem, [move("CARC", "W1", "M1", 250.0, new="RL2", time=at(4, 7))])
    (a,) = check_district(mem).anomalies
    assert (a.code, a.lot, a.party) == ("party_balance", None, "W1")
    assert (a.data["received"], a.data["passed_on"], a.data["product"]) == (500, 550, "pork")
    assert "Meat Wholesale" in a.zh


def test_a_handoff_reported_by_both_sides_counts_once(mem):
    chain = good_pork()
    ship = {**move("WV", "W1", "M1", 300.0, time=at(4, 5), document="PZ-1"), "action": "ship", "party": "W1"}
    recv = move("WV", "W1", "M1", 300.0, new="RL", time=at(4, 6), document="PZ-1")
    chain = [recv if e["type"] == "handoff" and e.get("new_lot", {}).get("code") == "RL" else e for e in chain]
    capture(mem, chain + [ship])
    assert anomalies(mem) == []


# -- configuration ---------------------------------------------------------------------


def test_rules_come_from_the_file(mem, tmp_path):
    text = load_rules().source and open(load_rules().source, encoding="utf-8").read()
    path = tmp_path / "rules.toml"
    path.write_text(text.replace("undesignated_slaughter = 12", "undesignated_slaughter = 20")
                    .replace('livestock = ["animal_quarantine"]\ndesignated_slaughter = true\nslaughter = ["product_quarantine"]',
                             'livestock = []\ndesignated_slaughter = true'), encoding="utf-8")
    capture(mem, _beef("XW001", quarantine=False))
    rules = load_rules(path)
    assert [r.code for r in check_entry(mem, "BEEF", "M1", 1, rules=rules).reasons] == ["undesignated_slaughter"]
    assert check_district(mem, rules).anomalies[0].score == 20


@pytest.mark.parametrize("text,field", [
    ("[scores]\nfailed_test = 1\n", "scores"),
    ("[entry.products.bread]\nany_of = []\n[scores]\n", "entry.products"),
    ("[certificates]\nvalid_days = { pesticide_rapid_test = 'two' }\n", "certificates.valid_days.pesticide_rapid_test"),
    ("not toml = = =", "rules"),
])
def test_a_bad_rules_file_is_a_clear_error(tmp_path, text, field):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_rules(path)
    assert any(d["field"].startswith(field) for d in exc.value.details), exc.value.details


def test_retracted_events_are_left_out(mem):
    failing = with_id(cert(["PIG"], "clenbuterol_test", result="fail", issuer="S1", time=at(3, 8)), "wrong-test")
    capture(mem, [failing if is_cert("clenbuterol_test")(e) else e for e in good_pork()])
    assert anomalies(mem) == [("certified_failed_lot", "CARC", "AHA"), ("failed_test", "PIG", "F1"),
                              ("slaughtered_failed_lot", "CARC", "S1")]
    capture(mem, [retract("wrong-test", reason="sample mixed up", party="S1"),
                  cert(["PIG"], "clenbuterol_test", issuer="S1", time=at(3, 9), number="CL-retest")])
    assert anomalies(mem) == []
    assert check_entry(mem, "WV", "M1", 100, at=when(4, 6)).accept


def _pallet(chain):
    """The wholesaler packs the 500 kg left of its voucher onto a pallet."""
    return chain + [
        {"type": "aggregation", "event_time": at(4, 7), "party": "W1", "action": "pack", "parent": "PAL1",
         "parent_lot": {"code": "PAL1", "product": "pork", "quantity": 500, "unit": "kg"},
         "children": [{"code": "WV", "quantity": 500, "unit": "kg"}]},
    ]


def test_rules_see_through_pallets(mem):
    capture(mem, _pallet(good_pork()))
    assert check_entry(mem, "PAL1", "M1", 500, at=when(4, 8)).accept
    capture(mem, [move("PAL1", "W1", "M1", 500.0, new="PR", time=at(4, 8))])
    assert anomalies(mem) == []


def test_a_missing_certificate_is_found_through_a_pallet(mem):
    capture(mem, _pallet(without(good_pork(), is_cert("animal_quarantine"))))
    assert codes(check_entry(mem, "PAL1", "M1", 500, at=when(4, 8))) == [("missing_certificate", "PIG")]


def test_a_bad_rules_file_is_said_in_the_readers_language(tmp_path):
    """rules/config.py: the message in zh (the parser's own reason kept, it is the library's), English unchanged."""
    from foodtrace.i18n.refusals import localize

    path = tmp_path / "bad.toml"
    path.write_text("[certificates]\nvalid_days = { pesticide_rapid_test = 'two' }\n", encoding="utf-8")
    for lang, message in (("zh", f"规则文件 {path} 的内容无效"), ("en", f"the rules file {path} is not valid")):
        with pytest.raises(ConfigError) as exc:
            load_rules(path)
        err = localize(exc.value, lang)
        assert err.message == message and err.details[0]["field"] == "certificates.valid_days.pesticide_rapid_test"
    assert err.details[0]["reason"].startswith("Input should be")  # pydantic's English, as before
    assert localize(_raised(load_rules, tmp_path / "none.toml"), "zh").message.startswith(
        f"无法读取规则文件 {tmp_path / 'none.toml'}：")
    path.write_text("not toml = = =", encoding="utf-8")
    zh = localize(_raised(load_rules, path), "zh")
    assert zh.message.startswith(f"规则文件 {path} 不是可读取的 TOML 文件：") and zh.details[0]["reason"].startswith("原因：")


def _raised(call, *args):
    with pytest.raises(ConfigError) as exc:
        call(*args)
    return exc.value
