"""The statistics report as users get it: `foodtrace report` as a subprocess, and the HTTP routes
of the real app over a real SQLite file."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from tests.builders import stats_district
from tests.e2e.test_cli import run

MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'district.db'}"
    with open_store(url) as s:
        capture(s, stats_district())
    return url


def test_cli_markdown_in_chinese_and_english(url):
    zh = run("--store", url, "report", "--from", "2025-03-01", "--to", "2025-03-31", lang="zh").stdout
    assert zh.startswith("# 示范区食品安全追溯统计报告") and "（统计期间：2025年3月1日至2025年3月31日）" in zh
    assert "| 猪肉 | 2 | 15 | 1,200.0 | 800.0 | 66.67% | 0.0 |" in zh and "> 口径:" in zh
    en = run("--store", url, "report", "--from", "2025-03-01", "--to", "2025-03-31", "--lang", "en", lang="zh").stdout
    assert en.startswith("# Demo District: Food-safety traceability statistics") and "closure rate: **50.00%**" in en


def test_cli_json_and_html_to_files(url, tmp_path):
    out = tmp_path / "r.json"
    p = run("--store", url, "report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "json", "-o", str(out))
    assert p.stdout == "" and str(out) in p.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["clenbuterol"]["failed"] == 1 and data["recalls"]["removed"] == {"kg": 390.0}
    assert data["definitions"]["membership"]["zh"].startswith("备案主体")
    page = tmp_path / "r.html"
    run("--store", url, "report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "html", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and "<form" not in html  # a saved page has no form to send


def test_cli_time_zone_from_the_setting(url, monkeypatch):
    day = ("--store", url, "report", "--from", "2025-03-03", "--to", "2025-03-03", "--format", "json")
    beijing = json.loads(run(*day).stdout)
    monkeypatch.setenv("FOODTRACE_TZ", "UTC")
    utc = json.loads(run(*day).stdout)
    assert beijing["tz"] == "+08:00" and utc["tz"] == "+00:00"
    assert beijing["traceability"]["records_by_type"]["commission"] == 1
    assert "commission" not in utc["traceability"]["records_by_type"]


def test_cli_bad_period_is_a_clear_error(url):
    p = run("--store", url, "report", "--from", "2025-04-01", "--to", "2025-03-01", check=False)
    assert p.returncode == 1 and "error [invalid_input]" in p.stderr and "from:" in p.stderr
    assert "Traceback" not in p.stderr
    p = run("--store", url, "report", "--from", "1 March", check=False)
    assert p.returncode == 1 and "bad date" in p.stderr and "Traceback" not in p.stderr


def test_bad_period_said_in_chinese(url):
    p = run("--store", url, "--lang", "zh", "report", "--from", "2025-04-01", "--to", "2025-03-01", check=False)
    assert p.returncode == 1 and "统计期间的起始日（2025-04-01）晚于截止日（2025-03-01）" in p.stderr
    assert "from: 不得晚于 2025-03-01" in p.stderr and "period" not in p.stderr
    p = run("--store", url, "--lang", "zh", "report", "--tz", "+25:00", check=False)
    assert p.returncode == 1 and "无法识别的时区“+25:00”" in p.stderr and "时差须在 ±14:00 以内" in p.stderr


@pytest.fixture(scope="module")
def client(url):
    """The app, the client sending an admin key (the report is for inspectors and admins)."""
    with TestClient(create_app(Settings(store=url))) as c:
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        yield c


def test_http_json_and_markdown(client):
    r = client.get("/api/v1/reports/district", params=MARCH)
    assert r.status_code == 200
    body = r.json()
    assert body["period_from"] == "2025-03-01" and body["membership"]["unregistered_actors"] == ["X1"]
    assert body["flow"]["kg"] == 700.0 and body["anomalies"]["count"] == 7
    md = client.get("/api/v1/reports/district", params={**MARCH, "format": "md", "lang": "en"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# Demo District: Food-safety traceability statistics")
    assert "/api/v1/reports/district" in client.get("/openapi.json").json()["paths"]


def _docx_text(data: bytes) -> tuple[str, int]:
    """The text of a Word document (paragraphs and table cells) and how many pictures it holds."""
    import io

    import docx

    d = docx.Document(io.BytesIO(data))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells), len(d.inline_shapes)


def _pdf_text(data: bytes) -> tuple[str, int]:
    """The text of a PDF, page by page (PDFium), and its number of pages."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf), len(pdf)
    finally:
        pdf.close()


INTERNALS = ("foodtrace check", "transparent_kitchen", "supervision_figures", "rules.toml", "T16:", "/work/", "/tmp/")


