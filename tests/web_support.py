"""Apps with an inspector's key for page tests.

Until API keys are merged, the key is a fixed token checked by a dependency
override of ``get_actor``; afterwards this creates a real key."""

from __future__ import annotations

from fastapi import Request

from foodtrace.api.app import create_app
from foodtrace.api.deps import get_actor
from foodtrace.errors import Unauthorized, detail
from foodtrace.services.supervision.access import Actor


def inspector_app(settings, party: str = "REG"):
    app = create_app(settings)
    key = "ft_test_inspector"

    def actor(request: Request) -> Actor:
        if request.headers.get("authorization") != f"Bearer {key}":
            raise Unauthorized("an API key is required", [detail(None, "authorization", "no valid API key")])
        return Actor("inspector", party)

    app.dependency_overrides[get_actor] = actor
    return app, key
