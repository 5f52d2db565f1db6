"""A recall started from a failed test reads in one language at a time: the consumer page and its
public JSON, the recall over HTTP, and ``foodtrace recall-show`` in Chinese and in English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.services.admin.keys import issue_key
from tests.builders import at, cert, good_pork, with_id
from tests.e2e.conftest import make_settings
from tests.e2e.test_cli import run

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")  # Chinese characters and full-width punctuation
LATIN = re.compile(r"[A-Za-z]")
NUMBER = "2025-07"  # the test report's number: never in what the recall announces
REASON = re.compile(r'<p class="recall-reason">(.*?)</p>', re.S)


@pytest.fixture
def recalled(tmp_path):
    """The pork chain with its clenbuterol test failed, and a recall started from that test over HTTP."""
    chain = [with_id(cert(["PIG"], "clenbuterol_test", result="fail", issuer="S1", number=NUMBER, time=at(3, 8)),
                     "t-1") if e["type"] == "certificate" and e["kind"] == "clenbuterol_test" else e
             for e in good_pork()]
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as c:
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        assert c.post("/api/v1/events", json=chain).status_code == 201
        r = c.post("/api/v1/recalls/from-test", json={"event_id": "t-1"})
        assert r.status_code == 201
        yield c, r.json(), settings.store


def test_the_recall_over_http_carries_both_reasons(recalled):
    client, body, _ = recalled
    assert (body["reason"], body["reason_en"]) == ("瘦肉精检测不合格", "clenbuterol test failed")
    status = client.get("/api/v1/recall-status/RCPT").json()
    assert status["recalls"][0]["reason"] == body["reason"] and status["recalls"][0]["reason_en"] == body["reason_en"]


def test_the_public_json_carries_both_lists(recalled):
    client, body, _ = recalled
    view = client.get("/api/v1/public/lots/RCPT", headers={"Authorization": ""}).json()
    assert view["recall_reasons"] == ["瘦肉精检测不合格"]
    assert view["recall_reasons_en"] == ["clenbuterol test failed"]


def test_the_consumer_page_shows_the_reason_in_its_language(recalled):
    client, body, _ = recalled
    client.headers.pop("Authorization")
    zh = client.get("/l/RCPT?lang=zh").text
    reasons = REASON.findall(zh)
    assert reasons == ["召回原因: 瘦肉精检测不合格"]
    assert not LATIN.search(reasons[0])
    en = client.get("/l/RCPT?lang=en").text
    assert NUMBER not in zh and NUMBER not in en  # the test report's number: a document number, not public
    assert REASON.findall(en) == ["Reason: clenbuterol test failed"]
    # the verdict section (verdict, its reasons, the recall's reason, what to do) has no Chinese in English
    verdict = re.search(r'<section class="verdict.*?</section>', en, re.S).group(0)
    assert "recalled" in verdict and not HAN.search(verdict), HAN.findall(verdict)
    verdict_zh = re.search(r'<section class="verdict.*?</section>', zh, re.S).group(0)
    assert not LATIN.search(re.sub(r"<[^>]*>", "", verdict_zh))


def test_recall_show_in_each_language(recalled):
    _, body, url = recalled
    zh = run("--store", url, "recall-show", body["recall_id"], lang="zh").stdout
    head = zh.splitlines()[0]
    assert "瘦肉精检测不合格" in head and not LATIN.search(head.replace(body["recall_id"], ""))
    en = run("--store", url, "recall-show", body["recall_id"], lang="en").stdout
    assert "clenbuterol test failed" in en.splitlines()[0] and not HAN.search(en.splitlines()[0])
    assert "不合格" not in en
