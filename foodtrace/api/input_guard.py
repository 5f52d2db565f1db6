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

from starlette.exceptions import HTTPException

from foodtrace.api.errors import answer_early, body_over_said
from foodtrace.errors import FoodtraceError, InvalidInput, TooLarge
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.ingest.safe_json import MalformedJson, loads

_METHODS = {"POST", "PUT", "PATCH"}
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def path_problem(raw_path: bytes) -> str | None:
    """Why a request path cannot name anything, as the key of its text (None when it is fine)."""
    if _BAD_ESCAPE.search(raw_path):
        return "api_path_bad_escape"
    try:
        unquote(raw_path.decode("ascii"), errors="strict")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return "api_path_not_utf8"
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
            err = keyed(InvalidInput, "api_path_invalid", [refusal(None, "path", problem)])
            return await answer_early(scope, receive, send, err)
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
            err = body_over_said(str(exc.detail)) or TooLarge(str(exc.detail))
            return await answer_early(scope, receive, send, err)
        body = b"".join(chunks)
        if body.strip():
            try:
                loads(body, max_depth=self.max_depth)
            except MalformedJson:
                pass  # not JSON at all: the route answers that as it always has
            except FoodtraceError as exc:
                return await answer_early(scope, receive, send, exc)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)
