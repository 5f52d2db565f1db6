"""Security headers on every response, suited to its kind (ASGI middleware).

HTML pages get a strict Content-Security-Policy: scripts only from this origin or inline with the
per-response nonce (``request.state.csp_nonce``, which templates put on their ``<script>`` tags), nothing
from any other host, no framing, no plugins, forms posting only here. Everything else (JSON, CSV, images)
gets a policy that allows nothing at all. A route that sets its own policy (the API docs pages) keeps it.
Every response: ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy: same-origin``.
"""

from __future__ import annotations

import secrets

# Inline styles stay allowed (the pages and the SVG graphs carry style attributes; CSS cannot run code).
PAGE_POLICY = ("default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
               "frame-ancestors 'none'")
OTHER_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
          (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"))


_PAGE_BEFORE, _PAGE_AFTER = (part.encode() for part in PAGE_POLICY.split("{nonce}"))
_OTHER = (b"content-security-policy", OTHER_POLICY.encode())


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def page_policy(nonce: str) -> tuple[bytes, bytes]:
    """The Content-Security-Policy header of an HTML page answered with ``nonce``."""
    return (b"content-security-policy", _PAGE_BEFORE + nonce.encode() + _PAGE_AFTER)


def security_headers(html: bool, nonce: str) -> list[tuple[bytes, bytes]]:
    """Every header this module adds, for an answer that is an HTML page (``html``) or anything else."""
    return [page_policy(nonce) if html else _OTHER, *ALWAYS]


def nonce_of(request) -> str:
    """The nonce of this response's policy (empty when the middleware is not installed)."""
    return (request.scope.get("state") or {}).get("csp_nonce", "")


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        nonce = new_nonce()
        scope.setdefault("state", {})["csp_nonce"] = nonce

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                kind = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
                extra = security_headers(kind.startswith(b"text/html"), nonce)
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, with_headers)
