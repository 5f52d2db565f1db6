"""Wire schemas, apart from the domain models."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[dict]


class ErrorResponse(BaseModel):
    error: ErrorBody


class CaptureResult(BaseModel):
    stored: int
    duplicates: int
    event_ids: list[str]
    placeholders: list[str]


ERRORS = {
    401: {"model": ErrorResponse, "description": "No valid API key"},
    403: {"model": ErrorResponse, "description": "The key's role may not do this"},
    404: {"model": ErrorResponse, "description": "Not found"},
    409: {"model": ErrorResponse, "description": "Event id conflict"},
    413: {"model": ErrorResponse, "description": "Request or batch too large"},
    422: {"model": ErrorResponse, "description": "Invalid input: position, field and reason"},
    503: {"model": ErrorResponse, "description": "Store unavailable"},
}


def errors(*codes: int) -> dict:
    return {c: ERRORS[c] for c in codes}
