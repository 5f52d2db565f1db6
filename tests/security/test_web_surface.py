"""The web surface: security headers on every kind of response, no page loading anything from another host,
the API docs served from this app, trace CSV cells inert, and the label sheet limited without a key."""

from __future__ import annotations

import re

import pytest

PAGES = ["/docs", "/redoc", "/desk", "/console", "/stall", "/l/RCPT", "/labels?codes=RCPT", "/reports/district", "/signin",
         "/admin"]
ASSET_URL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//""", re.I)


def _page(api, path):
    return api.client.get(path, headers={**api.h("s_admin"), "accept": "text/html"})  # a person: every page


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_the_security_headers(api, path):
    r = _page(api, path)
    assert r.status_code == 200, (path, r.status_code)
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in re.search(r"script-src[^;]*", csp).group()
    assert "http" not in csp  # no other host allowed for anything
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES)
def test_no_page_loads_an_asset_from_another_host(api, path):
    html = _page(api, path).text
    assert not ASSET_URL.search(html) and not CSS_URL.search(html), path
    for asset in re.findall(r"""<(?:script|link|img)[^>]*?(?:src|href)=["']([^"']+)["']""", html):  # own assets answer
        if asset.startswith("/"):
            assert api.client.get(asset).status_code == 200, asset


def test_inline_scripts_carry_this_responses_nonce(api):
    r = _page(api, "/desk")
    nonce = re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"]).group(1)
    tags = re.findall(r"<script[^>]*>", r.text)
    assert tags and all(f'nonce="{nonce}"' in t for t in tags)
    assert nonce not in _page(api, "/desk").headers["content-security-policy"]  # one per response


@pytest.mark.parametrize("path", ["/api/v1/lots/RCPT", "/openapi.json", "/api/v1/lots/RCPT/qr.svg", "/nope"])
def test_other_responses_allow_nothing(api, path):
    r = api.client.get(path, headers=api.h("inspector"))
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"


def test_trace_csv_writes_a_formula_lot_code_inert(api):
    from tests.builders import commission

    bad = "=2+3+cmd|'/Ccalc'!A0"
    assert api.client.post("/api/v1/events", json=[commission(bad)], headers=api.h("admin")).status_code == 201
    r = api.client.get(f"/api/v1/lots/{bad}/trace.csv", headers=api.h("inspector"))
    assert r.status_code == 200 and "'" + bad in r.text
    assert not re.search(r"(^|,)[=+\-@]", r.text.replace("\ufeff", ""), re.M)


def test_label_sheet_without_a_key_is_small_and_public(api):
    r = api.client.get("/labels?codes=RCPT", headers={"accept": "text/html"})
    assert r.status_code == 200 and 'class="label"' not in r.text  # the default base URL: loopback, no labels
    api.client.app.state.settings.base_url = "https://trace.example.cn"  # a public address: labels print
    r = api.client.get("/labels?codes=RCPT", headers={"accept": "text/html"})
    assert r.status_code == 200 and r.text.count('class="label"') == 1
    keyed = api.client.get("/labels?codes=RCPT", headers={**api.h("inspector"), "accept": "text/html"})
    assert "2025" in keyed.text and "2025" not in r.text  # the creation date only with a key
    many = ",".join(["RCPT", "RL", "WV", "CARC", "PIG"])
    r = api.client.get(f"/labels?codes={many}")
    assert r.status_code == 401 and r.json()["error"]["details"][0]["field"] == "codes"
    assert api.client.get(f"/labels?codes={many}", headers=api.h("inspector")).status_code == 200
    r = api.client.get("/labels?codes=" + ",".join(f"C{i}" for i in range(121)), headers=api.h("inspector"))
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "codes"


def test_label_sheet_with_an_operator_key_only_for_its_lots(api):
    r = api.client.get("/labels?codes=PIG", headers=api.h("op_X1"))
    assert r.status_code == 403
