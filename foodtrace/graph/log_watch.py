"""Has anyone committed to the store's SQLite file since we last looked? Answered without a query.

Every read of the embedded store first catches up with the log (another process may have appended);
asking SQLite (``SELECT MAX(seq)``, or ``PRAGMA data_version``) costs a read transaction, 8–11 µs
here — most of a lineage walk. In WAL mode every commit, by any connection in any process, rewrites
the WAL-index header at the start of the ``-shm`` file, which each connection maps into memory
(https://sqlite.org/walformat.html, "The WAL-Index Header": its change counter ``iChange`` is
incremented by every transaction, and the header carries its own checksum). ``LogWatch`` maps the
same bytes read-only and compares them with what they were at the last catch-up: equal means no
transaction has committed since, so the log is as we last read it; different (or unreadable) means
ask SQLite as before. A header caught mid-write only ever differs, which asks SQLite again — never
the other way round.

The token is taken *before* the catch-up's query, so a commit racing with the query is either in
what the query reads or changes the header again for the next look. A file the store cannot watch
(in memory, not in WAL mode, no ``-shm`` file) gives no token: every catch-up then asks SQLite.

The ``-shm`` file is never truncated while a connection to the database is open (SQLite truncates
it only when the first connection opens the database), and the store's own connection stays open
as long as the watch: ``close`` unmaps it before the store closes its connection.
"""

from __future__ import annotations

import mmap
import os
import sqlite3

HEADER = 96  # the two copies of the WAL-index header (48 bytes each)


class LogWatch:
    """A read-only view of the WAL-index header of ``path`` (``token()``: its bytes, or ``None``)."""

    def __init__(self, path: str, conn: sqlite3.Connection | None):
        self._map: mmap.mmap | None = None
        if path == ":memory:" or conn is None:
            return
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                return
            conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # a read: the connection maps the -shm file
            fd = os.open(path + "-shm", os.O_RDONLY)
            try:
                if os.fstat(fd).st_size >= HEADER:
                    self._map = mmap.mmap(fd, HEADER, mmap.MAP_SHARED, mmap.PROT_READ)
            finally:
                os.close(fd)  # the mapping keeps the file
        except (OSError, ValueError, sqlite3.Error):
            self._map = None

    @property
    def watching(self) -> bool:
        return self._map is not None

    def token(self) -> bytes | None:
        """The header as it is now (``None``: not watched — ask SQLite every time)."""
        m = self._map
        return None if m is None else m[:HEADER]

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None


__all__ = ["LogWatch"]
