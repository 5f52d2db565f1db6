"""Read models kept by a process that reads a Neo4j store (``GraphStore.read_models``), exact across
processes: the same ``ReadCache`` per kind as the embedded store's (graph/readcache.py), caught up with
the log before every read.

Every read asks the server for the log's top sequence number (the ``Meta`` node every append moves in
its own transaction): one round trip. When it has moved, the events after the last one seen say what
they touch — the lots they reference, the lots of the events they retract, the parties they register —
and what was built from those is dropped (past ``CLEAR_AFTER`` new events every kept value is dropped:
dropping more is always exact). A value built while the log moved is returned but not kept."""

from __future__ import annotations

import threading

import orjson

from foodtrace.graph.readcache import ReadCache, read_kept

TOP = "OPTIONAL MATCH (m:Meta {name: 'log'}) RETURN coalesce(m.seq, 0) AS top"
TOUCHED = (
    "MATCH (e:Event) WHERE e.seq > $last AND e.seq <= $top "
    "OPTIONAL MATCH (e)-[:REFS]->(l:Lot) "
    "RETURN e.type AS type, collect(l.code) AS lots, "
    "CASE WHEN e.type IN ['party_registration', 'error_declaration'] THEN e.body END AS body"
)
RETRACTED_LOTS = (
    "UNWIND $ids AS id MATCH (x:Event {event_id: id})-[:REFS]->(l:Lot) RETURN DISTINCT l.code AS code"
)
CLEAR_AFTER = 20_000  # new events past which a catch-up drops everything instead of reading what they touch


class Neo4jReadModels:
    """``read_models`` for ``Neo4jStore``: call ``_init_models`` from its constructor; needs its ``_fetch``."""

    def _init_models(self, size: int) -> None:
        self._models_lock = threading.Lock()
        self._models: dict[str, ReadCache] = {}
        self._models_size = size
        self._models_seq: int | None = None  # the log's top when the kept values were last caught up

    def _forget_models(self) -> None:
        """Drop every kept value (the store was wiped)."""
        with self._models_lock:
            for cache in self._models.values():
                cache.clear()
            self._models_seq = None

    def _top(self) -> int:
        return self._fetch(TOP)[0]["top"]

    def _catch_up_models(self) -> int:
        """Bring the kept values up to the log (under the models' lock); the top seen."""
        last, top = self._models_seq, self._top()
        if last == top:
            return top
        if last is None or top < last or top - last > CLEAR_AFTER:  # first read, a wiped store, a long gap
            for cache in self._models.values():
                cache.clear()
        else:
            lots: set[str] = set()
            parties: set[str] = set()
            retracted: list[str] = []
            for r in self._fetch(TOUCHED, last=last, top=top):
                lots.update(r["lots"])
                if r["body"] is not None:
                    body = orjson.loads(r["body"])
                    if r["type"] == "party_registration":
                        parties.add(body["registered"]["id"])
                    else:
                        retracted.extend(body.get("retracts") or ())
            if retracted:
                lots.update(r["code"] for r in self._fetch(RETRACTED_LOTS, ids=retracted))
            for cache in self._models.values():
                cache.invalidate(lots, parties)
        self._models_seq = top
        return top

    def read_models(self, kind: str, keys, build=None, persist=None) -> dict:  # ``persist``: kept in memory only
        # kept only if the log has not moved since before the build read it (this process's view and the server's)
        return read_kept(self._models_lock, self._models, self._models_size, self._catch_up_models,
                         lambda seen: self._models_seq == seen and self._top() == seen, kind, keys, build)


__all__ = ["Neo4jReadModels", "CLEAR_AFTER"]
