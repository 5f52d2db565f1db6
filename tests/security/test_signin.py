"""Sign-in as an attacker tries it: guessing passwords (lockout per login and per address), forged
requests from another site (CSRF), a planted session id (fixation), the cookie's flags, sign-out and
disabling that must end access at once, and secrets kept out of logs and URLs. The real app over a
real SQLite file (``api`` from tests/e2e)."""

from __future__ import annotations

import logging
import re

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.api.sessions import SessionStore
from foodtrace.services.admin.users import create_user, disable_user, reset_password
from tests.e2e.conftest import ORIGIN, PASSWORD, make_settings, sign_in

RECEIPT = {"code": "WV", "receiver": "M1", "quantity": 5, "unit": "kg", "document": "PZ-9"}


def _token(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text).group(1)


def _try(client: TestClient, login: str, password: str, **headers) -> object:
    r = client.post("/signin", data={"login": login, "password": password, "csrf_token": _token(client)},
                    headers={"Origin": ORIGIN, "accept": "text/html", **headers}, follow_redirects=False)
    client.cookies.clear()
    return r


def _csrf(client: TestClient, sid: str, page: str = "/desk") -> str:
    r = client.get(page, headers={"Cookie": f"ft_session={sid}"})
    return re.search(r'data-csrf="([^"]+)"', r.text).group(1)


@pytest.fixture
def clerk(api):
    create_user(api.store, "li.clerk", "李店员", "M1", "operator", PASSWORD)
    return api


