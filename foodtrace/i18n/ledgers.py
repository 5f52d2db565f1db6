"""Texts of the ready-to-fill ledger templates (``ingest.ledger_book``): the hidden sheet of the
drop-down lists (词表), its column headers and its note, in zh and en."""

LEDGER_TEXT: dict[str, tuple[str, str]] = {
    "lists_sheet": ("词表", "Lists"),
    "lists_product": ("产品", "Product"),
    "lists_unit": ("单位", "Unit"),
    "lists_result": ("结果", "Result"),
    "lists_cert_kind": ("证明或检测类别", "Kind of certificate or test"),
    "lists_note": ("本表为台账下拉列表的可选值；也可填写其他常用名称（如“白条肉”“毛猪”）或代码（如 live_pig）。",
                   "The choices of the ledger's drop-down lists; other common names (such as pigs or chicken) "
                   "and codes (such as live_pig) are read too."),
}
