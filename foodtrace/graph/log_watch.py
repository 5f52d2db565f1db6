"""Has anyone committed to the store's SQLite file since we last looked? Answered without a query.

Every read of the embedded store first catches up with the log (another process may have appended);
asking SQLite (``SELECT MAX(seq)``, or ``PRAGMA data_version``) costs a read transaction, 8–11 µs
here — most of a lineage walk. In WAL mode every commit, by any connection in any process, rewrites
the WAL-index header at the start of the ``-shm`` file, which each connection maps into memory
(https://sqlite.org/walformat.html, "The WAL-Index Header": its change counter ``iChange`` is
incremented by every transaction, and the header carries its own checksum). ``LogWatch`` reads the
same bytes (one ``pread`` of 96 bytes, ~1 µs) and compares them with what they were at the last
catch-up: equal means no transaction has committed since, so the log is as we last read it; different
(or unreadable, or short) means ask SQLite as before. A header caught mid-write only ever differs, which asks SQLite again — never
the other way round.

The token is taken *before* the catch-up's query, so a commit racing with the query is either in
what the query reads or changes the header again for the next look. A file the store cannot watch
(in memory, not in WAL mode, no ``-shm`` file) gives no token: every catch-up then asks SQLite.

The file is read, not mapped, through one descriptor per file per process that stays open while any
store of this process watches that file. Closing a descriptor of a file drops every POSIX lock the
process holds on it — SQLite's own locks on the ``-shm`` file included: an earlier version that opened,
mapped and closed the file that way let an online backup in another process take the file as its
own and truncate it, and reading the mapping then killed the server with SIGBUS. The descriptor is
closed only when the last watch of the file in this process closes (the store closes its watch just
before its own connection). A short read gives a token that differs, so SQLite is asked.
"""

from __future__ import annotations

import os
import sqlite3
import threading

HEADER = 96  # the two copies of the WAL-index header (48 bytes each)
_FILES: dict[str, list[int]] = {}  # -shm path -> [descriptor, watches of it in this process]
_FILES_LOCK = threading.Lock()


def _acquire(shm: str) -> int:
    with _FILES_LOCK:
        entry = _FILES.get(shm)
        if entry is None:
            entry = _FILES[shm] = [os.open(shm, os.O_RDONLY), 0]
        entry[1] += 1
        return entry[0]


def _release(shm: str) -> None:
    with _FILES_LOCK:
        entry = _FILES.get(shm)
        if entry is not None:
            entry[1] -= 1
            if entry[1] <= 0:
                del _FILES[shm]
                os.close(entry[0])


class LogWatch:
    """A read-only view of the WAL-index header of ``path`` (``token()``: its bytes, or ``None``)."""

    def __init__(self, path: str, conn: sqlite3.Connection | None):
        self._fd: int | None = None
        self._held = False  # holding this process's descriptor of the file (closing it must wait for the store)
        self._shm = os.path.abspath(path) + "-shm"
        if path == ":memory:" or conn is None:
            return
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                return
            conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # a read: the connection maps the -shm file
            fd = _acquire(self._shm)
            self._held = True
            if os.fstat(fd).st_size >= HEADER:
                self._fd = fd
        except (OSError, ValueError, sqlite3.Error):
            self._fd = None

    @property
    def watching(self) -> bool:
        return self._fd is not None

    def token(self) -> bytes | None:
        """The header as it is now (``None``: not watched — ask SQLite every time)."""
        fd = self._fd
        if fd is None:
            return None
        try:
            return os.pread(fd, HEADER, 0)  # short (or empty) after a truncation: differs, so SQLite is asked
        except OSError:
            return None

    def close(self) -> None:
        self._fd = None
        if self._held:
            self._held = False
            _release(self._shm)


__all__ = ["LogWatch"]
