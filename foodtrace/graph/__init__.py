"""Storage backends behind one contract (``store.GraphStore``), chosen by URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from foodtrace.errors import ConfigError
from foodtrace.i18n.keyed import keyed
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
            raise keyed(ConfigError, "store_url_sqlite", url=repr(url), form="sqlite:///path.db")
        from foodtrace.graph.embedded import EmbeddedStore

        return EmbeddedStore(str(Path(path)), url=url, timeout=getattr(settings, "store_timeout_s", 30.0),
                             read_cache=getattr(settings, "read_cache_entries", 10_000)).open()
    if scheme.startswith("bolt") or scheme.startswith("neo4j"):
        try:
            import neo4j  # noqa: F401 — the driver is imported when the store opens; fail here, readably

            from foodtrace.graph.neo4j_store import Neo4jStore
        except ImportError as exc:  # the optional extra is not installed
            raise keyed(ConfigError, "store_needs_driver", neo4j="Neo4j", driver="neo4j",
                        install="pip install 'foodtrace[neo4j]'", reason=str(exc)) from exc
        return Neo4jStore.connect(url, settings).open()
    raise keyed(ConfigError, "store_url_unknown", url=repr(url), schemes=SCHEMES)


__all__ = ["open_store", "GraphStore", "AppendResult", "Lineage", "StoredEvent"]
