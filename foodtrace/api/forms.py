"""What stands between the consumer page's "report a problem" form and the
complaint log, so that the form cannot be used to smear a business:

- **same origin**: the post's ``Origin`` (or, without one, its ``Referer``)
  must be this site — the public base URL or the host the request was sent
  to; a post from a page of another site is refused (``CrossSite``);
- **anti-forgery token**: the page embeds a token, an HMAC of the lot's code
  and the time it was issued under a secret key (``FOODTRACE_FORM_SECRET``, or
  a random one per process); the post must carry it back within
  ``complaint_form_max_age_s`` (``FormToken`` otherwise);
- **limits**: at most ``complaints_per_hour`` tries per client address (by
  ``api.client.client_address``: a made-up ``X-Forwarded-For`` changes nothing
  unless it comes through a trusted proxy) and ``complaints_per_lot_per_hour``
  complaints per lot from every client together.

None of this makes a complaint count against a business: only an inspector's
acceptance (受理) does (``services.safety.complaints``).
"""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from urllib.parse import urlsplit

from fastapi import Request

from foodtrace.api.client import client_address
from foodtrace.api.ratelimit import RateLimit
from foodtrace.config import Settings
from foodtrace.errors import CrossSite, FormToken
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal

DEFAULT_PORTS = {"http": 80, "https": 443}
CLOCK_SKEW_S = 60  # a token "issued" further in the future than this is not ours


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, lower case, without the scheme's default port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[parts.scheme] else "")


def own_origins(request: Request, settings: Settings) -> set[str]:
    """The origins a form of this site is posted from: the public base URL's and the request's own."""
    found = {origin_of(settings.public_base_url())}
    host = request.headers.get("host")
    if host:
        found.add(origin_of(f"{request.url.scheme}://{host}"))
    return {o for o in found if o}


def require_same_origin(request: Request, settings: Settings) -> None:
    """``CrossSite`` unless the post names this site as where it comes from. A browser sends
    ``Origin`` with every form post; a missing one falls back to ``Referer``; neither, or the
    opaque ``null``, is refused."""
    origin = request.headers.get("origin")
    field = "Origin"
    if origin is None:
        origin, field = request.headers.get("referer"), "Referer"
    if origin is None:
        raise keyed(CrossSite, "form_cross_site", [refusal(None, "Origin", "form_no_origin", referer="Referer")])
    if origin_of(origin) not in own_origins(request, settings):
        raise keyed(CrossSite, "form_cross_site", [refusal(None, field, "form_other_site", origin=origin[:200])])


class FormTokens:
    """Anti-forgery tokens bound to a scope (a lot's code) and the time they were issued."""

    def __init__(self, secret: bytes, max_age_s: int) -> None:
        self._secret, self.max_age_s = secret, max_age_s

    def _mac(self, scope: str, issued: int) -> str:
        digest = hmac.digest(self._secret, f"{scope}\n{issued}".encode(), "sha256")  # OpenSSL's one-shot HMAC
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def issue(self, scope: str, now: float | None = None) -> str:
        issued = int(time.time() if now is None else now)
        return f"{issued}.{self._mac(scope, issued)}"

    def check(self, scope: str, token: str | None, now: float | None = None) -> None:
        """``FormToken`` unless ``token`` was issued here for ``scope`` and is still valid."""
        now = time.time() if now is None else now
        if not token:
            raise keyed(FormToken, "form_no_token", [refusal(None, "csrf_token", "form_missing")])
        issued_s, _, mac = token.partition(".")
        if not issued_s.isdigit() or not hmac.compare_digest(mac.encode(), self._mac(scope, int(issued_s)).encode()):
            raise keyed(FormToken, "form_bad_token", [refusal(None, "csrf_token", "form_wrong")])
        age = now - int(issued_s)
        if age > self.max_age_s or age < -CLOCK_SKEW_S:
            raise keyed(FormToken, "form_expired", [refusal(None, "csrf_token", "form_expired_after", seconds=self.max_age_s)])


class ComplaintGuard:
    """The consumer complaint form's token maker and its two limits, one per app."""

    def __init__(self, settings: Settings) -> None:
        secret = settings.form_secret.get_secret_value().encode() or secrets.token_bytes(32)
        self.tokens = FormTokens(secret, settings.complaint_form_max_age_s)
        self.per_client = RateLimit(settings.complaints_per_hour)
        self.per_lot = RateLimit(settings.complaints_per_lot_per_hour, field="lot", key="rate_reports_lot")

    def admit(self, request: Request, settings: Settings, lot: str, token: str | None) -> None:
        """Check a post on ``lot`` before it is filed: same origin, the client's limit (every try
        counts), the token, and the lot's limit (``release_lot`` gives that back if nothing is filed)."""
        require_same_origin(request, settings)
        self.per_client.hit(client_address(request))
        self.tokens.check(lot, token)
        self.per_lot.hit(lot)

    def release_lot(self, lot: str) -> None:
        self.per_lot.release(lot)


__all__ = ["ComplaintGuard", "FormTokens", "origin_of", "own_origins", "require_same_origin"]
