"""The read-model cache on its own: kept until a lot or party it was built from is touched, least
recently used out first, and its reverse index never keeps what it no longer holds."""

from __future__ import annotations

from foodtrace.graph.readcache import ReadCache, ReadModel


def model(value, lots=(), parties=()):
    return ReadModel(value, frozenset(lots), frozenset(parties))


def test_dropped_by_a_lot_or_a_party_it_was_built_from_only():
    c = ReadCache(10)
    c.put("RCPT", model("view of RCPT", ["RCPT", "RL", "PIG"], ["F1"]))
    c.put("OTHER", model("view of OTHER", ["OTHER", "PIG2"], ["F2"]))
    assert c.invalidate(lots=["PIG3"], parties=["F9"]) == 0
    assert c.get("RCPT") == "view of RCPT"
    assert c.invalidate(lots=["PIG"]) == 1
    assert c.get("RCPT") is None and c.get("OTHER") == "view of OTHER"
    assert c.invalidate(parties=["F2"]) == 1
    assert len(c) == 0 and not c._by_lot and not c._by_party


def test_least_recently_used_goes_first():
    c = ReadCache(2)
    c.put("a", model(1, ["a"]))
    c.put("b", model(2, ["b"]))
    assert c.get("a") == 1  # a is now the most recent
    c.put("c", model(3, ["c"]))
    assert c.get("b") is None and c.get("a") == 1 and c.get("c") == 3
    assert set(c._by_lot) == {"a", "c"}


def test_a_new_model_for_a_key_replaces_the_old_and_its_index():
    c = ReadCache(5)
    c.put("a", model(1, ["x"]))
    c.put("a", model(2, ["y"]))
    assert c.invalidate(lots=["x"]) == 0 and c.get("a") == 2
    assert c.invalidate(lots=["y"]) == 1


def test_size_zero_keeps_nothing():
    c = ReadCache(0)
    c.put("a", model(1, ["a"]))
    assert c.get("a") is None and len(c) == 0
