"""Why a value of a request was refused, in zh and en, for pydantic's common errors (a number out of range,
an empty or too long text, a text with spaces or invisible characters, not a number, not a date…).

``input_error`` turns one pydantic error into a keyed detail (``refusals.refusal``'s shape) that
``refusals.localize`` says in the reader's language; errors it does not know stay as they were. A pattern is
never shown (a regular expression means nothing to a stall keeper): the token pattern of codes and ids
(``model.common._TOKEN``) is said as what it refuses, any other as "not in the accepted form"."""

from __future__ import annotations

from typing import Any

from foodtrace.model.common import _TOKEN  # the pattern of codes and ids: no spaces, controls or invisible characters

INPUT_TEXT: dict[str, tuple[str, str]] = {
    "input_invalid": ("提交的内容有误", "the request is not valid"),
    "input_required": ("必填", "field required"),
    "input_gt": ("须大于 {limit}", "must be greater than {limit}"),
    "input_ge": ("不能小于 {limit}", "must be at least {limit}"),
    "input_lt": ("须小于 {limit}", "must be less than {limit}"),
    "input_le": ("不能大于 {limit}", "must be at most {limit}"),
    "input_empty": ("不能为空", "must not be empty"),
    "input_short": ("至少 {limit} 个字符", "must be at least {limit} characters long"),
    "input_long": ("最多 {limit} 个字符", "must be at most {limit} characters long"),
    "input_token": ("不能含有空格或不可见字符", "must not contain spaces or invisible characters"),
    "input_pattern": ("格式不符合要求", "is not in the accepted form"),
    "input_number": ("须为数字", "must be a number"),
    "input_finite": ("须为有限的数字", "must be a finite number"),
    "input_integer": ("须为整数", "must be a whole number"),
    "input_date": ("须为日期（如 2025-03-01）", "must be a date (e.g. 2025-03-01)"),
    "input_datetime": ("须为带时区的时间（如 2025-03-01T08:00:00+08:00）",
                       "must be a time with its time zone (e.g. 2025-03-01T08:00:00+08:00)"),
    "input_zone": ("须带时区（如 2025-03-01T08:00:00+08:00）", "a time zone is required (e.g. 2025-03-01T08:00:00+08:00)"),
    "input_boolean": ("须为是或否", "must be true or false"),
    "input_unknown_field": ("无法识别的字段", "unknown field"),
}

_LIMITS = {"greater_than": ("input_gt", "gt"), "greater_than_equal": ("input_ge", "ge"),
           "less_than": ("input_lt", "lt"), "less_than_equal": ("input_le", "le")}
_PLAIN = {"missing": "input_required", "float_parsing": "input_number", "float_type": "input_number",
          "decimal_parsing": "input_number", "finite_number": "input_finite", "int_parsing": "input_integer",
          "int_type": "input_integer", "int_from_float": "input_integer", "date_parsing": "input_date",
          "date_from_datetime_parsing": "input_date", "date_type": "input_date",
          "datetime_parsing": "input_datetime", "datetime_from_date_parsing": "input_datetime",
          "datetime_type": "input_datetime", "timezone_aware": "input_zone", "bool_parsing": "input_boolean",
          "bool_type": "input_boolean", "extra_forbidden": "input_unknown_field"}


def _number(value: Any) -> Any:
    """A limit as people write it: 1000000000000000 rather than 1e+15, 0 rather than 0.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _keyed(position: int | None, field: str | None, key: str, **args: Any) -> dict[str, Any]:
    return {"position": position, "field": field, "reason": INPUT_TEXT[key][1].format(**args), "key": key,
            "args": args}


def input_error(position: int | None, field: str | None, err: dict[str, Any]) -> dict[str, Any] | None:
    """A pydantic error ``err`` as a keyed detail, or None when it is not one of the common kinds."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in _PLAIN:
        return _keyed(position, field, _PLAIN[kind])
    if kind in _LIMITS:
        key, name = _LIMITS[kind]
        return _keyed(position, field, key, limit=_number(ctx.get(name)))
    if kind == "string_too_short":
        limit = ctx.get("min_length", 1)
        return _keyed(position, field, "input_empty") if limit == 1 else \
            _keyed(position, field, "input_short", limit=limit)
    if kind == "string_too_long":
        return _keyed(position, field, "input_long", limit=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        token = ctx.get("pattern") == _TOKEN
        return _keyed(position, field, "input_token" if token else "input_pattern")
    return None


__all__ = ["INPUT_TEXT", "input_error"]
