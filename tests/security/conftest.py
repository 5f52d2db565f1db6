"""The real app over a real SQLite file with the pork chain and keys (``api`` from tests/e2e), and the
check every attack test ends with: nothing stored, and the district check, the lot's trace and its
consumer page still answer."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import api  # noqa: F401  (the fixture)


@pytest.fixture
def unharmed(api):  # noqa: F811
    """Call ``unharmed()`` after an attack: nothing was stored and every read still works."""
    before = api.store.counts()["events"]

    def check() -> None:
        assert api.store.counts()["events"] == before, "the attack stored something"
        assert api.client.get("/api/v1/check", headers=api.h("inspector")).status_code == 200
        r = api.client.get("/api/v1/lots/RCPT/backward", headers=api.h("inspector"))
        assert r.status_code == 200 and "PIG" in r.text
        page = api.client.get("/l/RCPT", headers={"accept": "text/html"})
        assert page.status_code == 200 and "RCPT" in page.text

    return check
