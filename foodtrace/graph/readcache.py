"""Read models kept exact: values built from the store (the consumer's view of
a lot, …) remembered together with what they were built from — the lots whose
events they read and the parties whose registrations they read — and dropped
the moment the log gains an event that touches any of them.

The store calls ``invalidate`` from its catch-up, with the lots and parties
the new part of the log touches, whoever appended it (this process or
another one sharing the file), so a cached value is never older than the log
the store has seen. The cache is bounded (least recently used out first).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from foodtrace.graph import kept_views
from foodtrace.graph.kept_views import Persisted, dep_ids
from foodtrace.graph.sqlite_support import in_write_transaction, translate_sqlite_errors
from foodtrace.graph.store import NOT_NOW


@dataclass(frozen=True)
class ReadModel:
    """A value and what it depends on: the lots whose events (and lot rows)
    it was built from, and the parties whose registrations it shows."""

    value: Any
    lots: frozenset[str]
    parties: frozenset[str] = frozenset()
    deps: frozenset[int] = frozenset()  # a value read from the file: its dependencies' ids (graph/kept_views.py)


class ReadCache:
    """``key -> ReadModel`` (one cache per kind of read model) with a reverse index from each lot and party to the entries built from it."""

    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self._entries: OrderedDict[str, ReadModel] = OrderedDict()
        self._by_lot: dict[str, set[str]] = {}
        self._by_party: dict[str, set[str]] = {}
        self._by_dep: dict[int, set[str]] = {}
        self.hits = self.misses = self.dropped = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> Any | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry.value

    def put(self, key: str, model: ReadModel) -> None:
        if self.max_entries <= 0:
            return
        k = key
        if k in self._entries:
            self._forget(k)
        self._entries[k] = model
        for index, names in self._indexes(model):
            for name in names:  # most names are already indexed (upstream lots, parties): no set made for them
                keys = index.get(name)
                if keys is None:
                    index[name] = {k}
                else:
                    keys.add(k)
        while len(self._entries) > self.max_entries:
            self._forget(next(iter(self._entries)))

    def invalidate(self, lots: Iterable[str] = (), parties: Iterable[str] = ()) -> int:
        """Drop every entry built from one of these lots or parties; how many were dropped."""
        lots, parties = list(lots), list(parties)
        gone: set[str] = set()
        for code in lots:
            gone |= self._by_lot.get(code, set())
        for pid in parties:
            gone |= self._by_party.get(pid, set())
        if self._by_dep:
            for d in dep_ids(lots, parties):
                gone |= self._by_dep.get(d, set())
        for k in gone:
            self._forget(k)
        self.dropped += len(gone)
        return len(gone)

    def clear(self) -> None:
        self._entries.clear()
        self._by_lot.clear()
        self._by_party.clear()
        self._by_dep.clear()

    def _indexes(self, model: ReadModel) -> tuple[tuple[dict, Iterable], ...]:
        """Each reverse index with the names ``model`` is filed under in it."""
        return (self._by_lot, model.lots), (self._by_party, model.parties), (self._by_dep, model.deps)

    def _forget(self, k: str) -> None:
        model = self._entries.pop(k, None)
        if model is None:
            return
        for index, names in self._indexes(model):
            for name in names:
                keys = index.get(name)
                if keys is not None:
                    keys.discard(k)
                    if not keys:
                        del index[name]


def read_kept(lock, caches: dict[str, ReadCache], size: int, catch_up: Callable[[], int],
              still_at: Callable[[int], bool], kind: str, keys, build) -> dict:
    """``GraphStore.read_models`` over ``caches`` (one ``ReadCache`` of ``size`` per kind), for either backend:
    under ``lock``, ``catch_up()`` drops what the log's new events touched and says the log position the kept
    values are exact for; the missing ones are built outside the lock (the build's reads take the store's own
    locks as they go) and kept only if ``still_at(that position)`` says nothing new reached the log meanwhile —
    then what the build read is the log as of it, and the next catch-up drops it if a later event touches
    a lot or party it read."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    with lock:
        seen = catch_up()
        cache = caches.get(kind)
        if cache is None:
            cache = caches[kind] = ReadCache(size)
        out = {k: v for k in keys if (v := cache.get(k)) is not None}
    missing = [k for k in keys if k not in out]
    if not missing or build is None:
        return out
    built: dict[str, ReadModel] = build(missing)
    with lock:
        fresh = still_at(seen)
        for k, model in built.items():
            if fresh:
                cache.put(k, model)
            out[k] = model.value
    return out


