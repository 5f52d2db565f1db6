"""The embedded backend: one SQLite file holds the append-only event log and
indexed projection tables; a networkx DiGraph of lot lineage is rebuilt from it
on open and kept in step on append.

Another process appending to the same file is seen on the next read: every
read first catches up from the log by sequence number.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from datetime import timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import networkx as nx

from ..errors import StoreUnavailable
from ..model.events import EVENT_ADAPTER, ApiKeyIssued, ApiKeyRevoked, PartyRegistration, to_json
from ..model.keys import ApiKey
from ..model.lots import Lot
from ..model.parties import Party
from .batch import BatchPlan, KnownEvent, plan_batch
from .store import AppendResult, GraphStore, Lineage, SearchHits, StoredEvent, paged_log

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events(
    seq INTEGER PRIMARY KEY,            -- the log's sequence number, never reused (append-only)
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    event_time TEXT NOT NULL,
    record_time TEXT NOT NULL,
    party TEXT NOT NULL,
    digest TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_party ON events(party, seq);
CREATE INDEX IF NOT EXISTS events_type_time ON events(type, event_time);
CREATE TABLE IF NOT EXISTS retractions(
    seq INTEGER PRIMARY KEY,            -- the retracted event
    event_id TEXT NOT NULL,
    by_event_id TEXT NOT NULL,
    by_seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS retractions_by ON retractions(by_seq);
CREATE TABLE IF NOT EXISTS lots(
    code TEXT PRIMARY KEY,
    product TEXT, quantity REAL, unit TEXT, name TEXT, gtin TEXT,
    origin_party TEXT, created_at TEXT, created_by TEXT   -- created_by NULL: placeholder
);
CREATE INDEX IF NOT EXISTS lots_gtin ON lots(gtin) WHERE gtin IS NOT NULL;
CREATE TABLE IF NOT EXISTS lot_events(code TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(code, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links(parent TEXT NOT NULL, child TEXT NOT NULL, seq INTEGER NOT NULL, quantity REAL);
CREATE INDEX IF NOT EXISTS links_seq ON links(seq);
CREATE INDEX IF NOT EXISTS links_pair ON links(parent, child);
CREATE TABLE IF NOT EXISTS parties(id TEXT PRIMARY KEY, body TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys(
    key_id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, party TEXT NOT NULL, role TEXT NOT NULL,
    label TEXT, issued_at TEXT NOT NULL, event_id TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_key_revocations(key_id TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY(key_id, seq)) WITHOUT ROWID;
"""

# A key counts unless its issuance is retracted; it is revoked while a revocation is in force.
KEYS_QUERY = """
SELECT k.key_id, k.key_hash, k.party, k.role, k.label, k.issued_at, k.event_id,
       EXISTS(SELECT 1 FROM api_key_revocations v WHERE v.key_id = k.key_id
              AND v.seq NOT IN (SELECT seq FROM retractions)) AS revoked
FROM api_keys k WHERE k.seq NOT IN (SELECT seq FROM retractions)
"""

CHUNK = 500  # SQLite host-parameter batches


