"""Shared field types for the domain model."""

from __future__ import annotations

from datetime import date
import re
from datetime import datetime
from datetime import timezone
from typing import Annotated

from pydantic import (AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, Strict,
                      StringConstraints)

# White space and control characters, spelled out so that every regex engine (pydantic's, Python's, the
# JSON-Schema / ECMA one API clients use) reads the patterns below alike: a bare \s differs between them.
_SPACE = r"\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# Bidirectional-text controls (they reorder what a reader sees: a code that displays as another) and the
# invisible marks: refused anywhere in codes, ids and free text.
_BIDI = r"\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069"
_TOKEN = rf"^[^{_SPACE}{_BIDI}]+$"
_CONTROL = re.compile(rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")


def _no_controls(value: str) -> str:
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"control or bidirectional-text character U+{ord(found.group()):04X} is not allowed")
    return value


# Trace codes and ids: printable, no white space; long enough for a GS1 Digital Link URI.
Code = Annotated[str, StringConstraints(min_length=1, max_length=256, pattern=_TOKEN)]
PartyId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=_TOKEN)]
EventId = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=_TOKEN)]
AreaCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]  # GB/T 2260 county-level code
Gtin14 = Annotated[str, StringConstraints(pattern=r"^[0-9]{14}$")]
KeyId = Annotated[str, StringConstraints(pattern=r"^k_[0-9a-f]{16}$")]  # an API key's public id
KeyHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]  # SHA-256 of an API key, hex
ReasonCode = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9_.]+$")]
# Free text: something other than white space in it.
Text = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True, pattern=f"[^{_SPACE}]"),
                 AfterValidator(_no_controls)]



def _iso_text(value):
    if isinstance(value, (int, float)) or (isinstance(value, str) and _numeric(value)):
        # pydantic would read a number (or, from a query string, "1740787200") as Unix time
        raise ValueError("expected an ISO 8601 date and time with a time zone (e.g. 2025-03-01T08:00:00+08:00)")
    return value


def _numeric(text: str) -> bool:
    if ":" in text:  # never in a number float() reads (and in every ISO 8601 time of day written with colons)
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


# The sane range of any time or day in the log: older or later is a typing error or an attack (and the far
# ends overflow when converted to UTC).
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)
_RANGE = "must lie between 1970-01-01 and 2200-01-01"
# The same range as a JSON Schema pattern, so that API clients (and schemathesis) know it.
_YEARS = {"pattern": "^(19[7-9][0-9]|2[01][0-9][0-9])-"}


def instant_in_range(value: datetime) -> bool:
    """Whether an aware time lies between 1970 and 2200 (False, not OverflowError, at the far ends)."""
    if 1970 < value.year < 2199 and value.utcoffset() is not None:
        return True  # within whatever its offset (at most a day): no conversion to UTC needed
    try:
        return EARLIEST <= value < LATEST
    except OverflowError:  # 0001-01-01T00:00:00+08:00 has no UTC equivalent
        return False


def _in_range(value: datetime) -> datetime:
    if not instant_in_range(value):  # ``AwareDatetime`` is checked first
        raise ValueError(_RANGE)
    return value


def _day_in_range(value: date) -> date:
    if not EARLIEST.date() <= value < LATEST.date():
        raise ValueError(_RANGE)
    return value


# A point in time, written as ISO 8601 text with a time zone (never a bare number), between 1970 and 2200.
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_in_range),
                    Field(json_schema_extra=_YEARS)]


def _iso_day(value):
    if isinstance(value, (int, float)) or (isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
                                                                                       value.strip())):
        raise ValueError("expected a date as YYYY-MM-DD")  # pydantic would read a number as Unix time
    return value


# A calendar day, written YYYY-MM-DD, between 1970 and 2200.
Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_day_in_range), Field(json_schema_extra=_YEARS)]


def _whole_number(value):
    if isinstance(value, (bool, str)):  # pydantic would read true as 1 and "12" as 12
        raise ValueError("expected a whole number")
    return value


# JSON numbers only: pydantic's lax mode would otherwise read true as 1.0 and "12" as 12.0. Finite and of a
# sane size: NaN, Infinity, overflowing literals (1e999) and numbers whose sums would overflow (1e308) are refused.
HUGE = 1e15
Number = Annotated[float, Strict(), Field(ge=-HUGE, le=HUGE, allow_inf_nan=False)]
PositiveNumber = Annotated[float, Strict(), Field(gt=0, le=HUGE, allow_inf_nan=False)]
NonNegativeNumber = Annotated[float, Strict(), Field(ge=0, le=HUGE, allow_inf_nan=False)]
Count = Annotated[int, BeforeValidator(_whole_number), Field(ge=-2**53, le=2**53)]


class Frozen(BaseModel):
    """Base of every domain model: immutable, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)
