"""The GraphStore contract: what every storage backend offers.

It is shaped around the use cases — capture a batch, look up a lot, walk the
lineage backward or forward, list a lot's events and holders — not around
tables. Every backend (embedded SQLite + networkx, Neo4j) passes the same
contract test suite (``tests/contract``).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from pydantic import ValidationError

from foodtrace.graph.derived import fold_keys, search_log
from foodtrace.model.custody import Custody, custody_of
from foodtrace.model.event_base import _Event
from foodtrace.model.keys import ApiKey
from foodtrace.model.lots import Lot
from foodtrace.model.parties import Party
from foodtrace.model.registry import EVENT_ADAPTER

if TYPE_CHECKING:
    from datetime import datetime

    from foodtrace.graph.report_facts import ReportTally
    from foodtrace.graph.readcache import ReadModel
    from foodtrace.graph.status import StoreStatus
    from foodtrace.model.registry import Event

log = logging.getLogger("foodtrace.store")


@dataclass(frozen=True)
class StoredEvent:
    """An event as stored: its log sequence number and, if retracted, by which event."""

    seq: int
    event: Event
    retracted_by: str | None = None

    @property
    def event_id(self) -> str:
        return self.event.event_id or ""


@dataclass(frozen=True)
class AppendResult:
    stored: list[str] = field(default_factory=list)  # ids newly stored, in batch order
    duplicates: list[str] = field(default_factory=list)  # ids already stored with the same content
    placeholders: list[str] = field(default_factory=list)  # lot codes created unconfirmed
    last_seq: int = 0


@dataclass(frozen=True)
class Lineage:
    """The lots reachable from ``root`` in one direction, and the edges among them.

    ``truncated`` is true when ``limit`` stopped the walk early.
    """

    root: str
    lots: frozenset[str]
    edges: tuple[tuple[str, str], ...]
    truncated: bool = False


@dataclass(frozen=True)
class SearchHits:
    """What ``GraphStore.search`` found: lots sorted by code, parties by id."""

    lots: list[Lot]
    parties: list[Party]


@dataclass(frozen=True)
class TraceParts:
    """What a full trace reads (``GraphStore.trace_parts``): the lineage, its lots (placeholders
    included) and each lot's non-retracted events in event-time order."""

    lineage: Lineage
    lots: dict[str, Lot]
    events: dict[str, list[StoredEvent]]
    # The parties the lots and events name, when the backend read them in the same round trip: id -> the
    # party, or None for an id not registered (every id looked up is a key); None when not read.
    parties: dict[str, Party | None] | None = None


def read_stored(seq: int, body: str | bytes, retracted_by: str | None = None,
                parse: Callable[[str | bytes], Any] | None = None) -> StoredEvent | None:
    """A stored body as an event, or None (with a logged warning) when this version cannot read it: an
    event written by another version or edited by hand must not make every read of the store fail.
    ``foodtrace db verify`` lists such events. ``parse``: the body's parser (default: the events' own
    validation; the Neo4j store remembers what it parsed, ``graph.parsed.ParsedByText``)."""
    try:
        return StoredEvent(seq, (parse or EVENT_ADAPTER.validate_json)(body), retracted_by)
    except (ValidationError, ValueError) as exc:
        log.warning("event #%s in the log cannot be read and is skipped: %s", seq, str(exc).splitlines()[0])
        return None


def paged_log(fetch_page: Callable[[int], list[tuple[int, str, str | None]]], after_seq: int) -> Iterator[StoredEvent]:
    """Stream the log from pages of ``(seq, JSON body, retracted_by)`` rows;
    ``fetch_page(last_seq)`` returns the next page (empty at the end). Unreadable events are skipped."""
    last = after_seq
    while True:
        rows = fetch_page(last)
        if not rows:
            return
        for seq, body, by in rows:
            se = read_stored(seq, body, by)
            if se is not None:
                yield se
        last = rows[-1][0]


