"""The consumer page and public JSON served from views kept in the store's file (``graph.kept_views``) through
the real app: a server started after the view was kept answers the first scan on the kept path from the file
(its memory cold, nothing built); a recall, a new test or a party's new name appended by another process on
the file shows at once; a damaged row or a row of another build is built again, never a 500."""

from __future__ import annotations

import sqlite3

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.recall import start_recall
from tests.builders import cert, register
from tests.e2e.conftest import make_settings
from tests.e2e.kept_server import kept_path_only, server



@pytest.fixture
def kept(api, tmp_path):
    """The api fixture's file with the receipt's view kept in it; the first server's store flushed."""
    assert api.client.get("/api/v1/public/lots/RCPT").status_code == 200
    api.store.flush_models()
    with sqlite3.connect(tmp_path / "api.db") as con:
        assert con.execute("SELECT count(*) FROM kept_views WHERE key LIKE 'RCPT%'").fetchone()[0] == 1
    return tmp_path



def test_a_new_server_answers_the_first_scan_from_the_file(kept):
    with server(kept) as c:
        store = kept_path_only(c)
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
    with server(kept) as c:
        c.app.state.store.status(catch_up=True)
        assert not shown(c.get("/api/v1/public/lots/RCPT").json())  # from the file
        with open_store(f"sqlite:///{kept / 'api.db'}") as cli:
            write(cli)
        assert shown(c.get("/api/v1/public/lots/RCPT").json())
        page = c.get("/l/RCPT?lang=en")
        assert page.status_code == 200 and ("Blue Farm" in page.text or "v-fail" in page.text
                                            or "v-recalled" in page.text)
    with server(kept) as c:  # and a server started after it (memory cold): the row it reads is the new one
        assert shown(c.get("/api/v1/public/lots/RCPT").json())


def test_a_damaged_row_is_built_again_not_a_500(kept):
    with sqlite3.connect(kept / "api.db") as con:
        con.execute("UPDATE kept_views SET body = x'00ff00'")
    with server(kept) as c:
        page, body = c.get("/l/RCPT?lang=en"), c.get("/api/v1/public/lots/RCPT")
        assert page.status_code == 200 and "Green Farm" in page.text
        assert body.status_code == 200 and body.json()["code"] == "RCPT"


def test_the_views_build_is_made_at_startup_not_in_the_first_scan(kept, monkeypatch):
    """``consumer.persisted`` reads every file of the package (tens of ms): a server makes it as it starts,
    so the first scan (answered on the event loop) does not wait for it — and it is the build the rows hold."""
    from foodtrace.services.tracing import consumer

    build = consumer.persisted().build
    monkeypatch.setattr(consumer, "_PERSISTED", [])  # as in a process that never made it
    app = create_app(make_settings(kept))
    assert consumer._PERSISTED == []  # nothing at import or in the factory
    with TestClient(app) as c:
        assert [p.build for p in consumer._PERSISTED] == [build]  # made at startup, before any request
        made = consumer._PERSISTED[0]
        kept_path_only(c)
        assert c.get("/api/v1/public/lots/RCPT").json()["code"] == "RCPT"  # the kept row: of this build
        assert consumer._PERSISTED == [made]  # not made again
        assert c.app.state.store.inner._writer is None  # nothing built
