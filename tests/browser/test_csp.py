"""The pages under their Content-Security-Policy in a real browser, with every request to another host
blocked (as in a government network): /docs and /redoc render from this app's own assets, the desk and
the console run their scripts, and no page reports a CSP violation."""

from __future__ import annotations

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve
from tests.builders import pork_chain
from tests.web_support import app_with_key, app_with_person, sign_in_here


def _offline_page(browser, base: str):
    ctx = browser.new_context()
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(base):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return ctx, page, outside, violations


def test_pages_work_offline_under_their_policy(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    app, login = app_with_person(Settings(store=url), "REG", "admin")
    with serve(app) as base:
        ctx, page, outside, violations = _offline_page(browser, base)
        page.goto(f"{base}/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
        assert "foodtrace" in page.inner_text(".swagger-ui .info .title")
        assert page.locator(".opblock").count() > 10  # the operations, from /openapi.json
        page.goto(f"{base}/redoc")
        page.wait_for_selector("h1", timeout=30_000)
        assert "foodtrace" in page.inner_text("h1")
        page.goto(f"{base}/console?lang=en")
        sign_in_here(page, login)
        assert page.evaluate("() => typeof api") == "function"  # the shared session script ran
        page.goto(f"{base}/l/RCPT?lang=en")
        assert "RCPT" in page.content()
        page.goto(f"{base}/desk?lang=en")
        page.wait_for_function("() => document.getElementById('receiver').value === 'REG'")  # the inline script ran
        # ReDoc's bundle links its maker's logo from its CDN: the policy blocks it (the only reach outward)
        assert not [v for v in violations if "cdn.redoc.ly/redoc/logo-mini.svg" not in v], violations
        assert not outside, outside
        ctx.close()


def test_an_injected_inline_script_does_not_run(browser, tmp_path):
    """What the policy is for: a script without this response's nonce is refused by the browser."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    app, _ = app_with_key(Settings(store=url), "REG", "inspector")
    with serve(app) as base:
        ctx, page, _, violations = _offline_page(browser, base)
        page.goto(f"{base}/desk?lang=en")
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'window.__pwned = 1'; document.body.appendChild(s); }""")
        assert page.evaluate("() => window.__pwned") is None
        assert violations  # the browser reported the refusal
        ctx.close()
