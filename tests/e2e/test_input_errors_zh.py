"""Errors of input and look-ups said in the reader's language (``i18n/input_errors.py``): a request's bad
query parameters, an unknown trace code, a bad event in a batch — in Chinese for a reader asking
``Accept-Language: zh-CN``, in the same English as always for the others."""

from __future__ import annotations

import re

ZH = {"Accept-Language": "zh-CN"}


def _error(r) -> dict:
    return r.json()["error"]


def test_bad_query_parameters_are_said_in_chinese(api):
    h = api.h("inspector")
    zh = _error(api.client.get("/api/v1/search?q=&limit=abc", headers={**h, **ZH}))
    assert zh["message"] == "提交的内容有误"
    reasons = {d["field"]: d["reason"] for d in zh["details"]}
    assert reasons["query.q"] == "不能为空" and reasons["query.limit"] == "须为整数"
    en = _error(api.client.get("/api/v1/search?q=&limit=abc", headers=h))
    assert en["message"] == "the request is not valid"
    reasons = {d["field"]: d["reason"] for d in en["details"]}
    assert reasons["query.q"] == "must not be empty"
    assert reasons["query.limit"] == "must be a whole number"
    big = _error(api.client.get("/api/v1/search?q=x&limit=999", headers={**h, **ZH}))
    assert big["details"][0]["reason"] == "不能大于 200"
    missing = _error(api.client.get("/api/v1/search", headers={**h, **ZH}))
    assert missing["details"][0] == {"position": None, "field": "query.q", "reason": "必填", "key": "input_required"}


def test_an_unknown_trace_code_is_said_in_chinese_and_its_page_still_names_it(api):
    h = api.h("inspector")
    zh = _error(api.client.get("/api/v1/lots/NOPE-1", headers={**h, **ZH}))
    assert zh["message"] == "没有追溯码为“NOPE-1”的批次" and zh["details"][0]["reason"] == "无法识别的追溯码"
    en = _error(api.client.get("/api/v1/lots/NOPE-1", headers=h))
    assert en["message"] == "no lot with trace code 'NOPE-1'" and en["details"][0]["reason"] == "unknown trace code"
    page = api.client.get("/l/NOPE-2", headers={"Accept": "text/html", **ZH})
    assert page.status_code == 404 and "NOPE-2" in page.text


def test_a_bad_event_in_a_batch_is_said_in_chinese(api):
    body = [{"type": "harvest", "lot": {"code": "H-1", "product": "pork", "quantity": "lots", "unit": "kg"},
             "event_time": "2025-03-01T08:00:00", "party": "F1", "extra": 1}, 7]
    zh = _error(api.client.post("/api/v1/events", json=body, headers={**api.h("admin"), **ZH}))
    en = _error(api.client.post("/api/v1/events", json=body, headers=api.h("admin")))
    assert re.fullmatch(r"本批有 \d+ 处错误，未存入任何记录", zh["message"])
    assert re.fullmatch(r"\d+ error\(s\) in the batch; nothing was stored", en["message"])
    said = {(d["position"], d["reason"]) for d in zh["details"]}
    assert (1, "每条记录须为一个对象，不能是 int") in said
    assert (1, "an event must be a JSON object, not int") in {(d["position"], d["reason"]) for d in en["details"]}
    assert len(zh["details"]) == len(en["details"])


