"""Storage backends behind one contract (``store.GraphStore``), chosen by URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from foodtrace.errors import ConfigError
from foodtrace.graph.store import AppendResult, GraphStore, Lineage, StoredEvent

SCHEMES = "sqlite:///path.db, memory://, bolt://host:port, neo4j://host:port, neo4j+s://host"


def open_store(url: str, settings=None) -> GraphStore:
    """Open the store named by ``url``:

    - ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db`` — embedded (default);
    - ``memory://`` — embedded, in memory (tests);
    - ``bolt://``, ``neo4j://``, ``neo4j+s://``… — a Neo4j 5 server.
    """
    scheme = urlparse(url).scheme if "://" in url else ""
    if scheme == "memory":
        from foodtrace.graph.embedded import EmbeddedStore

        return EmbeddedStore(":memory:", url="memory://").open()
    if scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise ConfigError(f"store URL {url!r}: expected sqlite:///path.db")
        from foodtrace.graph.embedded import EmbeddedStore

        return EmbeddedStore(str(Path(path)), url=url, timeout=getattr(settings, "store_timeout_s", 30.0),
                             read_cache=getattr(settings, "read_cache_entries", 10_000)).open()
    if scheme.startswith("bolt") or scheme.startswith("neo4j"):
        try:
            import neo4j  # noqa: F401 — the driver is imported when the store opens; fail here, readably

            from foodtrace.graph.neo4j_store import Neo4jStore
        except ImportError as exc:  # the optional extra is not installed
            raise ConfigError(f"the Neo4j backend needs the neo4j driver: pip install 'foodtrace[neo4j]' ({exc})")
        return Neo4jStore.connect(url, settings).open()
    raise ConfigError(f"unknown store URL {url!r}; use one of: {SCHEMES}")


__all__ = ["open_store", "GraphStore", "AppendResult", "Lineage", "StoredEvent"]
