"""Texts that were English only: the backup's refusals said by the CLI in Chinese, and the tail of a
long list of details ("… and N more") in the reader's language."""

from __future__ import annotations

import os
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