def _chunks(items: list, n: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _utc_iso(dt) -> str:
    return dt.astimezone(timezone.utc).isoformat()


_NO_ATTRS: dict = {}


def _sqlite_errors(fn):
    """SQLite failures (a lock held past the timeout, a disk error) become
    ``StoreUnavailable``; generators are wrapped as they are consumed."""
    import functools
    import inspect

    def translate(exc: sqlite3.Error) -> StoreUnavailable:
        if "locked" in str(exc) or "busy" in str(exc):
            return StoreUnavailable(f"the SQLite store is busy (locked by another writer past the timeout): {exc}")
        return StoreUnavailable(f"SQLite store error: {exc}")

    @functools.wraps(fn)
    def wrapper(*a, **k):
        try:
            result = fn(*a, **k)
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        if inspect.isgenerator(result):
            return _translated(result, translate)
        return result
    return wrapper


def _translated(it, translate):
    try:
        yield from it
    except sqlite3.Error as exc:
        raise translate(exc) from exc


_WRAPPED = ("append", "get_lots", "find_lot_by_gtin", "lot_events", "get_events", "backward", "forward",
            "get_parties", "iter_log", "events_by_type", "party_lot_counts", "counts")


class LineageGraph(nx.DiGraph):
    """A networkx DiGraph of lot codes that carries no node or edge attributes:
    every node and edge shares one empty attribute dict (never written to),
    which saves two dict allocations per lot and link. Quantities and events
    live in SQLite."""

    node_attr_dict_factory = staticmethod(lambda: _NO_ATTRS)
    edge_attr_dict_factory = staticmethod(lambda: _NO_ATTRS)


def _translate_sqlite_errors(cls):
    for name in _WRAPPED + tuple(getattr(cls, "EXTRA_WRAPPED", ())):
        if name in cls.__dict__:
            setattr(cls, name, _sqlite_errors(cls.__dict__[name]))
    return cls


@_translate_sqlite_errors
class EmbeddedStore(GraphStore):
    """SQLite log + networkx lineage. ``path`` ``":memory:"`` keeps it in memory."""

    def __init__(self, path: str, url: str | None = None, timeout: float = 30.0):
        self.path = path
        self._timeout = timeout
        self.url = url or f"sqlite:///{path}"
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._graph = LineageGraph()
        self._seq = 0

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
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailable(f"cannot open SQLite store {self.path}: {exc}") from exc
        self._conn = conn
        self._rebuild()
        return self

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreUnavailable("the store is closed")
        return self._conn

    # -- the lineage graph -------------------------------------------------

    def _rebuild(self) -> None:
        with self._lock:
            g = LineageGraph()
            top = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
            g.add_edges_from(
                self.conn.execute(
                    "SELECT parent, child FROM links WHERE seq <= ? AND seq NOT IN (SELECT seq FROM retractions)",
                    (top,),
                )
            )
            self._graph, self._seq = g, top

    def _catch_up(self) -> None:
        """Apply what the log gained since we last looked (ours or another process's)."""
        top = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
        if top <= self._seq:
            return
        last, g = self._seq, self._graph
        g.add_edges_from(
            self.conn.execute(
                "SELECT parent, child FROM links WHERE seq > ? AND seq <= ? "
                "AND seq NOT IN (SELECT seq FROM retractions)",
                (last, top),
            )
        )
        gone = self.conn.execute(
            "SELECT l.parent, l.child FROM retractions r JOIN links l ON l.seq = r.seq "
            "WHERE r.by_seq > ? AND r.by_seq <= ? AND r.seq <= ?",
            (last, top, last),
        ).fetchall()
        for a, b in gone:
            still = self.conn.execute(
                "SELECT 1 FROM links WHERE parent=? AND child=? AND seq NOT IN (SELECT seq FROM retractions) LIMIT 1",
                (a, b),
            ).fetchone()
            if not still and g.has_edge(a, b):
                g.remove_edge(a, b)
        self._seq = top

    # -- StoreView for batch planning ------------------------------------

    def known_events(self, ids: list[str]) -> dict[str, KnownEvent]:
        out: dict[str, KnownEvent] = {}
        for part in _chunks(ids):
            q = (
                "SELECT e.event_id, e.digest, e.body, r.seq IS NOT NULL FROM events e "
                f"LEFT JOIN retractions r ON r.seq = e.seq WHERE e.event_id IN ({','.join('?' * len(part))})"
            )
            for eid, dig, body, retracted in self.conn.execute(q, part):
                out[eid] = KnownEvent(dig, bool(retracted), EVENT_ADAPTER.validate_json(body))
        return out

    def known_lots(self, codes: list[str]) -> dict[str, Lot]:
        return self._lots(codes)

    def successors_many(self, codes: list[str]) -> dict[str, list[str]]:
        g = self._graph
        return {c: list(g.successors(c)) for c in codes if c in g}

    # -- writing ---------------------------------------------------------

    def append(self, events: Sequence[object]) -> AppendResult:
        events = list(events)
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._catch_up()
                plan = plan_batch(events, self)
                self._write(plan)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self._catch_up()
            return AppendResult(
                stored=[ev.event_id for ev, _ in plan.new],
                duplicates=plan.duplicates,
                placeholders=plan.placeholders,
                last_seq=self._seq,
            )

    def _write(self, plan: BatchPlan) -> None:
        conn = self.conn
        # we hold the write lock: sequence numbers are ours to hand out
        base = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
        seq_of: dict[str, int] = {}
        rows, parties, keys, revocations = [], [], [], []
        for i, (ev, dig) in enumerate(plan.new, start=base + 1):
            seq_of[ev.event_id] = i
            rows.append((i, ev.event_id, ev.type, _utc_iso(ev.event_time), ev.record_time.isoformat(), ev.party,
                         dig, to_json(ev)))
            if isinstance(ev, PartyRegistration):
                parties.append((ev.registered.id, ev.registered.model_dump_json(), i))
            elif isinstance(ev, ApiKeyIssued):
                keys.append((ev.key_id, ev.key_hash, ev.holder, ev.role.value, ev.label, ev.event_time.isoformat(),
                             ev.event_id, i))
            elif isinstance(ev, ApiKeyRevoked):
                revocations.append((ev.key_id, i))
        conn.executemany(
            "INSERT INTO events(seq, event_id, type, event_time, record_time, party, digest, body) "
            "VALUES (?,?,?,?,?,?,?,?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO parties(id, body, seq) VALUES (?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET body=excluded.body, seq=excluded.seq",
            parties,
        )
        conn.executemany(
            "INSERT OR IGNORE INTO api_keys(key_id, key_hash, party, role, label, issued_at, event_id, seq) "
            "VALUES (?,?,?,?,?,?,?,?)",
            keys,
        )
        conn.executemany("INSERT INTO api_key_revocations(key_id, seq) VALUES (?,?)", revocations)
        if plan.retractions:
            targets = {t for t, _ in plan.retractions}
            stored_seq = dict(self._seqs_of([t for t in targets if t not in seq_of]))
            stored_seq.update({t: seq_of[t] for t in targets if t in seq_of})
            conn.executemany(
                "INSERT INTO retractions(seq, event_id, by_event_id, by_seq) VALUES (?,?,?,?)",
                [(stored_seq[t], t, by, seq_of[by]) for t, by in plan.retractions],
            )
        uncreated = sorted(plan.uncreated - set(plan.created))
        conn.executemany(
            "UPDATE lots SET product=NULL, quantity=NULL, unit=NULL, name=NULL, gtin=NULL, origin_party=NULL, "
            "created_at=NULL, created_by=NULL WHERE code=?",
            [(c,) for c in uncreated],
        )
        rows = []
        for code, (f, ev) in plan.created.items():
            product = f.get("product")
            unit = f.get("unit")
            rows.append(
                (
                    code,
                    getattr(product, "value", product),
                    f.get("quantity"),
                    getattr(unit, "value", unit),
                    f.get("name"),
                    f.get("gtin"),
                    ev.party,
                    ev.event_time.isoformat(),
                    ev.event_id,
                )
            )
        conn.executemany(
            "INSERT INTO lots(code, product, quantity, unit, name, gtin, origin_party, created_at, created_by) "
            "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET product=excluded.product, "
            "quantity=excluded.quantity, unit=excluded.unit, name=excluded.name, gtin=excluded.gtin, "
            "origin_party=excluded.origin_party, created_at=excluded.created_at, created_by=excluded.created_by",
            rows,
        )
        conn.executemany("INSERT OR IGNORE INTO lots(code) VALUES (?)", [(c,) for c in plan.placeholders])
        conn.executemany(
            "INSERT OR IGNORE INTO lot_events(code, seq) VALUES (?,?)", [(c, seq_of[e]) for c, e in plan.lot_refs]
        )
        conn.executemany(
            "INSERT INTO links(parent, child, seq, quantity) VALUES (?,?,?,?)",
            [(a, b, seq_of[e], q) for a, b, q, e in plan.links],
        )

    def _seqs_of(self, ids: list[str]) -> list[tuple[str, int]]:
        out = []
        for part in _chunks(ids):
            out += self.conn.execute(
                f"SELECT event_id, seq FROM events WHERE event_id IN ({','.join('?' * len(part))})", part
            ).fetchall()
        return out

    # -- reading ---------------------------------------------------------

    def _lots(self, codes: Iterable[str]) -> dict[str, Lot]:
        codes = list(dict.fromkeys(codes))
        out: dict[str, Lot] = {}
        for part in _chunks(codes):
            q = (
                "SELECT code, product, quantity, unit, name, gtin, origin_party, created_at, created_by "
                f"FROM lots WHERE code IN ({','.join('?' * len(part))})"
            )
            for row in self.conn.execute(q, part):
                out[row[0]] = _lot(row)
        return out

    def get_lots(self, codes: Iterable[str]) -> dict[str, Lot]:
        with self._lock:
            self._catch_up()
            return self._lots(codes)

    def find_lot_by_gtin(self, gtin: str, lot: str) -> Lot | None:
        with self._lock:
            self._catch_up()
            row = self.conn.execute(
                "SELECT code, product, quantity, unit, name, gtin, origin_party, created_at, created_by "
                "FROM lots WHERE gtin = ? AND (code = ? OR code LIKE ?) LIMIT 1",
                (gtin, lot, f"%/10/{lot}"),
            ).fetchone()
            return _lot(row) if row else None

    def lot_events(self, codes: Iterable[str], include_retracted: bool = False) -> dict[str, list[StoredEvent]]:
        codes = list(dict.fromkeys(codes))
        out: dict[str, list[StoredEvent]] = {c: [] for c in codes}
        parsed: dict[int, StoredEvent] = {}
        with self._lock:
            self._catch_up()
            for part in _chunks(codes):
                q = (
                    "SELECT le.code, e.seq, e.body, r.by_event_id FROM lot_events le "
                    "JOIN events e ON e.seq = le.seq LEFT JOIN retractions r ON r.seq = e.seq "
                    f"WHERE le.code IN ({','.join('?' * len(part))}) ORDER BY e.event_time, e.seq"
                )
                for code, seq, body, by in self.conn.execute(q, part):
                    if by is not None and not include_retracted:
                        continue
                    se = parsed.get(seq)
                    if se is None:
                        se = parsed[seq] = StoredEvent(seq, EVENT_ADAPTER.validate_json(body), by)
                    out[code].append(se)
        return out

    def get_events(self, event_ids: Iterable[str]) -> dict[str, StoredEvent]:
        ids = list(dict.fromkeys(event_ids))
        out: dict[str, StoredEvent] = {}
        with self._lock:
            self._catch_up()
            for part in _chunks(ids):
                q = (
                    "SELECT e.event_id, e.seq, e.body, r.by_event_id FROM events e "
                    f"LEFT JOIN retractions r ON r.seq = e.seq WHERE e.event_id IN ({','.join('?' * len(part))})"
                )
                for eid, seq, body, by in self.conn.execute(q, part):
                    out[eid] = StoredEvent(seq, EVENT_ADAPTER.validate_json(body), by)
        return out

    def _walk(self, code: str, limit: int | None, forward: bool) -> Lineage:
        with self._lock:
            self._catch_up()
            g = self._graph
            if code not in g:
                return Lineage(code, frozenset([code]), ())
            step = g.successors if forward else g.predecessors
            seen = {code}
            edges: list[tuple[str, str]] = []
            queue = deque([code])
            truncated = False
            while queue:
                node = queue.popleft()
                for nxt in step(node):
                    edges.append((node, nxt) if forward else (nxt, node))
                    if nxt not in seen:
                        if limit is not None and len(seen) >= limit:
                            truncated = True
                            continue
                        seen.add(nxt)
                        queue.append(nxt)
            if truncated:
                edges = [(a, b) for a, b in edges if a in seen and b in seen]
            return Lineage(code, frozenset(seen), tuple(edges), truncated)

    def backward(self, code: str, limit: int | None = None) -> Lineage:
        return self._walk(code, limit, forward=False)

    def forward(self, code: str, limit: int | None = None) -> Lineage:
        return self._walk(code, limit, forward=True)

    def get_parties(self, ids: Iterable[str]) -> dict[str, Party]:
        ids = list(dict.fromkeys(ids))
        out: dict[str, Party] = {}
        with self._lock:
            self._catch_up()
            for part in _chunks(ids):
                q = f"SELECT id, body FROM parties WHERE id IN ({','.join('?' * len(part))})"
                for pid, body in self.conn.execute(q, part):
                    out[pid] = Party.model_validate_json(body)
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
        return [_key(r) for r in rows]

    def api_key(self, key_hash: str) -> ApiKey | None:
        with self._lock:
            row = self.conn.execute(KEYS_QUERY + " AND k.key_hash = ?", (key_hash,)).fetchone()
        return _key(row) if row else None

    def search(self, text: str, limit: int = 20) -> SearchHits:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self._lock:
            self._catch_up()
            lots = self.conn.execute(
                "SELECT code, product, quantity, unit, name, gtin, origin_party, created_at, created_by FROM lots "
                "WHERE code LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\' ORDER BY code LIMIT ?2",
                (pattern, limit),
            ).fetchall()
            parties = self.conn.execute(
                "SELECT body FROM parties WHERE id LIKE ?1 ESCAPE '\\' OR json_extract(body, '$.name') LIKE ?1 "
                "ESCAPE '\\' ORDER BY id LIMIT ?2",
                (pattern, limit),
            ).fetchall()
        return SearchHits([_lot(r) for r in lots], [Party.model_validate_json(b) for (b,) in parties])

    def events_by_type(self, types: Iterable[str], after_seq: int = 0) -> Iterator[StoredEvent]:
        types = sorted(set(types))
        if not types:
            return iter(())
        return self._paged_log(f"e.type IN ({','.join('?' * len(types))}) AND", tuple(types), after_seq)

    def party_lot_counts(self, party_ids: Iterable[str]) -> dict[str, int]:
        ids = list(dict.fromkeys(party_ids))
        out: dict[str, int] = {}
        with self._lock:
            self._catch_up()
            for part in _chunks(ids):
                q = (
                    "SELECT origin_party, COUNT(*) FROM lots WHERE created_by IS NOT NULL "
                    f"AND origin_party IN ({','.join('?' * len(part))}) GROUP BY origin_party"
                )
                out.update(dict(self.conn.execute(q, part).fetchall()))
        return out

    def counts(self) -> dict[str, int]:
        with self._lock:
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


def _lot(row) -> Lot:
    code, product, quantity, unit, name, gtin, origin, created_at, created_by = row
    return Lot(
        code=code,
        product=product,
        quantity=quantity,
        unit=unit,
        name=name,
        gtin=gtin,
        origin_party=origin,
        created_at=created_at,
        created_by=created_by,
        unconfirmed=created_by is None,
    )


def _key(row) -> ApiKey:
    key_id, key_hash, party, role, label, issued_at, event_id, revoked = row
    return ApiKey(key_id=key_id, key_hash=key_hash, party=party, role=role, label=label, issued_at=issued_at,
                  event_id=event_id, revoked=bool(revoked))


__all__ = ["EmbeddedStore"]
