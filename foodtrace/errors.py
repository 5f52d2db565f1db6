"""The one error tree. Every error knows its HTTP status and a stable code.

``details`` is a list of ``{"position", "field", "reason"}`` dicts where the
error is about input, so a client can point at the exact event and field. A detail may also carry
a message ``key`` (and its ``args``), and an error a ``key`` for its message, so that the reader
sees them in zh or en (``i18n.refusals.localize``); ``lang`` says which language they are in once
said; ``where`` is how a position is shown (``#{position}``, or a ledger's ``第{position}行``).
"""

from __future__ import annotations

from typing import Any


class FoodtraceError(Exception):
    """Base of every error foodtrace raises on purpose."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None, *, key: str | None = None,
                 args: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.key = key
        self.args_of_key = args or {}
        self.lang: str | None = None
        self.where = "#{position}"

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}

    def __str__(self) -> str:
        if not self.details:
            return self.message
        lines = [self.message]
        for d in self.details[:20]:
            where = []
            if d.get("position") is not None:
                where.append(self.where.format(position=d["position"]))
            if d.get("field"):
                where.append(str(d["field"]))
            lines.append(f"  {' '.join(where)}: {d.get('reason', '')}")
        if len(self.details) > 20:
            rest = len(self.details) - 20
            lines.append(f"  ……另有 {rest} 处" if self.lang == "zh" else f"  … and {rest} more")
        return "\n".join(lines)


class InvalidInput(FoodtraceError):
    """Input that cannot be accepted: malformed, missing or unknown fields, bad values."""

    status = 422
    code = "invalid_input"


class LineageCycle(InvalidInput):
    """An event would close a cycle in the lot lineage (which must stay a DAG)."""

    code = "lineage_cycle"


class Unauthorized(FoodtraceError):
    """No API key, or one that is unknown or revoked."""

    status = 401
    code = "unauthorized"


class Forbidden(FoodtraceError):
    """The API key is valid but may not do this (its role or its party)."""

    status = 403
    code = "forbidden"


class CrossSite(Forbidden):
    """A public form sent from a page of another site (its ``Origin`` or ``Referer`` is not ours)."""

    code = "cross_site"


class FormToken(Forbidden):
    """A public form without a valid anti-forgery token: missing, expired or wrong."""

    code = "form_token"


class RateLimited(FoodtraceError):
    """Too many requests from one client; ``retry_after`` seconds to wait."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int, details: list[dict[str, Any]] | None = None, *,
                 key: str | None = None, args: dict[str, Any] | None = None):
        super().__init__(message, details, key=key, args=args)
        self.retry_after = retry_after


class Conflict(FoodtraceError):
    """The same event id was captured before with other content."""

    status = 409
    code = "conflict"


class BadRequest(InvalidInput):
    """Input refused where a standard binding answers 400 (the EPCIS 2.0 REST binding)."""

    status = 400
    code = "bad_request"


class BadQuery(BadRequest):
    """A query parameter that is unknown or malformed (the EPCIS query interface's QueryParameterException)."""

    code = "query_parameter"


class NotImplementedHere(FoodtraceError):
    """A standard operation or parameter this server does not offer (yet)."""

    status = 501
    code = "not_implemented"


class NotAcceptable(FoodtraceError):
    """A version or format the client asks for that this server does not speak."""

    status = 406
    code = "not_acceptable"


class NotFound(FoodtraceError):
    status = 404
    code = "not_found"


class TooLarge(FoodtraceError):
    status = 413
    code = "too_large"


class StoreUnavailable(FoodtraceError):
    """The storage backend cannot be reached or opened."""

    status = 503
    code = "store_unavailable"


class ConfigError(FoodtraceError):
    status = 500
    code = "config_error"


def detail(position: int | None, field: str | None, reason: str) -> dict[str, Any]:
    """One entry of an error's ``details`` list."""
    return {"position": position, "field": field, "reason": reason}
