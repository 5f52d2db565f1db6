"""Operations over the real app and a real SQLite file: liveness, readiness
(and its 503s), Prometheus metrics moving with captures and scans, request
ids in headers, error answers and the request log — which never holds a key."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from foodtrace.api.app import create_app
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.api.logs import JsonFormatter
from foodtrace.services.admin.keys import issue_key
from tests.builders import pork_chain, register
from tests.e2e.conftest import make_settings

LOOPBACK = ("127.0.0.1", 40000)
REMOTE = ("203.0.113.77", 40000)


def samples(client: TestClient, **kw) -> dict[tuple, float]:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    r = client.get("/metrics", **kw)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    out = {}
    for fam in text_string_to_metric_families(r.text):
        for s in fam.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(snap: dict, name: str, **labels) -> float:
    return snap.get((name, tuple(sorted(labels.items()))), 0.0)


def commission(code: str, party: str = "F1") -> dict:
    return {"type": "commission", "event_time": datetime.now(timezone.utc).isoformat(), "party": party,
            "lots": [{"code": code, "product": "live_pig", "quantity": 10, "unit": "head"}]}


@pytest.fixture
def ops(tmp_path):
    with TestClient(create_app(make_settings(tmp_path)), client=LOOPBACK) as c:
        store = c.app.state.store
        capture(store, [register("F1")])
        c.op_key = issue_key(store, "F1", "operator").key
        yield c


def test_healthz_and_readyz_answer_without_a_key(ops):
    assert ops.get("/healthz").json() == {"status": "ok"}
    r = ops.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ready"
    assert r.json()["log_seq"] >= 2  # the registration and the key


def test_readyz_catches_up_with_another_process_writing_the_file(ops, tmp_path):
    before = ops.get("/readyz").json()["log_seq"]
    other = open_store(f"sqlite:///{tmp_path / 'api.db'}")  # a second writer, as the CLI would be
    try:
        capture(other, [commission("OTHER-1")])
    finally:
        other.close()
    r = ops.get("/readyz")
    assert r.status_code == 200 and r.json()["log_seq"] == before + 1
    snap = samples(ops)
    assert value(snap, "foodtrace_log_seq") == before + 1 and value(snap, "foodtrace_lineage_lag_events") == 0


def test_readyz_503_when_the_store_is_closed(tmp_path):
    with TestClient(create_app(make_settings(tmp_path)), client=LOOPBACK) as c:
        c.app.state.store.close()
        r = c.get("/readyz")
        assert r.status_code == 503
        err = r.json()["error"]
        assert err["code"] == "not_ready" and err["details"][0]["reason"] == "store_unavailable"
        assert str(tmp_path) not in r.text  # no internals
        assert err["request_id"] == r.headers["X-Request-ID"]
        assert c.get("/healthz").status_code == 200  # alive, though not ready
        assert value(samples(c), "foodtrace_store_up", backend="embedded") == 0


def test_readyz_503_when_the_store_does_not_answer_in_time(tmp_path):
    app = create_app(make_settings(tmp_path, ready_timeout_s=0.3))
    with TestClient(app, client=LOOPBACK) as c:
        store = c.app.state.store.inner
        release, held = threading.Event(), threading.Event()

        def long_write():  # holds the store as a long capture batch would
            with store._lock:
                held.set()
                release.wait(10)

        th = threading.Thread(target=long_write)
        th.start()
        try:
            held.wait(5)
            r = c.get("/readyz")
            assert r.status_code == 503 and r.json()["error"]["details"][0]["reason"] == "store_timeout"
        finally:
            release.set()
            th.join()
        c.app.state.prober._running.join(5)
        assert c.get("/readyz").status_code == 200  # ready again once the store answers


def test_metrics_count_requests_captures_refusals_and_scans(ops):
    before = samples(ops)
    h = {"Authorization": f"Bearer {ops.op_key}"}
    first = commission("M-1")
    assert ops.post("/api/v1/events", json=[first, commission("M-2")], headers=h).status_code == 201
    assert ops.post("/api/v1/events", json=[first], headers=h).status_code in (200, 201)  # sent again: a no-op
    assert ops.post("/api/v1/events", json=[{"type": "commission"}], headers=h).status_code == 422
    assert ops.post("/api/v1/events", json=[commission("M-3")]).status_code == 401
    assert ops.get("/l/M-1").status_code == 200
    assert ops.get("/l/NO-SUCH-LOT").status_code == 404
    after = samples(ops)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("foodtrace_captures_stored_total", type="commission") == 2
    assert moved("foodtrace_captures_duplicate_total") == 1
    assert moved("foodtrace_captures_refused_total", reason="invalid_input") == 1
    assert moved("foodtrace_captures_refused_total", reason="unauthorized") == 1
    assert moved("foodtrace_consumer_scans_total", channel="page", outcome="shown") == 1
    assert moved("foodtrace_consumer_scans_total", channel="page", outcome="not_found") == 1
    assert moved("foodtrace_http_requests_total", route="/api/v1/events", method="POST", status="201") >= 1
    assert moved("foodtrace_http_request_duration_seconds_count", route="/l/{code:path}", method="GET") == 2
    assert moved("foodtrace_store_call_duration_seconds_count", call="append") >= 2
    assert value(after, "foodtrace_log_seq") == value(before, "foodtrace_log_seq") + 2
    capture(ops.app.state.store, pork_chain("P"))  # lots linked by slaughter, cutting, sale
    linked = samples(ops)
    counts = ops.app.state.store.counts()
    assert value(linked, "foodtrace_lineage_edges") == counts["links"] > 0
    assert value(linked, "foodtrace_lineage_nodes") > counts["links"] / 2
    # route templates, never lot codes, as labels
    assert not any("M-1" in str(labels) or "NO-SUCH" in str(labels) for _, labels in after)


def test_metrics_need_a_key_off_loopback(tmp_path):
    with TestClient(create_app(make_settings(tmp_path)), client=REMOTE) as c:
        r = c.get("/metrics")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    with TestClient(create_app(make_settings(tmp_path, metrics_key="k" * 24)), client=REMOTE) as c:
        assert c.get("/metrics").status_code == 401
        assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert value(samples(c, headers={"Authorization": f"Bearer {'k' * 24}"}), "foodtrace_store_up",
                     backend="embedded") == 1
        assert c.get("/healthz").status_code == 200 and c.get("/readyz").status_code == 200  # probes stay open


def test_request_id_in_header_error_body_and_log(ops, caplog):
    caplog.set_level(logging.INFO, logger="foodtrace.request")
    r = ops.get("/api/v1/lots/NO-SUCH", headers={"Authorization": f"Bearer {ops.op_key}"})
    rid = r.headers["X-Request-ID"]
    assert r.status_code in (403, 404) and r.json()["error"]["request_id"] == rid
    line = next(rec for rec in caplog.records if rec.name == "foodtrace.request" and rid in rec.getMessage())
    fields = line.fields
    assert fields["route"] == "/api/v1/lots/{code:path}" and fields["status"] == r.status_code
    assert fields["principal"].endswith("@F1") and fields["principal"].startswith("k_")
    assert fields["duration_ms"] >= 0
    # a client's own sane id is kept; a hostile one is replaced
    assert ops.get("/healthz", headers={"X-Request-ID": "support-ticket-1234"}).headers["X-Request-ID"] == \
        "support-ticket-1234"
    assert ops.get("/healthz", headers={"X-Request-ID": "bad id\twith tabs"}).headers["X-Request-ID"] != \
        "bad id\twith tabs"


def test_request_log_never_holds_a_key_a_query_secret_or_the_full_address(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="foodtrace")
    with TestClient(create_app(make_settings(tmp_path, metrics_key="metrics-secret-0123456789")),
                    client=("198.51.100.23", 1234)) as c:
        store = c.app.state.store
        capture(store, [register("F1")])
        key = issue_key(store, "F1", "operator").key
        c.post("/api/v1/events?token=query-secret-1", json=[commission("L-1")],
               headers={"Authorization": f"Bearer {key}"})
        c.get("/api/v1/me", headers={"X-API-Key": key})
        c.get("/api/v1/me", headers={"Authorization": "Bearer ft_not_a_real_key"})
        c.get("/metrics", headers={"Authorization": "Bearer metrics-secret-0123456789"})
        c.get("/l/L-1?session=sess-secret-2")
    lines = [rec for rec in caplog.records if rec.name == "foodtrace.request"]
    assert len(lines) == 5
    text = "\n".join([rec.getMessage() for rec in caplog.records] + [JsonFormatter().format(rec) for rec in lines])
    for secret in (key, "ft_not_a_real_key", "metrics-secret-0123456789", "query-secret-1", "sess-secret-2",
                   "198.51.100.23", "Bearer"):
        assert secret not in text
    assert "198.51.100.0/24" in text  # the network, as much as a report of abuse needs


def test_json_log_lines_carry_the_request_fields(ops, caplog):
    caplog.set_level(logging.INFO, logger="foodtrace.request")
    rid = ops.get("/healthz").headers["X-Request-ID"]
    import json

    rec = next(r for r in caplog.records if r.name == "foodtrace.request" and rid in r.getMessage())
    line = json.loads(JsonFormatter().format(rec))
    assert line["request_id"] == rid and line["route"] == "/healthz" and line["status"] == 200
    assert line["level"] == "info" and line["logger"] == "foodtrace.request"


def test_readiness_and_metrics_refusals_in_the_readers_language(tmp_path):
    """services/admin/health.py: a store that does not answer and metrics off loopback, said in zh; the
    reason's code and the English kept for probes and scripts."""
    with TestClient(create_app(make_settings(tmp_path)), client=LOOPBACK) as c:
        c.app.state.store.close()
        zh = c.get("/readyz", headers={"accept-language": "zh-CN"}).json()["error"]
        assert (zh["message"], zh["details"][0]["reason"]) == ("未就绪：存储库无响应", "原因代码：store_unavailable")
        en = c.get("/readyz").json()["error"]
        assert (en["message"], en["details"][0]["reason"]) == ("not ready: the store does not answer",
                                                               "store_unavailable")
    with TestClient(create_app(make_settings(tmp_path)), client=REMOTE) as c:
        r = c.get("/metrics", headers={"accept-language": "zh-CN"})
        assert r.status_code == 403 and r.json()["error"]["message"] == \
            "运行指标只提供给本机访问；如需允许其他来源，请设置 FOODTRACE_METRICS_KEY"
        assert c.get("/metrics").json()["error"]["message"] == \
            "metrics are served to loopback clients only; set FOODTRACE_METRICS_KEY to allow others"
    with TestClient(create_app(make_settings(tmp_path, metrics_key="k" * 24)), client=REMOTE) as c:
        r = c.get("/metrics", headers={"accept-language": "zh-CN"})
        assert r.status_code == 401 and r.json()["error"]["message"] == \
            "须提供运行指标密钥：Authorization: Bearer <FOODTRACE_METRICS_KEY>"
