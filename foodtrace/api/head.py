"""HEAD answered as GET without a body (RFC 9110 §9.3.2: the same status and headers GET would have). FastAPI
routes a GET route for GET only, so a link preview, a feed reader or an uptime check that asks a QR code's
page with HEAD first read a 405 as a dead link. A route that has no GET still answers HEAD with 405."""

from __future__ import annotations


class HeadAsGet:
    """ASGI middleware: a HEAD request is routed as GET and its response's body dropped."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        routed = {**scope, "method": "GET"}  # a copy: the server still knows it answers a HEAD (no body)
        try:
            await self.app(routed, receive, without_body)
        finally:  # the route found, for the request log and metrics outside
            for key in ("route", "endpoint", "path_params"):
                if key in routed:
                    scope[key] = routed[key]