class _NotNow:
    """What ``GraphStore.answer_now`` returns when it cannot answer at once (``fn`` may return None)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_NOW"


NOT_NOW = _NotNow()


class GraphStore(ABC):
    """One storage backend. Open it with ``foodtrace.graph.open_store(url)``."""

    url: str
    #: True when ``trace_parts`` answers in one round trip (Neo4j); then a full trace reads through it,
    #: else through the lineage and each lot's kept piece (``services.tracing.trace``)
    traces_in_one_query: bool = False

    # -- writing ---------------------------------------------------------

    @abstractmethod
    def append(self, events: Sequence[_Event]) -> AppendResult:
        """Append a batch of validated events (each with ``event_id`` and
        ``record_time`` set), all or nothing.

        - an event whose id is stored with the same content is skipped (a no-op);
          the same id with other content raises ``Conflict``;
        - lots referenced but unknown become unconfirmed placeholders;
        - a link that would close a cycle raises ``LineageCycle``;
        - an error declaration must retract known, not yet retracted events;
        - a lot code may be created only once (unless its creator was retracted).
        On any error nothing of the batch is stored.
        """

    # -- reading ---------------------------------------------------------

    @abstractmethod
    def get_lots(self, codes: Iterable[str]) -> dict[str, Lot]:
        """The lots known under these codes (placeholders included)."""

    def get_lot(self, code: str) -> Lot | None:
        return self.get_lots([code]).get(code)

    @abstractmethod
    def find_lot_by_gtin(self, gtin: str, lot: str) -> Lot | None:
        """The lot carrying GS1 identifiers GTIN + batch/lot number."""

    @abstractmethod
    def lot_events(self, codes: Iterable[str], include_retracted: bool = False) -> dict[str, list[StoredEvent]]:
        """Every event that creates, uses, moves, certifies or tests each lot,
        in event-time order. Retracted events only when asked for."""

    @abstractmethod
    def get_events(self, event_ids: Iterable[str]) -> dict[str, StoredEvent]:
        """Stored events by id (retracted ones included, marked)."""

    @abstractmethod
    def backward(self, code: str, limit: int | None = None) -> Lineage:
        """Every ancestor lot of ``code`` (and itself), each visited once."""

    @abstractmethod
    def forward(self, code: str, limit: int | None = None) -> Lineage:
        """Every descendant lot of ``code`` (and itself), each visited once."""

    @abstractmethod
    def get_parties(self, ids: Iterable[str]) -> dict[str, Party]:
        """Registered parties by id (the latest registration of each)."""

    @abstractmethod
    def iter_log(self, after_seq: int = 0) -> Iterator[StoredEvent]:
        """The whole log in sequence order, streamed."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Sizes: events, lots, links, parties."""

    def close(self) -> None:
        """Release the backend's resources."""

    def status(self, catch_up: bool = False) -> "StoreStatus":
        """Reachability and size (``StoreStatus``); raises ``StoreUnavailable`` when the store
        does not answer. ``catch_up``: first bring the lineage up to the log. Default: from
        ``counts()`` (a backend whose graph is the log itself never lags)."""
        from foodtrace.graph.status import StoreStatus

        c = self.counts()
        return StoreStatus(type(self).__name__, c["events"], c["events"], c["lots"], c["links"])

    def init_schema(self) -> None:
        """Create constraints and indexes (``foodtrace db init``); idempotent.
        The embedded store creates its tables on open, so this is a no-op there."""

    # -- derived (backend-neutral) ----------------------------------------

    def holders(self, codes: Iterable[str]) -> dict[str, list[Custody]]:
        """Custody of each lot — which party held it, since when, how much —
        from its non-retracted events."""
        out: dict[str, list[Custody]] = {}
        for code, stored in self.lot_events(codes).items():
            facts: list[Custody] = []
            for se in stored:
                facts.extend(custody_of(se.event, code))
            out[code] = facts
        return out

    def api_keys(self) -> list[ApiKey]:
        """Every API key issued (``api_key_issued`` events), in log order, each
        marked ``revoked`` when an ``api_key_revoked`` event names its key id.
        Only the first issuance of a key id counts (even once retracted); a
        retracted issuance or revocation does not count. Keys themselves are never stored, only their SHA-256.

        Default: a fold of the log (``iter_log``), caught up by sequence number
        on every call and cached on the store object. Backends may override it
        with a projection (the embedded store keeps an ``api_keys`` table)."""
        return fold_keys(self)

    def api_key(self, key_hash: str) -> ApiKey | None:
        """The key whose SHA-256 hex digest is ``key_hash`` (revoked ones
        included, marked), or None. Default: a look-up in ``api_keys()``."""
        return next((k for k in self.api_keys() if k.key_hash == key_hash), None)

    def search(self, text: str, limit: int = 20) -> SearchHits:
        """Lots whose trace code or name contains ``text``, and registered
        parties whose id or name contains it (case-insensitive substring), each
        list sorted (lots by code, parties by id) and cut at ``limit``.
        Placeholders count as lots. Default: a scan of the log."""
        lots, parties = search_log(self, text, limit)
        return SearchHits(lots, parties)

    def events_by_type(self, types: Iterable[str], after_seq: int = 0) -> Iterator[StoredEvent]:
        """The events of these types (retracted ones included, marked), in
        sequence order, streamed. The default filters ``iter_log``; a backend
        may answer from an index."""
        wanted = set(types)
        for se in self.iter_log(after_seq):
            if se.event.type in wanted:
                yield se

    def log_page(self, after_seq: int, limit: int, types: Iterable[str] | None = None) -> list[StoredEvent]:
        """At most ``limit`` events of the log after ``after_seq``, in sequence order (retracted ones
        included, marked), only of ``types`` when given: one page of the EPCIS query interface.
        The default reads ``iter_log`` / ``events_by_type``; backends answer with one query."""
        from itertools import islice

        stream = self.iter_log(after_seq) if types is None else self.events_by_type(types, after_seq)
        return list(islice(stream, max(limit, 0)))

    def party_trades(self, party: str, start: "datetime", end: "datetime") -> list[StoredEvent]:
        """The handoffs ``party`` recorded or sent or received, and the retail sales it recorded, whose event
        time is in ``[start, end)``, not retracted, in log order (``graph/trades.py``). The default filters
        ``events_by_type``; the backends seek their time index."""
        from foodtrace.graph.trades import TRADE_TYPES, kept

        return kept((se for se in self.events_by_type(TRADE_TYPES) if se.retracted_by is None
                     and start <= se.event.event_time < end), party)

    def party_lot_counts(self, party_ids: Iterable[str]) -> dict[str, int]:
        """How many lots each party brought into being (the acting party of the
        event that created the lot; placeholders and lots whose creator was
        retracted do not count). Parties with none are absent. The default
        scans ``iter_log``; a backend may answer from an index."""
        wanted = set(party_ids)
        out: dict[str, int] = {}
        for se in self.iter_log():
            ev = se.event
            if se.retracted_by is not None or ev.party not in wanted:
                continue
            n = len(ev.created_codes())
            if n:
                out[ev.party] = out.get(ev.party, 0) + n
        return out

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def report_tally(self, start: "datetime | None", end: "datetime | None",
                     skip: frozenset[str] = frozenset()) -> "ReportTally":
        """The statistics report's counts (``graph.report_facts.ReportTally``): the live events whose time
        is in ``[start, end)`` by (type, acting party) — but those of the types in ``skip``, which the caller
        counts from the report facts it reads anyway —, the retracted ones, and the live events before
        ``end`` (``None``: open). Default: a scan of the log; the embedded store counts over its time
        index (``graph/report_facts.py``)."""
        from foodtrace.graph.report_facts import scan_tally

        return scan_tally(((se.event.type, se.event.party, se.event.event_time, se.retracted_by is not None)
                           for se in self.iter_log()), start, end, skip)

    def report_before_end(self, end: "datetime | None") -> int:
        """``report_tally(None, end).before_end`` alone: the live events whose time is before ``end`` (``None``:
        all). Default: that tally; the embedded store counts without grouping the events by type and party."""
        return self.report_tally(None, end).before_end

    def report_facts(self, end: "datetime | None") -> Iterator[tuple[int, bytes, str | None]]:
        """What the statistics report reads of each event whose time is before ``end`` (``None``: all) and
        whose type it folds (``graph.report_facts_codec.FOLDED``), in log order: ``(seq, the fact — a JSON
        object, as text or bytes, with at least the fields ``report_facts_codec`` keeps, the retracting
        event's id or None)``. Default: encoded from a scan of the log; the embedded store keeps the facts
        beside the log, written on append; Neo4j returns the event nodes' bodies (``neo4j_report``)."""
        from foodtrace.graph.report_facts_codec import encode

        for se in self.iter_log():
            ev = se.event
            if end is None or ev.event_time < end:
                fact = encode(ev)
                if fact is not None:
                    yield se.seq, fact, se.retracted_by

    def prepare_report(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Build what the report's index lacks for events stored before it existed (``foodtrace db
        report-facts``; otherwise done by the first report); ``progress(done, total)`` after each page.
        Returns the events indexed. Default: nothing to build (0)."""
        return 0

    def prepare_search(self, progress: Callable[[int, int], None] | None = None, rebuild: bool = False) -> int:
        """Build what the search index lacks for lots and parties stored before it existed (``foodtrace db
        search-index``; otherwise done in the background after the first search); ``progress(done, total)``
        after each page; ``rebuild``: empty it first. Returns the rows indexed. Default: nothing to build (0)."""
        return 0

    def trace_parts(self, code: str, forward: bool = False, limit: int | None = None) -> TraceParts:
        """The lineage of ``code`` one way (as ``backward`` / ``forward`` with ``limit``), its lots (as
        ``get_lots``) and their events (as ``lot_events``): everything a full trace reads but the parties.
        Default: those three calls; a backend may answer in one round trip (Neo4j: one query)."""
        lineage = self.forward(code, limit) if forward else self.backward(code, limit)
        return TraceParts(lineage, self.get_lots(lineage.lots), self.lot_events(lineage.lots))

    def read_models(self, kind: str, keys: Iterable[str],
                    build: "Callable[[list[str]], dict[str, ReadModel]] | None" = None, persist=None) -> dict:
        """The read models ``kind`` of ``keys`` (key -> a ``ReadModel``'s value): those the backend keeps,
        and those ``build(missing keys)`` builds; with ``build`` None, only those kept.

        A backend that keeps read models (embedded: ``graph.readcache``; Neo4j: ``graph.neo4j_readcache``)
        must drop one the moment the log gains an event touching a lot or party it was built from, so a
        kept value is exactly what ``build`` would return now. ``persist`` (a ``graph.kept_views.Persisted``):
        the values may also be kept in the store itself, for every process and after a restart (the embedded
        store's file: ``graph.kept_views``); a backend that cannot ignores it. Default: nothing is kept;
        ``build`` runs every time."""
        keys = list(dict.fromkeys(keys))
        return {} if build is None or not keys else {k: m.value for k, m in build(keys).items()}

    def kept_now(self, kind: str, key: str, persist=None):
        """The read model ``kind`` of ``key`` if it is kept (in memory, or in the store with ``persist``) and
        nothing is new in the log — answered without waiting (no lock wait, no catch-up, no build), for an
        event loop; else None, and the caller asks ``read_models`` from a worker thread. Default: None."""
        return None

    def fill_models(self, kind: str, keys: list[str], build, persist) -> int:
        """Build the read models ``kind`` of ``keys`` the store does not keep yet and keep them in the store
        (``persist``; ``foodtrace db views``); how many were kept. Default: none (nothing is kept in the store)."""
        return 0

    def clear_models(self, kind: str | None = None) -> int:
        """Forget the read models (of ``kind``) kept in the store; how many. Default: none are kept (0)."""
        return 0

    def lots_made_by(self, event_type: str, after: str = "", limit: int = 1000) -> list[str]:
        """The codes of the confirmed lots an event of ``event_type`` made (retail receipts: ``retail_sale``),
        in code order after ``after``, at most ``limit`` (to page through them). Default: none."""
        return []

    def lots_made_by_count(self, event_type: str) -> int:
        """How many lots ``lots_made_by`` pages through. Default: 0."""
        return 0

    def answer_now(self, fn: Callable[[], Any]) -> Any:
        """``fn()`` run at once in the caller's thread when the store can answer its reads there without
        waiting (for an event loop: building a view inline costs a few milliseconds, while a worker thread
        contending with the loop and other threads for the interpreter and the store's lock costs far
        more); else ``NOT_NOW``, and the caller runs ``fn`` in a worker thread. Default: ``NOT_NOW`` (a
        store over the network waits on every read)."""
        return NOT_NOW

    def read_model(self, kind: str, key: str, build: "Callable[[], ReadModel] | None" = None, persist=None):
        """One read model (``read_models``), or None when not kept and no ``build``."""
        got = self.read_models(kind, [key], None if build is None else (lambda _: {key: build()}), persist)
        return got.get(key)

    def report_checkpoints(self):
        """Where the statistics report keeps checkpoints of what it folded, each read back only while no
        event of its time range was stored or retracted since (``graph.report_facts_checkpoints.Shelf``:
        ``mark``, ``get``, ``put``, ``clear``), or None: every report folds its report facts.
        Default: None; the embedded store keeps them in its SQLite file, Neo4j in the database
        (``graph.neo4j_checkpoints.Neo4jShelf``, shared by every process on it)."""
        return None
