"""Lenient JSON for partners' files: ``//`` and ``/* */`` comments and trailing
commas are accepted with a warning (never inside strings: ``"https://…"``
stays whole). Anything else malformed is an error naming line and column."""

from __future__ import annotations

from typing import Any

from foodtrace.errors import InvalidInput
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.ingest.safe_json import MalformedJson
from foodtrace.ingest.safe_json import loads
from foodtrace.i18n.epcis_warnings import Keyed


def _clean(text: str) -> tuple[str, list[tuple[str, int]]]:
    """``text`` with comments blanked and trailing commas removed, and what was changed."""
    out: list[str] = []
    notes: list[tuple[str, int]] = []
    i, n, line = 0, len(text), 1
    in_str = False
    last_sig = -1  # index in ``out`` of the last significant (non-space) char
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
            elif c == "\n":
                line += 1
            last_sig = len(out) - 1
            i += 1
            continue
        if c == '"':
            in_str = True
            out.append(c)
            last_sig = len(out) - 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            notes.append(("line_comment", line))
            out.append(" " * (end - i))
            i = end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise keyed(InvalidInput, "json_comment_open", [refusal(line, None, "json_comment_unclosed")])
            chunk = text[i:end + 2]
            notes.append(("block_comment", line))
            out.append("".join(ch if ch == "\n" else " " for ch in chunk))  # keep line numbers
            line += chunk.count("\n")
            i = end + 2
            continue
        elif c in "}]" and last_sig >= 0 and out[last_sig] == ",":
            out[last_sig] = " "
            notes.append(("trailing_comma", line))
            out.append(c)
            last_sig = len(out) - 1
        else:
            out.append(c)
            if c == "\n":
                line += 1
            if not c.isspace():
                last_sig = len(out) - 1
        i += 1
    return "".join(out), notes


def loads_lenient(text: str, source: str = "input") -> tuple[Any, list[str]]:
    """Parse JSON; if it only parses once comments and trailing commas are
    dropped, return it with one warning per thing dropped."""
    try:
        return loads(text, source=source, positioned=False), []
    except MalformedJson:
        pass
    cleaned, notes = _clean(text)
    data = loads(cleaned, source=source, positioned=False)
    return data, [Keyed(key, where=source, line=line) for key, line in notes]
