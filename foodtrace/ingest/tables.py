"""Spreadsheet files as tables of cells: an ``.xlsx`` workbook (every sheet) or a CSV file in UTF-8
(with or without a byte-order mark) or GB18030/GBK, as Excel saves it on Chinese Windows. The text
encoding is detected by ``charset-normalizer`` (MIT), among the encodings ledgers are written in.

Sizes are bounded: a file of more rows or columns than a ledger has, or a workbook that unpacks to more
than ``MAX_UNPACKED`` bytes (a zip bomb: a few hundred kilobytes that unpack to gigabytes), is refused,
not read."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from charset_normalizer import from_bytes

from foodtrace.errors import InvalidInput, TooLarge, detail
from foodtrace.ingest.ledger_words import say

MAX_ROWS = 50_000
MAX_COLUMNS = 60
MAX_UNPACKED = 100_000_000  # bytes of a workbook's parts unpacked; a full ledger of MAX_ROWS rows is a third of it
# What Chinese ledgers are saved in: UTF-8 (Excel's "CSV UTF-8"), GB18030 (a superset of GBK and GB2312:
# Excel's plain "CSV" on Chinese Windows), Big5 (Traditional Chinese Windows), UTF-16 (Excel's "Unicode text").
ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16"]


@dataclass
class Table:
    sheet: str | None  # the sheet's name (None for a CSV file)
    rows: list[list[Any]]  # the header is rows[0] (row 1)


def decode_text(data: bytes, lang: str = "zh") -> str:
    """CSV bytes as text: UTF-8 (a BOM is dropped) when they are UTF-8, else the encoding detected."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=ENCODINGS).best()
    if best is None:
        raise InvalidInput(say("not_utf8", lang), [detail(None, "file", say("not_utf8", lang))])
    encoding = "gb18030" if best.encoding in ("gbk", "gb2312", "gb18030") else best.encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInput(say("not_utf8", lang), [detail(None, "file", exc.reason)]) from exc


def _bounded(rows: list[list[Any]], sheet: str | None, lang: str) -> list[list[Any]]:
    if len(rows) > MAX_ROWS:
        raise InvalidInput(say("too_many_rows", lang, max=MAX_ROWS),
                           [detail(MAX_ROWS + 1, sheet or "file", say("too_many_rows", lang, max=MAX_ROWS))])
    return [r[:MAX_COLUMNS] for r in rows]


def read_csv_table(data: bytes | str, lang: str = "zh") -> Table:
    text = decode_text(data, lang) if isinstance(data, bytes) else data.lstrip("\ufeff")
    rows: list[list[Any]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:  # a cell past the reader's limit (131,072 characters), a quote never closed
        args = {"row": reader.line_num, "max": csv.field_size_limit()}  # said in the reader's language here
        raise InvalidInput(say("cell_too_long", lang, **args),
                           [detail(reader.line_num, "file", say("cell_too_long", lang, **args))]) from exc
    return Table(None, _bounded(rows, None, lang))


def read_xlsx_tables(data: bytes, lang: str = "zh") -> list[Table]:
    """Every sheet of a workbook, its cells as openpyxl reads them (text, numbers, dates), formulas' last values."""
    from openpyxl import load_workbook

    _unpacks_within_bounds(data, lang)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise InvalidInput(say("not_xlsx", lang), [detail(None, "file", say("not_xlsx", lang))]) from exc
    except Exception as exc:  # openpyxl's own InvalidFileException and XML errors of a damaged file
        raise InvalidInput(say("not_xlsx", lang), [detail(None, "file", type(exc).__name__)]) from exc
    tables = []
    try:
        for ws in book.worksheets:
            if ws.sheet_state != "visible":  # a template's hidden lists of words
                continue
            rows: list[list[Any]] = []
            for row in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                rows.append(list(row))
                if len(rows) > MAX_ROWS:
                    break
            while rows and not any(c not in (None, "") for c in rows[-1]):
                rows.pop()
            if rows:
                tables.append(Table(ws.title, _bounded(rows, ws.title, lang)))
    finally:
        book.close()
    return tables


def _unpacks_within_bounds(data: bytes, lang: str) -> None:
    """Refuse a workbook whose parts unpack to more than ``MAX_UNPACKED`` bytes, before any is unpacked.
    The sizes are those the zip declares: ``zipfile`` reads no more of a part than its declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidInput(say("not_xlsx", lang), [detail(None, "file", say("not_xlsx", lang))]) from exc
    if unpacked > MAX_UNPACKED:
        most = MAX_UNPACKED // 1_000_000  # said in the reader's language here
        raise TooLarge(say("xlsx_too_big", lang, max=most), [detail(None, "file", say("xlsx_too_big", lang, max=most))])


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out
