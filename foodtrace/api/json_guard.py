"""Every JSON request body goes through the one decoder (``ingest.safe_json``) before any route sees it
(ASGI middleware): non-finite or overflowing numbers and deep nesting answer 422 with the error shape,
whichever route — typed bodies included, which FastAPI would otherwise read with a bare ``json.loads``."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..errors import FoodtraceError, TooLarge
from ..ingest.safe_json import MalformedJson, loads

_METHODS = {"POST", "PUT", "PATCH"}


def _is_json(scope) -> bool:
    headers = dict(scope.get("headers") or [])
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind == b"application/json" or kind.endswith(b"+json")


class JsonGuard:
    def __init__(self, app, max_depth: int):
        self.app, self.max_depth = app, max_depth

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in _METHODS or not _is_json(scope):
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
