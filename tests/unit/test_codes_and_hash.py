"""GS1 / SB/T identifiers, lenient JSON and the CBV 2.0 event hash."""

from __future__ import annotations

import copy
from datetime import date
import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from foodtrace.errors import InvalidInput
from foodtrace.ingest.cbv_hash import event_hash, pre_hash_string
from foodtrace.ingest.jsonc import loads_lenient
from foodtrace.model.codes import (
    CodeError,
    canonical_code,
    check_digit,
    digital_link,
    parse_digital_link,
    parse_element_string,
    parse_epc_urn,
    parse_sbt,
    sbt_code,
)
from foodtrace.services.tracing.identifiers import describe

# The example of the CBV 2.0 standard's event hash section (the same pre-hash
# string and hash as GS1's reference implementation, epcis-event-hash-generator 1.9.3).
STANDARD_EXAMPLE = {
    "type": "ObjectEvent", "eventTime": "2020-03-04T11:00:30.000+01:00", "eventTimeZoneOffset": "+01:00",
    "recordTime": "2020-03-04T11:00:30.999+01:00",
    "epcList": ["urn:epc:id:sscc:4012345.0000000333", "urn:epc:id:sscc:4012345.0000000111",
                "urn:epc:id:sscc:4012345.0000000222"],
    "action": "OBSERVE", "bizStep": "departing", "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987"},
    "example:myField1": {"example:mySubField1": "2", "example:mySubField2": "5"},
    "example:myField2": "0", "example:myField3": {"example:mySubField3": ["3", "1"]},
}
PREFIXES = {"example": "https://ns.example.com/epcis/"}


def test_standard_example_pre_hash_and_hash():
    pre = pre_hash_string(STANDARD_EXAMPLE, PREFIXES)
    assert pre.startswith("eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00"
                          "epcListepc=https://id.gs1.org/00/040123450000001112")
    assert "bizStep=https://ref.gs1.org/cbv/BizStep-departingreadPointid=https://id.gs1.org/414/4012345000115/254/987" in pre
    assert pre.endswith("{https://ns.example.com/epcis/}myField3{https://ns.example.com/epcis/}mySubField3=1"
                        "{https://ns.example.com/epcis/}mySubField3=3")
    assert event_hash(STANDARD_EXAMPLE, PREFIXES) == \
        "ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7?ver=CBV2.0"


def test_error_declaration_event_id_and_record_time_do_not_change_the_hash():
    ev = copy.deepcopy(STANDARD_EXAMPLE)
    ev.update(eventID="urn:uuid:1", recordTime="2030-01-01T00:00:00Z",
              errorDeclaration={"declarationTime": "2030-01-01T00:00:00Z", "reason": "incorrect_data"})
    assert event_hash(ev, PREFIXES) == event_hash(STANDARD_EXAMPLE, PREFIXES)


def _shuffled(x, rnd: random.Random):
    if isinstance(x, dict):
        items = list(x.items())
        rnd.shuffle(items)
        return {k: _shuffled(v, rnd) for k, v in items}
    if isinstance(x, list):
        items = [_shuffled(v, rnd) for v in x]
        rnd.shuffle(items)
        return items
    return x


RICH = {
    "type": "ObjectEvent", "eventTime": "2019-04-02T15:00:00.1234+01:00", "eventTimeZoneOffset": "+01:00",
    "action": "OBSERVE", "bizStep": "urn:epcglobal:cbv:bizstep:receiving", "disposition": "in_progress",
    "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 200.50, "uom": "KGM"},
                     {"epcClass": "https://id.gs1.org/01/09520123456788/10/L1", "quantity": 3}],
    "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:0614141073467:1"},
                           {"type": "desadv", "bizTransaction": "urn:epcglobal:cbv:bt:0614141073467:2"}],
    "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00225"},
                   {"type": "location", "source": "urn:epc:id:sgln:4012345.00225.0"}],
    "sensorElementList": [{"sensorMetadata": {"time": "2019-04-02T13:05:00Z"},
                           "sensorReport": [{"type": "Temperature", "value": 26, "uom": "CEL"},
                                            {"type": "gs1:RelativeHumidity", "value": 12.1, "uom": "A93"}]}],
    "ilmd": {"cbvmda:lotNumber": "998877", "example:grade": ["A", "B"]},
    "example:note": {"example:a": "1", "example:b": True},
}


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_hash_ignores_key_order_and_the_order_of_unordered_lists(seed):
    rnd = random.Random(seed)
    assert event_hash(_shuffled(RICH, rnd), PREFIXES) == event_hash(RICH, PREFIXES)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["eventTime", "bizStep", "quantityList", "example:note", "ilmd", "sensorElementList"]),
       st.text(min_size=1, max_size=5))
