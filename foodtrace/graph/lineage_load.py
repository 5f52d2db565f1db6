"""Loading the embedded store's lineage graph on open, in bulk: a ``CompactLineage`` (graph/lineage_compact.py),
which replaced a networkx graph (kept for the benchmark's and the tests' comparisons in
``scripts/networkx_lineage.py``); the background load and the catch-up with other processes' writes."""

from __future__ import annotations

import threading
import sqlite3

from foodtrace.graph.lineage_compact import CompactLineage, load_links

LIVE_LINKS = "SELECT parent, child FROM links WHERE seq <= ? AND seq NOT IN (SELECT seq FROM retractions)"


def load_lineage(conn: sqlite3.Connection, top: int) -> CompactLineage:
    """The lineage graph of the live (not retracted) links up to sequence number ``top``, read in chunks
    (the garbage collector paused meanwhile: ``load_links``)."""
    cur = conn.execute(LIVE_LINKS, (top,))
    return load_links(iter(lambda: cur.fetchmany(65536), []))


# -- loading in the background -----------------------------------------------------------------------
#
# A large store opens at once: the lineage graph is built by a thread of its own (its own connection),
# and until it is there the store walks the lineage in SQLite (``sql_step``: one indexed lookup per lot,
# the neighbours in the order the graph would give them; graph/lineage_walk.py). Writes and anything else that needs the graph
# wait for it. A small store (fewer links than ``BACKGROUND_LINKS``) is loaded before ``open`` returns.

BACKGROUND_LINKS = 100_000
CHILD_INDEX = "CREATE INDEX IF NOT EXISTS links_child ON links(child)"  # backward steps in SQL
_STEP = {
    True: "SELECT child FROM links WHERE parent = ? AND seq NOT IN (SELECT seq FROM retractions) ORDER BY seq, rowid",
    False: "SELECT parent FROM links WHERE child = ? AND seq NOT IN (SELECT seq FROM retractions) ORDER BY seq, rowid",
}


def loads_in_background(conn: sqlite3.Connection, path: str) -> bool:
    """Whether a store this size should load its lineage in the background (never in memory)."""
    if path == ":memory:":
        return False
    top = conn.execute("SELECT MAX(rowid) FROM links").fetchone()[0]  # an upper bound, read in O(1)
    return (top or 0) >= BACKGROUND_LINKS


def sql_step(conn: sqlite3.Connection, code: str, forward: bool) -> list[str]:
    """The live successors (``forward``) or predecessors of ``code``, each once, as the graph orders them."""
    return list(dict.fromkeys(r[0] for r in conn.execute(_STEP[forward], (code,))))


def catch_up_links(conn: sqlite3.Connection, g: CompactLineage, last: int, top: int) -> None:
    """Bring ``g`` from the log up to sequence number ``last`` to ``top``: the live links the new events
    added, and the links of earlier events they retracted (unless another live link joins the same lots)."""
    g.add_links(conn.execute(
        "SELECT parent, child FROM links WHERE seq > ? AND seq <= ? AND seq NOT IN (SELECT seq FROM retractions)",
        (last, top)))
    gone = conn.execute(
        "SELECT l.parent, l.child FROM retractions r JOIN links l ON l.seq = r.seq "
        "WHERE r.by_seq > ? AND r.by_seq <= ? AND r.seq <= ?",
        (last, top, last),
    ).fetchall()
    for a, b in gone:
        still = conn.execute(
            "SELECT 1 FROM links WHERE parent=? AND child=? AND seq NOT IN (SELECT seq FROM retractions) LIMIT 1",
            (a, b),
        ).fetchone()
        if not still and g.has_link(a, b):
            g.remove_link(a, b)


class LineageLoader:
    """Builds the lineage graph of ``path`` up to sequence number ``top`` in a daemon thread."""

    def __init__(self, path: str, top: int, timeout: float):
        self.path, self.top, self.timeout = path, top, timeout
        self.graph: CompactLineage | None = None
        self.error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="foodtrace-lineage-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=self.timeout)
            try:
                self.graph = load_lineage(conn, self.top)
            finally:
                conn.close()
        except BaseException as exc:  # noqa: BLE001 — the store then loads it itself
            self.error = exc
        finally:
            self._done.set()

    def finished(self, wait: bool) -> bool:
        """Whether the thread is done (``wait``: block until it is)."""
        return self._done.wait() if wait else self._done.is_set()

    def result(self, conn: sqlite3.Connection) -> tuple[CompactLineage, int]:
        """(graph, the sequence number it reflects) once finished; loaded on ``conn`` if the thread failed."""
        return (self.graph if self.graph is not None else load_lineage(conn, self.top)), self.top
