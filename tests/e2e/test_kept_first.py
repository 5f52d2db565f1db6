"""Kept consumer views are answered before the middleware (``api.kept.KeptFirstApp``), and still do every
duty the middleware does for the other routes: security headers with a fresh CSP nonce, the request id
(header and log line), exactly one log line as the configured handler writes it, the request and scan
metrics. The routes' rate-limit dependency is made to fail, so an answer the routes gave would fail the test."""

from __future__ import annotations

import io
import json
import re

from prometheus_client import generate_latest
import pytest

from foodtrace.api.ratelimit import public_rate_limit


def _not_the_routes():
    raise AssertionError("answered by the routes, not the kept path")


def _sample(text: str, name: str, **labels) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_kept_answers_given_first_do_every_duty(api, served_logs):
    top, handler = served_logs
    c = api.client
    c.get("/l/RCPT?lang=en")
    c.get("/api/v1/public/lots/RCPT")  # built, then kept
    c.app.dependency_overrides[public_rate_limit] = _not_the_routes
    top.handlers[:] = [handler]  # as when served (pytest adds its capturing handlers to this logger)
    handler.stream = io.StringIO()
    before = generate_latest(c.app.state.metrics.registry).decode()
    try:
        pages = [c.get("/l/RCPT?lang=en", headers={"X-Request-ID": f"scan-00000{i}"}) for i in (41, 42)]
        body = c.get("/api/v1/public/lots/RCPT", headers={"X-Request-ID": "bad id!"})
    finally:
        c.app.dependency_overrides.clear()
    after = generate_latest(c.app.state.metrics.registry).decode()
    for i, page in zip((41, 42), pages):
        assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.headers["X-Request-ID"] == f"scan-00000{i}"
        assert "script-src 'self' 'nonce-" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Referrer-Policy"] == "same-origin"
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert int(page.headers["content-length"]) == len(page.content) and "RCPT" in page.text
    nonces = [re.search(r"'nonce-([^']+)'", p.headers["Content-Security-Policy"]).group(1) for p in pages]
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 22
    assert body.status_code == 200 and body.json()["code"] == "RCPT"
    assert re.fullmatch(r"[0-9a-f]{32}", body.headers["X-Request-ID"])  # an insane id is replaced
    assert body.headers["Content-Security-Policy"].startswith("default-src 'none'")
    lines = [json.loads(x) for x in handler.stream.getvalue().splitlines()]
    assert [(x["request_id"], x["route"], x["status"]) for x in lines] == [
        ("scan-0000041", "/l/{code:path}", 200), ("scan-0000042", "/l/{code:path}", 200),
        (body.headers["X-Request-ID"], "/api/v1/public/lots/{code:path}", 200)]
    assert all(x["logger"] == "foodtrace.request" and x["client"] == "-" for x in lines)  # "testclient": no IP

    def moved(name, **labels):
        return _sample(after, name, **labels) - _sample(before, name, **labels)

    assert moved("foodtrace_http_requests_total", route="/l/{code:path}", method="GET", status="200") == 2
    assert moved("foodtrace_http_request_duration_seconds_count", route="/l/{code:path}", method="GET") == 2
    assert moved("foodtrace_consumer_scans_total", channel="page", outcome="shown") == 2
    assert moved("foodtrace_consumer_scans_total", channel="api", outcome="shown") == 1


def test_what_the_kept_path_does_not_take_goes_to_the_routes(api):
    c = api.client
    c.get("/l/RCPT?lang=en")  # kept
    c.app.dependency_overrides[public_rate_limit] = _not_the_routes
    try:
        for path, headers in (("/l/RCPT?lang=en&x=1", {}), ("/l/RCPT", {"content-length": "0"}),
                              ("/l/NOPE", {})):
            with pytest.raises(AssertionError, match="answered by the routes"):
                c.get(path, headers=headers)
    finally:
        c.app.dependency_overrides.clear()
    assert c.get("/l/%E4%B8").status_code == 422  # a broken path: the input guard answers, as before


def test_a_first_scan_is_built_on_the_event_loop_when_the_store_can_answer_at_once(api, monkeypatch):
    """No worker thread for a view the embedded store can build at once: a thread contending with the event
    loop for the interpreter's lock made each build wait ~5 ms at every SQLite call (docs/performance.md)."""
    import foodtrace.api.deps as deps

    async def no_thread(*a, **kw):
        raise AssertionError("built in a worker thread")

    monkeypatch.setattr(deps, "run_in_threadpool", no_thread)
    page = api.client.get("/l/RCPT?lang=en")
    assert page.status_code == 200 and "RCPT" in page.text
    assert api.client.get("/api/v1/public/lots/RCPT").json()["code"] == "RCPT"
    # the trace API too, its key checked on the loop as well
    got = api.client.get("/api/v1/lots/RCPT/backward", headers={"Authorization": f"Bearer {api.keys['inspector']}"})
    assert got.status_code == 200 and "PIG" in {lot["code"] for lot in got.json()["lots"]}
    assert api.client.get("/api/v1/lots/RCPT/backward", headers={"Authorization": "Bearer ft_wrong"}).status_code == 401


