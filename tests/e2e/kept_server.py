"""A server on a file whose consumer views are kept (``test_kept_views_served``, ``test_kept_pages_file``): made
by the real app on that file; ``kept_path_only`` makes any answer by the routes fail the test."""

from __future__ import annotations

from fastapi.testclient import TestClient

from foodtrace.api.app import create_app
from foodtrace.api.ratelimit import public_rate_limit
from tests.e2e.conftest import make_settings


def _not_the_routes():
    raise AssertionError("answered by the routes, not the kept path")


def server(tmp_path) -> TestClient:
    """A client of a new app on the file of ``make_settings(tmp_path)`` (use it as a context manager)."""
    return TestClient(create_app(make_settings(tmp_path)))


def kept_path_only(client: TestClient):
    """The client's store caught up, and the routes' public rate limit made to fail the test: what follows is
    answered on the kept path or not at all. Returns the store itself (its writer shows what was built)."""
    store = client.app.state.store.inner
    store.status(catch_up=True)
    client.app.dependency_overrides[public_rate_limit] = _not_the_routes
    return store