def _cli(lang: str, *args: str, store: str):
    import os
    import subprocess
    import sys

    env = {**os.environ, "FOODTRACE_STORE": store, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "foodtrace", "--lang", lang, *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_malformed_file_is_refused_in_the_readers_language(tmp_path):
    store = f"sqlite:///{tmp_path / 'a.db'}"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "harvest"\n[NaN]\n', encoding="utf-8")
    zh = _cli("zh", "ingest", str(bad), store=store)
    assert zh.returncode == 1
    assert f"{bad}：2 行格式错误，未存入任何记录" in zh.stderr
    assert "NaN 不是允许的数值；数值须为有限数" in zh.stderr and "nothing was stored" not in zh.stderr
    en = _cli("en", "ingest", str(bad), store=store)
    assert f"{bad}: 2 malformed line(s); nothing was stored" in en.stderr
    assert "NaN is not a number JSON allows; numbers must be finite" in en.stderr
    missing = _cli("zh", "ingest", str(tmp_path / "none.jsonl"), store=store)
    assert f"无法读取 {tmp_path / 'none.jsonl'}：" in missing.stderr and "cannot read" not in missing.stderr


def test_a_refused_batch_of_a_jsonl_file_says_its_positions_are_line_numbers_in_chinese(tmp_path):
    store = f"sqlite:///{tmp_path / 'a.db'}"
    events = tmp_path / "events.jsonl"
    events.write_text('# a comment\n{"type": "harvest", "event_time": "2025-03-01T08:00:00"}\n', encoding="utf-8")
    zh = _cli("zh", "ingest", str(events), store=store)
    assert zh.returncode == 1 and "（位置为行号）" in zh.stderr and "positions are" not in zh.stderr
    assert "#2" in zh.stderr
    en = _cli("en", "ingest", str(events), store=store)
    assert "(positions are line numbers)" in en.stderr and "位置" not in en.stderr


def test_the_keys_refusals_are_said_in_chinese(api):
    zh = _error(api.client.get("/api/v1/lots/A", headers=ZH))  # no key
    assert zh["message"].startswith("请先登录，或提供接口密钥：发送“Authorization: Bearer <key>”")
    en = _error(api.client.get("/api/v1/lots/A"))
    assert en["message"] == "sign in, or send an API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
    ship = {"code": "NOPE", "supplier": "W1", "quantity": 3, "unit": "担"}
    zh = _error(api.client.post("/api/v1/stall/purchases", json=ship, headers={**api.h("viewer"), **ZH}))
    assert zh["message"].startswith("查阅人员的密钥无权执行此操作") and zh["details"][0]["reason"] == "查阅人员无权"
    en = _error(api.client.post("/api/v1/stall/purchases", json=ship, headers=api.h("viewer")))
    assert en["message"].startswith("a key with role 'viewer' may not ") and en["details"][0]["reason"] == "viewer may not"


def test_the_stalls_refusals_are_said_in_chinese(api):
    ship = {"code": "NOPE", "supplier": "W1", "quantity": 3, "unit": "担"}
    zh = _error(api.client.post("/api/v1/stall/purchases", json=ship, headers={**api.h("op_M1"), **ZH}))
    assert zh["message"] == "无法识别的单位 '担'" and zh["details"][0]["reason"] == "可填：kg, 千克, 公斤, 斤, 头, 件 …"
    en = _error(api.client.post("/api/v1/stall/purchases", json=ship, headers=api.h("op_M1")))
    assert en["message"] == "unknown unit '担'" and en["details"][0]["reason"] == "kg, 千克, 公斤, 斤, 头, 件 …"
    zh = _error(api.client.get("/api/v1/stall/ledger?from=2020-01-01&to=2025-01-01", headers={**api.h("op_M1"), **ZH}))
    assert zh["message"] == "一次最多查询一年" and zh["details"][0]["reason"].startswith("最多 ")
    en = _error(api.client.get("/api/v1/stall/ledger?from=2020-01-01&to=2025-01-01", headers=api.h("op_M1")))
    assert en["message"] == "at most a year at a time"


def test_a_lot_out_of_an_operators_sight_is_refused_in_chinese(api):
    zh = _error(api.client.get("/api/v1/lots/PIG", headers={**api.h("op_X1"), **ZH}))
    assert zh["message"].startswith("批次 ") and "X1" in zh["message"] and zh["details"][0]["reason"] == \
        "不是本密钥所属主体的批次"
    en = _error(api.client.get("/api/v1/lots/PIG", headers=api.h("op_X1")))
    assert en["message"].startswith("lot '") and en["details"][0]["reason"] == "not a lot of this key's party"


def test_epcis_query_parameters_are_refused_in_chinese(api):
    h = api.h("inspector")
    zh = _error(api.client.get("/epcis/events?perPage=0", headers={**h, **ZH}))
    assert zh["message"] == "perPage 须为 1 至 1000 的整数" and zh["details"][0]["reason"] == "1 至 1000"
    en = _error(api.client.get("/epcis/events?perPage=0", headers=h))
    assert en["message"] == "perPage must be a whole number from 1 to 1000" and en["details"][0]["reason"] == "1 to 1000"
    zh = _error(api.client.get("/epcis/events?GE_eventTime=yesterday", headers={**h, **ZH}))
    assert zh["message"] == "GE_eventTime 须为带时区的日期时间"


def test_a_form_from_another_site_and_a_missing_token_are_refused_in_chinese(api):
    form = {"description": "smells off", "csrf_token": "1.x"}
    zh = api.client.post("/complaint/RL", data=form, headers={"Origin": "https://evil.example", **ZH})
    assert zh.status_code == 403 and _error(zh)["message"] == "表单并非从本网站提交"
    assert _error(zh)["details"][0]["reason"] == "不是本网站：https://evil.example"
    en = _error(api.client.post("/complaint/RL", data=form, headers={"Origin": "https://evil.example"}))
    assert en["message"] == "the form was not sent from this site"
    assert en["details"][0]["reason"] == "not this site: https://evil.example"
    zh = _error(api.client.post("/complaint/RL", data=form, headers={"Origin": "http://testserver", **ZH}))
    assert zh["message"] == "表单的防伪令牌无效" and zh["details"][0]["reason"] == "不正确"
    sid, _ = api.session("s_inspector")
    zh = _error(api.client.post("/api/v1/events", json=[], headers={"Cookie": f"ft_session={sid}",
                                                                     "Origin": "http://testserver", **ZH}))
    assert zh["message"] == "请求缺少防伪令牌，请重新打开页面" and zh["details"][0]["reason"] == "缺少"


def test_an_epcis_version_not_spoken_is_refused_in_chinese(api):
    h = {**api.h("inspector"), "GS1-EPCIS-Version": "1.2"}
    zh = _error(api.client.get("/epcis/events", headers={**h, **ZH}))
    assert zh["message"] == "本服务器支持 EPCIS 2.0.0, 2.0.1，不支持 1.2"
    assert _error(api.client.get("/epcis/events", headers=h))["message"] == \
        "this server speaks EPCIS 2.0.0, 2.0.1, not 1.2"


def test_starlettes_own_http_errors_are_said_in_chinese(api):
    assert _error(api.client.get("/api/v1/nothing-here", headers=ZH))["message"] == "未找到"
    assert _error(api.client.get("/api/v1/nothing-here"))["message"] == "Not Found"
    assert _error(api.client.delete("/api/v1/search?q=x", headers=ZH))["message"] == "不允许使用此请求方法"
    assert _error(api.client.delete("/api/v1/search?q=x"))["message"] == "Method Not Allowed"


def test_the_refusals_made_before_the_routes_are_said_in_the_reader_s_language(api):
    """The path guard, the JSON guard and the body limit answer before any route (ASGI middleware): in
    Chinese for a Chinese reader, as a page for a browser, in the same English as before for the others."""
    h = api.h("inspector")
    zh = _error(api.client.get("/api/v1/lots/%ZZ", headers={**h, **ZH}))
    assert zh["message"] == "请求路径无效" and zh["details"][0]["field"] == "path"
    assert zh["details"][0]["reason"] == "路径中的 % 后面不是两位十六进制数字"
    en = _error(api.client.get("/api/v1/lots/%FF%FE", headers=h))
    assert en["message"] == "the request path is not valid"
    assert en["details"][0]["reason"] == "percent-encoded bytes that are not UTF-8 text"
    page = api.client.get("/l/%C0%80", headers={"Accept": "text/html", **ZH})
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert "路径中百分号编码的字节无法解码为文字" in page.text
    deep = api.client.post("/api/v1/events", content=b'[' * 200 + b']' * 200,
                           headers={**h, **ZH, "Content-Type": "application/json"})
    assert deep.status_code == 422 and not re.search(r"[A-Za-z]{4,}", _error(deep)["message"])
    big = api.client.post("/api/v1/events", content=b"[" + b" " * 21_000_000 + b"]",
                          headers={**h, **ZH, "Content-Type": "application/json"})
    assert big.status_code == 413 and _error(big)["message"].startswith("请求正文超过")


def test_an_unforeseen_fault_is_said_in_the_reader_s_language_and_logged(tmp_path, caplog):
    from fastapi.testclient import TestClient

    from foodtrace.api.app import create_app
    from foodtrace.config import Settings

    app = create_app(Settings(store=f"sqlite:///{tmp_path / 's.db'}"))

    @app.get("/api/v1/boom")
    def boom():  # a fault no route foresaw
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as c:
        zh, en = c.get("/api/v1/boom", headers=ZH), c.get("/api/v1/boom")
    assert zh.status_code == en.status_code == 500
    assert _error(zh)["message"] == "内部错误，已记入日志" and _error(en)["message"] == "internal error; it has been logged"
    assert "boom" not in zh.text and "Traceback" not in zh.text
    assert any("unhandled error" in r.message for r in caplog.records)