def test_cli_word_and_pdf_documents(url, tmp_path, monkeypatch):
    monkeypatch.setenv("FOODTRACE_DISTRICT_NAME", "西湖区")
    monkeypatch.setenv("FOODTRACE_OFFICE_NAME", "杭州市西湖区市场监督管理局")
    word, pdf = tmp_path / "r.docx", tmp_path / "r.pdf"
    p = run("--store", url, "report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "docx", "-o", str(word),
            lang="zh")
    assert p.stdout == "" and str(word) in p.stderr
    text, pictures = _docx_text(word.read_bytes())
    assert "西湖区食品安全追溯统计报告" in text and "杭州市西湖区市场监督管理局" in text
    assert "（统计期间：2025年3月1日至2025年3月31日）" in text and "十二、监督检查与执法" in text
    assert "本期未发生食品安全事故。" in text and "加入率" in text and "杭州市余杭区" in text  # an area by its name
    assert pictures == 3  # the charts
    assert not [x for x in INTERNALS if x in text]
    run("--store", url, "report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "pdf", "-o", str(pdf),
        "--lang", "en")
    assert pdf.read_bytes().startswith(b"%PDF")
    text, pages = _pdf_text(pdf.read_bytes())
    assert pages >= 3 and "Food-safety traceability statistics" in text and "12. Inspections and enforcement" in text
    assert "No food-safety incident happened in the period." in text and "Xihu District, Hangzhou" not in text
    assert "Yuhang District, Hangzhou" in text and not [x for x in INTERNALS if x in text]
    p = run("--store", url, "report", "--format", "pdf", check=False)  # a document needs a file
    assert p.returncode != 0 and "-o FILE" in p.stderr and "Traceback" not in p.stderr


def test_http_word_and_pdf(client):
    for fmt, media, magic in (("docx", "officedocument.wordprocessingml", b"PK"), ("pdf", "application/pdf", b"%PDF")):
        r = client.get("/api/v1/reports/district", params={**MARCH, "format": fmt})
        assert r.status_code == 200 and media in r.headers["content-type"] and r.content.startswith(magic)
        assert f'filename="district-report-2025-03-01-2025-03-31.{fmt}"' in r.headers["content-disposition"]
    text, _ = _docx_text(client.get("/api/v1/reports/district", params={**MARCH, "format": "docx"}).content)
    assert "示范区食品安全追溯统计报告" in text and "区市场监督管理局" in text
    assert client.get("/api/v1/reports/district", params={**MARCH, "format": "rtf"}).status_code == 422


def test_http_page(client):
    page = client.get("/reports/district", params={**MARCH, "lang": "en"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count("<svg") == 3 and 'action="/reports/district"' in page.text
    zh = client.get("/reports/district", params=MARCH, headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert "食品安全追溯统计报告" in zh.text and "（统计期间：2025年3月1日至2025年3月31日）" in zh.text


def test_http_bad_period_names_the_field(client):
    r = client.get("/api/v1/reports/district", params={"from": "2025-04-01", "to": "2025-03-01"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "from"
    r = client.get("/api/v1/reports/district", params={**MARCH, "tz": "Nowhere/City"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "tz"
    r = client.get("/reports/district", params={"from": "yesterday"}, headers={"accept": "text/html"})
    assert r.status_code == 422 and '<span class="code">from</span>' in r.text and "2025-01-31" in r.text
    assert "输入的内容无效" in r.text  # the page in the reader's language, naming the field and the reason
    assert "应为 2025-01-31 这样的日期" in r.text and "a date such as" not in r.text
    r = client.get("/api/v1/reports/district", params={"from": "2025-04-01", "to": "2025-03-01"},
                   headers={"accept-language": "zh-CN"})
    assert r.json()["error"]["details"][0]["reason"] == "不得晚于 2025-03-01"


def test_the_english_report_holds_no_chinese_but_party_names(client):
    """The page, the Word document and the PDF in English: no Chinese gloss (加入率, 办结…), no
    full-width space; only the parties' own names may be Chinese."""
    import html
    import re

    registered = client.app.state.store.events_by_type(["party_registration"])
    names = {n for se in registered if (n := getattr(se.event, "name", None))}
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

    def chinese(text: str) -> list[str]:
        for name in names:
            text = text.replace(name, "")
        return [line for line in text.splitlines() if cjk.search(line)]

    page = client.get("/reports/district", params={**MARCH, "lang": "en"}).text
    page = html.unescape(re.sub(r"<[^>]+>", "\n", re.sub(r"<script.*?</script>", "", page, flags=re.S)))
    word, _ = _docx_text(client.get("/api/v1/reports/district", params={**MARCH, "format": "docx", "lang": "en"}).content)
    pdf, _ = _pdf_text(client.get("/api/v1/reports/district", params={**MARCH, "format": "pdf", "lang": "en"}).content)
    assert "membership rate" in page and "membership rate" in word
    assert chinese(page) == ["中文"]  # the link to the Chinese page, named in its own language
    assert chinese(word) == [] and chinese(pdf) == []
