"""The district report over HTTP with its checkpoints (``services/report/checkpoint.py``): asked again, the
same report; after a late report of a March event, the new report at once — equal to the whole-log fold.
The real app over a real SQLite file."""

from __future__ import annotations

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from foodtrace.services.report import district_report
from tests.builders import at, cert, stats_district

MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


@pytest.fixture()
def client(tmp_path):
    with TestClient(create_app(Settings(store=f"sqlite:///{tmp_path / 'district.db'}"))) as c:
        capture(c.app.state.store, stats_district())
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        yield c


def _figures(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "generated_at"}


def test_the_report_asked_again_and_after_a_late_event(client):
    first = client.get("/api/v1/reports/district", params=MARCH)
    assert first.status_code == 200 and first.json()["tests"]["lab"]["failed"] == 0
    again = client.get("/api/v1/reports/district", params=MARCH)
    assert _figures(again.json()) == _figures(first.json())
    store = client.app.state.store
    # a lab reports now a test it made in March: the records as they stood at the end of March have changed
    capture(store, [cert(["VEG1"], "lab_test", result="fail", issuer="L1", number="LATE-1", time=at(12, 9))])
    late = client.get("/api/v1/reports/district", params=MARCH)
    assert late.status_code == 200 and late.json()["tests"]["lab"]["failed"] == 1
    log = district_report(store, MARCH["from"], MARCH["to"], from_log=True)
    assert _figures(late.json()) == _figures(log.model_dump(mode="json"))
    page = client.get("/reports/district", params={**MARCH, "lang": "en"})
    assert page.status_code == 200 and "<svg" in page.text