def test_any_change_changes_the_hash(field, text):
    changed = copy.deepcopy(RICH)
    changed[field] = {"eventTime": "2019-04-02T15:00:01+01:00", "bizStep": "shipping"}.get(field, [text]) \
        if field in ("eventTime", "bizStep", "quantityList") else {"example:x": text}
    if field == "quantityList":
        changed[field] = [{"epcClass": "https://id.gs1.org/01/09520123456788/10/" + text.encode().hex(), "quantity": 1}]
    assert event_hash(changed, PREFIXES) != event_hash(RICH, PREFIXES)


def test_the_same_event_written_differently_hashes_alike():
    a = {"type": "ObjectEvent", "eventTime": "2020-01-01T08:00:00+08:00", "eventTimeZoneOffset": "+08:00",
         "action": "OBSERVE", "bizStep": "shipping", "quantityList": [
             {"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 1.50, "uom": "KGM"}]}
    b = {**a, "eventTime": "2020-01-01T00:00:00.000Z", "bizStep": "https://ref.gs1.org/cbv/BizStep-shipping",
         "quantityList": [{"epcClass": "https://example.org/01/04012345123456/10/998877?x=1", "quantity": 1.5,
                           "uom": "KGM"}]}
    assert event_hash(a) == event_hash(b)


def test_gs1_keys_and_digital_links():
    assert check_digit("952012345678") == "8" and check_digit("0401234500000033") == "3"
    assert digital_link("9520123456788", lot="A/1") == "https://id.gs1.org/01/09520123456788/10/A%2F1"
    dl = parse_digital_link("https://brand.example/x/01/09520123456788/22/v/10/ABC?17=261231")
    assert (dl.gtin, dl.lot, dl.attributes) == ("09520123456788", "ABC", {"17": "261231"})
    with pytest.raises(CodeError, match="check digit"):
        parse_digital_link("https://id.gs1.org/01/09520123456787/10/ABC")
    es = parse_element_string("(01)09520123456788(10)ABC(17)261231")
    assert es.uri() == "https://id.gs1.org/01/09520123456788/10/ABC" and es.attributes == {"17": "261231"}
    assert es.element_string() == "(01)09520123456788(10)ABC(17)261231"
    with pytest.raises(CodeError, match="check digit"):
        parse_element_string("(01)09520123456787(10)ABC")
    with pytest.raises(CodeError, match="6 digits"):
        parse_element_string("(01)09520123456788(17)2612")
    assert parse_epc_urn("urn:epc:id:sscc:4012345.0000000333").uri() == "https://id.gs1.org/00/040123450000003338"
    assert canonical_code("urn:epc:class:lgtin:4012345.012345.998877") == \
        canonical_code("(01)04012345123456(10)998877") == "https://id.gs1.org/01/04012345123456/10/998877"
    assert canonical_code("urn:foodtrace:lot:PIG-1") == "PIG-1" and canonical_code("PIG-1") == "PIG-1"


def test_sbt_codes():
    code = sbt_code("330106", "5104", date(2025, 1, 2), 6)
    assert code == "3301065104202501020000006"
    parsed = parse_sbt(code)
    assert (parsed.area, parsed.node_type, parsed.serial) == ("330106", "51", 6)
    assert parse_sbt("3301065104202513020000006") is None  # month 13
    assert describe(code)["kind"] == "sbt" and describe("(01)09520123456788(10)X")["kind"] == "gs1"
    assert describe("(01)09520123456787(10)X")["kind"] == "invalid"


def test_lenient_json_keeps_urls_in_strings_and_warns():
    data, warnings = loads_lenient('{"u": "https://a.example//b", /* x */ "l": [1, 2,], // end\n}', "f.json")
    assert data == {"u": "https://a.example//b", "l": [1, 2]}
    assert len(warnings) == 4 and all(w.startswith("f.json: line") for w in warnings)
    assert loads_lenient(json.dumps({"a": "//"}))[1] == []
    with pytest.raises(InvalidInput, match="malformed JSON") as exc:
        loads_lenient('{"a": 1\n "b": 2}')
    assert exc.value.details[0]["position"] == 2
