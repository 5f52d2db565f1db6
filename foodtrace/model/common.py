"""Shared field types for the domain model."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# Trace codes and ids: printable, no white space; long enough for a GS1 Digital Link URI.
Code = Annotated[str, StringConstraints(min_length=1, max_length=256, pattern=r"^[^\s\x00-\x1f\x7f]+$")]
PartyId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\s\x00-\x1f\x7f]+$")]
EventId = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"^[^\s\x00-\x1f\x7f]+$")]
AreaCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]  # GB/T 2260 county-level code
Gtin14 = Annotated[str, StringConstraints(pattern=r"^\d{14}$")]
KeyId = Annotated[str, StringConstraints(pattern=r"^k_[0-9a-f]{16}$")]  # an API key's public id
KeyHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]  # SHA-256 of an API key, hex
ReasonCode = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9_.]+$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]


class Frozen(BaseModel):
    """Base of every domain model: immutable, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)