@translate_sqlite_errors
class KeptReadModels:
    """``GraphStore.read_models`` and ``kept_now`` for the embedded store, over its SQLite tables: a
    ``ReadCache`` per kind, read and filled under the store's lock (built outside it), dropped by
    ``_invalidate`` from its catch-up.
    Values of a kind given a ``Persisted`` codec are kept in the store's file as well (``graph/kept_views.py``):
    looked up there on a miss in memory, written there behind a build.
    Needs the store's ``_lock``, ``conn``, ``_conn``, ``_seq``, ``_catch_up``, ``_unmoved``, ``_lineage_ready``,
    ``_caches``, ``_cache_size``, ``path``, ``_timeout`` and ``_writer``."""

    def _invalidate(self, last: int, top: int, touched: tuple[list[str], list[str]] | None = None) -> None:
        """Drop the read models built from a lot or party that events ``last < seq <= top`` touched:
        the lots they name, the lots of the events they retract, the parties they register — ``touched``,
        when the append already looked them up (``sqlite_write.write_plan``), else looked up here."""
        lots, parties = touched if touched is not None else kept_views.touched(self.conn, last, top)
        for cache in self._caches.values():
            cache.invalidate(lots, parties)

    def _cache(self, kind: str) -> ReadCache:
        cache = self._caches.get(kind)
        if cache is None:
            cache = self._caches[kind] = ReadCache(self._cache_size)
        return cache

    def _from_file(self, kind: str, keys: list[str], persist: Persisted, cache: ReadCache) -> dict:
        """Under the lock, the log caught up: the values of ``keys`` kept in the file, kept in memory too (a
        row is exact as of the log this connection reads, which is at least what the catch-up saw)."""
        out = {}
        for k, (value, deps) in kept_views.load(self.conn, kind, keys, persist).items():
            cache.put(k, ReadModel(value, frozenset(), frozenset(), frozenset(deps)))
            out[k] = value
        return out

    def _persists(self, persist: Persisted | None) -> bool:
        return persist is not None and self.path != ":memory:" and self._cache_size > 0

    def kept_now(self, kind: str, key: str, persist: Persisted | None = None):
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self._conn is None:
                return None
            cache = self._caches.get(kind)
            if cache is None and not self._persists(persist):
                return None
            if not self._unmoved():  # something committed since the last catch-up (graph/log_watch.py)
                top = self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
                if top != self._seq:
                    return None  # the log moved: catch up in a thread
            got = cache.get(key) if cache is not None else None
            if got is None and self._persists(persist) and self._lineage_ready(wait=False):
                got = self._from_file(kind, [key], persist, self._cache(kind)).get(key)
            return got
        finally:
            self._lock.release()

    def answer_now(self, fn):
        """``fn()`` under the store's lock, in the caller's thread, if the lock is free and the lineage loaded
        (nothing to wait for: the reads are local); else ``NOT_NOW``. Holding the lock throughout, the
        answer's reads are not interleaved with other threads' (no convoy behind the interpreter's lock)."""
        if not self._lock.acquire(blocking=False):
            return NOT_NOW
        try:
            if self._conn is None or not self._lineage_ready(wait=False):
                return NOT_NOW
            return fn()
        finally:
            self._lock.release()

    def read_models(self, kind: str, keys, build=None, persist: Persisted | None = None) -> dict:
        # built outside the store's lock, so that kept views (``kept_now`` gives up at once on a held lock)
        # and other builds are not queued behind a build; kept if no catch-up or append moved ``_seq`` meanwhile
        if not self._persists(persist):
            return read_kept(self._lock, self._caches, self._cache_size, self._caught_up,
                             lambda seen: self._seq == seen, kind, keys, build)
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        with self._lock:  # memory, then the file (graph/kept_views.py), then built
            seen = self._caught_up()
            cache = self._cache(kind)
            out = {k: v for k in keys if (v := cache.get(k)) is not None}
            missing = [k for k in keys if k not in out]
            if missing and self._lineage_ready(wait=False):
                out.update(self._from_file(kind, missing, persist, cache))
        missing = [k for k in keys if k not in out]
        if not missing or build is None:
            return out
        built: dict[str, ReadModel] = build(missing)
        with self._lock:
            fresh = self._seq == seen
            for k, model in built.items():
                if fresh:
                    cache.put(k, model)
                out[k] = model.value
        writer = self._views_writer()
        for k, model in built.items():  # written behind, if still exact then (``kept_views.write``)
            writer.put(kept_views.pending(kind, k, seen, model.value, model.lots, model.parties, persist))
        return out

    def _views_writer(self) -> kept_views.Writer:
        with self._lock:
            if self._writer is None:
                self._writer = kept_views.Writer(self.path, self._timeout)
            return self._writer

    def flush_models(self) -> None:
        """Wait until the values built so far are written to the file (or found stale)."""
        if self._writer is not None:
            self._writer.flush()

    def fill_models(self, kind: str, keys, build, persist: Persisted) -> int:
        """Build and keep in the file the values of ``keys`` it does not hold (``foodtrace db views``), in
        this thread, one transaction per call; how many were written."""
        keys = list(dict.fromkeys(keys))
        with self._lock:
            seen = self._caught_up()
            held = kept_views.have(self.conn, kind, keys, persist.build)
        todo = [k for k in keys if k not in held]
        if not todo:
            return 0
        built: dict[str, ReadModel] = build(todo)
        items = kept_views.encode(kept_views.pending(kind, k, seen, m.value, m.lots, m.parties, persist)
                                  for k, m in built.items())
        with self._lock:
            return in_write_transaction(self.conn, lambda conn: kept_views.write(conn, items))

    def clear_models(self, kind: str | None = None) -> int:
        """Delete the values kept in the file (of ``kind``); how many."""
        with self._lock:
            n = in_write_transaction(self.conn, lambda conn: kept_views.clear(conn, kind))
        for cache in self._caches.values():
            cache.clear()
        return n

    def _caught_up(self) -> int:
        self._catch_up()
        return self._seq

__all__ = ["KeptReadModels", "ReadCache", "ReadModel", "read_kept"]
