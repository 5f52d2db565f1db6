"""Words as people write them in ledgers (台账): products, units, kinds of certificates and results in
Chinese or English, by their standard names or the names of the trade (``白条肉`` is pork, ``毛猪`` a
live pig), and units with their conversion to the unit stored (``斤`` = 0.5 kg).

Also the ledgers' messages, in Chinese and English (``say``)."""

from __future__ import annotations

from foodtrace.model.registry import ALL_LABELS
from foodtrace.model.vocab import CertKind, Commodity, HandoffAction, Result

# The trade's names beside the standard ones (ALL_LABELS gives each value's zh and en label).
SYNONYMS: dict[str, str] = {
    "白条肉": "pork", "白条": "pork", "猪白条": "pork", "鲜猪肉": "pork", "冷鲜猪肉": "pork", "冷鲜肉": "pork",
    "热鲜肉": "pork", "猪": "live_pig", "毛猪": "live_pig", "活猪": "live_pig", "牛": "live_cattle",
    "活牛": "live_cattle", "羊": "live_sheep", "鸡肉": "poultry", "鸭肉": "poultry", "白菜": "cabbage",
    "西红柿": "tomato", "马铃薯": "potato", "洋芋": "potato", "青椒": "pepper", "尖椒": "pepper",
    "青菜": "pak_choi", "上海青": "pak_choi", "pig": "live_pig", "pigs": "live_pig", "cattle": "live_cattle",
    "sheep": "live_sheep", "chicken": "poultry",
    "快检": "pesticide_rapid_test", "农残快检": "pesticide_rapid_test", "农药残留快速检测": "pesticide_rapid_test",
    "瘦肉精": "clenbuterol_test", "瘦肉精快检": "clenbuterol_test", "合格证": "compliance",
    "检疫证": "animal_quarantine", "检疫合格证明": "animal_quarantine", "动物检疫证明": "animal_quarantine",
    "肉品品质检验合格证": "meat_quality", "品质检验合格证": "meat_quality",
    "阴性": "pass", "通过": "pass", "阳性": "fail", "ok": "pass", "ng": "fail",
    "进货": "receive", "购进": "receive", "销售": "ship", "售出": "ship",
}

# Units as written -> (stored unit, factor to it).
UNITS: dict[str, tuple[str, float]] = {
    "kg": ("kg", 1.0), "公斤": ("kg", 1.0), "千克": ("kg", 1.0), "kilogram": ("kg", 1.0), "kilograms": ("kg", 1.0),
    "斤": ("kg", 0.5), "市斤": ("kg", 0.5), "克": ("kg", 0.001), "g": ("kg", 0.001), "吨": ("kg", 1000.0),
    "t": ("kg", 1000.0), "head": ("head", 1.0), "头": ("head", 1.0), "只": ("head", 1.0), "口": ("head", 1.0),
    "piece": ("piece", 1.0), "pieces": ("piece", 1.0), "件": ("piece", 1.0), "箱": ("piece", 1.0),
    "袋": ("piece", 1.0), "盒": ("piece", 1.0), "包": ("piece", 1.0), "个": ("piece", 1.0),
}
# Units as written, in English (a ledger exported in English shows 斤 as jin).
WRITTEN_EN: dict[str, str] = {"斤": "jin (0.5 kg)", "市斤": "jin (0.5 kg)", "公斤": "kg", "千克": "kg", "克": "g",
                              "吨": "t", "头": "head", "只": "head", "口": "head", "件": "piece", "箱": "case",
                              "袋": "bag", "盒": "box", "包": "pack", "个": "piece"}
# The units a template offers (the drop-down), zh first.
TEMPLATE_UNITS = ["千克", "斤", "头", "件"]

VOCABS: dict[str, tuple[str, ...]] = {
    "product": tuple(c.value for c in Commodity if c is not Commodity.OTHER),
    "cert_kind": tuple(c.value for c in CertKind if c is not CertKind.EXTERNAL),
    "result": tuple(r.value for r in Result),
    "action": tuple(a.value for a in HandoffAction),
}


def _index() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for vocab, values in VOCABS.items():
        words: dict[str, str] = {}
        for v in values:
            zh, en = ALL_LABELS[v]
            words.update({v.lower(): v, zh: v, en.lower(): v})
        words.update({k.strip().lower(): v for k, v in SYNONYMS.items() if v in values})
        out[vocab] = words
    return out


_WORDS = _index()


def word(vocab: str, text: str) -> str | None:
    """The value a written word stands for in ``vocab`` (product, cert_kind, result, action), or None."""
    return _WORDS[vocab].get(text.strip().lower())


def unit(text: str) -> tuple[str, float] | None:
    """(stored unit, factor) for a unit as written, or None."""
    return UNITS.get(text.strip().lower()) or UNITS.get(text.strip())


