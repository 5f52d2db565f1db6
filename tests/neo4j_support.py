"""Reaching the Neo4j test server (started by scripts/neo4j-dev via scripts/test).

In CI a missing server is a failure, never a skip.
"""

from __future__ import annotations

import os

from foodtrace.config import Settings
from foodtrace.graph import open_store
from tests.guards import unavailable

_initialised: set[str] = set()


def neo4j_url() -> str:
    url = os.environ.get("FOODTRACE_TEST_NEO4J_URL")
    if not url:
        unavailable("no Neo4j test server: start one with `scripts/neo4j-dev start` and set "
                    "FOODTRACE_TEST_NEO4J_URL")
    return url


def neo4j_settings() -> Settings:
    return Settings(store=neo4j_url(), neo4j_password=os.environ.get("FOODTRACE_NEO4J_PASSWORD", "foodtrace-dev"))


def fresh_neo4j_store():
    """An open Neo4j store with the schema in place and no data."""
    s = neo4j_settings()
    store = open_store(s.store, s)
    if s.store not in _initialised:
        store.init_schema()
        _initialised.add(s.store)
    store.wipe()
    return store
