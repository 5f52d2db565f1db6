"""Ready-to-fill ledger workbooks (``foodtrace template KIND``): one sheet named after the ledger,
its headers (Chinese, or English), an example row, drop-down lists for the vocabularies (products,
units, results, kinds of tests) from a hidden sheet, date cells in the time column. The importer
reads a filled one back (``ledgers``) and skips the example row when it was left as written.

Also a business's own ledger rows written as a workbook (``ledger_workbook``): what a stall shows
the market-supervision officer (进货查验记录)."""

from __future__ import annotations

from datetime import date, datetime
import io
from typing import Any

from foodtrace.i18n import t
from foodtrace.ingest.ledger_layouts import LEDGERS, Column, Ledger
from foodtrace.ingest.ledger_words import TEMPLATE_UNITS, names, unit, word
from foodtrace.ingest.spreadsheet import safe_cell
from foodtrace.model.registry import ALL_LABELS

FILL_ROWS = 500  # rows of the template prepared with drop-downs and date cells
_VOCAB_COLUMNS = {"product": "product", "cert_kind": "cert_kind", "result": "result"}


def header_text(c: Column, lang: str) -> str:
    h = c.en if lang == "en" else c.zh
    if c.kind == "money":
        h += " (yuan)" if lang == "en" else "（元）"
    return h


def _example_word(kind: str, value: Any, lang: str) -> Any:
    """An example cell as a reader of ``lang`` writes it: a product, kind of test, result or unit by
    its name in that language (the examples are written in Chinese)."""
    if lang != "en" or not isinstance(value, str):
        return value
    if kind == "unit":
        found = unit(value)
        return ALL_LABELS[found[0]][1] if found else value
    if kind in ("product", "cert_kind", "result"):
        found = word(kind, value)
        return ALL_LABELS[found][1] if found else value
    return value


def example_row(ledger: Ledger, lang: str = "zh") -> list[Any]:
    out = []
    for c in ledger.columns:
        v = _example_word(c.kind, c.example, lang)
        if c.kind == "time" and isinstance(v, str):
            v = datetime.fromisoformat(v) if " " in v else date.fromisoformat(v)
        out.append(v)
    return out


def _lists(book, lang: str) -> dict[str, str]:
    """The hidden sheet of the drop-down lists (词表), headed and explained in ``lang``."""
    sheet = t("lists_sheet", lang)
    ws = book.create_sheet(sheet)
    ws.sheet_state = "hidden"
    refs = {}
    vocab = {"product": names("product", lang), "unit": TEMPLATE_UNITS if lang != "en" else ["kg", "head", "piece"],
             "result": names("result", lang), "cert_kind": names("cert_kind", lang)}
    for col, (key, values) in enumerate(vocab.items(), start=1):
        letter = chr(64 + col)
        ws.cell(1, col, t(f"lists_{key}", lang))
        for i, v in enumerate(values, start=2):
            ws.cell(i, col, v)
        refs[key] = f"'{sheet}'!${letter}$2:${letter}${len(values) + 1}"
    ws.cell(1, len(vocab) + 2, t("lists_note", lang))
    return refs


def template_workbook(kind: str, lang: str = "zh") -> bytes:
    """The template of ledger ``kind`` (``ledger_layouts.TEMPLATE_KINDS``) as ``.xlsx`` bytes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ledger = LEDGERS[kind]
    book = Workbook()
    ws = book.active
    ws.title = ledger.en if lang == "en" else ledger.zh
    refs = _lists(book, lang)
    ws.append([header_text(c, lang) for c in ledger.columns])
    ws.append([safe_cell(v) for v in example_row(ledger, lang)])
    bold, grey = Font(bold=True), Font(italic=True, color="808080")
    need = PatternFill("solid", fgColor="FFF2CC")
    for i, c in enumerate(ledger.columns, start=1):
        letter = get_column_letter(i)
        head = ws.cell(1, i)
        head.font = bold
        if c.required:
            head.fill = need
        ws.cell(2, i).font = grey
        ws.column_dimensions[letter].width = max(12, 2 * len(head.value) + 4)
        rng = f"{letter}2:{letter}{FILL_ROWS + 1}"
        list_ref = refs.get("unit" if c.kind == "unit" else _VOCAB_COLUMNS.get(c.kind, ""))
        if list_ref:
            dv = DataValidation(type="list", formula1=list_ref, allow_blank=True, showErrorMessage=False)
            ws.add_data_validation(dv)
            dv.add(rng)
        if c.kind == "time":
            for r in range(2, FILL_ROWS + 2):
                ws.cell(r, i).number_format = "yyyy-mm-dd hh:mm" if kind == "settlement" else "yyyy-mm-dd"
    ws.cell(1, 1).comment = Comment("第 2 行为示例，可删除；原样保留时导入会跳过。" if lang != "en" else
                                    "Row 2 is an example: delete it or leave it as it is (the import skips it).",
                                    "foodtrace")
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_workbook(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """Sheets of (title, headers, rows) as ``.xlsx`` bytes, every text cell spreadsheet-safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        ws = book.create_sheet(title[:31])
        ws.append(headers)
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in rows:
            ws.append([safe_cell(v) for v in row])
        for i in range(1, len(headers) + 1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
