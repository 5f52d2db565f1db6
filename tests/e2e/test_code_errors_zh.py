"""A GS1 code typed or scanned that breaks its rules (a GTIN of the wrong length, a wrong check digit, a
malformed element string, an AI's value of the wrong length) is refused with its reason in the reader's
language: in Chinese without an English word, in the same English as always otherwise — through the
consumer page, the lot API an inspector uses, the console's look-up and the command line (``CODE_ERRORS`` of
``model/code_errors.py``, ``i18n/input_errors.py``)."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}

# (code, its reason in Chinese, its reason in English as today, ``str(CodeError)``)
CASES = [
    ("(01)123", "全球贸易项目代码“123”应为 8、12、13 或 14 位数字", "GTIN '123' must be 8, 12, 13 or 14 digits"),
    ("(01)09520123456787(10)2025", "全球贸易项目代码“09520123456787”的校验码有误（应为 8）",
     "GTIN '09520123456787' has a wrong check digit (expected 8)"),
    ("(01)0952012345678(8", "“(01)0952012345678(8”不是有效的单元数据串，应形如 (01)09520123456788(10)20250301",
     "'(01)0952012345678(8' is not a GS1 element string like (01)09520123456788(10)LOT1"),
    ("(01)09520123456788(17)2512", "应用标识符（17）后的“2512”应为 6 位数字", "(17) '2512' must be 6 digits"),
    ("(00)12345", "应用标识符（00）后的“12345”应以 18 位数字开头", "SSCC (00) '12345' must start with 18 digits"),
]


def _no_english(text: str) -> None:
    assert not re.search(r"[A-Za-z]{2,}", text), text


@pytest.mark.parametrize("code,zh,en", CASES)
def test_the_lot_api_says_a_bad_codes_reason_in_the_readers_language(api, code, zh, en):
    h = api.h("inspector")
    r = api.client.get(f"/api/v1/lots/{quote(code, safe='')}", headers={**h, **ZH})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["message"] == f"商品条码格式有误：{zh}" and err["details"][0]["reason"] == zh
    assert err["details"][0]["field"] == "code"
    _no_english(err["message"])
    r = api.client.get(f"/api/v1/lots/{quote(code, safe='')}", headers={**h, **EN})
    err = r.json()["error"]
    assert r.status_code == 422 and err["message"] == en and err["details"][0]["reason"] == en
    assert api.client.get(f"/api/v1/lots/{quote(code, safe='')}", headers=h).json()["error"]["message"] == en


def _reasons(page) -> list[str]:
    """The reasons the error page lists (``<ul class="details">``), unescaped."""
    listed = re.search(r'<ul class="details">(.*?)</ul>', page.text, re.S)
    return [html.unescape(t) for t in re.findall(r'<span lang="[^"]+">(.*?)</span>', listed.group(1), re.S)]


@pytest.mark.parametrize("code,zh,en", CASES[:3])
def test_the_consumer_page_says_a_bad_codes_reason_in_the_readers_language(api, code, zh, en):
    for path in (f"/l/{quote(code, safe='')}", f"/l?code={quote(code, safe='')}"):  # a link, the look-up box
        page = api.client.get(path, headers={"Accept": "text/html", **ZH})
        assert page.status_code == 422 and _reasons(page) == [zh]
        page = api.client.get(path, headers={"Accept": "text/html", **EN})
        assert page.status_code == 422 and _reasons(page) == [en]


@pytest.mark.parametrize("code,zh,en", CASES[:2])
def test_the_consoles_look_up_says_a_bad_codes_reason_in_the_pages_language(api, code, zh, en):
    h = api.h("inspector")
    path = f"/api/v1/lots/{quote(code, safe='')}/graph"
    err = api.client.get(path, params={"lang": "zh"}, headers=h).json()["error"]
    assert err["message"] == f"商品条码格式有误：{zh}"
    err = api.client.get(path, params={"lang": "en"}, headers=h).json()["error"]
    assert err["message"] == en


def test_a_malformed_sbt_code_is_refused_in_chinese_without_an_english_word(api):
    """A 26-digit SB/T 10680-style code with an impossible date is no SB/T code: it is looked up as a plain
    trace code, and its refusal is said in Chinese."""
    h = api.h("inspector")
    code = "320102" "2101" "20251341" "0000001"  # area, node, 2025-13-41, serial
    err = api.client.get(f"/api/v1/lots/{code}", headers={**h, **ZH}).json()["error"]
    assert err["message"] == f"没有追溯码为“{code}”的批次"
    _no_english(err["message"] + "".join(d["reason"] for d in err["details"]))


def test_an_epcis_document_naming_a_digital_link_that_breaks_a_rule_is_no_fault(api):
    """A Digital Link whose key has a qualifier it cannot have (AI 99 after a GTIN) is kept as a plain code, as
    ``canonical_code`` keeps it — never an unforeseen fault (it used to escape the EPCIS mapping as a 500)."""
    from tests.e2e.test_access_matrix import epcis_doc

    link = "https://id.gs1.org/01/09520123456788/99/7"
    doc = epcis_doc("M1")
    doc["epcisBody"]["eventList"][0]["quantityList"] = [{"epcClass": link, "quantity": 10, "uom": "KGM"}]
    r = api.client.post("/api/v1/epcis/capture", json=doc, headers={**api.h("admin"), **ZH})
    assert r.status_code < 300, r.text
    lot = api.client.get(f"/api/v1/lots/{quote(link, safe='')}", headers=api.h("inspector"))
    assert lot.status_code == 200 and lot.json()["code"] == link


def test_a_lot_recorded_with_a_gtin_of_a_wrong_check_digit_has_a_qr_code_of_its_own_page(api):
    """A lot's GTIN is checked for its 14 digits only when recorded; one with a wrong check digit gets no
    Digital Link (it used to be an unforeseen fault): its QR code and label carry the lot's own page."""
    from foodtrace.ingest.capture import capture
    from tests.builders import commission

    ev = commission("G-BAD-1")
    ev["lots"][0]["gtin"] = "09520123456787"
    capture(api.store, [ev])
    h = api.h("inspector")
    assert api.client.get("/api/v1/lots/G-BAD-1/qr.svg", headers=h).status_code == 200
    assert api.client.get("/labels?codes=G-BAD-1", headers={**h, "Accept": "text/html"}).status_code == 200
    from foodtrace.services.tracing.qr import lot_url

    assert lot_url(api.store.get_lot("G-BAD-1"), "https://trace.example") == "https://trace.example/l/G-BAD-1"


def test_the_command_line_says_a_bad_codes_reason_in_its_language(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "FOODTRACE_STORE": f"sqlite:///{tmp_path / 'a.db'}", "PYTHONIOENCODING": "utf-8"}

    def trace(lang: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "foodtrace", "--lang", lang, "trace", CASES[1][0]], env=env,
                              capture_output=True, text=True, timeout=120)

    zh, en = trace("zh"), trace("en")
    assert zh.returncode == 1 and f"商品条码格式有误：{CASES[1][1]}" in zh.stderr and "check digit" not in zh.stderr
    assert en.returncode == 1 and CASES[1][2] in en.stderr and "校验码" not in en.stderr
