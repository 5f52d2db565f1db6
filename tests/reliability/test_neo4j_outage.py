"""Neo4j stopped mid-run: clear store_unavailable errors (HTTP 503), and
service resumes by itself when the server is back. Uses a Neo4j server of its
own (scripts/neo4j-dev with its own state folder and port), stopped and started."""

from __future__ import annotations

import os
import subprocess

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.errors import StoreUnavailable
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import free_port
from tests.builders import commission, pork_chain
from tests.conftest import REPO_ROOT

DEV = str(REPO_ROOT / "scripts" / "neo4j-dev")


@pytest.fixture(scope="module")
def own_neo4j(tmp_path_factory):
    from tests.neo4j_support import neo4j_url

    neo4j_url()  # skips (or fails in CI) where Neo4j tests cannot run at all
    env = {**os.environ, "FOODTRACE_NEO4J_HOME": str(tmp_path_factory.mktemp("neo4j-outage")),
           "FOODTRACE_NEO4J_PORT": str(free_port())}
    subprocess.run([DEV, "start"], env=env, check=True, capture_output=True, timeout=300)
    url = subprocess.run([DEV, "url"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    try:
        yield env, url
    finally:
        subprocess.run([DEV, "stop"], env=env, capture_output=True, timeout=120)


def test_outage_gives_503_and_service_resumes(own_neo4j):
    env, url = own_neo4j
    settings = Settings(store=url, store_timeout_s=4)
    store = open_store(url, settings)
    store.init_schema()
    capture(store, pork_chain())
    app = create_app(settings, store=store)
    with TestClient(app) as client:
        assert client.get("/l/RCPT").status_code == 200
        subprocess.run([DEV, "stop"], env=env, check=True, capture_output=True, timeout=120)
        with pytest.raises(StoreUnavailable):
            store.get_lot("RCPT")
        r = client.get("/l/RCPT", headers={"accept": "application/json"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "store_unavailable"
        assert "Traceback" not in r.text
        page = client.get("/l/RCPT", headers={"accept": "text/html"})
        assert page.status_code == 503 and "text/html" in page.headers["content-type"]
        subprocess.run([DEV, "start"], env=env, check=True, capture_output=True, timeout=300)
        assert client.get("/l/RCPT").status_code == 200  # the same app and driver, no restart
        capture(store, [commission("AFTER")])
        assert store.get_lot("AFTER") is not None
    store.close()