def _same_page(text: str) -> str:
    """A page without what differs from one answer to the next: the CSP nonce and the form's token."""
    text = re.sub(r'nonce="[^"]+"', 'nonce="-"', text)
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="-"', text)


def test_a_first_scan_is_answered_by_the_kept_path_and_kept(api, served_logs):
    """A receipt is scanned once, as a rule: its first scan takes the kept path too (the view built at once,
    kept, its page rendered and kept), with every duty — not the middleware and routes."""
    top, handler = served_logs
    c = api.client
    c.app.dependency_overrides[public_rate_limit] = _not_the_routes
    top.handlers[:] = [handler]
    handler.stream = io.StringIO()
    try:
        first = c.get("/l/RCPT?lang=en", headers={"X-Request-ID": "first-scan-1"})
        again = c.get("/l/RCPT?lang=en")
        public = c.get("/api/v1/public/lots/PIG")  # never asked before either
    finally:
        c.app.dependency_overrides.clear()
    assert first.status_code == 200 and first.headers["X-Request-ID"] == "first-scan-1"
    assert "script-src 'self' 'nonce-" in first.headers["Content-Security-Policy"]
    assert int(first.headers["content-length"]) == len(first.content) and "RCPT" in first.text
    assert _same_page(again.text) == _same_page(first.text)
    assert public.status_code == 200 and public.json()["code"] == "PIG"
    lines = [json.loads(x) for x in handler.stream.getvalue().splitlines()]
    assert [(x["route"], x["status"]) for x in lines] == [("/l/{code:path}", 200), ("/l/{code:path}", 200),
                                                          ("/api/v1/public/lots/{code:path}", 200)]


def test_a_first_scan_built_by_the_kept_path_is_the_page_the_routes_render(api, monkeypatch):
    from foodtrace.graph.store import NOT_NOW

    c, store = api.client, api.client.app.state.store.inner
    for lang in ("zh", "en"):
        with monkeypatch.context() as m:  # the store cannot answer at once: the routes build (in a thread)
            m.setattr(type(store), "answer_now", lambda self, fn: NOT_NOW)
            by_routes = c.get(f"/l/RCPT?lang={lang}")
        for cache in store._caches.values():  # forget the view: the next scan is a first one again
            cache.clear()
        c.app.dependency_overrides[public_rate_limit] = _not_the_routes
        try:
            by_kept_path = c.get(f"/l/RCPT?lang={lang}")
        finally:
            c.app.dependency_overrides.clear()
        assert by_routes.status_code == by_kept_path.status_code == 200
        assert _same_page(by_kept_path.text) == _same_page(by_routes.text)
        for cache in store._caches.values():
            cache.clear()


def test_a_first_scan_takes_one_token_whichever_step_answers(api):
    from foodtrace.api.ratelimit import TokenBuckets

    c = api.client
    c.app.state.buckets = TokenBuckets(rate=1e-9, burst=2)  # two requests, then 429
    assert c.get("/l/NOPE").status_code == 404  # tried by the kept path (no such lot), answered by the routes
    assert c.get("/l/RCPT").status_code == 200  # the second token: a first scan, built by the kept path
    over = c.get("/l/RCPT")
    assert over.status_code == 429 and "Retry-After" in over.headers


def test_a_repeated_accept_language_picks_the_language_the_routes_pick(api, monkeypatch):
    """Two Accept-Language headers: the routes read the first (Starlette's ``headers.get``); the kept path
    must too, first scan or kept, or the same request gets a page in another language."""
    from foodtrace.api.kept import KeptFirstApp

    c = api.client
    for first, second, lang in (("en", "zh", "en"), ("zh", "en", "zh-CN")):
        headers = [("accept-language", first), ("accept-language", second)]
        with monkeypatch.context() as m:
            m.setattr(KeptFirstApp, "_kept", lambda self, scope: None)
            by_routes = c.get("/l/PIG", headers=headers)
        built = c.get("/l/RCPT", headers=headers)  # a first scan, built by the kept path
        kept = c.get("/l/RCPT", headers=headers)  # kept
        for page in (by_routes, built, kept):
            assert page.status_code == 200 and f'<html lang="{lang}">' in page.text, (first, second)
