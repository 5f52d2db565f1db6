"""The consumer page and the public JSON served from kept views (read models), over HTTP: the kept page
is the page built afresh, carries a fresh working form token, and turns red the moment a recall is
recorded through the API; a new test upstream shows at once."""

from __future__ import annotations

import re

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
