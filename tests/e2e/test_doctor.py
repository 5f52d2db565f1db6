"""``foodtrace doctor`` as an operator runs it (a subprocess, a real SQLite file):
a default install's loopback base URL fails, a sound configuration passes, and
secrets never print."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from tests.builders import register

PUBLIC = "https://trace.example.cn"


def doctor(*args: str, cwd=None, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FOODTRACE_")}
    full = {**clean, "PYTHONIOENCODING": "utf-8", **{f"FOODTRACE_{k.upper()}": v for k, v in env.items()}}
    return subprocess.run([sys.executable, "-m", "foodtrace", "--lang", "en", "doctor", *args], capture_output=True,
                          text=True, env=full, cwd=cwd, timeout=120)


def findings(p: subprocess.CompletedProcess) -> dict[str, dict]:
    return {f["check"]: f for f in json.loads(p.stdout)["findings"]}


@pytest.fixture
def db(tmp_path):
    """A store with a registered farm and an admin key."""
    path = tmp_path / "ft.db"
    store = open_store(f"sqlite:///{path}")
    capture(store, [register("F1")])
    issue_key(store, "ADMIN", "admin")
    store.close()
    return f"sqlite:///{path}"


def test_a_default_install_fails_on_its_loopback_base_url(tmp_path):
    p = doctor(cwd=tmp_path)
    assert p.returncode == 1
    assert "✗ base_url" in p.stdout and "http://127.0.0.1:8000" in p.stdout and "FOODTRACE_BASE_URL" in p.stdout
    assert "foodtrace.db" in p.stdout and "does not exist" in p.stdout  # the default relative store, reported
    assert not (tmp_path / "foodtrace.db").exists()  # and never created


def test_a_sound_configuration_passes(db):
    p = doctor("--json", store=db, base_url=PUBLIC, trusted_proxies="127.0.0.1")
    assert p.returncode == 0, p.stdout + p.stderr
    f = findings(p)
    assert {k: v["level"] for k, v in f.items()}.items() >= {"base_url": "ok", "store": "ok", "admin": "ok",
                                                             "rules": "ok", "tz": "ok", "trusted_proxies": "ok",
                                                             "store_path": "ok"}.items()
    assert "1 events" not in f["store"]["message"] and "2 events" in f["store"]["message"]


@pytest.mark.parametrize("env, check", [
    ({"tz": "Mars/Olympus"}, "tz"),
    ({"rules": "/no/such/rules.toml"}, "rules"),
    ({"base_url": "http://localhost:8000"}, "base_url"),
    ({"base_url": "not a url"}, "base_url"),
])
def test_what_would_break_users_exits_non_zero(db, env, check):
    p = doctor("--json", **{"store": db, "base_url": PUBLIC, **env})
    assert p.returncode == 1
    assert findings(p)[check]["level"] == "fail"


def test_warnings_do_not_fail(tmp_path, db):
    bare = f"sqlite:///{tmp_path / 'bare.db'}"
    open_store(bare).close()  # an empty store: no admin key
    p = doctor("--json", store=bare, base_url="https://192.168.1.20", trusted_proxies="", host="0.0.0.0")
    assert p.returncode == 0, p.stdout
    f = findings(p)
    assert f["base_url"]["level"] == f["admin"]["level"] == f["trusted_proxies"]["level"] == "warn"
    assert f["listen"]["level"] == "warn"


def test_secrets_are_masked(db):
    p = doctor(store=db, base_url=PUBLIC, neo4j_password="hunter2-neo", metrics_key="metrics-key-abcdefghijkl")
    assert p.returncode == 0
    assert "hunter2-neo" not in p.stdout + p.stderr and "metrics-key-abcdefghijkl" not in p.stdout + p.stderr
    assert "neo4j_password = ***" in p.stdout and "metrics_key = ***" in p.stdout
