"""A capture job of the EPCIS REST binding is said in the language of whoever reads it (``?lang=`` /
``Accept-Language``), not in the language of the request that captured it: its message, its errors
and its warnings are kept as message keys and arguments. A job kept as plain texts (before keys were
kept) still reads, as it was stored. Real app, real SQLite file, real HTTP through the test client."""

from __future__ import annotations

import json

from tests.conftest import fixtures_dir
from tests.e2e.test_epcis_rest import BEEF

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}
OWN_ZH = "只能以本主体（X1）的名义录入"
OWN_EN = "this caller records only as party 'X1'"


def _post(api, body: bytes, who: str, lang_headers: dict, **params) -> str:
    r = api.client.post("/epcis/capture", content=body, params=params,
                        headers={**api.h(who), **lang_headers, "content-type": "application/ld+json"})
    assert r.status_code == 202, r.text
    return r.headers["Location"]


def _read(api, url: str, who: str, lang_headers: dict, **params) -> dict:
    r = api.client.get(url, params=params, headers={**api.h(who), **lang_headers})
    assert r.status_code == 200, r.text
    return r.json()


def _refused_beef(api, lang_headers: dict) -> str:
    """X1 (an operator) captures the beef chain's events, which are not X1's: the job is refused."""
    return _post(api, (fixtures_dir() / BEEF).read_bytes(), "op_X1", lang_headers)


def test_captured_in_zh_read_in_en(api):
    url = _refused_beef(api, ZH)
    job = _read(api, url, "op_X1", EN)
    assert not job["success"]
    assert job["message"].startswith("the batch was not stored: this caller may not write some of its events")
    assert {e["reason"] for e in job["errors"]} == {OWN_EN}
    assert all("args" not in e for e in job["errors"])  # the kept arguments are the server's, not the reader's
    # ?lang= wins over the browser's preference, both ways
    assert {e["reason"] for e in _read(api, url, "op_X1", ZH, lang="en")["errors"]} == {OWN_EN}


def test_captured_in_en_read_in_zh(api):
    url = _refused_beef(api, EN)
    job = _read(api, url, "op_X1", ZH)
    assert job["message"].startswith("未存入：本调用方无权录入其中部分记录")
    assert {e["reason"] for e in job["errors"]} == {OWN_ZH}
    assert not any(c.isascii() and c.isalpha() for c in job["message"].replace("EPCIS", ""))
    listed = _read(api, "/epcis/capture", "op_X1", {}, lang="zh")
    assert [j["captureID"] for j in listed] == [job["captureID"]]
    assert listed[0]["message"] == job["message"] and listed[0]["errors"] == job["errors"]
    # the same job, read without a language by an API client: English (the binding's default)
    assert {e["reason"] for e in _read(api, url, "op_X1", {})["errors"]} == {OWN_EN}


def test_a_jobs_warnings_are_said_in_the_readers_language(api):
    doc = json.loads((fixtures_dir() / "epcis-gs1" / "Example_9.6.1-ObjectEvent.jsonld").read_text("utf-8"))
    doc["id"] = "_:document1"
    url = _post(api, json.dumps(doc).encode(), "admin", EN)
    en = _read(api, url, "admin", EN)
    zh = _read(api, url, "admin", ZH)
    assert en["success"] and zh["success"] and en["eventsStored"] == zh["eventsStored"] >= 1
    assert any("is a JSON-LD blank node, not a URI" in w for w in en["warnings"])
    assert any("是 JSON-LD 空节点而非 URI" in w for w in zh["warnings"])
    assert not any("blank node" in w for w in zh["warnings"])


def test_a_job_kept_as_plain_texts_still_reads_as_stored(api):
    url = _refused_beef(api, {})  # the app's job table exists
    jobs = api.client.app.state.epcis_jobs
    old = {"captureID": "0ld", "createdAt": "2026-01-01T00:00:00.000Z", "running": False, "success": False,
           "captureErrorBehaviour": "rollback", "message": "the batch was not stored: old words",
           "errors": [{"position": 0, "field": "party", "reason": "old reason"},
                      {"position": 1, "field": "party", "reason": OWN_EN, "key": "access_own_party",
                       "args": {"party": "X1"}}],
           "warnings": ["an old warning"], "finishedAt": "2026-01-01T00:00:01.000Z"}
    with jobs.db.lock:
        jobs._conn().execute("INSERT INTO epcis_jobs VALUES (?,?,?)", ("0ld", "X1", json.dumps(old)))
    for lang in ("zh", "en"):
        job = _read(api, "/epcis/capture/0ld", "op_X1", {}, lang=lang)
        assert job["message"] == "the batch was not stored: old words"
        assert job["errors"][0] == {"position": 0, "field": "party", "reason": "old reason"}
        assert job["errors"][1]["reason"] == (OWN_ZH if lang == "zh" else OWN_EN)  # a detail kept with its key
        assert job["warnings"] == ["an old warning"]
    assert len(_read(api, "/epcis/capture", "op_X1", ZH)) == 2 and url


def test_a_refused_events_schema_errors_are_said_in_the_readers_language_too(api):
    """An event that matches none of the event types: jsonschema's message holds the whole event; its value
    is cut short, so that the reason stays keyed (said in zh) and still says what is wrong."""
    doc = json.loads((fixtures_dir() / "epcis-gs1" / "Example_9.6.1-ObjectEvent.jsonld").read_text("utf-8"))
    doc["epcisBody"]["eventList"][0]["action"] = "MOVE"
    url = _post(api, json.dumps(doc).encode(), "admin", EN, partial="true")
    zh = _read(api, url, "admin", ZH)["errors"]
    en = _read(api, url, "admin", EN)["errors"]
    assert zh and all(e["position"] == 0 for e in zh)
    assert not any("is not" in e["reason"] for e in zh), zh  # every reason in Chinese
    assert any(e["reason"].endswith("不符合任何一种允许的格式") and "…" in e["reason"] for e in zh), zh
    assert any(e["reason"].endswith("is not valid under any of the given schemas") for e in en), en
