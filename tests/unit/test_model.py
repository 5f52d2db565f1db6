from pydantic import ValidationError
import pytest

from foodtrace.model import EVENT_ADAPTER, Category, Commodity, EventType, canonical_content, content_hash_id
from foodtrace.model.registry import ALL_LABELS as LABELS
from foodtrace.model.vocab import CertKind, PartyKind
from tests.builders import commission, handoff, transform


def parse(raw):
    return EVENT_ADAPTER.validate_python(raw)


def test_commission_parses_with_time_zone():
    ev = parse(commission("P1"))
    assert ev.type == "commission" and ev.lots[0].product is Commodity.LIVE_PIG
    assert ev.event_time.utcoffset().total_seconds() == 8 * 3600


def test_time_without_zone_is_refused():
    with pytest.raises(ValidationError, match="timezone"):
        parse(commission("P1", time="2025-03-01T08:00:00"))


@pytest.mark.parametrize("qty", [0, -1])
def test_non_positive_quantity_refused(qty):
    with pytest.raises(ValidationError):
        parse(commission("P1", qty=qty))


def test_unknown_unit_and_field_refused():
    with pytest.raises(ValidationError):
        parse(commission("P1", unit="lb"))
    with pytest.raises(ValidationError, match="Extra inputs"):
        parse(commission("P1", colour="red"))


def test_events_are_frozen():
    ev = parse(commission("P1"))
    with pytest.raises(ValidationError):
        ev.party = "X"


def test_handoff_needs_two_parties():
    with pytest.raises(ValidationError, match="must differ"):
        parse(handoff("C1", src="A", dst="A"))


def test_transformation_cannot_feed_itself():
    with pytest.raises(ValidationError, match="both an input and an output"):
        parse(transform(["A"], ["A"]))


def test_hash_ignores_key_order_and_offset_of_the_same_instant():
    a = parse(commission("P1", time="2025-03-01T08:00:00+08:00"))
    raw = commission("P1", time="2025-03-01T00:00:00+00:00")
    b = parse(dict(reversed(list(raw.items()))))
    assert canonical_content(a) == canonical_content(b)
    assert content_hash_id(a) == content_hash_id(b)
    assert content_hash_id(a) != content_hash_id(parse(commission("P2")))


def test_commodity_categories():
    assert Commodity.PORK.category is Category.MEAT
    assert Commodity.LIVE_PIG.category is Category.LIVESTOCK
    assert Commodity.SPINACH.category is Category.VEGETABLE
    assert CertKind.CLENBUTEROL_TEST.is_test and not CertKind.MEAT_QUALITY.is_test


def test_every_vocabulary_value_has_both_labels():
    from foodtrace.model import vocab

    for enum in (vocab.PartyKind, vocab.Commodity, vocab.Unit, vocab.TransformKind, vocab.CertKind,
                 vocab.Result, vocab.InputKind, EventType, vocab.Category, vocab.HandoffAction):
        for member in enum:
            zh, en = LABELS[member.value]
            assert zh and en and zh != en or member.value == "kg"
    assert PartyKind.SCHOOL_CANTEEN.label("zh") == "学校食堂"
    assert PartyKind.SCHOOL_CANTEEN.label("en") == "school canteen"


RECALL = {"type": "recall", "event_time": "2025-03-06T09:00:00+08:00", "party": "REG", "recall_id": "RC-7",
          "lots": ["PIG"], "reason": "瘦肉精检测 T-7 不合格", "trigger": "failed_test", "trigger_events": ["t-7"],
          "affected": ["PIG", "CARC"], "holders": ["F1", "S1"]}


def test_a_recall_without_an_english_reason_keeps_its_id_and_digest():
    ev = parse(RECALL)
    # the content hash of this very event as the code computed it before ``reason_en`` existed
    assert content_hash_id(ev) == ("ni:///sha-256;bbdd63c3abe9d95ea62e0697c860d3542578c2512d5459ffeeb9469c5378d4fc"
                                   "?ver=foodtrace1")
    assert "reason_en" not in canonical_content(ev)
    both = parse({**RECALL, "reason_en": "clenbuterol test T-7 failed"})
    assert '"reason_en":"clenbuterol test T-7 failed"' in canonical_content(both)
    assert content_hash_id(both) != content_hash_id(ev)
