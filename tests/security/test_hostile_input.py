"""One test per attack on the way in: each is refused with 422 (or 4xx) naming the field, nothing is
stored, and the district check, the lot's trace and its consumer page still work afterwards."""

from __future__ import annotations

import json

import pytest

from tests.builders import commission

T = "2025-03-01T08:00:00+08:00"
JSON = {"content-type": "application/json"}


def _post(api, path, raw, who="admin"):
    return api.client.post(path, content=raw if isinstance(raw, (bytes, str)) else json.dumps(raw),
                           headers={**api.h(who), **JSON})


def _fields(r) -> list[str]:
    return [str(d.get("field")) for d in r.json()["error"]["details"]]


def _refused(r, field: str) -> None:
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_input"
    assert any(field in f for f in _fields(r)), (field, r.text)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_non_finite_quantity_in_events(api, unharmed, literal):
    raw = json.dumps([commission("EVIL", qty=1)]).replace('"quantity": 1', f'"quantity": {literal}')
    _refused(_post(api, "/api/v1/events", raw), "lots[0].quantity")
    unharmed()


@pytest.mark.parametrize("literal", ["NaN", "1e999"])
def test_non_finite_quantity_in_receipts(api, unharmed, literal):
    raw = ('{"code": "RL", "receiver": "M1", "quantity": %s, "unit": "kg", "document": "D1"}' % literal)
    _refused(_post(api, "/api/v1/receipts", raw), "quantity")
    unharmed()


def test_huge_number_that_sums_to_infinity(api, unharmed):
    r = _post(api, "/api/v1/events", [commission("EVIL", qty=1.7e308)])
    _refused(r, "quantity")
    unharmed()


def test_integer_past_2_53(api, unharmed):
    raw = json.dumps([commission("EVIL")]).replace('"quantity": 10', '"quantity": ' + "9" * 5000)
    _refused(_post(api, "/api/v1/events", raw), "quantity")
    unharmed()


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00",
                                  "1969-12-31T23:59:59+00:00", "2200-01-01T00:00:00+00:00"])
def test_event_time_out_of_range(api, unharmed, when):
    _refused(_post(api, "/api/v1/events", [commission("EVIL", time=when)]), "event_time")
    unharmed()


def test_receipt_time_out_of_range(api, unharmed):
    r = _post(api, "/api/v1/receipts", {"code": "RL", "receiver": "M1", "quantity": 1, "unit": "kg",
                                        "document": "D1", "event_time": "0001-01-01T00:00:00+08:00"})
    _refused(r, "event_time")
    unharmed()


def test_supervision_time_out_of_range(api, unharmed):
    r = _post(api, "/api/v1/supervision/inspections", {"subject": "W1", "outcome": "compliant",
                                                        "inspectors": ["A"], "at": "9999-12-31T23:59:59-08:00"},
              who="inspector")
    _refused(r, "at")
    unharmed()


@pytest.mark.parametrize("query,field", [("/api/v1/supervision/risk?as_of=0001-01-01T00:00:00%2B08:00", "as_of"),
                                         ("/api/v1/reports/district?from=0001-01-01", "from"),
                                         ("/api/v1/reports/district?to=9999-12-31", "to")])
def test_query_dates_out_of_range(api, unharmed, query, field):
    _refused(api.client.get(query, headers=api.h("inspector")), field)
    unharmed()


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/epcis/capture", "/api/v1/receipts",
                                  "/api/v1/complaints", "/api/v1/supervision/inspections"])
def test_json_nested_5000_levels(api, unharmed, path):
    r = _post(api, path, '{"a":' * 5000 + "1" + "}" * 5000, who="admin")
    assert r.status_code == 422 and "nested deeper" in r.json()["error"]["message"]
    unharmed()


def test_json_nested_past_the_configured_depth(api, unharmed):
    ev = commission("EVIL")
    deep: dict = {}
    cur = deep
    for _ in range(40):
        cur["x"] = {}
        cur = cur["x"]
    ev["attributes"] = deep
    r = _post(api, "/api/v1/events", [ev])
    assert r.status_code == 422 and "nested deeper than 32" in r.json()["error"]["message"]
    assert r.json()["error"]["details"][0]["position"] == 0
    unharmed()


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u0000", "\u0085", "\u001b"])
def test_bidi_and_control_characters_in_codes(api, unharmed, char):
    _refused(_post(api, "/api/v1/events", [commission(f"LOT{char}1")]), "lots[0].code")
    unharmed()


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u001b"])
def test_bidi_and_control_characters_in_names(api, unharmed, char):
    ev = {"type": "party_registration", "event_time": T, "party": "ADMIN",
          "registered": {"id": "EVIL1", "name": f"Good{char}Farm", "kind": "scale_farm", "area_code": "330106"}}
    _refused(_post(api, "/api/v1/events", [ev]), "name")
    unharmed()


def test_bidi_characters_in_a_complaint(api, unharmed):
    r = _post(api, "/api/v1/complaints", {"lots": ["RCPT"], "description": "bad \u202emeat"}, who="inspector")
    _refused(r, "description")
    unharmed()


def test_non_finite_number_in_an_epcis_document(api, unharmed):
    doc = ('{"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument", '
           '"schemaVersion": "2.0", "creationDate": "2025-03-01T08:00:00+08:00", "epcisBody": {"eventList": [{'
           '"type": "ObjectEvent", "eventTime": "2025-03-01T08:00:00+08:00", "eventTimeZoneOffset": "+08:00", '
           '"action": "ADD", "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.LOT1", '
           '"quantity": NaN}]}]}}')
    r = _post(api, "/api/v1/epcis/capture", doc)
    _refused(r, "quantity")
    unharmed()


@pytest.mark.parametrize("path", ["/api/v1/lots/%FF%FE", "/api/v1/lots/%ZZ", "/l/%C0%80", "/01/%FF/10/X"])
def test_broken_percent_encoding_in_the_path(api, unharmed, path):
    r = api.client.get(path, headers=api.h("inspector"))
    _refused(r, "path")
    unharmed()


def test_cli_jsonl_ingest_refuses_non_finite_and_deep(api, tmp_path, unharmed):
    from foodtrace.errors import InvalidInput
    from foodtrace.services.capture.imports import ingest_file_as
    from foodtrace.services.capture.principal import local

    f = tmp_path / "evil.jsonl"
    f.write_text(json.dumps(commission("OK9")) + "\n"
                 + json.dumps([commission("EVIL")])[1:-1].replace('"quantity": 10', '"quantity": Infinity') + "\n"
                 + '{"a":' * 100 + "1" + "}" * 100 + "\n")
    with pytest.raises(InvalidInput) as exc:
        ingest_file_as(api.store, local(), f)
    assert {d["position"] for d in exc.value.details} == {2, 3}
    assert any("quantity" in str(d["field"]) for d in exc.value.details)
    unharmed()


def test_model_refuses_nan_whichever_parser_made_it(api, unharmed):
    """CSV and XLSX ledgers give floats that never passed the JSON decoder: the model's types refuse them."""
    from foodtrace.errors import InvalidInput
    from foodtrace.ingest.capture import capture

    for qty in (float("nan"), float("inf")):
        with pytest.raises(InvalidInput) as exc:
            capture(api.store, [commission("EVIL", qty=qty)])
        assert exc.value.details[0]["field"] == "lots[0].quantity" and "finite" in exc.value.details[0]["reason"]
    unharmed()
