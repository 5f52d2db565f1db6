"""One rule for everything a test needs from outside Python's standard library
(a Neo4j server, Chromium, the shared fixtures, an optional package): without
it a test skips on a developer's machine, and fails in CI (``CI`` set)."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def unavailable(msg: str):
    """Skip — or, in CI, fail — because ``msg``."""
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def require_module(name: str, install: str = "pip install -e '.[test]'") -> ModuleType:
    """Import ``name``, or skip (fail in CI) saying how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        unavailable(f"{name} is not installed ({install})")