def unit_name(written: str, lang: str) -> str:
    """A unit (stored, ``kg``, or as written, ``斤``) as a reader of ``lang`` reads it."""
    if written in ALL_LABELS:
        zh, en = ALL_LABELS[written]
        return en if lang == "en" else zh
    if lang == "en":
        return WRITTEN_EN.get(written) or (written if written.isascii() else "?")
    return written


def names(vocab: str, lang: str) -> list[str]:
    """The names a template offers for ``vocab`` (its drop-down list), in ``lang``."""
    return [ALL_LABELS[v][1 if lang == "en" else 0] for v in VOCABS[vocab]]


# -- messages ----------------------------------------------------------------------------------

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("必填", "a value is required"),
    "unknown_column": ("无法识别的列名", "unknown column"),
    "missing_column": ("缺少必需的列", "a required column is missing"),
    "no_header": ("没有表头行", "no header row"),
    "empty": ("文件中没有记录", "the file holds no records"),
    "not_number": ("“{value}”不是数字", "{value!r} is not a number"),
    "not_positive": ("应大于 0", "must be greater than 0"),
    "negative": ("不能为负数", "must not be negative"),
    "too_large": ("数值过大", "the number is too large"),
    "bad_time": ("“{value}”不是日期或时间（例如 2025-03-01 或 2025-03-01 08:30）",
                 "{value!r} is not a date or time (e.g. 2025-03-01 or 2025-03-01 08:30)"),
    "time_range": ("日期应在 1970 年至 2200 年之间", "the date must lie between 1970 and 2200"),
    "unknown_word": ("无法识别的{what}“{value}”，可填：{choices}", "unknown {what} {value!r}; one of: {choices}"),
    "unknown_unit": ("无法识别的单位“{value}”，可填：{choices}", "unknown unit {value!r}; one of: {choices}"),
    "unknown_type": ("无法识别的类型“{value}”，可填：{choices}", "unknown type {value!r}; one of: {choices}"),
    "unknown_ledger": ("无法判断台账种类：请使用模板（foodtrace template），或把工作表命名为台账名称，或加“类型”列",
                       "cannot tell which ledger this is: use a template (foodtrace template), name the sheet "
                       "after the ledger, or add a 'type' column"),
    "bad_text": ("含有不允许的字符或为空", "holds characters that are not allowed, or is empty"),
    "too_long": ("过长（最多 {max} 个字符）", "too long (at most {max} characters)"),
    "bad_code": ("不能含空格或控制字符", "must not hold spaces or control characters"),
    "amount_mismatch": ("金额与单价×数量不符", "the amount is not unit price × quantity"),
    "same_party": ("供货方与收货方不能相同", "the supplier and the receiver must differ"),
    "same_code": ("新追溯码不能与原追溯码相同", "the new trace code must differ from the trace code"),
    "invalid": ("取值无效", "invalid value"),
    "not_utf8": ("无法识别文件的文字编码（支持 UTF-8 与 GB18030/GBK）",
                 "cannot tell the file's text encoding (UTF-8 and GB18030/GBK are read)"),
    "not_xlsx": ("不是有效的 Excel（.xlsx）文件", "not a valid Excel (.xlsx) file"),
    "file_errors": ("文件中有 {n} 处错误，未存入任何记录（位置为行号）",
                    "{n} error(s) in the file; nothing was stored (positions are rows)"),
    "header_errors": ("表头有误，未存入任何记录", "the header is not valid; nothing was stored"),
    "not_recorded": ("以下记录不能存入，未存入任何记录（位置为行号）",
                     "some rows may not be recorded; nothing was stored (positions are rows)"),
    "what_product": ("产品", "product"),
    "what_cert_kind": ("证明/检测类别", "kind of certificate or test"),
    "what_result": ("结果", "result"),
    "what_action": ("动作", "action"),
    "converted": ("{value} {written} 已换算为 {stored} {unit}", "{value} {written} converted to {stored} {unit}"),
    "too_many_rows": ("行数过多（最多 {max} 行）", "too many rows (at most {max})"),
    "xlsx_too_big": ("工作簿解压后过大（最多 {max} MB）", "the workbook is too large once unpacked (at most {max} MB)"),
    "cell_too_long": ("第{row}行附近有单元格过长或引号未闭合（每格最多 {max} 个字符）",
                      "a cell near row {row} is too long or its quote is never closed (at most {max} characters a cell)"),
    "row": ("第{row}行", "row {row}"),
    "column": ("“{column}”列", ", column {column}"),
    "rows_note": ("（位置为行号）", " (positions are rows)"),
    "row_refused": ("{place}{column}不能存入：{reason}。共 {n} 处，未存入任何记录（位置为行号）",
                    "{place}{column} may not be recorded: {reason}. {n} in all; nothing was stored "
                    "(positions are rows)"),
}


def say(key: str, lang: str, **kw) -> str:
    zh, en = MESSAGES[key]
    return (en if lang == "en" else zh).format(**kw)
