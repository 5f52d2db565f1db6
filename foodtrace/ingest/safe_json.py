"""The one JSON decoder for everything that comes in (HTTP bodies, JSON-lines, EPCIS, CLI files).

``json.loads`` alone accepts ``NaN`` and ``Infinity``, turns ``1e999`` into infinity, reads integers of any
length and recurses until the interpreter gives up: this decoder refuses all of that with ``InvalidInput``
naming where it was found, so nothing odd ever reaches the model, the log or a reader of the log.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

import orjson

from foodtrace.errors import InvalidInput
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal

DEFAULT_MAX_DEPTH = 32
# I-JSON (RFC 7493): integers beyond ±2^53 do not survive every JSON reader (nor SQLite's 64-bit integers).
MAX_SAFE_INTEGER = 2**53


class MalformedJson(InvalidInput):
    """The text is not JSON at all (as opposed to JSON holding something refused)."""


class _Refused:
    """Stands in for a number the decoder refuses, until the walk below finds where it sits."""

    __slots__ = ("text", "key", "args")

    def __init__(self, text: str, key: str, **args: str):
        self.text, self.key, self.args = text, key, args


def _constant(text: str) -> _Refused:  # NaN, Infinity, -Infinity
    return _Refused(text, "json_not_finite", number=text)


def _float(text: str) -> float | _Refused:
    value = float(text)
    if not math.isfinite(value):
        return _Refused(text, "json_out_of_range", number=text[:40])
    return value


def _int(text: str) -> int | _Refused:
    digits = text.lstrip("-")
    if len(digits) > 16 or abs(int(text)) > MAX_SAFE_INTEGER:
        return _Refused(text, "json_beyond_2_53", number=f"{text[:40]}{'…' if len(text) > 40 else ''}")
    return int(text)


def max_depth_setting() -> int:
    """``FOODTRACE_MAX_JSON_DEPTH`` (read when called, never at import), default 32."""
    raw = os.environ.get("FOODTRACE_MAX_JSON_DEPTH", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else DEFAULT_MAX_DEPTH


def _where(path: list, positioned: bool) -> tuple[int | None, str | None]:
    if positioned and path and isinstance(path[0], int):
        position, rest = path[0], path[1:]
    else:
        position, rest = None, path
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).lstrip(".")
    return position, field or None


def check_tree(data: Any, max_depth: int, positioned: bool = True) -> None:
    """Walk a decoded document (no recursion): ``InvalidInput`` for nesting deeper than ``max_depth`` or a
    refused number. ``positioned``: a top-level array's index is the error's position (a batch of events)."""
    errors: list[dict] = []
    stack: list[tuple[Any, list, int]] = [(data, [], 1)]
    while stack and len(errors) < 20:
        value, path, depth = stack.pop()
        if isinstance(value, _Refused):
            errors.append(refusal(*_where(path, positioned), value.key, **value.args))
        elif isinstance(value, (dict, list)):
            if depth > max_depth:
                position, field = _where(path, positioned)
                raise keyed(InvalidInput, "json_too_deep", [refusal(position, field, "json_nested", max=max_depth)],
                            max=max_depth)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((v, path + [k], depth + 1) for k, v in items)
    if errors:
        raise keyed(InvalidInput, "json_bad_numbers", errors)


# What the fast decoder leaves to the careful one: a number of 16 digits or more (an integer that may pass
# 2^53, which orjson would read as a float or a 64-bit integer). A number starts the text or follows ':', '['
# or ','; a string holding such text only costs the slow path, never a wrong answer. (A number overflowing a
# double is refused by orjson itself, and then by the careful decoder with its message.)
# Two patterns, the text's start matched apart: ``(?:^|[:\[,])…`` in one pattern costs three times as much
# (the alternation defeats the regex engine's scan for the first character).
_NEEDS_CARE = re.compile(r"[:\[,][ \t\r\n]*-?[0-9]{16}")
_NEEDS_CARE_B = re.compile(rb"[:\[,][ \t\r\n]*-?[0-9]{16}")
_NEEDS_CARE_AT_START = re.compile(r"[ \t\r\n]*-?[0-9]{16}")
_NEEDS_CARE_AT_START_B = re.compile(rb"[ \t\r\n]*-?[0-9]{16}")


def _fast(raw: str | bytes | bytearray, limit: int) -> tuple[bool, Any]:
    """(True, value) when orjson's decoding is certainly the careful decoder's answer: no more brackets in
    the text than ``limit`` (so no deeper nesting), no number that may be refused (``_NEEDS_CARE``), and
    orjson accepts it (it refuses NaN, Infinity, lone surrogates and control characters, as ``json`` does
    in strict mode). Anything else — including every error — goes the careful way, for its exact message."""
    if isinstance(raw, str):
        if raw.count("{") + raw.count("[") > limit or _NEEDS_CARE_AT_START.match(raw) or _NEEDS_CARE.search(raw):
            return False, None
    elif isinstance(raw, (bytes, bytearray)):
        if (raw.count(b"{") + raw.count(b"[") > limit or _NEEDS_CARE_AT_START_B.match(raw)
                or _NEEDS_CARE_B.search(raw)):
            return False, None
    else:
        return False, None
    try:
        return True, orjson.loads(raw)
    except orjson.JSONDecodeError:
        return False, None


def loads(raw: str | bytes | bytearray, *, max_depth: int | None = None, source: str = "request body",
          positioned: bool = True) -> Any:
    """Decode JSON text (bytes: UTF-8, UTF-16 or UTF-32 as RFC 8259 allows), refusing non-finite and
    overflowing numbers, integers beyond ±2^53 and nesting deeper than ``max_depth``
    (``FOODTRACE_MAX_JSON_DEPTH`` when not given). Errors are ``InvalidInput`` (HTTP 422)."""
    limit = max_depth if max_depth is not None else max_depth_setting()
    ok, value = _fast(raw, limit)
    if ok:
        return value
    try:
        data = json.loads(raw, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except RecursionError as exc:
        raise keyed(InvalidInput, "json_too_deep", [refusal(None, None, "json_nested", max=limit)], max=limit) from exc
    except json.JSONDecodeError as exc:
        raise keyed(MalformedJson, "json_malformed", [refusal(exc.lineno, None, "json_malformed_at", msg=exc.msg,
                                                              line=exc.lineno, column=exc.colno)],
                    source=source) from exc
    except (UnicodeDecodeError, ValueError) as exc:  # not UTF-8; an integer past Python's digit limit
        raise keyed(MalformedJson, "json_malformed", [refusal(None, None, "json_unreadable", reason=str(exc)[:200])],
                    source=source) from exc
    check_tree(data, limit, positioned)
    return data
