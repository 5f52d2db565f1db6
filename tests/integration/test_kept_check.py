"""The district check kept while the log says the same (``services/safety/rules/kept_check.py``): read back
after the first fold, folded again at once after any append or retraction, never across rules, always equal to
the whole-log reference — on a real SQLite file and on a real Neo4j server (its checkpoints kept in the
database: ``graph/neo4j_checkpoints.py``), through the services the console, risk and cases pages call."""

from __future__ import annotations

import pytest

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.rules.anomalies import _checked, check_district
from foodtrace.services.safety.rules.config import load_rules
from foodtrace.services.safety.rules.kept_check import kept_check
from tests.builders import cert, pork_chain, register, retract, with_id
from tests.integration.test_report_checkpoints import damage
from tests.neo4j_support import fresh_neo4j_store


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}") if request.param == "embedded" else fresh_neo4j_store()
    capture(s, pork_chain() + [register("LAB1", "testing_lab", "Lab")])
    yield s
    s.close()


def _kept(store, cfg=None):
    cfg = cfg or load_rules()
    return kept_check(store, cfg, lambda: _checked(store, cfg))


def _codes(report):
    return sorted((a.code, a.lot) for a in report.anomalies)


def _same_as_reference(store, report):
    assert report.model_dump(mode="json") == check_district(store, from_log=True).model_dump(mode="json")


def test_read_back_until_the_log_changes(store):
    first, back = _kept(store)
    assert not back and _codes(first) == []
    again, back = _kept(store)
    assert back and again == first
    _same_as_reference(store, again)

    capture(store, [with_id(cert(["PIG"], kind="clenbuterol_test", result="fail", issuer="LAB1"), "bad")])
    after, back = _kept(store)
    assert not back, "an event stored since must fold again"
    assert ("failed_test", "PIG") in _codes(after)
    _same_as_reference(store, after)
    assert _kept(store) == (after, True)
    assert check_district(store) == after  # what the pages call

    capture(store, [with_id(retract("bad", party="LAB1"), "undo")])
    undone, back = _kept(store)
    assert not back and _codes(undone) == []
    _same_as_reference(store, undone)


def test_other_rules_are_not_read_back(store):
    _kept(store)
    cfg = load_rules()
    other = cfg.model_copy(update={"scores": {**cfg.scores, "failed_test": cfg.scores["failed_test"] + 1}})
    assert _kept(store, other)[1] is False
    assert _kept(store, cfg)[1] is True  # the first rules' answer is still kept


def test_a_damaged_checkpoint_is_checked_again(store):
    first, _ = _kept(store)
    damage(store, b"{}")  # not a check report
    again, back = _kept(store)
    assert not back and again == first
