"""Shared fixtures. ``store`` runs a test on every backend of the contract."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pytest

from foodtrace.api.logs import configure_logging
from foodtrace.graph import open_store
from tests.guards import unavailable

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT.parent / "shared" / "fixtures"  # third-party test data beside the repository


def fixtures_dir() -> Path:
    """The shared fixtures folder: a test skips without it, except in CI (``CI`` set), where it fails."""
    if not FIXTURES.is_dir():
        unavailable(f"the shared fixtures are not here: {FIXTURES}")
    return FIXTURES


def pytest_configure(config) -> None:
    """Passwords are hashed at the test cost (8 KiB, one pass) in this run and its subprocesses: argon2id's
    production cost takes most of a second per hash. ``tests/security/test_signin.py`` checks the
    production cost itself."""
    os.environ.setdefault("FOODTRACE_PASSWORD_HASH_COST", "test")


BACKENDS = ["memory", "sqlite", "neo4j"]


def open_fresh(backend: str, tmp_path):
    if backend == "memory":
        return open_store("memory://")
    if backend == "sqlite":
        return open_store(f"sqlite:///{tmp_path / 'store.db'}")
    from tests.neo4j_support import fresh_neo4j_store

    return fresh_neo4j_store()


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """A fresh, empty store of each backend (Neo4j: the test server, wiped)."""
    s = open_fresh(request.param, tmp_path)
    yield s
    s.close()


@pytest.fixture
def mem():
    s = open_store("memory://")
    yield s
    s.close()


@pytest.fixture
def served_logs():
    """The log handler ``foodtrace serve`` sets up (JSON lines), writing to a buffer: (the ``foodtrace``
    logger, the handler); logging as it was afterwards."""
    top = logging.getLogger("foodtrace")
    before = (list(top.handlers), top.level, top.propagate)
    configure_logging("json")
    handler = next(h for h in top.handlers if getattr(h, "_foodtrace", False))
    handler.stream = io.StringIO()
    yield top, handler
    top.handlers[:] = before[0]
    top.setLevel(before[1])
    top.propagate = before[2]


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium via Playwright, shared by the session's page tests."""
    from tests.browser_support import launch_browser

    with launch_browser() as b:
        yield b


@pytest.fixture
def page(browser, tmp_path):
    """A fresh browser page (phone size by default); screenshots go to the test's tmp_path."""
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    pg = ctx.new_page()
    pg.screenshot_dir = tmp_path
    yield pg
    ctx.close()
