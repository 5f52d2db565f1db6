"""The district report over HTTP with its checkpoints (``services/report/checkpoint.py``): asked again, the
same report; after a late report of a March event, the new report at once — equal to the whole-log fold.
The real app over a real SQLite file, and over a real Neo4j server (its checkpoints kept in the database)."""

from __future__ import annotations

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from foodtrace.services.report import district_report
from foodtrace.services.report.checkpoint import key
from foodtrace.services.report.period import period
from foodtrace.services.safety.rules.config import load_rules
from tests.builders import at, cert, stats_district

MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def client(request, tmp_path):
    if request.param == "embedded":
        settings = Settings(store=f"sqlite:///{tmp_path / 'district.db'}")
    else:
        from tests.neo4j_support import fresh_neo4j_store, neo4j_settings

        fresh_neo4j_store().close()  # an empty database
        settings = neo4j_settings()
    with TestClient(create_app(settings)) as c:
        capture(c.app.state.store, stats_district())
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        yield c


def _kept(store) -> bool:
    """Whether the store keeps a valid checkpoint of March's report (the next one would be read back)."""
    p = period(MARCH["from"], MARCH["to"], "+08:00")
    return store.report_checkpoints().get(key(p, load_rules().model_dump_json()), None, p.end) is not None


def _figures(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "generated_at"}


def test_the_report_asked_again_and_after_a_late_event(client):
    first = client.get("/api/v1/reports/district", params=MARCH)
    assert first.status_code == 200 and first.json()["tests"]["lab"]["failed"] == 0
    again = client.get("/api/v1/reports/district", params=MARCH)
    assert _figures(again.json()) == _figures(first.json())
    store = client.app.state.store
    assert _kept(store)  # the first report kept its figures, read back by the second
    # a lab reports now a test it made in March: the records as they stood at the end of March have changed
    capture(store, [cert(["VEG1"], "lab_test", result="fail", issuer="L1", number="LATE-1", time=at(12, 9))])
    assert not _kept(store)
    late = client.get("/api/v1/reports/district", params=MARCH)
    assert late.status_code == 200 and late.json()["tests"]["lab"]["failed"] == 1
    log = district_report(store, MARCH["from"], MARCH["to"], from_log=True)
    assert _figures(late.json()) == _figures(log.model_dump(mode="json"))
    page = client.get("/reports/district", params={**MARCH, "lang": "en"})
    assert page.status_code == 200 and "<svg" in page.text