def test_a_wrong_password_is_refused_alike_for_unknown_logins(clerk):
    wrong, unknown = _try(clerk.client, "li.clerk", "not-the-password"), _try(clerk.client, "nobody", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "ft_session" not in wrong.headers.get("set-cookie", "")
    assert re.sub(r'value="[^"]*"', "", wrong.text).replace("li.clerk", "") == \
        re.sub(r'value="[^"]*"', "", unknown.text).replace("nobody", "")  # which of the two was wrong is not told


def test_a_login_is_locked_after_repeated_failures_even_with_the_right_password(tmp_path):
    with TestClient(create_app(make_settings(tmp_path, signin_failures_per_account=3))) as c:
        from tests.builders import register
        from foodtrace.ingest.capture import capture

        capture(c.app.state.store, [register("M1", "supermarket")])
        create_user(c.app.state.store, "li.clerk", "李店员", "M1", "operator", PASSWORD)
        create_user(c.app.state.store, "wang.clerk", "王店员", "M1", "operator", PASSWORD)
        for _ in range(3):
            assert _try(c, "li.clerk", "guess-guess-guess").status_code == 401
        locked = _try(c, "li.clerk", PASSWORD)
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
        assert "ft_session" not in locked.headers.get("set-cookie", "")
        assert "登录失败次数过多" in locked.text
        assert _try(c, "wang.clerk", PASSWORD).status_code == 303  # another login from the same address


def test_an_address_is_locked_after_failures_on_many_logins(tmp_path):
    with TestClient(create_app(make_settings(tmp_path, signin_failures_per_address=4))) as c:
        create_user(c.app.state.store, "boss", "Boss", "OFFICE", "admin", PASSWORD)
        for i in range(4):
            assert _try(c, f"user{i}", "guess-guess-guess").status_code == 401
        assert _try(c, "boss", PASSWORD).status_code == 429


@pytest.mark.parametrize("headers,code", [
    ({"Origin": ORIGIN}, "form_token"),  # no token
    ({"Origin": ORIGIN, "X-CSRF-Token": "forged"}, "form_token"),  # a wrong one
    ({"Origin": "http://evil.example", "X-CSRF-Token": "{csrf}"}, "cross_site"),  # the right one, another site
    ({"X-CSRF-Token": "{csrf}"}, "cross_site"),  # no Origin, no Referer
])
def test_a_state_changing_request_with_the_session_needs_its_token_and_this_site(clerk, headers, code):
    sid = sign_in(clerk.client, "li.clerk")
    csrf = _csrf(clerk.client, sid)
    before = clerk.store.counts()
    sent = {k: v.replace("{csrf}", csrf) for k, v in headers.items()}
    r = clerk.client.post("/api/v1/receipts", json=RECEIPT, headers={"Cookie": f"ft_session={sid}", **sent})
    assert r.status_code == 403 and r.json()["error"]["code"] == code
    assert clerk.store.counts() == before
    ok = clerk.client.post("/api/v1/receipts", json=RECEIPT,
                           headers={"Cookie": f"ft_session={sid}", "Origin": ORIGIN, "X-CSRF-Token": csrf})
    assert ok.status_code == 201, ok.text
    assert list(clerk.store.iter_log())[-1].event.captured_by == "user:li.clerk@M1"


def test_the_admin_page_forms_need_the_session_token(api):
    create_user(api.store, "boss", "Boss", "ADMIN", "admin", PASSWORD)
    sid = sign_in(api.client, "boss")
    form = {"login": "mole", "name": "Mole", "party": "X1", "role": "admin", "password": "mole-password-1"}
    r = api.client.post("/admin/users", data=form, headers={"Cookie": f"ft_session={sid}", "Origin": ORIGIN,
                                                            "accept": "text/html"})
    assert r.status_code == 403
    r = api.client.post("/admin/users", data={**form, "csrf_token": _csrf(api.client, sid, "/admin")},
                        headers={"Cookie": f"ft_session={sid}", "Origin": "http://evil.example", "accept": "text/html"})
    assert r.status_code == 403
    assert "mole" not in [e.event.login for e in api.store.iter_log() if e.event.type == "user_created"]


def test_a_planted_session_id_is_never_adopted(clerk):
    planted = "attacker-chosen-session-id-0123456789abcdef"
    r = clerk.client.post("/signin", data={"login": "li.clerk", "password": PASSWORD, "csrf_token": _token(clerk.client)},
                          headers={"Origin": ORIGIN, "Cookie": f"ft_session={planted}"}, follow_redirects=False)
    sid = r.cookies.get("ft_session")
    clerk.client.cookies.clear()
    assert r.status_code == 303 and sid and sid != planted
    assert clerk.client.get("/api/v1/me", headers={"Cookie": f"ft_session={planted}"}).status_code == 401
    assert clerk.client.get("/api/v1/me", headers={"Cookie": f"ft_session={sid}"}).json()["key_id"] == "li.clerk"
    again = sign_in(clerk.client, "li.clerk")
    assert again != sid  # every sign-in a new id


def test_the_cookie_is_httponly_samesite_lax_and_secure_over_https(tmp_path):
    for base, secure in (("", False), ("https://trace.example.gov.cn", True)):
        with TestClient(create_app(make_settings(tmp_path, base_url=base))) as c:
            create_user(c.app.state.store, "boss", "Boss", "OFFICE", "admin", PASSWORD)
            r = c.post("/signin", data={"login": "boss", "password": PASSWORD, "csrf_token": _token(c)},
                       headers={"Origin": base or ORIGIN}, follow_redirects=False)
            cookie = r.headers["set-cookie"].lower()
            assert r.status_code == 303 and "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
            assert ("secure" in cookie.split(";")[-1] or "; secure" in cookie) is secure
            assert "max-age" not in cookie and "expires" not in cookie  # ends with the browser at the latest
            (tmp_path / "api.db").unlink()


def test_sign_out_ends_the_session(clerk):
    sid = sign_in(clerk.client, "li.clerk")
    csrf = _csrf(clerk.client, sid)
    forged = clerk.client.post("/signout", data={"csrf_token": "forged"}, headers={"Cookie": f"ft_session={sid}",
                                                                                   "Origin": ORIGIN})
    assert forged.status_code == 403  # another site cannot sign a person out either
    r = clerk.client.post("/signout", data={"csrf_token": csrf}, headers={"Cookie": f"ft_session={sid}",
                                                                          "Origin": ORIGIN}, follow_redirects=False)
    assert r.status_code == 303 and 'ft_session=""' in r.headers["set-cookie"]
    assert clerk.client.get("/api/v1/me", headers={"Cookie": f"ft_session={sid}"}).status_code == 401
    page = clerk.client.get("/desk", headers={"Cookie": f"ft_session={sid}"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin?next=")
    zh = clerk.client.get("/desk?lang=zh", follow_redirects=False)  # a page asked for in Chinese signs in in Chinese
    assert zh.status_code == 303 and zh.headers["location"].endswith("&lang=zh")
    assert "登录" in clerk.client.get(zh.headers["location"], headers={"Accept-Language": "en"}).text


@pytest.mark.parametrize("change", ["disable", "reset"])
def test_a_disabled_account_or_a_new_password_ends_its_sessions_at_once(clerk, change):
    sid = sign_in(clerk.client, "li.clerk")
    assert clerk.client.get("/api/v1/me", headers={"Cookie": f"ft_session={sid}"}).status_code == 200
    if change == "disable":
        disable_user(clerk.store, "li.clerk", "left the company")  # as the command line does
    else:
        reset_password(clerk.store, "li.clerk", "a-brand-new-password")
    assert clerk.client.get("/api/v1/me", headers={"Cookie": f"ft_session={sid}"}).status_code == 401
    expected = 401 if change == "disable" else 303
    assert _try(clerk.client, "li.clerk", PASSWORD if change == "disable" else "a-brand-new-password").status_code \
        == expected


def test_an_idle_session_ends():
    now = [1_000_000.0]
    sessions = SessionStore(idle_s=1800, max_s=12 * 3600, clock=lambda: now[0])
    sid, session = sessions.create("li.clerk")
    assert sessions.get(sid).csrf == session.csrf
    now[0] += 1801
    assert sessions.get(sid) is None
    sid, session = sessions.create("li.clerk")
    for _ in range(25):  # used every half hour, but signed in too long ago at the end
        now[0] += 1790
        assert (sessions.get(sid) is not None) == (now[0] - session.started <= 12 * 3600)
    assert sessions.get(sid) is None


def test_no_password_or_session_id_in_logs_or_urls(clerk, caplog):
    caplog.set_level(logging.DEBUG)
    r = clerk.client.post("/signin", data={"login": "li.clerk", "password": PASSWORD, "csrf_token": _token(clerk.client)},
                          headers={"Origin": ORIGIN}, follow_redirects=False)
    sid = r.cookies.get("ft_session")
    clerk.client.cookies.clear()
    assert PASSWORD not in r.headers["location"] and sid not in r.headers["location"]
    clerk.client.get("/api/v1/me", headers={"Cookie": f"ft_session={sid}"})
    _try(clerk.client, "li.clerk", "a-wrong-password-here")
    logged = "\n".join(rec.getMessage() + str(getattr(rec, "fields", "")) for rec in caplog.records)
    assert "user:li.clerk@M1" in logged  # the person is named in the request log
    assert PASSWORD not in logged and sid not in logged and "a-wrong-password-here" not in logged
    page = clerk.client.get("/signin").text
    assert re.search(r'<form id="signin" method="post"', page)  # the password never travels in a URL
    assert not any(PASSWORD in se.event.model_dump_json() for se in clerk.store.iter_log())  # only argon2 hashes


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_after_sign_in_the_browser_stays_on_this_site(clerk, target):
    r = clerk.client.post("/signin", data={"login": "li.clerk", "password": PASSWORD, "next": target,
                                           "csrf_token": _token(clerk.client)},
                          headers={"Origin": ORIGIN}, follow_redirects=False)
    clerk.client.cookies.clear()
    assert r.status_code == 303 and r.headers["location"] == "/desk"


def test_account_events_cannot_be_captured_or_retracted_even_by_an_admin(clerk):
    made = next(se.event for se in clerk.store.iter_log() if se.event.type == "user_created")
    forged = {**made.model_dump(mode="json", exclude={"event_id", "record_time", "captured_by"}),
              "login": "mole", "role": "admin", "holder": "X1"}
    retraction = {"type": "error_declaration", "event_time": "2025-03-01T08:00:00+08:00", "party": "ADMIN",
                  "retracts": [made.event_id], "reason": "spite"}
    for batch in ([forged], [retraction]):
        before = clerk.store.counts()
        r = clerk.client.post("/api/v1/events", headers=clerk.h("admin"), json=batch)
        assert r.status_code == 403, r.text
        assert clerk.store.counts() == before
    assert _try(clerk.client, "li.clerk", PASSWORD).status_code == 303


def test_a_lockout_and_an_unopenable_sessions_database_are_said_in_the_readers_language(tmp_path):
    """services/admin/sessions.py: the 429's message and reason in zh and en, the wait kept."""
    from foodtrace.errors import ConfigError, RateLimited
    from foodtrace.i18n.refusals import localize
    from foodtrace.services.admin.sessions import SessionDB, SignInLimits

    limits = SignInLimits(per_login=2, per_address=50, window_s=900)
    for _ in range(2):
        limits.failed("li.clerk", "10.0.0.1")
    for lang, said in (("zh", ("登录失败次数过多，请稍后再试", "每 15 分钟内最多可失败 2 次")),
                       ("en", ("too many failed sign-ins; try again later",
                               "at most 2 failed sign-ins per 15 minutes"))):
        with pytest.raises(RateLimited) as exc:
            limits.check("li.clerk", "10.0.0.1")
        err = localize(exc.value, lang)
        assert (err.message, err.details[0]["reason"], err.details[0]["field"]) == (*said, "login")
        assert err.retry_after > 0
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(ConfigError) as exc:
        SessionDB(str(tmp_path / "dir.db")).conn()
    assert localize(exc.value, "zh").message.startswith(f"无法打开登录会话数据库 {tmp_path / 'dir.db'}：")
