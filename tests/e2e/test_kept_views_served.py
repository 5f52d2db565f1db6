"""The consumer page and public JSON served from views kept in the store's file (``graph.kept_views``) through
the real app: a server started after the view was kept answers the first scan on the kept path from the file
(its memory cold, nothing built); a recall, a new test or a party's new name appended by another process on
the file shows at once; a damaged row or a row of another build is built again, never a 500."""

from __future__ import annotations

import sqlite3

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.api.ratelimit import public_rate_limit
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.recall import start_recall
from tests.builders import cert, register
from tests.e2e.conftest import make_settings


def _not_the_routes():
    raise AssertionError("answered by the routes, not the kept path")


@pytest.fixture
def kept(api, tmp_path):
    """The api fixture's file with the receipt's view kept in it; the first server's store flushed."""
    assert api.client.get("/api/v1/public/lots/RCPT").status_code == 200
    api.store.flush_models()
    with sqlite3.connect(tmp_path / "api.db") as con:
        assert con.execute("SELECT count(*) FROM kept_views WHERE key LIKE 'RCPT%'").fetchone()[0] == 1
    return tmp_path


def _server(tmp_path) -> TestClient:
    return TestClient(create_app(make_settings(tmp_path)))


def test_a_new_server_answers_the_first_scan_from_the_file(kept):
    with _server(kept) as c:
        store = c.app.state.store.inner
        store.status(catch_up=True)
        c.app.dependency_overrides[public_rate_limit] = _not_the_routes
        page = c.get("/l/RCPT?lang=en")
        body = c.get("/api/v1/public/lots/RCPT")
        assert page.status_code == 200 and "RCPT" in page.text and "Green Farm" in page.text
        assert body.status_code == 200 and body.json()["code"] == "RCPT" and not body.json()["recalled"]
        assert store._writer is None  # nothing was built (a build is written behind)


@pytest.mark.parametrize("write, shown", [
    (lambda s: start_recall(s, ["PIG"], "clenbuterol found"), lambda v: v["recalled"] and v["verdict"] == "recalled"),
    (lambda s: capture(s, [cert(["PIG"], "lab_test", issuer="S1", result="fail")]),
     lambda v: any(c["kind"] == "lab_test" and c["result"] == "fail" for c in v["certificates"])),
    (lambda s: capture(s, [register("F1", "scale_farm", "Blue Farm")]),
     lambda v: [o["name"] for o in v["origins"]] == ["Blue Farm"]),
], ids=["recall", "failed test", "renamed farm"])
def test_a_write_by_another_process_shows_at_once_on_a_server_with_the_row(kept, write, shown):
    with _server(kept) as c:
        c.app.state.store.status(catch_up=True)
        assert not shown(c.get("/api/v1/public/lots/RCPT").json())  # from the file
        with open_store(f"sqlite:///{kept / 'api.db'}") as cli:
            write(cli)
        assert shown(c.get("/api/v1/public/lots/RCPT").json())
        page = c.get("/l/RCPT?lang=en")
        assert page.status_code == 200 and ("Blue Farm" in page.text or "v-fail" in page.text
                                            or "v-recalled" in page.text)
    with _server(kept) as c:  # and a server started after it (memory cold): the row it reads is the new one
        assert shown(c.get("/api/v1/public/lots/RCPT").json())


def test_a_damaged_row_is_built_again_not_a_500(kept):
    with sqlite3.connect(kept / "api.db") as con:
        con.execute("UPDATE kept_views SET body = x'00ff00'")
    with _server(kept) as c:
        page, body = c.get("/l/RCPT?lang=en"), c.get("/api/v1/public/lots/RCPT")
        assert page.status_code == 200 and "Green Farm" in page.text
        assert body.status_code == 200 and body.json()["code"] == "RCPT"
