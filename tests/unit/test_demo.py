import types

from foodtrace.demo.generate import generate


def test_deterministic_and_streamed():
    d1, s1 = generate(events=3000, seed=3)
    assert isinstance(s1, types.GeneratorType)
    e1 = list(s1)
    d2, s2 = generate(events=3000, seed=3)
    assert e1 == list(s2)
    assert d1.sample_receipt == d2.sample_receipt and d1.sample_receipt
    _, s3 = generate(events=3000, seed=4)
    assert e1 != list(s3)


def test_size_follows_the_flag():
    for n in (2000, 8000):
        d, s = generate(events=n)
        count = sum(1 for _ in s)
        assert 0.7 * n <= count <= 1.5 * n, (n, count)


def test_planted_problems_and_a_clean_district():
    d, s = generate(events=3000)
    list(s)
    assert sorted(p["kind"] for p in d.planted) == [
        "failed_lot_slaughtered", "failed_lot_slaughtered", "failed_test", "mass_balance", "undesignated_slaughter",
        "withdrawal_period"]
    clean, s = generate(events=3000, plant=False)
    list(s)
    assert clean.planted == []


def test_chain_shape():
    d, s = generate(events=3000)
    events = list(s)
    kinds = {e["registered"]["kind"] for e in events if e["type"] == "party_registration"}
    for k in ("scale_farm", "household_farm", "vegetable_base", "cold_storage", "designated_slaughterhouse",
              "wholesale_market", "farmers_market", "supermarket", "school_canteen", "small_shop", "small_stall"):
        assert k in kinds
    certs = {e["kind"] for e in events if e["type"] == "certificate"}
    assert {"animal_quarantine", "product_quarantine", "clenbuterol_test", "meat_quality", "compliance",
            "pesticide_rapid_test"} <= certs
    assert all("+08:00" in e["event_time"] for e in events)
