"""The importers' errors keyed (``i18n/input_errors.py``): said in Chinese by ``localize``, the English
unchanged — CSV layouts, EPCIS documents, JSON that is refused, the notes on positions."""

from __future__ import annotations

import pytest

from foodtrace.errors import Conflict, InvalidInput
from foodtrace.i18n.keyed import keyed, noted
from foodtrace.i18n.refusals import localize, refusal
from foodtrace.ingest import safe_json
from foodtrace.ingest.csv_import import read_rows
from foodtrace.ingest.epcis import parse_document, validate_document


def _both(call) -> tuple[InvalidInput, InvalidInput]:
    with pytest.raises(InvalidInput) as zh:
        call()
    with pytest.raises(InvalidInput) as en:
        call()
    return localize(zh.value, "zh"), localize(en.value, "en")


def test_csv_layout_errors_in_chinese():
    zh, en = _both(lambda: read_rows([["bogus"]]))
    assert zh.message == "表头无效，未存入任何记录" and en.message == "the CSV header is not valid; nothing was stored"
    assert [d["reason"] for d in zh.details] == ["无法识别的列；请参阅使用说明中的表格格式", "须有“类型”列"]
    assert [d["reason"] for d in en.details] == ["unknown column; see the CSV layouts in the README",
                                                 "a 'type' (类型) column is required"]
    zh, en = _both(lambda: read_rows([["type", "event_time", "party", "inputs", "outputs", "kind"],
                                      ["transformation", "2025-03-01T08:00:00+08:00", "S1", "A 1", "B", "cut"]]))
    assert "'A 1'：每项应为“追溯码 数量 单位”" in [d["reason"] for d in zh.details]
    assert "'A 1': expected 'CODE QUANTITY UNIT'" in [d["reason"] for d in en.details]
    assert en.message.endswith("error(s) in the CSV file; nothing was stored (positions are rows)")


def test_epcis_document_errors_in_chinese():
    zh, en = _both(lambda: validate_document([]))
    assert zh.message == "EPCIS 文档须为一个对象" and en.message == "an EPCIS document must be a JSON object"
    zh, en = _both(lambda: parse_document(b"\xff\xfe{", "partner.json"))
    assert zh.message == "partner.json：不是 UTF-8 编码的文本" and en.message == "partner.json: not UTF-8 text"


def test_refused_json_in_chinese():
    zh, en = _both(lambda: safe_json.loads('{"a": [1e999]}'))
    assert zh.message == "数据中含有非有限或超出范围的数值" and zh.details[0]["reason"] == "数值 1e999 超出范围"
    assert en.message == "the JSON holds numbers that are not finite or out of range"
    assert en.details[0] == {"position": None, "field": "a[0]", "reason": "number 1e999 is out of range",
                             "key": "json_out_of_range"}
    zh, en = _both(lambda: safe_json.loads('{"a" 1}', source="line 3"))
    assert zh.message == "line 3：数据格式错误" and en.message == "line 3: malformed JSON"
    assert en.details[0]["reason"] == "Expecting ':' delimiter at line 1, column 6"
    assert zh.details[0]["reason"] == "Expecting ':' delimiter（第 1 行第 6 列）"


def test_a_note_on_positions_is_said_with_the_message_once():
    def refused() -> Conflict:
        exc = keyed(Conflict, "store_not_stored", [refusal(0, "event_id", "store_conflict", event="E-1")])
        noted(exc, "note_epcis_positions")
        noted(exc, "note_epcis_positions")
        return exc

    assert refused().message == "the batch was not stored (positions are EPCIS event numbers, from 0)"
    assert localize(refused(), "zh").message == "本批记录未存入（位置为文档中记录的序号，从 0 起）"
    plain = InvalidInput("bad")
    noted(plain, "note_rows")
    assert plain.message == "bad (positions are rows)"


def test_a_bad_store_url_is_said_in_chinese():
    from foodtrace.errors import ConfigError
    from foodtrace.graph import open_store

    with pytest.raises(ConfigError) as zh:
        open_store("ftp://somewhere")
    assert localize(zh.value, "zh").message.startswith("无法识别的存储库地址 'ftp://somewhere'；可用：sqlite:///")
    with pytest.raises(ConfigError) as en:
        open_store("sqlite://")
    assert en.value.message == "store URL 'sqlite://': expected sqlite:///path.db"
    assert localize(en.value, "zh").message == "存储库地址 'sqlite://' 无效：应为 sqlite:///path.db"


def test_epcis_schema_errors_are_said_in_chinese_and_keep_jsonschemas_english():
    from foodtrace.ingest.epcis import _validator

    doc = {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"], "type": "EPCISDocument",
           "schemaVersion": "2.0", "creationDate": "yesterday",
           "epcisBody": {"eventList": [{"type": "ObjectEvent", "eventTime": "2025-03-01T08:00:00+08:00",
                                        "eventTimeZoneOffset": "+08:00", "action": "MAKE", "epcList": []},
                                       {"type": "ObjectEvent", "eventTimeZoneOffset": "+01:00", "action": "ADD"}]}}
    zh, en = _both(lambda: validate_document(doc))
    raw = sorted(e.message[:300] for e in _validator().iter_errors(doc))
    assert set(raw) <= {d["reason"] for d in en.details}  # jsonschema's own English, as before
    said = {d["reason"] for d in zh.details}
    assert "'yesterday' 不是有效的 date-time" in said and "缺少必填项 eventTime" in said
    assert "'MAKE' 不是可选值 ['OBSERVE', 'ADD', 'DELETE'] 之一" in said
    n = len(en.details)
    assert zh.message == f"不是有效的 EPCIS 2.0 文档（{n} 处问题），未存入任何记录"
    assert en.message == f"not a valid EPCIS 2.0 document ({n} problem(s)); nothing was stored"


def test_the_stores_failures_are_said_in_chinese():
    import sqlite3

    import neo4j.exceptions as nx

    from foodtrace.graph import neo4j_store, sqlite_support

    busy = sqlite_support._translate(sqlite3.OperationalError("database is locked"))
    assert busy.message == "the SQLite store is busy (locked by another writer past the timeout): database is locked"
    assert localize(busy, "zh").message == "SQLite 存储库繁忙（超时仍被其他写入方锁定）：database is locked"
    gone = neo4j_store._translate(nx.ServiceUnavailable("no route"))
    assert gone.message == "Neo4j store unavailable: no route"
    assert localize(gone, "zh").message == "Neo4j 存储库不可用：no route"
    race = neo4j_store._translate(nx.ConstraintError())
    assert race.code == "constraint_race" and localize(race, "zh").message == "另一写入方同时存入了同一条记录，请重试"
