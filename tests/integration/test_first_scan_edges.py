"""First scans at the edges (the kept path builds a plain code's view without resolving it first): a code
that is a prefix of another, another case, odd spellings, an unconfirmed placeholder lot and its later
confirmation, a party registering anew — each view and page is the reference one (built from scratch on a
store that keeps nothing, the code resolved first), and what is kept follows the log."""

from __future__ import annotations

import pytest

from foodtrace.config import Settings
from foodtrace.errors import NotFound
from foodtrace.graph.embedded import EmbeddedStore
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.rules.config import load_rules
from foodtrace.services.safety.rules.facts import kept_parties
from foodtrace.services.tracing import consumer
from tests.builders import commission, handoff, pork_chain, register
from tests.integration.test_first_scan_same import _page, _reference


@pytest.fixture()
def stores(tmp_path):
    path = str(tmp_path / "edges.db")
    kept = EmbeddedStore(path).open()
    capture(kept, pork_chain() + [commission("LOT1", qty=3), commission("LOT10", qty=7, party="F1")])
    cold = EmbeddedStore(path, read_cache=0).open()
    yield kept, cold, Settings(store=f"sqlite:///{path}")
    cold.close()
    kept.close()


def _same(kept, cold, settings, scanned: str, rules) -> consumer.ReadyView:
    new, ref = consumer.ready_view(kept, scanned, rules), _reference(cold, scanned, rules)
    assert new.json == ref.json
    for lg in ("zh", "en"):
        assert _page(settings, lg, new) == _page(settings, lg, ref)
    return new


def test_prefixes_cases_and_spellings_give_the_lot_the_reference_gives(stores):
    kept, cold, settings = stores
    rules = load_rules()
    assert _same(kept, cold, settings, "LOT1", rules).lot.code == "LOT1"
    assert _same(kept, cold, settings, "LOT10", rules).lot.code == "LOT10"
    for spelling in ("RCPT", "  RCPT ", "RCPT\u3000", "https://shop.example/l/RCPT", "http://h/l/RCPT?x=1"):
        assert _same(kept, cold, settings, spelling, rules).lot.code == "RCPT"
    for missing in ("LOT", "LOT100", "rcpt", "RCPT%20", "https://h/l/NOPE"):
        with pytest.raises(NotFound):
            consumer.ready_view(kept, missing, rules)
        with pytest.raises(NotFound):
            _reference(cold, missing, rules)


def test_a_placeholder_is_shown_as_the_reference_shows_it_until_it_is_confirmed(stores):
    kept, cold, settings = stores
    rules = load_rules()
    capture(kept, [handoff("GHOST", src="W1", dst="M1", qty=5)])  # a lot named but never made: a placeholder
    first = _same(kept, cold, settings, "GHOST", rules)
    assert consumer.ready_view(kept, "GHOST", rules) is first  # kept
    capture(kept, [commission("GHOST", qty=5, party="W1")])
    again = _same(kept, cold, settings, "GHOST", rules)
    assert again is not first and again.json != first.json


def test_a_party_registering_anew_shows_at_once(stores):
    kept, cold, settings = stores
    rules = load_rules()
    before = _same(kept, cold, settings, "RCPT", rules)
    assert "Green Farm" in before.json.decode() and kept_parties(kept, ["F1"])["F1"].name == "Green Farm"
    capture(kept, [register("F1", "scale_farm", "Blue Meadow Farm")])
    assert kept_parties(kept, ["F1"])["F1"].name == "Blue Meadow Farm"
    after = _same(kept, cold, settings, "RCPT", rules)
    assert "Blue Meadow Farm" in after.json.decode() and "Green Farm" not in after.json.decode()


def test_every_backend_builds_a_plain_code_at_once_and_resolves_the_rest(store):
    """``ready_view`` builds a plain code's view without resolving it (``NotOwnCode`` when no lot has that
    very code) and keeps the verdict's parties (``kept_parties``) on every backend, Neo4j included: prefixes
    and spellings give the lot ``resolve`` gives, an unknown code is refused and keeps nothing, and a party
    registering anew shows at once."""
    rules = load_rules()
    capture(store, pork_chain() + [commission("LOT1", qty=3), commission("LOT10", qty=7, party="F1")])
    assert consumer.ready_view(store, "LOT1", rules).lot.code == "LOT1"
    assert consumer.ready_view(store, "LOT10", rules).lot.code == "LOT10"
    for spelling in ("RCPT", "  RCPT ", "https://shop.example/l/RCPT"):
        assert consumer.ready_view(store, spelling, rules).lot.code == "RCPT"
    for missing in ("LOT", "LOT100", "rcpt", "https://h/l/NOPE"):
        with pytest.raises(NotFound):
            consumer.ready_view(store, missing, rules)
        assert consumer.kept_view(store, missing, rules) is None
    before = consumer.ready_view(store, "RCPT", rules)
    assert "Green Farm" in before.json.decode() and kept_parties(store, ["F1"])["F1"].name == "Green Farm"
    capture(store, [register("F1", "scale_farm", "Blue Meadow Farm")])
    assert kept_parties(store, ["F1"])["F1"].name == "Blue Meadow Farm"
    after = consumer.ready_view(store, "RCPT", rules).json.decode()
    assert "Blue Meadow Farm" in after and "Green Farm" not in after


def test_pieces_from_given_events_hold_own_to_a_confirmed_lot_too():
    """``lot_pieces(events=…, own=…)`` refuses a code that is no confirmed lot's own as the kept path does
    (it used to ignore ``own`` there)."""
    from foodtrace.graph import open_store
    from foodtrace.services.tracing.trace import NotOwnCode, lot_pieces

    s = open_store("memory://")
    try:
        capture(s, pork_chain() + [handoff("GHOST", src="W1", dst="M1", qty=5)])
        events = s.lot_events(["RCPT", "GHOST"])
        assert set(lot_pieces(s, ["RCPT"], events=events, own="RCPT")) == {"RCPT"}
        for code in ("GHOST", "NOPE"):  # a placeholder, and no lot at all
            with pytest.raises(NotOwnCode):
                lot_pieces(s, [code], events=events, own=code)
    finally:
        s.close()
