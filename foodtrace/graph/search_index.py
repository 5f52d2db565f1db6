"""The embedded store's search index: ``GraphStore.search`` without reading every lot.

Two FTS5 tables with the ``trigram`` tokenizer (``case_sensitive 1``) hold the **casefolded** text
(Python ``str.casefold``, as the contract's reference ``graph.derived.search_log`` and Neo4j's ``*_cf``
properties): ``lot_search`` each lot's code and name, ``party_search`` each party's id and name. Its
rowid is the row's rowid in ``lots`` / ``parties`` (a lot or party is never deleted, and its rowid kept
when it is written again). A MATCH of the casefolded query as one quoted phrase is then exactly "the
casefolded query is a substring of a column".

``write_rows`` writes the rows of the lots and parties a batch touched inside the append's
transaction (``sqlite_write.write_plan``). A store written before the index has none: ``build`` fills
it in pages of ``BUILD_PAGE`` rows, each its own short write transaction (appends go on in between),
resumable (the ``meta`` row ``search_index_at``); the ``meta`` row ``search_index`` marks it complete.
It is run by ``foodtrace db search-index`` (a progress bar) or, else, by a thread the first search
starts (``Builder``). Until then ``search`` answers with the SQL ``LIKE`` of before (ASCII case only).

Each query picks its way (``keys``; figures in ``docs/performance.md``, "Search"). The answer is the first
``limit`` keys in key order, so:

- the first ``FIRST`` keys are walked (text common there answers at once, as the ``LIKE`` did);
- then up to ``CAP + 1`` hits (``CAP_SHORT + 1`` for a short needle) in rowid order: the MATCH (three
  characters or more, casefolded), or a scan of the index's casefolded text (fewer: no trigram). That
  many or fewer are every hit: sorted, cut;
- more: the text is common. The answer lies at or before the sample's ``limit``-th key, so a walk of the
  key order up to there is exact; it is taken when it reads fewer rows than the whole answer would cost
  (the MATCH's hits, estimated from the sample's density in rowid order, or a scan of every row).

A walk reads the table itself: in SQL with ``instr`` when no character of the needle is one that another
character casefolds into (``_plain``: digits, Han characters, punctuation — then the casefolded needle is in
the casefolded text exactly when it is in the text), else in Python, casefolding each row.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import sys
import threading
from typing import Callable

_TABLES = {
    "lot_search": "CREATE VIRTUAL TABLE IF NOT EXISTS lot_search USING fts5("
                  "code UNINDEXED, code_cf, name_cf, tokenize='trigram case_sensitive 1')",
    "party_search": "CREATE VIRTUAL TABLE IF NOT EXISTS party_search USING fts5("
                    "id UNINDEXED, id_cf, name_cf, tokenize='trigram case_sensitive 1')",
}
SEARCH_SCHEMA = "".join(f"{sql};\n" for sql in _TABLES.values())
COMPLETE = "search_index"  # meta key: present once every lot and party has its row
RESUME = "search_index_at"  # meta key: "<lots rowid>,<parties rowid>" the build has reached
TRIGRAM = 3  # the shortest query the index answers
CAP = 2_000  # hits read in rowid order before a query counts as common
CAP_SHORT = 200  # … of a needle too short for trigrams (read by a scan: the fewer, the sooner common text stops)
FIRST = 1_000  # rows of the key order looked at first (text common there answers at once)
PAGE = 1_000  # rows a walk in Python reads per statement
# cost per row, µs, at 1M lots: a walk of the key order; a MATCH's hit sorted by key; a scan of the text
WALK_US, MATCH_US, SCAN_US = 1.2, 0.45, 0.35
BUILD_PAGE = 20_000

_log = logging.getLogger("foodtrace.store")


class _Table:
    """One searched table: its key column, its name as SQL, its index."""

    def __init__(self, table: str, key: str, name_sql: str, index: str):
        self.table, self.key, self.name_sql, self.index = table, key, name_sql, index

    def rows_sql(self, where: str) -> str:
        return f"SELECT rowid, {self.key}, {self.name_sql} FROM {self.table} WHERE {where}"


LOTS = _Table("lots", "code", "name", "lot_search")
PARTIES = _Table("parties", "id", "json_extract(body, '$.name')", "party_search")


def _cf(text: str | None) -> str | None:
    return None if text is None else text.casefold()


def _index_rows(rows) -> list[tuple]:
    return [(rowid, key, key.casefold(), _cf(name)) for rowid, key, name in rows]


def _upsert(conn: sqlite3.Connection, t: _Table, rows: list[tuple]) -> None:
    conn.executemany(f"INSERT OR REPLACE INTO {t.index}(rowid, {t.key}, {t.key}_cf, name_cf) VALUES (?,?,?,?)",
                     _index_rows(rows))


# -- writing ---------------------------------------------------------------------------------------


def write_rows(conn: sqlite3.Connection, codes: list[str], party_ids: list[str], first: bool,
               lots_before: int | None = None) -> None:
    """The index rows of the lots ``codes`` and the parties ``party_ids`` as the tables now hold them, in
    the caller's transaction (after the batch's writes). ``first``: the batch starts the log, so the index
    is complete from the start.

    ``lots_before`` (a bulk load: the largest rowid of ``lots`` before the batch): only the lots that were
    there before (placeholders confirmed, lots made placeholders again) get their rows now; the batch's new
    lots are left to ``build`` — indexing them here cost a bulk ingest a tenth of its speed (docs/performance.md,
    "Search") — so the index is marked incomplete from there, and ``search`` answers with ``LIKE`` until a
    build (the thread the first search starts, or ``foodtrace db search-index``) has caught up."""
    from foodtrace.graph.sqlite_support import chunks, marks

    for t, keys in ((LOTS, codes), (PARTIES, party_ids)):
        below = f" AND rowid <= {int(lots_before)}" if t is LOTS and lots_before is not None else ""
        for part in chunks(list(dict.fromkeys(keys))):
            _upsert(conn, t, conn.execute(t.rows_sql(f"{t.key} IN ({marks(len(part))}){below}"), part).fetchall())
    if lots_before is not None:
        if _top(conn, LOTS.table) > lots_before:
            _left_to_build(conn, lots_before)
        return
    if first:
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, '1')", (COMPLETE,))


def _left_to_build(conn: sqlite3.Connection, lots_before: int) -> None:
    """New lots after rowid ``lots_before`` have no rows yet: a complete index becomes incomplete, its build
    to resume there. An index already incomplete keeps its mark (at or before this gap)."""
    if conn.execute("SELECT 1 FROM meta WHERE key=?", (COMPLETE,)).fetchone():
        conn.execute("DELETE FROM meta WHERE key=?", (COMPLETE,))
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (RESUME, f"{lots_before},0"))


# -- building it for an older store ----------------------------------------------------------------


def _top(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}").fetchone()[0]


def is_complete(conn: sqlite3.Connection) -> bool:
    """Whether every lot and party has its row: marked complete, and the last lot and party have theirs
    (an append by a version without the index would leave it behind). A few indexed look-ups."""
    if not conn.execute("SELECT 1 FROM meta WHERE key=?", (COMPLETE,)).fetchone():
        return conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is None
    return all(_top(conn, t.table) == _top(conn, f"{t.index}_content") for t in (LOTS, PARTIES))


def _resume(conn: sqlite3.Connection) -> list[int]:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (RESUME,)).fetchone()
    try:
        return [int(x) for x in row[0].split(",")] if row else [0, 0]
    except ValueError:
        return [0, 0]


def build(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None,
          stop: threading.Event | None = None) -> int:
    """Index the lots and parties that lack their row, ``BUILD_PAGE`` at a time, each page in its own write
    transaction; then mark the index complete. ``progress(done, total)`` after each page; ``stop`` set:
    return after the current page (the next build resumes there). Returns the rows indexed."""
    if is_complete(conn):
        return 0
    at = _resume(conn)
    total = sum(max(_top(conn, t.table) - at[i], 0) for i, t in enumerate((LOTS, PARTIES)))
    done = 0
    for i, t in enumerate((LOTS, PARTIES)):
        while not (stop is not None and stop.is_set()):
            conn.execute("BEGIN IMMEDIATE")
            try:
                rows = conn.execute(t.rows_sql("rowid > ? ORDER BY rowid LIMIT ?"), (at[i], BUILD_PAGE)).fetchall()
                if rows:
                    _upsert(conn, t, rows)
                    at[i] = rows[-1][0]
                    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (RESUME, f"{at[0]},{at[1]}"))
                elif t is PARTIES:  # the last table done: complete
                    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, '1')", (COMPLETE,))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if not rows:
                break
            done += len(rows)
            if progress is not None:
                progress(done, max(total, done))
    return done


def clear(conn: sqlite3.Connection) -> None:
    """Empty the index and mark it incomplete (``foodtrace db search-index --rebuild``), in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name, sql in _TABLES.items():  # dropped and made anew: quicker than deleting row by row
            conn.execute(f"DROP TABLE IF EXISTS {name}")
            conn.execute(sql)
        conn.execute("DELETE FROM meta WHERE key IN (?, ?)", (COMPLETE, RESUME))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def stale(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(table, key) of each lot and party whose index row is missing or holds other text than its own
    casefolded (``foodtrace db verify``; one pass over both tables)."""
    out = []
    for t in (LOTS, PARTIES):
        rows = conn.execute(f"SELECT r.{t.key}, {t.name_sql}, s.{t.key}, s.{t.key}_cf, s.name_cf FROM {t.table} r "
                            f"LEFT JOIN {t.index} s ON s.rowid = r.rowid")
        out += [(t.table, key) for key, name, *row in rows if tuple(row) != (key, key.casefold(), _cf(name))]
    return out


class Builder:
    """``build`` in a daemon thread on a connection of its own (a store kept in a file)."""

    def __init__(self, path: str, timeout: float):
        self.path, self.timeout = path, timeout
        self.stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="foodtrace-search-index", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            try:
                n = build(conn, stop=self.stop)
                _log.info("search index: %d rows indexed", n)
            finally:
                conn.close()
        except Exception as exc:  # noqa: BLE001 — searches go on with LIKE; `foodtrace db search-index` retries
            _log.warning("search index: build failed: %s", exc)

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the build has ended (waiting up to ``timeout`` seconds for it)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def close(self) -> None:
        self.stop.set()
        self._thread.join()


# -- searching -------------------------------------------------------------------------------------


def _phrase(needle: str) -> str:
    return '"' + needle.replace('"', '""') + '"'


def _hit(needle: str, key: str, name: str | None) -> bool:
    return needle in key.casefold() or (name is not None and needle in name.casefold())


@functools.cache
def _folded_into() -> frozenset[str]:
    """Every character some other character casefolds into (a-z, most lowercase letters; no digit, Han
    character or ASCII punctuation): about 1,400, found once (blocks of 256 that casefold to themselves
    skipped whole)."""
    out: set[str] = set()
    for base in range(0, sys.maxunicode + 1, 256):
        block = [chr(i) for i in range(base, min(base + 256, sys.maxunicode + 1))]
        if "".join(block).casefold() == "".join(block):
            continue
        for c in block:
            if (f := c.casefold()) != c:
                out.update(f)
    return frozenset(out)


def _plain(needle: str) -> bool:
    """Whether the casefolded ``needle`` is in a text's casefolded form exactly when it is in the text itself:
    none of its characters comes from casefolding another (``str.casefold`` maps each character alone)."""
    return _folded_into().isdisjoint(needle)


def _walk_sql(conn: sqlite3.Connection, t: _Table, needle: str, limit: int, upto: str | None) -> list[str]:
    """``_walk`` of a plain needle (``_plain``) in SQL: ``instr`` on the text as stored."""
    bound = "" if upto is None else f"{t.key} <= ?3 AND "
    return [k for (k,) in conn.execute(
        f"SELECT {t.key} FROM {t.table} WHERE {bound}(instr({t.key}, ?1) > 0 OR instr({t.name_sql}, ?1) > 0) "
        f"ORDER BY {t.key} LIMIT ?2", (needle, limit) if upto is None else (needle, limit, upto))]


def _walk(conn: sqlite3.Connection, t: _Table, needle: str, limit: int, upto: str | None) -> list[str]:
    """The first ``limit`` keys in key order (up to ``upto``, None: to the end) whose casefolded text holds
    ``needle``, read a page at a time and casefolded here."""
    hits: list[str] = []
    last = ""
    bound = "" if upto is None else f" AND {t.key} <= ?"
    while True:
        rows = conn.execute(f"SELECT {t.key}, {t.name_sql} FROM {t.table} WHERE {t.key} > ?{bound} ORDER BY {t.key} "
                            "LIMIT ?", (last, *(() if upto is None else (upto,)), PAGE)).fetchall()
        for key, name in rows:
            if _hit(needle, key, name):
                hits.append(key)
                if len(hits) == limit:
                    return hits
        if len(rows) < PAGE:
            return hits
        last = rows[-1][0]


def _first(walk, conn: sqlite3.Connection, t: _Table, needle: str, limit: int) -> list[str] | None:
    """``walk`` over the first ``FIRST`` keys: its answer, or None when they hold fewer than ``limit`` hits
    and more keys follow."""
    end = conn.execute(f"SELECT {t.key} FROM {t.table} ORDER BY {t.key} LIMIT 1 OFFSET ?", (FIRST - 1,)).fetchone()
    hits = walk(conn, t, needle, limit, None if end is None else end[0])
    return hits if len(hits) == limit or end is None else None


def _sample(conn: sqlite3.Connection, t: _Table, needle: str, cap: int) -> list[tuple[int, str]]:
    """(rowid, key) of the first ``cap + 1`` hits in rowid order: the index's MATCH, or a scan of its
    casefolded text (a needle too short for trigrams)."""
    if len(needle) >= TRIGRAM:
        return conn.execute(f"SELECT rowid, {t.key} FROM {t.index} WHERE {t.index} MATCH ? LIMIT ?",
                            (_phrase(needle), cap + 1)).fetchall()
    return conn.execute(f"SELECT rowid, {t.key} FROM {t.index} WHERE instr({t.key}_cf, ?1) > 0 "
                        "OR instr(name_cf, ?1) > 0 LIMIT ?2", (needle, cap + 1)).fetchall()


def _all(conn: sqlite3.Connection, t: _Table, needle: str, limit: int) -> list[str]:
    """Every hit sorted by key, cut at ``limit``: the whole MATCH, or a scan of the casefolded text."""
    if len(needle) >= TRIGRAM:
        sql = (f"SELECT r.{t.key} FROM {t.index} JOIN {t.table} r ON r.rowid = {t.index}.rowid "
               f"WHERE {t.index} MATCH ?1 ORDER BY r.{t.key} LIMIT ?2")
        return [k for (k,) in conn.execute(sql, (_phrase(needle), limit))]
    return [k for (k,) in conn.execute(f"SELECT {t.key} FROM {t.index} WHERE instr({t.key}_cf, ?1) > 0 "
                                       f"OR instr(name_cf, ?1) > 0 ORDER BY {t.key} LIMIT ?2", (needle, limit))]


def keys(conn: sqlite3.Connection, t: _Table, needle: str, limit: int) -> list[str]:
    """The first ``limit`` keys (sorted) of ``t`` whose key or name holds the casefolded ``needle``, by the
    index (complete)."""
    if limit <= 0:
        return []
    if "\x00" in needle:  # not a text FTS5 or instr() take whole: read in Python
        return _walk(conn, t, needle, limit, None)
    walk = _walk_sql if _plain(needle) else _walk
    first = _first(walk, conn, t, needle, limit)  # text common at the start of the key order: answered there
    if first is not None:
        return first
    cap = CAP if len(needle) >= TRIGRAM else CAP_SHORT
    sample = _sample(conn, t, needle, cap)
    if len(sample) <= cap:  # every hit
        return sorted(k for _, k in sample)[:limit]
    if limit > cap:
        return _all(conn, t, needle, limit)
    # Common text. The answer's keys are at most ``edge`` (the sample's limit-th key): walking the key order
    # up to there reads ``rows`` rows; the whole answer costs as many hits as the sample's density in rowid
    # order says there are (the trigram index), or a scan of every row (shorter text). The cheaper, by cost
    # per row measured at 1M lots (docs/performance.md, "Search").
    top = _top(conn, t.table)
    whole = top * SCAN_US if len(needle) < TRIGRAM else cap * top / max(sample[-1][0], 1) * MATCH_US
    most = int(whole / WALK_US)
    edge = sorted(k for _, k in sample)[limit - 1]
    rows = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {t.table} WHERE {t.key} <= ? LIMIT ?)",
                        (edge, most + 1)).fetchone()[0]
    if rows <= most:
        return walk(conn, t, needle, limit, edge)
    return _all(conn, t, needle, limit)


def like_keys(conn: sqlite3.Connection, t: _Table, text: str, limit: int) -> list[str]:
    """The search of a store whose index is not complete yet: SQL ``LIKE`` (case-insensitive for ASCII
    letters only), walking the key order and stopping at ``limit``."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [k for (k,) in conn.execute(
        f"SELECT {t.key} FROM {t.table} WHERE {t.key} LIKE ?1 ESCAPE '\\' OR {t.name_sql} LIKE ?1 ESCAPE '\\' "
        f"ORDER BY {t.key} LIMIT ?2", (pattern, limit))]


def search_keys(conn: sqlite3.Connection, text: str, limit: int, indexed: bool) -> tuple[list[str], list[str]]:
    """(lot codes, party ids) the search finds, each sorted and cut at ``limit``."""
    if not indexed:
        return like_keys(conn, LOTS, text, limit), like_keys(conn, PARTIES, text, limit)
    needle = text.casefold()
    return keys(conn, LOTS, needle, limit), keys(conn, PARTIES, needle, limit)


__all__ = ["SEARCH_SCHEMA", "write_rows", "is_complete", "build", "clear", "stale", "Builder", "keys", "search_keys",
           "like_keys", "TRIGRAM", "CAP", "CAP_SHORT", "FIRST"]

