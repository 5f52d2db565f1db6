"""Wire schemas, apart from the domain models, and the error responses each route declares."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from foodtrace.model.common import PartyId, Text
from foodtrace.model.keys import ApiKey
from foodtrace.model.vocab import Role


class ErrorDetail(BaseModel):
    position: int | None = Field(description="The event's position in a batch, when the error is about one")
    field: str | None = Field(description="The field at fault, when known")
    reason: str


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail]
    request_id: str | None = Field(None, description="This request's id (also the X-Request-ID header): quote it "
                                   "when reporting a problem")


class ErrorResponse(BaseModel):
    error: ErrorBody


class CaptureResult(BaseModel):
    stored: int
    duplicates: int
    event_ids: list[str]
    placeholders: list[str]


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    party: PartyId = Field(description="The party the key acts for (registered, except for admin keys)")
    role: Role
    label: Text | None = Field(None, description="A note for whoever manages keys, e.g. 'weighbridge PC'")


class KeyView(BaseModel):
    """An API key without its secret (and without its digest)."""

    key_id: str
    party: str
    role: Role
    label: str | None = None
    issued_at: datetime
    revoked: bool = False

    @classmethod
    def of(cls, key: ApiKey) -> "KeyView":
        return cls(**key.model_dump(include=set(cls.model_fields)))


class IssuedKeyView(KeyView):
    key: str = Field(description="The secret key. Shown this once: only its SHA-256 digest is stored")


class Me(BaseModel):
    key_id: str
    party: str
    role: Role


_AUTH = "Authorization: Bearer <key> or X-API-Key"
ERRORS = {
    401: {"model": ErrorResponse, "description": f"No API key, or an unknown or revoked one ({_AUTH})"},
    403: {"model": ErrorResponse, "description": "The key's role or party may not do this"},
    404: {"model": ErrorResponse, "description": "Not found"},
    409: {"model": ErrorResponse, "description": "Conflict with what is stored (an event id reused)"},
    413: {"model": ErrorResponse, "description": "Request or batch too large"},
    422: {"model": ErrorResponse, "description": "Invalid input: position, field and reason"},
    429: {"model": ErrorResponse, "description": "Too many requests from this client; see Retry-After",
          "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}},
    503: {"model": ErrorResponse, "description": "Store unavailable"},
}


def errors(*codes: int) -> dict:
    return {c: ERRORS[c] for c in codes}


def keyed(*codes: int) -> dict:
    """The errors of a route that needs an API key (401, 403, 503), plus ``codes``."""
    return errors(*sorted({401, 403, 503, *codes}))
