"""The warnings of a lenient EPCIS reading (``ingest.epcis_lenient``) in zh and en.

A warning is a ``Keyed`` string: its text is the English one (what API clients and the EPCIS REST
binding's capture jobs have always read) and it keeps its message key and arguments, so that the
command line (``--lang``) and the import route (``?lang=`` / ``Accept-Language``) say it in the
reader's language (``said``). Field paths are JSON paths of the partner's document, shown as they are.
"""

from __future__ import annotations

from typing import Any

# key -> (zh, en)
EPCIS_WARNINGS: dict[str, tuple[str, str]] = {
    "blank_document_id": ("{where}：“{given}”是 JSON-LD 空节点而非 URI，已忽略文档标识",
                          "{where}: '{given}' is a JSON-LD blank node, not a URI: the document id is ignored"),
    "version_as_number": ("{where}：版本号写成了数字 {given}，按文本“{text}”读取",
                          "{where}: given as the number {given}: read as the text '{text}'"),
    "one_not_list": ("{where}：此处应为列表，给出的是单个值，按只含一项的列表读取",
                     "{where}: a single value where a list is expected: read as a list of one"),
    "one_event_not_list": ("{where}：此处应为事件列表，给出的是单个事件，按只含一项的列表读取",
                           "{where}: a single event where a list is expected: read as a list of one"),
    "empty_left_out": ("{where}：为空，已略去", "{where}: empty: left out"),
    "id_as_event_id": ("{where}：“{given}”写在 id 中，按 eventID 读取", "{where}: '{given}' given as id: read as eventID"),
    "id_not_event_id": ("{where}：“{given}”不是事件标识，已略去（以事件哈希为标识）",
                        "{where}: '{given}' is not an eventID: left out (the event hash is the id)"),
    "sensor_type_left_out": ("{where}：不是传感器元素的 EPCIS 字段，已略去",
                             "{where}: not an EPCIS field of a sensor element: left out"),
    "line_comment": ("{where}：第 {line} 行的 // 注释已忽略", "{where}: line {line}: // comment ignored"),
    "block_comment": ("{where}：第 {line} 行的 /* */ 注释已忽略", "{where}: line {line}: /* comment */ ignored"),
    "trailing_comma": ("{where}：第 {line} 行末多余的逗号已忽略", "{where}: line {line}: trailing comma ignored"),
    "gln_check_digit": ("{where}：“{given}”中全球位置码的校验码有误（应为 {expected}），仍按所给的主体标识读取",
                        "{where}: the GLN in '{given}' has a wrong check digit (expected {expected}): read as the "
                        "party's id as given"),
    "query_header": ("{where}：EPCIS 2.0 的查询文档不含此项，仅读取其中的主数据",
                     "{where}: not part of an EPCISQueryDocument in EPCIS 2.0: read for its master data only"),
}


class Keyed(str):
    """A warning's English text that keeps its message key and arguments."""

    key: str
    args: dict[str, Any]

    def __new__(cls, key: str, **args: Any) -> "Keyed":
        text = super().__new__(cls, EPCIS_WARNINGS[key][1].format(**args))
        text.key, text.args = key, args
        return text


def said(warning: str, lang: str) -> str:
    """``warning`` in ``lang`` (zh or en); a plain string as it is."""
    if isinstance(warning, Keyed) and lang != "en":
        return EPCIS_WARNINGS[warning.key][0].format(**warning.args)
    return str(warning)


__all__ = ["EPCIS_WARNINGS", "Keyed", "said"]
