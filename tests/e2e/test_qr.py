"""QR codes, the label sheet, the Digital Link route and the consumer's
report form: the real app over a real SQLite file, the CLI as a subprocess,
QR images decoded back by zxing-cpp."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.complaints import list_complaints
from tests.builders import commission, pork_chain
from tests.e2e.test_cli import run
from tests.guards import require_module
from tests.web_support import form_token

BASE = "https://trace.example.cn"
GTIN = "09520123456788"


def decode(data: bytes) -> str:
    zxingcpp = require_module("zxingcpp")
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    assert found, "no QR code found in the image"
    return found[0].text


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'qr.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [commission("LOT7", party="F1", product="cabbage", qty=50, unit="kg")])
        capture(s, [{**commission("X", party="F1"), "lots": [
            {"code": "G1", "product": "pork", "quantity": 5, "unit": "kg", "gtin": GTIN}]}])
    return url


@pytest.fixture
def client(db):
    from foodtrace.services.admin.keys import issue_key
    from tests.builders import register

    with TestClient(create_app(Settings(store=db, base_url=BASE, complaints_per_hour=2))) as c:
        store = c.app.state.store
        capture(store, [register("INS", "regulator", "District office")])
        c.headers["Authorization"] = f"Bearer {issue_key(store, 'INS', 'inspector').key}"
        yield c


def test_qr_png_and_svg_encode_the_short_link_or_the_digital_link(client):
    r = client.get("/api/v1/lots/RCPT/qr.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert decode(r.content) == f"{BASE}/l/RCPT"
    r = client.get("/api/v1/lots/G1/qr.png")
    assert decode(r.content) == f"{BASE}/01/{GTIN}/10/G1"
    r = client.get("/api/v1/lots/RCPT/qr.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in r.text and "<path" in r.text and r.headers["x-foodtrace-url"] == f"{BASE}/l/RCPT"
    # the lots router does not swallow the suffix, and still answers for the lot
    assert client.get("/api/v1/lots/RCPT").json()["code"] == "RCPT"
    assert client.get("/api/v1/lots/RCPT/qr.svg", headers={"Authorization": ""}).status_code == 401
    r = client.get("/api/v1/lots/NOPE/qr.png")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_digital_link_opens_the_consumer_page(client):
    r = client.get(f"/01/{GTIN}/10/G1?lang=en")
    assert r.status_code == 200 and "Green Farm" in r.text and "G1" in r.text
    assert client.get(f"/01/{GTIN}/10/NOPE").status_code == 404


def test_label_sheet_has_one_label_per_lot_with_its_qr(client):
    r = client.get("/labels?codes=RCPT,LOT7,G1&lang=en", headers={"accept": "text/html"})
    assert r.status_code == 200
    assert r.text.count('class="label"') == 2 and r.text.count("<svg") == 2
    assert "@page{size:A4" in r.text and "cabbage" in r.text and "2025" in r.text
    # G1 is pork made by a farm, with no slaughterhouse upstream: listed with the reason, not labelled
    assert '<li data-code="G1">' in r.text and "not slaughtered at a designated slaughterhouse" in r.text
    r = client.get("/labels?codes=RCPT,NOPE", headers={"accept": "text/html"})
    assert r.status_code == 404 and "NOPE" in r.text


def test_report_a_problem_files_a_complaint_and_is_rate_limited(client, db):
    page = client.get("/l/RCPT")
    assert 'action="/complaint/RCPT' in page.text and "投诉举报" in page.text
    token, own = form_token(page.text), {"origin": "http://testserver"}
    r = client.post("/complaint/RCPT", data={"description": "  ", "contact": "", "csrf_token": token}, headers=own)
    assert r.status_code == 422 and "请填写问题描述" in r.text
    r = client.post("/complaint/RCPT?lang=en", data={"description": "smells off", "contact": "138",
                                                      "csrf_token": token}, headers=own)
    assert r.status_code == 200 and "Thank you" in r.text
    with open_store(db) as s:
        [c] = list_complaints(s, lot="RCPT")
    assert c.description == "smells off" and c.channel == "online" and c.complaint_id in r.text
    assert client.get(str(r.url)).status_code == 200  # the thank-you page reloads (POST, redirect, GET)
    r = client.post("/complaint/RCPT", data={"description": "second this hour", "csrf_token": token},
                    headers=own)  # the blank one did not count: 2/hour
    assert r.status_code == 200
    r = client.post("/complaint/RCPT", data={"description": "third this hour", "csrf_token": token},
                    headers=own)
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    with open_store(db) as s:
        assert len(list_complaints(s, lot="RCPT")) == 2


def test_cli_qr_png_svg_and_sheet(db, tmp_path):
    png, svg, sheet = tmp_path / "label.png", tmp_path / "label.svg", tmp_path / "labels.html"
    p = run("--store", db, "qr", "RCPT", "-o", str(png), "--base-url", BASE)
    assert p.stdout.strip() == f"{BASE}/l/RCPT" and decode(png.read_bytes()) == f"{BASE}/l/RCPT"
    run("--store", db, "qr", "G1", "-o", str(svg), "--base-url", BASE)
    assert svg.read_text().count("<path") == 1
    run("--store", db, "qr", "--sheet", "RCPT", "LOT7", "-o", str(sheet), "--base-url", BASE)
    assert sheet.read_text().count('class="label"') == 2
    run("--store", db, "qr", "--sheet", "RCPT", "LOT7", "-o", str(sheet))  # the default base: loopback
    assert 'class="label"' not in sheet.read_text() and 'class="unscannable"' in sheet.read_text()
    p = run("--store", db, "qr", "RCPT", "-o", str(tmp_path / "x.gif"), check=False)
    assert p.returncode == 1 and "error [invalid_input]" in p.stderr and "output" in p.stderr
    p = run("--store", db, "qr", "NOPE", "-o", str(png), check=False)
    assert p.returncode == 1 and "not_found" in p.stderr


@pytest.mark.parametrize("base", ["", "http://192.168.1.20:8000", "http://localhost", "http://[::1]:8000",
                                  "http://foodtrace-box"])
def test_a_sheet_whose_codes_no_phone_can_open_warns_and_prints_nothing(db, base):
    """A default install's base URL is the server's own loopback address: no label is printed."""
    with TestClient(create_app(Settings(store=db, base_url=base))) as c:
        r = c.get("/labels?codes=RCPT,LOT7&lang=zh", headers={"accept": "text/html"})
    assert r.status_code == 200
    assert 'class="unscannable"' in r.text and "FOODTRACE_BASE_URL" in r.text and "本页不予打印" in r.text
    assert 'class="label"' not in r.text and "<svg" not in r.text


def test_a_recalled_lot_is_listed_not_labelled(db):
    from foodtrace.services.safety.recall import start_recall

    with open_store(db) as s:
        start_recall(s, ["CARC"], reason="clenbuterol found")
    with TestClient(create_app(Settings(store=db, base_url=BASE))) as c:
        r = c.get("/labels?codes=RCPT,LOT7&lang=en", headers={"accept": "text/html"})
    assert r.text.count('class="label"') == 1 and 'data-code="LOT7"' in r.text
    assert '<li data-code="RCPT"><b>Recalled</b>' in r.text and "has been recalled" in r.text


def test_cli_qr_refusals_are_said_in_chinese(db, tmp_path):
    """cli/web.py: the wrong output file for one code or for a sheet, in Chinese with --lang zh."""
    p = run("--store", db, "qr", "RCPT", "LOT7", "-o", str(tmp_path / "x.png"), check=False, lang="zh")
    assert p.returncode == 1 and "请只给一个追溯码，并用 -o label.png 或 label.svg 指定输出文件（多个追溯码请加 --sheet）" in p.stderr
    assert "output: 一个追溯码；.png 或 .svg 文件" in p.stderr and "give one code" not in p.stderr
    p = run("--store", db, "qr", "--sheet", "RCPT", "-o", str(tmp_path / "x.png"), check=False, lang="zh")
    assert p.returncode == 1 and "标签页须保存为 .html 文件" in p.stderr and "请使用 labels.html" in p.stderr
    p = run("--store", db, "qr", "--sheet", "RCPT", "-o", str(tmp_path / "x.png"), check=False)
    assert "a label sheet is written as .html" in p.stderr and "use labels.html" in p.stderr
