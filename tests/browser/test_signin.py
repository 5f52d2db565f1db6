"""People signing in, in a real browser (Debian Chromium via Playwright): a clerk registers a receipt
without ever seeing a key, an office viewer opens the report, a wrong password is told in Chinese and
English, sign-out ends access, and a form posted from another site is refused."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.users import accounts, create_user
from tests.browser_support import serve
from tests.builders import pork_chain, register, stats_district
from tests.web_support import PASSWORD, app_with_person, sign_in_here


def test_a_clerk_signs_in_and_registers_a_receipt_without_a_key(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [register("M2", "supermarket", "North Supermarket")])
    app, login = app_with_person(Settings(store=url), "M2", "operator", "li.clerk")
    with serve(app) as base:
        ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
        page = ctx.new_page()
        page.goto(f"{base}/desk")
        assert "/signin" in page.url and page.locator("#key").count() == 0
        sign_in_here(page, login)
        assert page.url.endswith("/desk") and page.inner_text("#person") == "operator of M2"
        page.wait_for_function("() => document.getElementById('receiver').value === 'M2'")  # from the session
        page.fill("#code", "WV")
        page.fill("#quantity", "5")
        page.fill("#document", "PZ-88")
        page.click("#desk button[type=submit]")
        page.wait_for_selector("#verdict.accept")
        page.click("#confirm")
        page.wait_for_function("() => document.getElementById('confirmed').textContent.length > 0")
        assert "M2-" in page.inner_text("#confirmed")
        assert "ft_" not in page.content() and "Bearer" not in page.content()  # no key anywhere in the page
        assert [c for c in ctx.cookies() if c["name"] == "ft_session"][0]["httpOnly"]
        assert page.evaluate("() => document.cookie") == ""  # the session id is out of the page's reach
        page.screenshot(path=str(tmp_path / "desk-signed-in.png"), full_page=True)
        ctx.close()
    with open_store(url) as s:  # the receipt is recorded, and the log names the clerk
        receipt = [se.event for se in s.iter_log() if se.event.type == "handoff" and se.event.to_party == "M2"]
        assert receipt and receipt[-1].captured_by == "user:li.clerk@M2"


def test_an_office_viewer_signs_in_and_reads_the_report(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with open_store(url) as s:
        capture(s, stats_district())
    app, login = app_with_person(Settings(store=url), "LEAD", "viewer", "zhang.leader")
    with serve(app) as base:
        ctx = browser.new_context(viewport={"width": 1100, "height": 900}, locale="zh-CN")
        page = ctx.new_page()
        page.goto(f"{base}/reports/district?from=2025-03-01&to=2025-03-31")
        sign_in_here(page, login)
        assert "/reports/district?from=2025-03-01&to=2025-03-31" in page.url
        assert "食品安全追溯统计报告" in page.title() and "加入率" in page.inner_text("body")
        page.goto(f"{base}/console")  # a viewer reads reports only
        assert page.title().endswith("403")
        ctx.close()


def test_a_wrong_password_is_told_in_chinese_and_english(browser, tmp_path):
    app, login = app_with_person(Settings(store=f"sqlite:///{tmp_path / 'w.db'}"), "M1", "operator")
    with serve(app) as base:
        for lang, words in (("zh", "用户名或密码不正确"), ("en", "The login name or the password is wrong")):
            page = browser.new_page()
            page.goto(f"{base}/signin?lang={lang}")
            sign_in_here(page, login, "not-my-password")
            assert words in page.inner_text("#message")
            assert page.input_value("#login") == login and page.input_value("#password") == ""
            assert "password" not in page.url
            page.close()


def test_sign_out_ends_access(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'o.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    app, login = app_with_person(Settings(store=url), "REG", "inspector")
    with serve(app) as base:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(f"{base}/console?lang=en")
        sign_in_here(page, login)
        kept = [c for c in ctx.cookies() if c["name"] == "ft_session"][0]
        with page.expect_navigation():
            page.click("#signout")
        assert "/signin?done=1" in page.url and "You have signed out" in page.inner_text("#message")
        page.goto(f"{base}/console")
        assert "/signin" in page.url
        ctx.add_cookies([kept])  # the old session id, put back: it is dead on the server
        status = page.evaluate("async () => (await fetch('/api/v1/me')).status")
        assert status == 401
        ctx.close()


def _evil_site(target: str) -> FastAPI:
    """Another site whose page posts a form to ``target`` as soon as it loads."""
    evil = FastAPI()

    @evil.get("/")
    def page() -> HTMLResponse:
        return HTMLResponse(f"""<!doctype html><body><form id="f" method="post" action="{target}">
<input name="login" value="mole"><input name="name" value="Mole"><input name="party" value="ADMIN">
<input name="role" value="admin"><input name="password" value="mole-password-1"><input name="csrf_token" value="guess">
</form><script>document.getElementById('f').submit()</script></body>""")

    return evil


def test_a_form_posted_from_another_site_is_refused(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    app, login = app_with_person(Settings(store=url), "ADMIN", "admin", "boss")
    with serve(app) as base, serve(_evil_site(f"{base}/admin/users")) as evil:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(f"{base}/admin")
        sign_in_here(page, login)  # the administrator is signed in, and then visits the other site
        with page.expect_navigation(url=f"{base}/admin/users"):
            page.goto(evil)
        assert page.title().endswith("403")  # the error page names the status in its title
        ctx.close()
    with open_store(url) as s:
        assert "mole" not in accounts(s)
        create_user(s, "check", "Check", "ADMIN", "admin", PASSWORD)  # the store is fine
