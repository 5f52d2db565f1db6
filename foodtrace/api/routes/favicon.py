"""GET /favicon.ico: the small icon every browser asks for, from the package (``api/static``), never
another host; cacheable for a day. The security headers are added as to any answer (``api.headers``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)  # a browser's request, not part of the API

ICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"
MAX_AGE = 86_400


@lru_cache(maxsize=1)
def _icon() -> bytes:
    return ICON.read_bytes()


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(_icon(), media_type="image/x-icon", headers={"Cache-Control": f"public, max-age={MAX_AGE}"})
