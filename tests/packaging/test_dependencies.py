"""Dependencies: no runtime dependency under GPL or AGPL (read from the installed metadata), and the
README's quick start working on a plain install (a fresh virtual environment, no extras)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

COPYLEFT = re.compile(r"\b(A?GPL|(Affero|Lesser)?\s*General Public License)", re.I)
LGPL = re.compile(r"\bLGPL|Lesser General Public", re.I)


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0]


def runtime_closure() -> set[str]:
    """The project's runtime requirements and theirs, as installed (extras asked for included)."""
    project = tomllib.loads((Path(REPO_ROOT) / "pyproject.toml").read_text())["project"]
    todo = [(_name(r), set(re.findall(r"\[([^\]]+)\]", r)[0].split(",")) if "[" in r else set())
            for r in project["dependencies"]]
    seen: set[str] = set()
    while todo:
        name, extras = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        seen.add(key)
        for req in metadata.requires(name) or []:
            marker = req.split(";", 1)[1] if ";" in req else ""
            if not marker or any(_marker_ok(marker, e.strip()) for e in extras | {""}):
                inner = set(re.findall(r"\[([^\]]+)\]", req)[0].split(",")) if "[" in req.split(";")[0] else set()
                todo.append((_name(req), inner))
    return seen


def _marker_ok(marker: str, extra: str) -> bool:
    from packaging.markers import Marker

    try:
        return Marker(marker).evaluate({"extra": extra})
    except Exception:  # noqa: BLE001 - an unknown marker: count the requirement
        return True


def licence_of(dist: str) -> str:
    meta = metadata.metadata(dist)
    parts = [meta.get("License-Expression") or "", meta.get("License") or ""]
    parts += [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " | ".join(p for p in parts if p)[:300]


def test_no_runtime_dependency_is_gpl_or_agpl():
    offenders = {}
    for dist in sorted(runtime_closure()):
        text = licence_of(dist)
        if COPYLEFT.search(text) and not LGPL.search(text) and not re.search(r"\bor\b|\bOR\b", text):
            offenders[dist] = text
    assert not offenders, f"GPL/AGPL runtime dependencies: {offenders}"
    assert "rfc3987" not in runtime_closure()


def test_the_licence_check_would_catch_a_gpl_licence():
    assert COPYLEFT.search("GNU General Public License v3 or later (GPLv3+)")
    assert COPYLEFT.search("License :: OSI Approved :: GNU Affero General Public License v3")
    assert not COPYLEFT.search("Apache-2.0 | MIT | BSD-3-Clause | HPND")


@pytest.mark.skipif(not os.environ.get("CI") and not os.environ.get("FOODTRACE_TEST_PLAIN_INSTALL"),
                    reason="installs the package into a fresh virtual environment from the package index "
                           "(minutes): runs in CI or with FOODTRACE_TEST_PLAIN_INSTALL=1")
def test_readme_quick_start_on_a_plain_install(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py, bin_ = venv / "bin" / "python", venv / "bin"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(REPO_ROOT)], check=True, timeout=900)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(FOODTRACE_STORE=f"sqlite:///{tmp_path / 'q.db'}", PATH=f"{bin_}:{env.get('PATH', '')}")

    def run(*args):
        p = subprocess.run([str(bin_ / "foodtrace"), "--lang", "en", *args], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, (args, p.stdout, p.stderr)
        return p.stdout

    out = run("demo", "--no-serve", "--events", "2000")
    receipt = next(line.split(": ")[1] for line in out.splitlines() if line.startswith("Sample receipt"))
    assert "backward trace" in run("trace", receipt)
    run("qr", receipt, "-o", "label.png")
    assert (tmp_path / "label.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    run("qr", receipt, "-o", "label.svg")
    run("db", "backup", "backup.db")
    assert "agree" in run("db", "verify")
