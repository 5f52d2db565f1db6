"""Shared fixtures. ``store`` runs a test on every backend of the contract."""

from __future__ import annotations

import os

import pytest

from foodtrace.graph import open_store

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "fixtures")


BACKENDS = ["memory", "sqlite"]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """A fresh, empty store of each backend."""
    if request.param == "memory":
        s = open_store("memory://")
    else:
        s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


@pytest.fixture
def mem():
    s = open_store("memory://")
    yield s
    s.close()
