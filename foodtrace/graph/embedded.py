"""The embedded backend: one SQLite file holds the append-only event log and
indexed projection tables; the lineage of lots (graph/lineage_compact.py) is
loaded from it on open and kept in step on append.

Another process appending to the same file is seen on the next read: every
read first catches up from the log by sequence number, once the WAL-index header
says a transaction has committed since the last look (``graph/log_watch.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import sqlite3
import threading
from typing import Iterable, Iterator, Sequence

from foodtrace.errors import StoreUnavailable
from foodtrace.i18n.keyed import keyed
from foodtrace.graph.batch import BatchPlan, EncodedBatch, KnownEvent, plan_batch
from foodtrace.graph.readcache import KeptReadModels, ReadCache
from foodtrace.graph.sqlite_support import (KEYS_QUERY, LOT_SELECT, SCHEMA, chunks, key_from_row,
                                            lot_from_row, marks, translate_sqlite_errors)
from foodtrace.graph import kept_views, report_facts, search_index, trades
from foodtrace.graph.lineage_compact import CompactLineage
from foodtrace.graph.lineage_load import CHILD_INDEX, LineageLoader, catch_up_links, load_lineage, loads_in_background
from foodtrace.graph.lineage_walk import SqlAdjacency, adjacency, walk
from foodtrace.graph.log_watch import LogWatch
from foodtrace.graph.parsed import ParsedByText
from foodtrace.graph.sqlite_write import write_plan
from foodtrace.graph.store import AppendResult, GraphStore, Lineage, SearchHits, StoredEvent, paged_log, read_stored
from foodtrace.model.event_base import _Event
from foodtrace.model.keys import ApiKey
from foodtrace.model.lots import Lot
from foodtrace.model.parties import Party
from foodtrace.model.registry import EVENT_ADAPTER


@dataclass(frozen=True)
class Ours:
    """An append this store just committed: its events ``last < seq <= top``, the lots and parties they touch
    (if the write looked them up for the file's kept views, ``sqlite_write.write_plan``) and the live links
    they add (None: some retract, so the log is read)."""

    last: int
    top: int
    touched: tuple[list[str], list[str]] | None
    links: list[tuple[str, str]] | None


@translate_sqlite_errors
class EmbeddedStore(KeptReadModels, GraphStore):
    """SQLite log + lineage in memory. ``path`` ``":memory:"`` keeps it in memory."""

    def __init__(self, path: str, url: str | None = None, timeout: float = 30.0, read_cache: int = 10_000):
        self.path = path
        self._cache_size = read_cache
        self._caches: dict[str, ReadCache] = {}  # read models by kind, dropped by what new log entries touch
        self._parsed_party = ParsedByText(Party.model_validate_json)  # parties parsed, by their stored text
        self._timeout = timeout
        self.url = url or f"sqlite:///{path}"
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._graph = CompactLineage()
        self._seq = 0
        self._loading: LineageLoader | None = None  # a large store's lineage, loading in the background
        self._watch = LogWatch(":memory:", None)  # the WAL-index header once open: anyone committed since we looked?
        self._looked: bytes | None = None  # that header when the last catch-up read the log
        self._ours: Ours | None = None  # our append just committed, for the next catch-up (no reading it back)
        self._indexer: search_index.Builder | None = None  # an older store's search index, built in a thread
        self._writer: kept_views.Writer | None = None  # read models written to the file behind their builds

    # -- lifecycle -------------------------------------------------------

    def open(self) -> "EmbeddedStore":
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=self._timeout)
            conn.execute(f"PRAGMA busy_timeout={int(self._timeout * 1000)}")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.executescript(SCHEMA)
            kept_views.ensure(conn)
            conn.execute(CHILD_INDEX)
        except (sqlite3.Error, OSError) as exc:
            raise keyed(StoreUnavailable, "store_cannot_open", sqlite="SQLite", path=str(self.path),
                        reason=str(exc)) from exc
        self._conn = conn
        self._watch = LogWatch(self.path, conn)
        self._rebuild()
        return self

    def close(self) -> None:
        if self._indexer is not None:
            self._indexer.close()  # stops after its current page; the next build resumes there
            self._indexer = None
        if self._writer is not None:
            self._writer.close()  # what is waiting is written first
            self._writer = None
        with self._lock:
            if self._conn is not None:
                self._watch.close()  # unmapped before the connection that keeps the -shm file goes
                self._conn.close()
                self._conn = None

    def status(self, catch_up: bool = False):
        """The log's top sequence number against the lineage graph's (no catch-up unless asked)."""
        from foodtrace.graph.status import StoreStatus

        if catch_up:
            self._await_lineage()
        with self._lock:
            if catch_up:
                self._lineage_ready(wait=True)
                self._catch_up()
            top = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
            g = self._graph
            return StoreStatus("embedded", top, self._seq, g.number_of_nodes(), g.number_of_edges())

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise keyed(StoreUnavailable, "store_closed")
        return self._conn

    # -- the lineage graph -------------------------------------------------

    def _rebuild(self) -> None:
        with self._lock:
            self._looked = None
            top = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
            if loads_in_background(self.conn, self.path):
                self._graph, self._seq = CompactLineage(), 0
                self._loading = LineageLoader(self.path, top, self._timeout)
                return
            self._graph, self._seq = load_lineage(self.conn, top), top

    def _await_lineage(self) -> None:
        """Wait for a background load of the lineage without holding the lock (reads go on meanwhile)."""
        ld = self._loading
        if ld is not None:
            ld.finished(wait=True)

    def _lineage_ready(self, wait: bool) -> bool:
        """Whether the lineage graph is loaded (``wait``: once it is); adopts the background load's graph."""
        ld = self._loading
        if ld is None:
            return True
        if not ld.finished(wait):
            return False
        self._loading = None
        self._graph, self._seq = ld.result(self.conn)
        return True

    def _unmoved(self) -> bool:
        """True when no transaction has committed since the last catch-up read the log (no query)."""
        token = self._watch.token()
        return token is not None and token == self._looked

    def _catch_up(self) -> None:
        """Apply what the log gained since we last looked, ours or another process's: the one place that drops
        the read models the new events touch, brings the lineage graph up and advances ``_seq``. Our own
        append leaves what it knows of its events (``Ours``): taken as it is, without reading them back."""
        if not self._lineage_ready(wait=False):
            return  # the background load reads the log up to its start; this catches up once it is there
        ours, self._ours = self._ours, None
        if ours is not None and ours.last == self._seq:
            # ``_looked`` stays as the append left it (None): the next catch-up asks SQLite whether another
            # process committed after us
            self._advance(ours.last, ours.top, ours.touched, ours.links)
            return
        token = self._watch.token()
        if token is not None and token == self._looked:
            return  # no transaction has committed since the last catch-up read the log
        top = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
        if top > self._seq:
            self._advance(self._seq, top)
        self._looked = token

    def _advance(self, last: int, top: int, touched: tuple[list[str], list[str]] | None = None,
                 links: list[tuple[str, str]] | None = None) -> None:
        """From the log at ``last`` to ``top``: the read models those events touch dropped (``touched``: the
        lots and parties, if known, else looked up), their links added (``links``: the live links, if known and
        nothing was retracted, else read from the log), ``_seq`` moved to ``top``."""
        if any(len(c) for c in self._caches.values()):
            self._invalidate(last, top, touched)
        if links is not None:
            self._graph.add_links(links)
        else:
            catch_up_links(self.conn, self._graph, last, top)
        self._seq = top

    # -- StoreView for batch planning ------------------------------------

    def known_events(self, ids: list[str]) -> dict[str, KnownEvent]:
        out: dict[str, KnownEvent] = {}
        for part in chunks(ids):
            q = (
                "SELECT e.event_id, e.digest, e.body, r.seq IS NOT NULL FROM events e "
                f"LEFT JOIN retractions r ON r.seq = e.seq WHERE e.event_id IN ({marks(len(part))})"
            )
            for eid, dig, body, retracted in self.conn.execute(q, part):
                out[eid] = KnownEvent(dig, bool(retracted), EVENT_ADAPTER.validate_json(body))
        return out

    def known_lots(self, codes: list[str]) -> dict[str, Lot]:
        return self._lots(codes)

    def successors_many(self, codes: list[str]) -> dict[str, list[str]]:
        self._lineage_ready(wait=True)
        g = self._graph
        return {c: list(g.successors(c)) for c in codes if c in g}

    # -- writing ---------------------------------------------------------

    def append(self, events: Sequence[_Event]) -> AppendResult:
        events = events if isinstance(events, EncodedBatch) else list(events)  # keeps what the door encoded
        self._await_lineage()
        with self._lock:
            self._lineage_ready(wait=True)
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._catch_up()
                plan = plan_batch(events, self)
                base = self._seq
                touched = self._write(plan)  # what it touches, if looked up for the file's kept views
                conn.execute("COMMIT")
                self._looked = None  # our own commit: the next catch-up asks SQLite, whatever the header says
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if plan.new:  # caught up with at once, as it is known: its links as the log now holds them, unless
                # it retracts some (those the log reads); what it touches, if the write looked that up
                links = None if plan.retractions else [(a, b) for a, b, _, _ in plan.links]
                self._ours = Ours(base, base + len(plan.new), touched, links)
                self._catch_up()
            return AppendResult(
                stored=[ev.event_id for ev, _ in plan.new],
                duplicates=plan.duplicates,
                placeholders=plan.placeholders,
                last_seq=self._seq,
            )

    def _write(self, plan: BatchPlan) -> tuple[list[str], list[str]] | None:
        return write_plan(self.conn, plan)

    # -- reading ---------------------------------------------------------

    def _lots(self, codes: Iterable[str]) -> dict[str, Lot]:
        codes = list(dict.fromkeys(codes))
        out: dict[str, Lot] = {}
        for part in chunks(codes):
            q = (
                f"{LOT_SELECT} WHERE code IN ({marks(len(part))})"
            )
            for row in self.conn.execute(q, part):
                out[row[0]] = lot_from_row(row)
        return out

    def get_lots(self, codes: Iterable[str]) -> dict[str, Lot]:
        with self._lock:
            self._catch_up()
            return self._lots(codes)

    def find_lot_by_gtin(self, gtin: str, lot: str) -> Lot | None:
        with self._lock:
            self._catch_up()
            row = self.conn.execute(
                # literal suffix match (no LIKE: % and _ in a lot code are characters, as in Neo4j's ENDS WITH)
                f"{LOT_SELECT} WHERE gtin = ?1 AND (code = ?2 OR substr(code, -length(?3)) = ?3) "
                "ORDER BY code <> ?2, code LIMIT 1",
                (gtin, lot, f"/10/{lot}"),
            ).fetchone()
            return lot_from_row(row) if row else None

    def lot_events(self, codes: Iterable[str], include_retracted: bool = False) -> dict[str, list[StoredEvent]]:
        codes = list(dict.fromkeys(codes))
        out: dict[str, list[StoredEvent]] = {c: [] for c in codes}
        parsed: dict[int, StoredEvent | None] = {}
        with self._lock:
            self._catch_up()
            for part in chunks(codes):
                q = (
                    "SELECT le.code, e.seq, e.body, r.by_event_id FROM lot_events le "
                    "JOIN events e ON e.seq = le.seq LEFT JOIN retractions r ON r.seq = e.seq "
                    f"WHERE le.code IN ({marks(len(part))}) ORDER BY e.event_time, e.seq"
                )
                for code, seq, body, by in self.conn.execute(q, part):
                    if by is not None and not include_retracted:
                        continue
                    if seq not in parsed:
                        parsed[seq] = read_stored(seq, body, by)
                    if parsed[seq] is not None:
                        out[code].append(parsed[seq])
        return out

    def lots_made_by(self, event_type: str, after: str = "", limit: int = 1000) -> list[str]:
        return [c for (c,) in self._made_by("l.code", event_type, "AND l.code > ? ORDER BY l.code LIMIT ?",
                                            (after, limit))]

    def lots_made_by_count(self, event_type: str) -> int:
        return self._made_by("COUNT(*)", event_type)[0][0]

    def _made_by(self, what: str, event_type: str, rest: str = "", params: tuple = ()) -> list[tuple]:
        """``what`` of the lots an event of ``event_type`` made (then ``rest`` of the query, with ``params``)."""
        with self._lock:
            self._catch_up()
            return self.conn.execute(f"SELECT {what} FROM lots l JOIN events e ON e.event_id = l.created_by "
                                     f"WHERE e.type = ? {rest}", (event_type, *params)).fetchall()

    def get_events(self, event_ids: Iterable[str]) -> dict[str, StoredEvent]:
        ids = list(dict.fromkeys(event_ids))
        out: dict[str, StoredEvent] = {}
        with self._lock:
            self._catch_up()
            for part in chunks(ids):
                q = (
                    "SELECT e.event_id, e.seq, e.body, r.by_event_id FROM events e "
                    f"LEFT JOIN retractions r ON r.seq = e.seq WHERE e.event_id IN ({marks(len(part))})"
                )
                for eid, seq, body, by in self.conn.execute(q, part):
                    se = read_stored(seq, body, by)
                    if se is not None:
                        out[eid] = se
        return out

    def _walk(self, code: str, limit: int | None, forward: bool) -> Lineage:
        with self._lock:
            ready = self._lineage_ready(wait=False)
            self._catch_up()
            # loading in the background: the same walk in SQLite, one lookup per lot (graph/lineage_walk.py)
            adj = adjacency(self._graph, forward) if ready else SqlAdjacency(self.conn, forward)
            return walk(adj, code, limit, forward)

    def backward(self, code: str, limit: int | None = None) -> Lineage:
        return self._walk(code, limit, forward=False)

    def forward(self, code: str, limit: int | None = None) -> Lineage:
        return self._walk(code, limit, forward=True)

    def get_parties(self, ids: Iterable[str]) -> dict[str, Party]:
        ids = list(dict.fromkeys(ids))
        out: dict[str, Party] = {}
        with self._lock:
            self._catch_up()
            for part in chunks(ids):
                q = f"SELECT id, body FROM parties WHERE id IN ({marks(len(part))})"
                for pid, body in self.conn.execute(q, part):
                    out[pid] = self._parsed_party(body)
        return out

    def iter_log(self, after_seq: int = 0) -> Iterator[StoredEvent]:
        return self._paged_log("", (), after_seq)

    def _paged_log(self, where: str, params: tuple, after_seq: int) -> Iterator[StoredEvent]:
        """Stream log rows matching ``where`` (an extra SQL condition), 1000 at a time."""

        def page(last: int) -> list:
            with self._lock:
                return self.conn.execute(
                    "SELECT e.seq, e.body, r.by_event_id FROM events e LEFT JOIN retractions r ON r.seq = e.seq "
                    f"WHERE {where} e.seq > ? ORDER BY e.seq LIMIT 1000",
                    (*params, last),
                ).fetchall()

        return paged_log(page, after_seq)

    def api_keys(self) -> list[ApiKey]:
        with self._lock:
            rows = self.conn.execute(KEYS_QUERY + " ORDER BY k.seq").fetchall()
        return [key_from_row(r) for r in rows]

    def api_key(self, key_hash: str) -> ApiKey | None:
        with self._lock:
            row = self.conn.execute(KEYS_QUERY + " AND k.key_hash = ?", (key_hash,)).fetchone()
        return key_from_row(row) if row else None

    def search(self, text: str, limit: int = 20) -> SearchHits:  # the search index: graph/search_index.py
        with self._lock:
            self._catch_up()
            indexed = search_index.is_complete(self.conn)
            if not indexed:
                indexed = self._index_for_search()
            codes, ids = search_index.search_keys(self.conn, text, limit, indexed)
            lots, parties = self._lots(codes), self.get_parties(ids)
        return SearchHits([lots[c] for c in codes if c in lots], [parties[i] for i in ids if i in parties])

    def _index_for_search(self) -> bool:
        """An incomplete search index (an older store, or a bulk load's new lots) brought up to date: at once for
        a store in memory (small; no second connection can see it), else by a thread of its own — started
        again when an earlier one has ended (a later bulk load) — searches using ``LIKE`` meanwhile. Whether
        the index is complete now."""
        if self.path == ":memory:":
            search_index.build(self.conn)
            return True
        if self._indexer is None or self._indexer.wait(0):
            self._indexer = search_index.Builder(self.path, self._timeout)
        return False

    def prepare_search(self, progress=None, rebuild: bool = False) -> int:
        with self._lock:
            if rebuild:
                search_index.clear(self.conn)
            return search_index.build(self.conn, progress)

    def search_index_stale(self) -> list[tuple[str, str]]:  # ``foodtrace db verify``
        with self._lock:
            return search_index.stale(self.conn) if search_index.is_complete(self.conn) else []

    def events_by_type(self, types: Iterable[str], after_seq: int = 0) -> Iterator[StoredEvent]:
        types = sorted(set(types))
        if not types:
            return iter(())
        return self._paged_log(f"e.type IN ({','.join('?' * len(types))}) AND", tuple(types), after_seq)

    def log_page(self, after_seq: int, limit: int, types: Iterable[str] | None = None) -> list[StoredEvent]:
        wanted = None if types is None else sorted(set(types))
        if limit <= 0 or wanted == []:
            return []
        where = "" if wanted is None else f"e.type IN ({marks(len(wanted))}) AND "
        with self._lock:
            self._catch_up()
            rows = self.conn.execute(
                "SELECT e.seq, e.body, r.by_event_id FROM events e LEFT JOIN retractions r ON r.seq = e.seq "
                f"WHERE {where}e.seq > ? ORDER BY e.seq LIMIT ?", (*(wanted or ()), after_seq, limit)).fetchall()
        return [se for seq, body, by in rows if (se := read_stored(seq, body, by)) is not None]

    def party_trades(self, party, start, end):
        with self._lock:
            self._catch_up()
            rows = self.conn.execute(trades.SQLITE_PARTY_TRADES, trades.sqlite_params(party, start, end)).fetchall()
        return trades.kept((read_stored(seq, body) for seq, body in rows), party)

    def party_lot_counts(self, party_ids: Iterable[str]) -> dict[str, int]:
        ids = list(dict.fromkeys(party_ids))
        out: dict[str, int] = {}
        with self._lock:
            self._catch_up()
            for part in chunks(ids):
                q = (
                    "SELECT origin_party, COUNT(*) FROM lots WHERE created_by IS NOT NULL "
                    f"AND origin_party IN ({marks(len(part))}) GROUP BY origin_party"
                )
                out.update(dict(self.conn.execute(q, part).fetchall()))
        return out

    def counts(self) -> dict[str, int]:
        self._await_lineage()
        with self._lock:
            self._lineage_ready(wait=True)
            self._catch_up()
            c = self.conn
            return {
                "events": c.execute("SELECT COUNT(*) FROM events").fetchone()[0],
                "retracted": c.execute("SELECT COUNT(*) FROM retractions").fetchone()[0],
                "lots": c.execute("SELECT COUNT(*) FROM lots").fetchone()[0],
                "unconfirmed_lots": c.execute("SELECT COUNT(*) FROM lots WHERE created_by IS NULL").fetchone()[0],
                "links": self._graph.number_of_edges(),
                "parties": c.execute("SELECT COUNT(*) FROM parties").fetchone()[0],
            }

    # the statistics report's time index (graph/report_facts.py)
    def report_tally(self, start, end, skip=frozenset()):
        return report_facts.store_tally(self, start, end, skip)

    def report_before_end(self, end):
        return report_facts.store_before_end(self, end)

    def report_facts(self, end):
        return report_facts.store_facts(self, end)

    def prepare_report(self, progress=None) -> int:
        return report_facts.store_prepare(self, progress)

    def report_checkpoints(self):  # the report's checkpoints (graph/report_facts_checkpoints.py)
        from foodtrace.graph.report_facts_checkpoints import Shelf
        return Shelf(self)


__all__ = ["EmbeddedStore"]
