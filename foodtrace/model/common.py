"""Shared field types for the domain model."""

from __future__ import annotations

from datetime import date
import re
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

# White space and control characters, spelled out so that every regex engine (pydantic's, Python's, the
# JSON-Schema / ECMA one API clients use) reads the patterns below alike: a bare \s differs between them.
_SPACE = r"\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_TOKEN = rf"^[^{_SPACE}]+$"

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
Text = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True, pattern=f"[^{_SPACE}]")]



def _iso_text(value):
    if isinstance(value, (int, float)) or (isinstance(value, str) and _numeric(value)):
        # pydantic would read a number (or, from a query string, "1740787200") as Unix time
        raise ValueError("expected an ISO 8601 date and time with a time zone (e.g. 2025-03-01T08:00:00+08:00)")
    return value


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# A point in time, written as ISO 8601 text with a time zone (never a bare number).
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_text)]


def _iso_day(value):
    if isinstance(value, (int, float)) or (isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
                                                                                       value.strip())):
        raise ValueError("expected a date as YYYY-MM-DD")  # pydantic would read a number as Unix time
    return value


# A calendar day, written YYYY-MM-DD.
Day = Annotated[date, BeforeValidator(_iso_day)]


def _whole_number(value):
    if isinstance(value, (bool, str)):  # pydantic would read true as 1 and "12" as 12
        raise ValueError("expected a whole number")
    return value


# JSON numbers only: pydantic's lax mode would otherwise read true as 1.0 and "12" as 12.0.
Number = Annotated[float, Strict()]
PositiveNumber = Annotated[float, Strict(), Field(gt=0)]
NonNegativeNumber = Annotated[float, Strict(), Field(ge=0)]
Count = Annotated[int, BeforeValidator(_whole_number)]


class Frozen(BaseModel):
    """Base of every domain model: immutable, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)
