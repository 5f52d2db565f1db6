"""Spreadsheet-safe text: the one function every CSV and XLSX writer passes its cells through.

A cell whose text starts with ``= + - @`` (or their full-width forms, which some spreadsheet programs read
alike), a tab, a carriage return or a line feed is run as a formula by Excel, LibreOffice and Google Sheets
(CSV injection, OWASP): such text is prefixed with ``'`` so that it shows as written and runs nothing.
Numbers stay numbers.
"""

from __future__ import annotations

from typing import Any, Iterable

UNSAFE = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert; anything else as it is."""
    if isinstance(value, str) and value.startswith(UNSAFE):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]

