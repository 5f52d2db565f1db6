"""Managing people's accounts: re-enabling a disabled account (the fold honours the log's order), the
JSON API for administrators (keys, or a session with its CSRF token), the admin page's enable button,
``foodtrace users enable``, and the password hash's cost setting."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from argon2 import extract_parameters
import pytest

from foodtrace.services.admin.doctor import diagnose
from foodtrace.services.admin.users import (accounts, check_password_rules, create_user, disable_user, enable_user,
                                            hash_password, sign_in as check_sign_in)
from foodtrace.config import Settings
from tests.e2e.conftest import ORIGIN, PASSWORD, sign_in


def _log_types(store, login):
    return [se.event.type for se in store.iter_log() if getattr(se.event, "login", None) == login]


def test_the_fold_follows_the_log_disable_enable_disable(api):
    create_user(api.store, "li.clerk", "李店员", "M1", "operator", PASSWORD)
    assert enable_user(api.store, "li.clerk").disabled is False  # not disabled: nothing recorded
    disable_user(api.store, "li.clerk")
    assert check_sign_in(api.store, "li.clerk", PASSWORD) is None
    assert enable_user(api.store, "li.clerk").disabled is False
    assert check_sign_in(api.store, "li.clerk", PASSWORD) is not None
    disable_user(api.store, "li.clerk", "left again")
    assert accounts(api.store)["li.clerk"].disabled and check_sign_in(api.store, "li.clerk", PASSWORD) is None
    assert _log_types(api.store, "li.clerk") == ["user_created", "user_disabled", "user_enabled", "user_disabled"]


def test_an_account_event_cannot_be_sent_as_a_capture(api):
    ev = {"type": "user_enabled", "event_time": "2025-03-01T08:00:00+08:00", "party": "ADMIN", "login": "li.clerk"}
    r = api.client.post("/api/v1/events", json=[ev], headers=api.h("admin"))
    assert r.status_code == 403
    assert "user_enabled" not in [se.event.type for se in api.store.iter_log()]


@pytest.mark.parametrize("who", ["admin", "s_admin"])
def test_an_admin_manages_accounts_as_json(api, who):
    h = api.h(who)
    body = {"login": "wang.ins", "name": "王监管", "party": "INS", "role": "inspector", "areas": ["3301"],
            "password": "a-good-password-1"}
    r = api.client.post("/api/v1/users", json=body, headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["login"] == "wang.ins" and made["areas"] == ["3301"] and not made["disabled"]
    assert "a-good-password-1" not in r.text and "argon2" not in r.text and "password_hash" not in r.text
    assert api.client.post("/api/v1/users", json=body, headers=h).json()["error"]["code"] == "conflict"
    listed = api.client.get("/api/v1/users", headers=h).json()
    assert "wang.ins" in [u["login"] for u in listed] and "argon2" not in str(listed)
    r = api.client.post("/api/v1/users/wang.ins/disable", json={"reason": "moved to another station"}, headers=h)
    assert r.json()["disabled"] is True
    assert [se.event.reason for se in api.store.iter_log() if se.event.type == "user_disabled"] == \
        ["moved to another station"]
    assert check_sign_in(api.store, "wang.ins", "a-good-password-1") is None
    assert api.client.post("/api/v1/users/wang.ins/enable", headers=h).json()["disabled"] is False
    r = api.client.post("/api/v1/users/wang.ins/password", json={"password": "another-password-2"}, headers=h)
    assert r.status_code == 200
    assert check_sign_in(api.store, "wang.ins", "another-password-2") is not None
    assert _log_types(api.store, "wang.ins") == ["user_created", "user_disabled", "user_enabled", "user_password_set"]
    captured = {se.event.captured_by for se in api.store.iter_log() if getattr(se.event, "login", "") == "wang.ins"}
    assert len(captured) == 1  # the admin who did it, named
    assert captured == {"user:s-admin@ADMIN"} if who == "s_admin" else next(iter(captured)).startswith("key:k_")


@pytest.mark.parametrize("method,path,body,status,field", [
    ("POST", "/api/v1/users", {"login": "X", "name": "n", "party": "M1", "role": "operator",
                               "password": "a-good-password-1"}, 422, "login"),
    ("POST", "/api/v1/users", {"login": "shorty", "name": "n", "party": "M1", "role": "operator",
                               "password": "short"}, 422, "password"),
    ("POST", "/api/v1/users", {"login": "nobody", "name": "n", "party": "NOPE", "role": "operator",
                               "password": "a-good-password-1"}, 422, "party"),
    ("POST", "/api/v1/users", {"login": "areas", "name": "n", "party": "M1", "role": "operator", "areas": ["3301"],
                               "password": "a-good-password-1"}, 422, "areas"),
    ("POST", "/api/v1/users", {"login": "extra", "name": "n", "party": "M1", "role": "operator",
                               "password": "a-good-password-1", "admin": True}, 422, "admin"),
    ("POST", "/api/v1/users/ghost/disable", None, 404, "login"),
    ("POST", "/api/v1/users/ghost/password", {"password": "a-good-password-1"}, 404, "login"),
    ("POST", "/api/v1/users/BAD%20LOGIN/enable", None, 422, "login"),
])
def test_bad_account_requests_name_the_field(api, method, path, body, status, field):
    before = api.store.counts()
    r = api.client.request(method, path, json=body, headers=api.h("admin"))
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"code", "message", "details", "request_id"}
    assert any(field in str(d.get("field")) for d in err["details"]), err
    assert api.store.counts() == before


def test_a_session_needs_its_csrf_token_and_an_admin_role(api):
    sid, csrf = api.session("s_admin")
    body = {"login": "mole", "name": "n", "party": "M1", "role": "admin", "password": "a-good-password-1"}
    r = api.client.post("/api/v1/users", json=body, headers={"Cookie": f"ft_session={sid}", "Origin": ORIGIN})
    assert r.status_code == 403
    r = api.client.post("/api/v1/users", json=body, headers={**api.h("s_inspector")})
    assert r.status_code == 403
    assert "mole" not in accounts(api.store)


def test_the_admin_page_enables_a_disabled_account(api):
    create_user(api.store, "li.clerk", "李店员", "M1", "operator", PASSWORD)
    disable_user(api.store, "li.clerk")
    sid, csrf = api.session("s_admin")
    page = api.client.get("/admin?lang=zh", headers={"Cookie": f"ft_session={sid}"}).text
    row = re.search(r'<tr class="user" data-login="li.clerk">.*?</tr>', page, re.S).group()
    assert "/admin/users/li.clerk/enable" in row and "重新启用" in row and "/disable" not in row
    r = api.client.post("/admin/users/li.clerk/enable", data={"csrf_token": csrf, "lang": "en"},
                        headers={"Cookie": f"ft_session={sid}", "Origin": ORIGIN, "accept": "text/html"})
    assert r.status_code == 200 and not accounts(api.store)["li.clerk"].disabled
    assert "Enable again" not in re.search(r'data-login="li.clerk">.*?</tr>', r.text, re.S).group()
    assert sign_in(api.client, "li.clerk")


def test_users_enable_at_the_command_line(tmp_path):
    store = f"sqlite:///{tmp_path / 'a.db'}"
    env = {**os.environ, "FOODTRACE_STORE": store, "FOODTRACE_LANG": "en"}

    def cli(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "foodtrace", "users", *args], input=stdin, capture_output=True,
                              text=True, env=env, timeout=120)

    assert cli("create", "boss", "--name", "王主任", "--party", "OFFICE", "--role", "admin", "--password-stdin",
               stdin=PASSWORD + "\n").returncode == 0
    assert cli("disable", "boss").returncode == 0
    assert "\tdisabled" in cli("list").stdout
    r = cli("enable", "boss", "--reason", "back from leave")
    assert r.returncode == 0 and r.stdout.strip() == "boss enabled"
    assert "\tactive" in cli("list").stdout
    r = cli("enable", "ghost")
    assert r.returncode != 0 and "ghost" in r.stderr and "Traceback" not in r.stderr


def test_the_hash_cost_setting(monkeypatch):
    monkeypatch.setenv("FOODTRACE_PASSWORD_HASH_COST", "test")
    cheap = extract_parameters(hash_password(PASSWORD))
    assert (cheap.memory_cost, cheap.time_cost) == (8, 1)
    assert any(f.check == "password_hash_cost" and f.level == "warn" for f in diagnose(Settings(store="memory://")))
    monkeypatch.setenv("FOODTRACE_PASSWORD_HASH_COST", "standard")  # production: RFC 9106 low-memory, 64 MiB
    standard = extract_parameters(hash_password(PASSWORD))
    assert (standard.memory_cost, standard.time_cost, standard.parallelism) == (65536, 3, 4)
    assert not any(f.check == "password_hash_cost" for f in diagnose(Settings(store="memory://")))


def test_account_refusals_are_said_in_chinese_and_unchanged_in_english(api):
    """users.py: a bad password, an account for an unregistered party, an unknown login, in the reader's language."""
    from foodtrace.errors import InvalidInput
    from foodtrace.i18n.refusals import localize

    def said(call, lang):
        with pytest.raises(InvalidInput) as exc:
            call()
        err = localize(exc.value, lang)
        return err.message, err.details[0]["reason"]

    assert said(lambda: check_password_rules(" padded password "), "zh") == ("密码不符合要求", "首尾不得有空格，不得含控制字符")
    assert said(lambda: check_password_rules("short"), "en") == ("the password is not acceptable",
                                                                 "between 10 and 256 characters")
    nobody = lambda: create_user(api.store, "nobody", "n", "NOPE", "operator", "a-good-password-1")  # noqa: E731
    assert said(nobody, "zh") == ("主体 NOPE 尚未备案", "请先为该主体备案")
    assert said(nobody, "en") == ("party 'NOPE' is not registered", "register the party first")
    zh = api.client.post("/api/v1/users/ghost/disable", headers={**api.h("admin"), "accept-language": "zh-CN"})
    assert zh.status_code == 404 and zh.json()["error"]["message"] == "没有登录名为 ghost 的账户"
    assert zh.json()["error"]["details"][0]["reason"] == "无此登录名"
    en = api.client.post("/api/v1/users/ghost/disable", headers=api.h("admin")).json()["error"]
    assert (en["message"], en["details"][0]["reason"]) == ("no account 'ghost'", "unknown login")
