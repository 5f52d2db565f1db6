"""The consumer complaint form tried as a hostile party: posts from another site, without a
valid anti-forgery token, too many from one client or on one lot, made-up X-Forwarded-For
headers — and, whatever gets through, a complaint moves no business in the risk ranking until
an inspector accepts it. The real app over a real SQLite file; ``foodtrace serve`` as a process
for the proxy settings uvicorn is given."""

from __future__ import annotations

from contextlib import contextmanager
import os
import subprocess
import sys
import time

from fastapi.testclient import TestClient
import httpx
import pytest

from foodtrace.api.app import create_app
from foodtrace.api.client import forwarded_client, uvicorn_proxy_options
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from foodtrace.services.safety.complaints import list_complaints
from tests.browser_support import free_port
from tests.builders import pork_chain, register
from tests.web_support import form_token

OWN = "http://testserver"  # the test client's host: the site's own origin
HTML = {"accept": "text/html,application/xhtml+xml"}
PROXY = "10.0.0.7"


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'complaints.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [register("INS", "regulator", "District office")])
    return url


@contextmanager
def site(db, peer: str = "203.0.113.9", **kw):
    """The app over ``db``; its test client connects from ``peer``."""
    settings = Settings(store=db, public_rate_per_minute=60_000, public_burst=10_000, **kw)
    with TestClient(create_app(settings), client=(peer, 50000)) as c:
        yield c


def post(c, code="RCPT", text="smells off", token: str | None = "page", headers=None, **extra):
    """A post of the report form on ``code``; ``token="page"``: the one the lot's page embeds."""
    if token == "page":
        token = form_token(c.get(f"/l/{code}").text)
    data = {"description": text, "contact": "138", **extra}
    if token is not None:
        data["csrf_token"] = token
    return c.post(f"/complaint/{code}", data=data, headers={"origin": OWN, **(headers or {})})


def stored(db) -> list:
    with open_store(db) as s:
        return list_complaints(s)


# -- same origin ---------------------------------------------------------------------------------


