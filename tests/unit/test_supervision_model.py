"""Supervision records: who may write and read them (the whole matrix), and
what each kind of record refuses (no I/O)."""

from __future__ import annotations

import pytest

from foodtrace.errors import Forbidden, InvalidInput
from foodtrace.ingest.capture import prepare
from foodtrace.model import vocab
from foodtrace.model.registry import (
    ALL_LABELS, EVENT_TYPES, OFFICE_EVENT_TYPES, OPERATOR_EVENT_TYPES, EventType,
)
from foodtrace.model.supervision import SUPERVISION_TYPES
from tests.builders import actor
from foodtrace.services.supervision.access import (
    can_read,
    can_read_all,
    can_write,
    require_read_all,
    require_some_read,
    require_write,
    visible,
)

T = "2025-03-10T09:00:00+08:00"


def raw(kind, **fields):
    return {"type": kind, "event_time": T, "party": "REG", **fields}


INSPECTION = raw("inspection", inspection_id="I1", subject="SC1", inspectors=["Li"], outcome="no_problem")
RECORDS = {
    "inspection": INSPECTION,
    "campaign": raw("campaign", campaign_id="C1", name="spring", start="2025-03-01", end="2025-05-31",
                    scope_kinds=["school_canteen"]),
    "enforcement_case": raw("enforcement_case", case_id="K1", subjects=["XW1"], source="anomaly", summary="x",
                            lots=["BEEF"], evidence=[{"root": "BEEF", "direction": "backward", "lots": ["BEEF", "COW"],
                                                      "edges": [["COW", "BEEF"]], "events": ["e1", "e2"]}]),
    "case_update": raw("case_update", case_id="K1", status="closed", fine_yuan=5000, confiscated_yuan=100),
    "training": raw("training", training_id="P1", topic="hygiene", attendees=["SC1", "SC2"], hours=2),
    "commitment": raw("commitment", commitment_id="N1", subject="SC1", title="承诺书"),
    "destruction": raw("destruction", destruction_id="D1", reason="expired", goods="milk", value_yuan=1200.5,
                       quantity=30, unit="kg", lots=["L1"]),
}


def events():
    return {kind: prepare([body])[0] for kind, body in RECORDS.items()}


# -- access: the matrix -------------------------------------------------------------


@pytest.mark.parametrize("role, writes, reads_all", [
    ("admin", True, True), ("inspector", True, True), ("operator", False, False), ("lab", False, False),
    ("consumer", False, False), ("", False, False), (None, False, False), ("Inspector", False, False),
])
def test_who_may_write_and_read_everything(role, writes, reads_all):
    assert can_write(role) is writes
    assert can_read_all(role) is reads_all
    for ev in events().values():
        assert can_read(role, "REG", ev) is reads_all
        # the one write door lets the office record them, never a business
        assert ev.type in OFFICE_EVENT_TYPES and ev.type not in OPERATOR_EVENT_TYPES


def test_an_operator_reads_only_its_own_inspections():
    evs = events()
    own, other = evs["inspection"], prepare([{**INSPECTION, "inspection_id": "I2", "subject": "SM1"}])[0]
    assert can_read("operator", "SC1", own) and not can_read("operator", "SC1", other)
    assert not can_read("operator", None, own)  # a key without a party reads nothing
    # the commitment and the training name SC1 too, but only inspections are an operator's to read
    assert not can_read("operator", "SC1", evs["commitment"]) and not can_read("operator", "SC1", evs["training"])
    assert visible(actor("operator", "SC1"), [own, other, evs["commitment"]]) == [own]
    assert visible(actor("inspector", "REG"), [own, other]) == [own, other]


def test_the_require_functions_raise_forbidden_with_the_role():
    for fn in (require_write, require_read_all, require_some_read):
        fn(actor("inspector", "REG"))
        fn(actor("admin"))
        with pytest.raises(Forbidden) as exc:
            fn(actor("consumer"))
        assert exc.value.status == 403 and exc.value.details[0]["field"] == "role"
    require_some_read(actor("operator", "SC1"))
    for fn in (require_write, require_read_all):
        with pytest.raises(Forbidden):
            fn(actor("operator", "SC1"))
    with pytest.raises(Forbidden):
        require_some_read(actor("operator", None))


# -- the records -------------------------------------------------------------------


def test_every_kind_is_an_event_type_with_labels():
    assert SUPERVISION_TYPES <= set(EVENT_TYPES)
    assert SUPERVISION_TYPES == {e.value for e in EventType} & SUPERVISION_TYPES == set(RECORDS)
    for enum in (vocab.InspectionMode, vocab.InspectionOutcome, vocab.CaseSource, vocab.CaseStatus,
                 vocab.DestructionReason, EventType):
        for m in enum:
            zh, en = ALL_LABELS[m.value]
            assert zh and en and zh != en
    evs = events()
    assert evs["inspection"].used_lots() == [] and evs["destruction"].used_lots() == ["L1"]
    assert evs["enforcement_case"].used_lots() == ["BEEF"]  # not the evidence's lots
    assert evs["enforcement_case"].evidence[0].edges == [("COW", "BEEF")]
    assert all(ev.links() == [] and ev.created_lots() == [] for ev in evs.values())


@pytest.mark.parametrize("kind, change, field, reason", [
    ("inspection", {"outcome": "rectification"}, "(event)", "findings: a rectification needs at least one finding"),
    ("inspection", {"outcome": "suspended"}, "outcome", "Input should be"),
    ("inspection", {"inspectors": []}, "inspectors", "at least 1"),
    ("inspection", {"rectify_by": "2025-04-01"}, "(event)", "rectify_by: no deadline when no problem was found"),
    ("inspection", {"outcome": "rectification", "findings": ["x"], "rectify_by": "2025-03-01"}, "(event)",
     "rectify_by: the deadline is before the inspection"),
    ("inspection", {"mode": "online"}, "mode", "Input should be"),
    ("campaign", {"end": "2025-02-01"}, "(event)", "end: the campaign ends before it starts"),
    ("campaign", {"scope_kinds": ["canteen"]}, "scope_kinds[0]", "Input should be"),
    ("campaign", {"scope_areas": ["33"]}, "scope_areas[0]", "String should match"),
    ("enforcement_case", {"subjects": []}, "subjects", "at least 1"),
    ("enforcement_case", {"source": "rumour"}, "source", "Input should be"),
    ("case_update", {"status": "opened"}, "(event)", "status: an update closes a case or hands it to the police"),
    ("case_update", {"status": "handed_to_police"}, "(event)", "handed_to: name the police unit"),
    ("case_update", {"fine_yuan": -1}, "fine_yuan", "greater than or equal to 0"),
    ("training", {"attendees": []}, "attendees", "at least 1"),
    ("training", {"hours": 0}, "hours", "greater than 0"),
    ("commitment", {"subject": "has space"}, "subject", "String should match"),
    ("destruction", {"unit": None}, "(event)", "unit is required when quantity is given"),
    ("destruction", {"value_yuan": -5}, "value_yuan", "greater than or equal to 0"),
    ("destruction", {"surprise": 1}, "surprise", "unknown field"),
])
def test_bad_records_are_refused_naming_the_field(kind, change, field, reason):
    body = {k: v for k, v in {**RECORDS[kind], **change}.items() if v is not None}
    with pytest.raises(InvalidInput) as exc:
        prepare([body])
    assert any(d["field"] == field and reason in d["reason"] for d in exc.value.details), exc.value.details
