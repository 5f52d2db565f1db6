"""Texts that were English only: the backup's refusals said by the CLI in Chinese, and the tail of a
long list of details ("… and N more") in the reader's language."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from foodtrace.errors import InvalidInput, detail
from foodtrace.i18n.refusals import localize


def _cli(lang: str, *args: str, store: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "FOODTRACE_STORE": store, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "foodtrace", "--lang", lang, *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_backup_onto_an_existing_file_is_refused_in_the_readers_language(tmp_path):
    store = f"sqlite:///{tmp_path / 'a.db'}"
    target = tmp_path / "old.db"
    target.write_bytes(b"keep me")
    zh = _cli("zh", "db", "backup", str(target), store=store)
    assert zh.returncode == 1
    assert "已存在" in zh.stderr and "备份从不覆盖" in zh.stderr and "exists" not in zh.stderr
    en = _cli("en", "db", "backup", str(target), store=store)
    assert en.returncode == 1 and "a backup never overwrites" in en.stderr and "已存在" not in en.stderr
    assert target.read_bytes() == b"keep me"


def test_the_tail_of_a_long_list_is_said_in_the_readers_language():
    def many() -> InvalidInput:
        return InvalidInput("bad", [detail(i, "quantity", "x") for i in range(25)])

    assert "……另有 5 处" in str(localize(many(), "zh"))
    text = str(localize(many(), "en"))
    assert "… and 5 more" in text and "另有" not in text


def _partner_document() -> bytes:
    """A GS1 example as a partner sends it: a comment, a blank-node document id, schemaVersion as a number."""
    from tests.conftest import fixtures_dir

    doc = json.loads((fixtures_dir() / "epcis-gs1" / "Example_9.6.1-ObjectEvent.jsonld").read_text("utf-8"))
    doc["id"], doc["schemaVersion"] = "_:document1", 2.0
    return ("// from a partner\n" + json.dumps(doc)).encode()


def test_epcis_warnings_are_said_in_the_readers_language(tmp_path):
    from fastapi.testclient import TestClient

    from foodtrace.api.app import create_app
    from foodtrace.config import Settings
    from foodtrace.services.admin.keys import issue_key

    body = _partner_document()
    with TestClient(create_app(Settings(store=f"sqlite:///{tmp_path / 'api.db'}"))) as c:
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        en = c.post("/api/v1/epcis/capture", content=body, headers={"content-type": "application/ld+json"})
        assert en.status_code == 201, en.text
        words = " ".join(en.json()["warnings"])
        assert "blank node" in words and "comment ignored" in words and not re.search(r"[\u4e00-\u9fff]", words)
        zh = c.post("/api/v1/epcis/capture?lang=zh", content=body, headers={"content-type": "application/ld+json"})
        assert zh.status_code == 200, zh.text  # the same document again: nothing new stored
        words = " ".join(zh.json()["warnings"])
        assert "空节点" in words and "注释已忽略" in words and "按文本“2.0”读取" in words
        assert not re.search(r"\b(blank|ignored|comment|given)\b", words)
    path = tmp_path / "partner.jsonld"
    path.write_bytes(body)
    out = _cli("zh", "ingest", str(path), store=f"sqlite:///{tmp_path / 'cli.db'}")
    assert out.returncode == 0, out.stderr
    assert "空节点" in out.stderr and "blank node" not in out.stderr


def test_a_receipt_held_by_the_consumer_is_named_in_the_readers_language():
    from foodtrace.graph import open_store
    from foodtrace.ingest.capture import capture
    from foodtrace.services.tracing.trace_table import trace_csv
    from tests.builders import pork_chain

    with open_store("memory://") as store:
        capture(store, pork_chain())
        zh, en = trace_csv(store, "RCPT", lang="zh"), trace_csv(store, "RCPT", lang="en")
    zh_text = zh if isinstance(zh, str) else zh.decode("utf-8-sig")
    en_text = en if isinstance(en, str) else en.decode("utf-8-sig")
    assert "消费者" in zh_text and "consumer:" not in zh_text
    assert "consumer" in en_text and "消费者" not in en_text
