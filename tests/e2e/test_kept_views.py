"""The consumer page and the public JSON served from kept views (read models), over HTTP: the kept page
is the page built afresh, carries a fresh working form token, and turns red the moment a recall is
recorded through the API; a new test upstream shows at once."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.builders import cert


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def without_token(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_kept_page_is_the_built_page_with_a_fresh_token(api):
    c = api.client
    first = c.get("/l/RCPT?lang=en")  # built (in a worker thread), then kept
    kept = c.get("/l/RCPT?lang=en")  # from the kept view
    assert first.status_code == kept.status_code == 200
    assert "\x00" not in kept.text and token_of(kept.text)
    assert without_token(kept.text) == without_token(first.text)
    assert "Content-Security-Policy" in kept.headers
    zh = c.get("/l/RCPT?lang=zh")
    assert zh.text != kept.text and "追溯码" in zh.text
    r = c.post("/complaint/RCPT?lang=en", data={"description": "smells off", "csrf_token": token_of(kept.text)},
               headers={"origin": "http://testserver"})
    assert r.status_code == 200 and "Thank you" in r.text


def test_a_recall_turns_the_kept_page_and_json_red_at_once(api):
    c = api.client
    assert c.get("/api/v1/public/lots/RCPT").json()["recalled"] is False
    assert "role=\"alert\"" not in c.get("/l/RCPT?lang=en").text
    assert "role=\"alert\"" not in c.get("/l/RCPT?lang=en").text  # kept now
    r = c.post("/api/v1/recalls", json={"codes": ["PIG"], "reason": "clenbuterol", "by": "INS"},
               headers=api.h("inspector"))
    assert r.status_code == 201
    body = c.get("/api/v1/public/lots/RCPT").json()
    assert body["recalled"] is True and body["recall_reasons"] == ["clenbuterol"]
    page = c.get("/l/RCPT?lang=en").text
    assert "role=\"alert\"" in page and "clenbuterol" in page


def test_a_new_test_upstream_shows_on_the_kept_json_at_once(api):
    c = api.client
    before = c.get("/api/v1/public/lots/RCPT").json()
    c.get("/api/v1/public/lots/RCPT")
    r = c.post("/api/v1/events", json=[cert(["PIG"], "clenbuterol_test", issuer="S1", result="fail")], headers=api.h("admin"))
    assert r.status_code in (200, 201), r.text
    after = c.get("/api/v1/public/lots/RCPT").json()
    assert len(after["certificates"]) == len(before["certificates"]) + 1
    assert any(x["kind"] == "clenbuterol_test" and x["result"] == "fail" for x in after["certificates"])


def test_kept_answers_keep_headers_request_id_log_line_and_metrics(api, caplog):
    import logging

    c = api.client
    c.get("/l/RCPT?lang=en")
    c.get("/api/v1/public/lots/RCPT")  # both kept from here on
    with caplog.at_level(logging.INFO, logger="foodtrace.request"):
        page = c.get("/l/RCPT?lang=en", headers={"X-Request-ID": "scan-0000001"})
        body = c.get("/api/v1/public/lots/RCPT")
    assert page.status_code == body.status_code == 200
    assert page.headers["X-Request-ID"] == "scan-0000001" and body.headers["X-Request-ID"]
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "frame-ancestors 'none'" in policy
    assert body.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert page.headers["X-Content-Type-Options"] == "nosniff" and page.headers["content-type"].startswith("text/html")
    assert body.headers["content-type"] == "application/json" and body.json()["code"] == "RCPT"
    lines = [r.getMessage() for r in caplog.records if r.name == "foodtrace.request"]
    assert any("/l/{code:path} 200" in m and "id=scan-0000001" in m for m in lines)
    assert any("/api/v1/public/lots/{code:path} 200" in m for m in lines)
    from prometheus_client import generate_latest

    metrics = generate_latest(c.app.state.metrics.registry).decode()
    assert re.search(r'foodtrace_consumer_scans_total\{channel="page",outcome="shown"\} [2-9]', metrics)
    assert re.search(r'foodtrace_consumer_scans_total\{channel="api",outcome="shown"\} [2-9]', metrics)


def test_kept_answers_count_against_the_public_rate_limit(tmp_path):
    from fastapi.testclient import TestClient

    from foodtrace.api.app import create_app
    from foodtrace.config import Settings
    from foodtrace.ingest.capture import capture
    from tests.builders import pork_chain

    settings = Settings(store=f"sqlite:///{tmp_path / 'limited.db'}", public_rate_per_minute=1, public_burst=3)
    with TestClient(create_app(settings)) as c:
        capture(c.app.state.store, pork_chain())
        answers = [c.get("/api/v1/public/lots/RCPT").status_code for _ in range(2)]
        answers += [c.get("/l/RCPT").status_code for _ in range(2)]  # kept by now: the fast path
        assert answers == [200, 200, 200, 429]
        limited = c.get("/api/v1/public/lots/RCPT")
        assert limited.status_code == 429 and limited.headers["Retry-After"] and limited.json()["error"]


def test_only_plain_scans_take_the_kept_path_others_answer_as_before(api):
    c = api.client
    c.get("/l/RCPT?lang=en")
    assert c.get("/l/RCPT?lang=fr").status_code == 422  # the route's own check of the query
    assert c.get("/l/RCPT?lang=en&x=1").status_code == 200
    assert c.get("/l/NOPE").status_code == 404
    assert c.get("/api/v1/public/lots/RCPT?x=1").json()["code"] == "RCPT"
    assert c.head("/l/RCPT").status_code in (200, 405)  # as the router answers HEAD


def test_whitespace_variants_of_a_code_share_one_kept_page(api):
    from foodtrace.api.deps import rules_of
    from foodtrace.api.routes.pages import _PAGES
    from foodtrace.services.tracing.consumer import kept_view

    c = api.client
    c.get("/l/RCPT?lang=en")  # built, then kept
    base = c.get("/l/RCPT?lang=en")
    kept = kept_view(api.store, "RCPT", rules_of(c.app.state.settings))
    assert kept is not None
    variants = [f"RCPT{' ' * n}" for n in range(1, 30)] + [" RCPT", "RCPT\u3000", "\u3000RCPT\u3000\u3000", "RCPT\u00a0"]
    for v in variants:
        r = c.get(f"/l/{quote(v, safe='')}?lang=en")
        assert r.status_code == 200 and without_token(r.text) == without_token(base.text), repr(v)
        assert 'action="/complaint/RCPT?' in r.text  # built from the lot's own code
    assert list(_PAGES[kept]) == [("en", c.app.state.settings.tz)]
    r = c.post("/complaint/RCPT?lang=en", data={"description": "smells off", "csrf_token": token_of(r.text)},
               headers={"origin": "http://testserver"})
    assert r.status_code == 200 and "Thank you" in r.text  # the token of a variant's page works
