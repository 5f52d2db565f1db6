"""API keys end to end: the CLI prints a key once, the store keeps only its
digest, the app accepts it in either header, refuses it once revoked."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient

from foodtrace.api.app import create_app
from tests.builders import pork_chain
from tests.e2e.conftest import make_settings
from tests.e2e.test_cli import run


def test_cli_key_works_over_http_and_only_its_digest_is_stored(tmp_path):
    settings = make_settings(tmp_path)
    p = run("--store", settings.store, "keys", "create", "--party", "ADMIN", "--role", "admin", "--label", "bootstrap")
    key = p.stdout.strip()
    assert key.startswith("ft_") and len(key) > 40 and key not in p.stderr and "k_" in p.stderr
    listed = run("--store", settings.store, "keys", "list").stdout
    assert "ADMIN\tadmin" in listed and "active" in listed and key not in listed
    db = Path(settings.store[len("sqlite:///"):]).read_bytes()
    assert key.encode() not in db and hashlib.sha256(key.encode()).hexdigest().encode() in db
    with TestClient(create_app(settings)) as c:
        r = c.post("/api/v1/events", json=pork_chain(), headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 201
        me = c.get("/api/v1/me", headers={"X-API-Key": key}).json()
        assert me["party"] == "ADMIN" and me["role"] == "admin"
        run("--store", settings.store, "keys", "revoke", me["key_id"])  # another process, the server running
        assert "revoked" in run("--store", settings.store, "keys", "list").stdout
        r = c.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 401 and "revoked" in r.json()["error"]["message"]


def test_cli_refuses_an_operator_key_for_an_unregistered_party(tmp_path):
    p = run("--store", make_settings(tmp_path).store, "keys", "create", "--party", "NOPE", "--role", "operator",
            check=False)
    assert p.returncode == 1 and "error [invalid_input]" in p.stderr and "Traceback" not in p.stderr


def test_http_issue_list_revoke(api):
    r = api.client.post("/api/v1/keys", headers=api.h("admin"), json={"party": "W1", "role": "operator",
                                                                       "label": "weighbridge"})
    assert r.status_code == 201
    issued = r.json()
    assert issued["key"].startswith("ft_") and issued["party"] == "W1" and issued["label"] == "weighbridge"
    new = {"X-API-Key": issued["key"]}
    assert api.client.get("/api/v1/me", headers=new).json()["party"] == "W1"
    listed = api.client.get("/api/v1/keys", headers=api.h("admin")).json()
    assert issued["key_id"] in {k["key_id"] for k in listed}
    assert all("key" not in k and "key_hash" not in k for k in listed)
    r = api.client.delete(f"/api/v1/keys/{issued['key_id']}", headers=api.h("admin"))
    assert r.status_code == 200 and r.json()["revoked"] is True
    assert api.client.get("/api/v1/me", headers=new).status_code == 401
    assert api.client.delete("/api/v1/keys/k_0000000000000000", headers=api.h("admin")).status_code == 404
    # revocation is recorded as an event by the admin's party, the issuance too; neither holds the key
    types = [(se.event.type, se.event.party) for se in api.store.iter_log()][-2:]
    assert types == [("api_key_issued", "ADMIN"), ("api_key_revoked", "ADMIN")]


def test_http_key_for_unregistered_party_422(api):
    r = api.client.post("/api/v1/keys", headers=api.h("admin"), json={"party": "NOPE", "role": "inspector"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "party"


def test_bad_keys_are_401(api):
    valid = api.keys["op_M1"]
    for headers in ({"Authorization": "Bearer ft_not-a-key"}, {"Authorization": f"Bearer {valid}x"},
                    {"X-API-Key": "x" * 5000}, {"Authorization": f"Basic {valid}"}, {"X-API-Key": valid[:-1]}):
        r = api.client.get("/api/v1/lots/RL", headers=headers)
        assert r.status_code == 401, headers
        assert r.json()["error"]["code"] == "unauthorized" and r.headers["www-authenticate"] == "Bearer"


def test_key_and_party_refusals_are_said_in_chinese_and_unchanged_in_english(api):
    """keys.py and parties.py: an unregistered party, an unknown role, a bad key, an unknown party."""
    zh_h = {**api.h("admin"), "accept-language": "zh-CN"}
    err = api.client.post("/api/v1/keys", headers=zh_h, json={"party": "NOPE", "role": "inspector"}).json()["error"]
    assert (err["message"], err["details"][0]["reason"]) == ("主体 NOPE 尚未备案", "请先为该主体备案（POST /api/v1/parties）")
    err = api.client.post("/api/v1/keys", headers=api.h("admin"), json={"party": "NOPE", "role": "inspector"}).json()
    assert (err["error"]["message"], err["error"]["details"][0]["reason"]) == (
        "party 'NOPE' is not registered", "register the party first (POST /api/v1/parties)")
    r = api.client.get("/api/v1/lots/RL", headers={"Authorization": "Bearer ft_not-a-key", "accept-language": "zh"})
    assert r.status_code == 401 and r.json()["error"]["message"] == "接口密钥无效"
    r = api.client.get("/api/v1/lots/RL", headers={"Authorization": "Bearer ft_not-a-key"})
    assert r.json()["error"]["message"] == "the API key is not valid"
    r = api.client.get("/api/v1/parties/NOPE", headers=zh_h)
    assert r.status_code == 404 and r.json()["error"]["message"] == "没有已备案的主体 NOPE"
    assert r.json()["error"]["details"][0]["reason"] == "无此主体"
    r = api.client.get("/api/v1/parties/NOPE", headers=api.h("admin"))
    assert r.json()["error"]["message"] == "no registered party 'NOPE'"


def test_an_unknown_role_for_a_key_is_refused_in_chinese():
    from foodtrace.errors import InvalidInput
    from foodtrace.graph import open_store
    from foodtrace.i18n.refusals import localize
    from foodtrace.services.admin.keys import issue_key

    with open_store("memory://") as store:
        for lang, said in (("zh", ("无法识别的角色“boss”", "应为经营主体、监管人员或管理员")),
                           ("en", ("unknown role 'boss'", "expected operator, inspector or admin"))):
            try:
                issue_key(store, "ADMIN", "boss")
            except InvalidInput as exc:
                localize(exc, lang)
                assert (exc.message, exc.details[0]["reason"]) == said
            else:
                raise AssertionError("an unknown role was accepted")
