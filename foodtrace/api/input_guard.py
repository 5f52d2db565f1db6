"""Odd input refused before any route sees it (ASGI middleware), with the error shape:

- a path whose percent-encoding is broken (``%ZZ``, ``%FF`` that is not UTF-8) answers 422 naming
  ``path`` (instead of a lookup of a code full of replacement characters);
- every JSON request body goes through the one decoder (``ingest.safe_json``): non-finite or overflowing
  numbers and deep nesting answer 422, whichever route — typed bodies included, which FastAPI would
  otherwise read with a bare ``json.loads``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from foodtrace.errors import FoodtraceError, InvalidInput, TooLarge, detail
from foodtrace.ingest.safe_json import MalformedJson, loads

_METHODS = {"POST", "PUT", "PATCH"}
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def path_problem(raw_path: bytes) -> str | None:
    """Why a request path cannot name anything (None when it is fine)."""
    if _BAD_ESCAPE.search(raw_path):
        return "a % not followed by two hexadecimal digits"
    try:
        unquote(raw_path.decode("ascii"), errors="strict")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return "percent-encoded bytes that are not UTF-8 text"
    return None


def _is_json(scope) -> bool:
    headers = dict(scope.get("headers") or [])
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind == b"application/json" or kind.endswith(b"+json")


class InputGuard:
    def __init__(self, app, max_depth: int):
        self.app, self.max_depth = app, max_depth

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        problem = path_problem(scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape"))
        if problem:
            err = InvalidInput("the request path is not valid", [detail(None, "path", problem)])
            return await JSONResponse(err.to_dict(), status_code=err.status)(scope, receive, send)
        if scope["method"] not in _METHODS or not _is_json(scope):
            return await self.app(scope, receive, send)
        chunks, more = [], True
        try:
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunks.append(message.get("body", b""))
                more = message.get("more_body", False)
        except HTTPException as exc:  # the body limit outside this middleware
            err = TooLarge(str(exc.detail))
            return await JSONResponse(err.to_dict(), status_code=err.status)(scope, receive, send)
        body = b"".join(chunks)
        if body.strip():
            try:
                loads(body, max_depth=self.max_depth)
            except MalformedJson:
                pass  # not JSON at all: the route answers that as it always has
            except FoodtraceError as exc:
                return await JSONResponse(exc.to_dict(), status_code=exc.status)(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)