def test_a_post_from_another_site_is_refused_and_nothing_stored(db):
    with site(db) as c:
        token = form_token(c.get("/l/RCPT").text)
        r = post(c, token=token, headers={"origin": "https://evil.example"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "cross_site"
        assert r.json()["error"]["details"][0]["field"] == "Origin"
        r = post(c, text="the shop poisons people", token=token, headers={"origin": "https://evil.example", **HTML})
        assert r.status_code == 403 and "此表单只能在本站的商品页面提交" in r.text
        assert "the shop poisons people" not in r.text  # text posted from elsewhere is not put in the form
        r = c.post("/complaint/RCPT?lang=en", data={"description": "x", "csrf_token": token},
                   headers={"origin": "null", **HTML})
        assert r.status_code == 403 and "only be sent from the product page" in r.text
        # no Origin: the Referer decides; neither: refused
        r = c.post("/complaint/RCPT", data={"description": "x", "csrf_token": token},
                   headers={"referer": "https://evil.example/page"})
        assert r.status_code == 403 and r.json()["error"]["details"][0]["field"] == "Referer"
        assert c.post("/complaint/RCPT", data={"description": "x", "csrf_token": token}).status_code == 403
        assert stored(db) == []
        r = c.post("/complaint/RCPT", data={"description": "from our own page", "csrf_token": token},
                   headers={"referer": f"{OWN}/l/RCPT"})
        assert r.status_code == 200
    assert [v.description for v in stored(db)] == ["from our own page"]


def test_the_public_base_url_is_an_own_origin(db):
    with site(db, base_url="https://trace.example.cn") as c:
        assert post(c, headers={"origin": "https://trace.example.cn"}).status_code == 200
        assert post(c, headers={"origin": "https://trace.example.cn.evil.example"}).status_code == 403
        assert post(c, headers={"origin": "http://trace.example.cn"}).status_code == 403  # another scheme
    assert len(stored(db)) == 1


# -- anti-forgery token --------------------------------------------------------------------------


def test_a_post_without_a_valid_token_is_refused_and_keeps_what_was_typed(db):
    with site(db, complaints_per_hour=20) as c:  # every try counts against the client: allow these
        typed = "The pork smelled of ammonia — 有氨水味"
        r = post(c, text=typed, token=None)
        assert r.status_code == 403 and r.json()["error"]["code"] == "form_token"
        r = post(c, text=typed, token=None, headers=HTML)
        assert r.status_code == 403 and "页面已过期，未能提交" in r.text
        assert typed in r.text and 'value="138"' in r.text  # the description and the contact come back
        fresh = form_token(r.text)  # the page that came back carries a fresh token
        r = post(c, text=typed, token="1700000000.bm90LWEtbWFj", headers=HTML)  # made up
        assert r.status_code == 403 and typed in r.text
        other_lot = form_token(c.get("/l/RL").text)
        assert post(c, token=other_lot).status_code == 403  # a token is for its own lot only
        guard = c.app.state.complaint_guard
        expired = guard.tokens.issue("RCPT", now=time.time() - guard.tokens.max_age_s - 5)
        r = c.post("/complaint/RCPT?lang=en", data={"description": typed, "csrf_token": expired},
                   headers={"origin": OWN, **HTML})
        assert r.status_code == 403 and "This page had expired" in r.text and typed in r.text
        assert stored(db) == []
        assert post(c, text=typed, token=fresh).status_code == 200
    assert [v.description for v in stored(db)] == [typed]


def test_a_token_signed_with_another_key_is_refused(db, tmp_path):
    with site(db, form_secret="one key") as c:
        token = form_token(c.get("/l/RCPT").text)
    with site(db, form_secret="another key") as c:
        assert post(c, token=token).status_code == 403
    with site(db, form_secret="one key") as c:  # the same configured key: valid in another process too
        assert post(c, token=token).status_code == 200


# -- limits -------------------------------------------------------------------------------------


def test_one_client_is_limited_and_a_made_up_forwarded_for_does_not_escape(db):
    with site(db, complaints_per_hour=2) as c:
        assert post(c, text="one").status_code == 200
        assert post(c, text="two", headers={"x-forwarded-for": "198.51.100.1"}).status_code == 200
        for i in range(3):
            r = post(c, text="three", headers={"x-forwarded-for": f"198.51.100.{i + 2}"})
            assert r.status_code == 429 and r.json()["error"]["details"][0]["field"] == "client"
        r = post(c, text="我的第三条投诉", headers={"x-forwarded-for": "198.51.100.9", **HTML})
        assert r.status_code == 429 and "您提交得过于频繁" in r.text and "我的第三条投诉" in r.text
        assert int(r.headers["retry-after"]) > 0
    assert sorted(v.description for v in stored(db)) == ["one", "two"]


def test_a_forwarded_for_is_not_believed_from_a_peer_that_is_not_a_trusted_proxy(db):
    with site(db, complaints_per_hour=1, trusted_proxies=PROXY) as c:  # the client is not the proxy
        assert post(c, headers={"x-forwarded-for": "198.51.100.1"}).status_code == 200
        assert post(c, headers={"x-forwarded-for": "198.51.100.2"}).status_code == 429


def test_from_a_trusted_proxy_the_forwarded_client_is_honoured(db):
    with site(db, peer=PROXY, complaints_per_hour=1, trusted_proxies=f"{PROXY},192.168.0.0/16") as c:
        assert post(c, text="a", headers={"x-forwarded-for": "198.51.100.1"}).status_code == 200
        assert post(c, text="a again", headers={"x-forwarded-for": "198.51.100.1"}).status_code == 429
        assert post(c, text="b", headers={"x-forwarded-for": "198.51.100.2"}).status_code == 200
        # a client prepending addresses of its own changes nothing: the proxy appended the real one
        r = post(c, text="b again", headers={"x-forwarded-for": "1.2.3.4, 198.51.100.2"})
        assert r.status_code == 429
        # behind two trusted proxies, the first untrusted address from the right is the client
        r = post(c, text="c", headers={"x-forwarded-for": "1.2.3.4, 198.51.100.3, 192.168.4.4"})
        assert r.status_code == 200
    assert sorted(v.description for v in stored(db)) == ["a", "b", "c"]


def test_the_public_rate_limit_counts_by_the_same_client_address(db):
    settings = Settings(store=db, public_rate_per_minute=1, public_burst=2)
    with TestClient(create_app(settings), client=("203.0.113.9", 50000)) as c:
        codes = [c.get("/l/RCPT", headers={"x-forwarded-for": f"198.51.100.{i}"}).status_code for i in range(4)]
    assert codes == [200, 200, 429, 429]


def test_one_lot_takes_a_limited_number_of_reports_from_all_clients_together(db):
    with site(db, peer=PROXY, trusted_proxies=PROXY, complaints_per_lot_per_hour=2) as c:
        for i in range(2):
            assert post(c, text=f"client {i}", headers={"x-forwarded-for": f"198.51.100.{i}"}).status_code == 200
        r = post(c, text="client 2", headers={"x-forwarded-for": "198.51.100.2"})
        assert r.status_code == 429 and r.json()["error"]["details"][0]["field"] == "lot"
        r = c.post("/complaint/RCPT?lang=en", headers={"origin": OWN, "x-forwarded-for": "198.51.100.3", **HTML},
                   data={"description": "my own words", "csrf_token": form_token(c.get("/l/RCPT").text)})
        assert r.status_code == 429 and "This lot has had many reports" in r.text and "my own words" in r.text
        # an empty report is refused (422) and does not use up the lot's share; another lot has its own
        assert post(c, code="RL", text=" ", headers={"x-forwarded-for": "198.51.100.4"}).status_code == 422
        for i in (5, 6):
            assert post(c, code="RL", headers={"x-forwarded-for": f"198.51.100.{i}"}).status_code == 200
    assert len([v for v in stored(db) if v.lots == ["RCPT"]]) == 2
    assert len([v for v in stored(db) if v.lots == ["RL"]]) == 2


# -- the risk ranking ----------------------------------------------------------------------------


def _m1(c, key) -> dict:
    r = c.get("/api/v1/supervision/risk", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    return next(e for e in r.json()["entries"] if e["party"] == "M1")


def test_a_complaint_moves_the_risk_ranking_only_once_an_inspector_accepts_it(db):
    with site(db, peer=PROXY, trusted_proxies=PROXY) as c:
        key = issue_key(c.app.state.store, "INS", "inspector").key
        before = _m1(c, key)
        assert "complaint" not in {x["code"] for x in before["reasons"]}
        for i in range(5):  # five made-up complaints from five "clients"
            assert post(c, text=f"smear {i}", headers={"x-forwarded-for": f"198.51.100.{i}"}).status_code == 200
        assert _m1(c, key) == before  # received, not accepted: nothing moves
        ids = [v.complaint_id for v in stored(db)]
        assert [v.status for v in stored(db)] == ["received"] * 5
        auth = {"Authorization": f"Bearer {key}"}
        # turned down (closed without acceptance): never counts
        assert c.post(f"/api/v1/complaints/{ids[0]}/closure", json={"resolution": "unfounded"},
                      headers=auth).status_code == 201
        assert _m1(c, key) == before
        r = c.post(f"/api/v1/complaints/{ids[1]}/acceptance", json={"note": "receipt checked"}, headers=auth)
        assert r.status_code == 201 and r.json()["status"] == "accepted" and r.json()["accepted_by"] == "INS"
        after = _m1(c, key)
        counted = [x for x in after["reasons"] if x["code"] == "complaint"]
        assert [x["ref"] for x in counted] == [ids[1]] and after["score"] == before["score"] + counted[0]["points"]
        assert counted[0]["points"] > 0 and after["rank"] <= before["rank"]
        assert c.post(f"/api/v1/complaints/{ids[1]}/acceptance", headers=auth).status_code == 409
        assert c.post(f"/api/v1/complaints/{ids[0]}/acceptance", headers=auth).status_code == 409  # closed
        # closed after acceptance: still counts (with the closed weight)
        c.post(f"/api/v1/complaints/{ids[1]}/closure", json={"resolution": "shop warned"}, headers=auth)
        closed = [x for x in _m1(c, key)["reasons"] if x["code"] == "complaint"]
        assert [x["ref"] for x in closed] == [ids[1]] and "已办结" in closed[0]["zh"] and "closed" in closed[0]["en"]


def test_an_operator_cannot_accept_a_complaint(db):
    with site(db) as c:
        assert post(c).status_code == 200
        [v] = stored(db)
        key = issue_key(c.app.state.store, "M1", "operator").key
        r = c.post(f"/api/v1/complaints/{v.complaint_id}/acceptance", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 403
    assert [v.status for v in stored(db)] == ["received"]


# -- the proxy rule itself, and what `foodtrace serve` hands uvicorn -----------------------------


def test_the_forwarded_client_rule():
    trusted = ("10.0.0.0/8", "::1")
    assert forwarded_client("203.0.113.9", ["198.51.100.1"], trusted) == "203.0.113.9"
    assert forwarded_client("10.1.2.3", ["198.51.100.1"], trusted) == "198.51.100.1"
    assert forwarded_client("::1", ["1.1.1.1, 198.51.100.1:4431", "10.0.0.2"], trusted) == "198.51.100.1"
    assert forwarded_client("10.1.2.3", ["[2001:db8::1]:80"], trusted) == "2001:db8::1"
    assert forwarded_client("10.1.2.3", ["10.0.0.3, 10.0.0.4"], trusted) == "10.0.0.3"  # all trusted: the first
    assert forwarded_client("10.1.2.3", [], trusted) == "10.1.2.3"
    assert uvicorn_proxy_options(Settings()) == {"proxy_headers": False, "forwarded_allow_ips": []}
    assert uvicorn_proxy_options(Settings(trusted_proxies="10.0.0.0/8, ::1")) == {
        "proxy_headers": True, "forwarded_allow_ips": ["10.0.0.0/8", "::1"]}
    with pytest.raises(ValueError):
        Settings(trusted_proxies="10.0.0.0/8, proxy.local")


def _serve(db, port, **env) -> subprocess.Popen:
    env = {**os.environ, "FOODTRACE_STORE": db, **{f"FOODTRACE_{k.upper()}": str(v) for k, v in env.items()}}
    p = subprocess.Popen([sys.executable, "-m", "foodtrace", "serve", "--port", str(port)], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return p
        except httpx.TransportError:
            time.sleep(0.2)
    p.kill()
    raise RuntimeError("foodtrace serve did not start")


@pytest.mark.parametrize("trusted,second", [("", 429), ("127.0.0.1", 303)])
def test_foodtrace_serve_believes_forwarded_for_only_from_trusted_proxies(db, trusted, second):
    """uvicorn by itself trusts X-Forwarded-For from loopback; `foodtrace serve` does not, unless
    loopback is named a trusted proxy (then the header decides who the client is)."""
    port = free_port()
    server = _serve(db, port, complaints_per_hour=1, trusted_proxies=trusted)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10) as c:
            codes = []
            for i in range(2):
                token = form_token(c.get("/l/RCPT").text)
                r = c.post("/complaint/RCPT", data={"description": f"try {i}", "csrf_token": token},
                           headers={"origin": base, "x-forwarded-for": f"198.51.100.{i}"})
                codes.append(r.status_code)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert codes == [303, second]  # a report filed: 303 to its thank-you page
