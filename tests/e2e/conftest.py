"""The real app over a real SQLite file, with API keys of every role."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from tests.builders import pork_chain, register

OPERATORS = ("F1", "S1", "W1", "M1", "X1")  # X1: a supermarket the pork chain never touched


@dataclass
class Api:
    client: TestClient
    store: object
    keys: dict[str, str] = field(default_factory=dict)

    def h(self, who: str | None) -> dict[str, str]:
        """Headers for a caller: 'admin', 'inspector', 'op_<party>', or None (no key)."""
        return {"Authorization": f"Bearer {self.keys[who]}"} if who else {}


def make_settings(tmp_path, **kw) -> Settings:
    return Settings(store=f"sqlite:///{tmp_path / 'api.db'}", max_batch_events=50, public_rate_per_minute=60_000,
                    public_burst=10_000, **kw)


@pytest.fixture
def api(tmp_path):
    """The pork chain (F1 farm -> S1 slaughterhouse -> W1 wholesaler -> M1 supermarket -> receipt RCPT),
    an unrelated supermarket X1, an inspector INS, and a key for each."""
    with TestClient(create_app(make_settings(tmp_path))) as client:
        store = client.app.state.store
        capture(store, pork_chain() + [register("X1", "supermarket"), register("INS", "regulator", "District office")])
        a = Api(client, store)
        a.keys["admin"] = issue_key(store, "ADMIN", "admin").key
        a.keys["inspector"] = issue_key(store, "INS", "inspector").key
        for p in OPERATORS:
            a.keys[f"op_{p}"] = issue_key(store, p, "operator").key
        yield a


@pytest.fixture
def client(tmp_path):
    """An empty store; the client sends an admin key."""
    with TestClient(create_app(make_settings(tmp_path))) as c:
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        yield c
