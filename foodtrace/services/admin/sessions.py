"""Where signed-in people's sessions and the sign-in failure counts are kept (and, in tables of their own,
the EPCIS REST binding's capture jobs and named queries): a small SQLite
database every worker process of the server sees, so that ``serve --workers N`` and a restart
change nothing for a person who has signed in.

- For ``sqlite:///path/x.db`` it is ``path/x.sessions.db`` beside the store; for a Neo4j store
  ``./foodtrace.sessions.db`` (the working directory); ``FOODTRACE_SESSION_STORE`` names another
  file. For ``memory://`` (tests) it is in memory, in this process.
- A session is kept under the SHA-256 of its id only (the id itself is in the person's cookie and
  nowhere here), with the login, the sign-in time, the last use and its CSRF token. It ends after
  ``idle_s`` without use or ``max_s`` after sign-in; ending it (sign-out) deletes the row, so every
  worker refuses it at the next request. Disabling an account or setting its password ends its
  sessions through the account itself (``users.signed_in_principal``), in every worker too.
- Failed sign-ins are rows (key, time) counted in a sliding window, per login and per client address.
- Both tables are bounded: expired rows go on every sign-in; one login holds at most
  ``MAX_SESSIONS_PER_LOGIN`` sessions (a new sign-in ends that login's earliest, never another
  person's); past ``MAX_SESSIONS`` the least recently used half of the sessions is forgotten.

Times are wall-clock seconds (``time.time``): they must mean the same in every process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
import hashlib
import os
from pathlib import Path
import secrets
import sqlite3
import threading
import time
from urllib.parse import urlparse

from foodtrace.errors import ConfigError, RateLimited
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal, say_refusal

MAX_SESSIONS = 100_000
MAX_SESSIONS_PER_LOGIN = 20  # browsers and devices of one person; signing in again ends the earliest
MAX_FAILURES = 200_000
TOUCH_EVERY_S = 15.0  # a session's last use is written at most this often (one write per request is too many)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (digest TEXT PRIMARY KEY, login TEXT NOT NULL, csrf TEXT NOT NULL,
  signed_in_at TEXT NOT NULL, started REAL NOT NULL, last_seen REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_login ON sessions(login);
CREATE INDEX IF NOT EXISTS sessions_seen ON sessions(last_seen);
CREATE TABLE IF NOT EXISTS signin_failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS signin_failures_key ON signin_failures(key, at);
"""


def session_db_path(store_url: str, configured: str = "") -> str:
    """The sessions database of a store: ``configured`` if given, ``:memory:`` for ``memory://``,
    beside an embedded store's file, else ``./foodtrace.sessions.db``."""
    if configured:
        return configured
    scheme = urlparse(store_url).scheme if "://" in store_url else ""
    if scheme == "memory":
        return ":memory:"
    if scheme == "sqlite" and store_url.startswith("sqlite:///") and len(store_url) > len("sqlite:///"):
        p = Path(store_url[len("sqlite:///"):])
        return str(p.with_name(p.stem + ".sessions.db"))
    return "foodtrace.sessions.db"


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Session:
    login: str
    csrf: str
    signed_in_at: datetime  # compared with the account's password_set_at and disabled_at
    started: float
    last_seen: float


class SessionDB:
    """One SQLite connection to the sessions database, opened on first use, used under a lock."""

    def __init__(self, path: str, timeout_s: float = 10.0) -> None:
        self.path, self.timeout_s = path, timeout_s
        self._conn: sqlite3.Connection | None = None
        self.lock = threading.Lock()
        self._made: set[str] = set()  # schemas of with_tables made on this connection

    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                try:  # only this user reads it: it names who is signed in
                    os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
                except OSError as exc:
                    raise keyed(ConfigError, "session_db_unopened", path=self.path, reason=str(exc)) from None
            conn = sqlite3.connect(self.path, timeout=self.timeout_s, check_same_thread=False, isolation_level=None)
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    def with_tables(self, schema: str) -> sqlite3.Connection:
        """The connection, with ``schema`` (``CREATE … IF NOT EXISTS`` statements of another part of the
        server's state: EPCIS capture jobs, named queries) made on its first use. Call under ``lock``."""
        conn = self.conn()
        if schema not in self._made:
            conn.executescript(schema)
            self._made.add(schema)
        return conn

    def close(self) -> None:
        with self.lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
                self._made.clear()


class SessionStore:
    """Sessions by the SHA-256 of their id, in the sessions database."""

    def __init__(self, idle_s: float, max_s: float, db: SessionDB | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.idle_s, self.max_s, self.clock = idle_s, max_s, clock
        self.db = db or SessionDB(":memory:")

    def create(self, login: str) -> tuple[str, Session]:
        """A new session for ``login``: its id (for the cookie, never kept here) and the session."""
        sid, now = secrets.token_urlsafe(32), self.clock()
        session = Session(login, secrets.token_urlsafe(32), datetime.now().astimezone(), now, now)
        with self.db.lock:
            c = self.db.conn()
            c.execute("BEGIN IMMEDIATE")  # one step for every worker process: the cap holds
            try:
                self._expire(c, now)
                c.execute("DELETE FROM sessions WHERE digest IN (SELECT digest FROM sessions WHERE login = ? "
                          "ORDER BY started DESC, rowid DESC LIMIT -1 OFFSET ?)", (login, MAX_SESSIONS_PER_LOGIN - 1))
                c.execute("INSERT OR REPLACE INTO sessions VALUES (?,?,?,?,?,?)",
                          (_digest(sid), login, session.csrf, session.signed_in_at.isoformat(), now, now))
            except BaseException:
                c.execute("ROLLBACK")
                raise
            c.execute("COMMIT")
        return sid, session

    def get(self, sid: str | None) -> Session | None:
        """The live session of ``sid`` (its last use now), or None."""
        if not sid or len(sid) > 128:
            return None
        now, key = self.clock(), _digest(sid)
        with self.db.lock:
            c = self.db.conn()
            row = c.execute("SELECT login, csrf, signed_in_at, started, last_seen FROM sessions WHERE digest = ?",
                            (key,)).fetchone()
            if row is None:
                return None
            login, csrf, signed_in_at, started, last_seen = row
            if now - last_seen > self.idle_s or now - started > self.max_s:
                c.execute("DELETE FROM sessions WHERE digest = ?", (key,))
                return None
            if now - last_seen >= TOUCH_EVERY_S:
                c.execute("UPDATE sessions SET last_seen = ? WHERE digest = ?", (now, key))
                last_seen = now
        return Session(login, csrf, datetime.fromisoformat(signed_in_at), started, last_seen)

    def end(self, sid: str | None) -> None:
        if sid and len(sid) <= 128:
            with self.db.lock:
                self.db.conn().execute("DELETE FROM sessions WHERE digest = ?", (_digest(sid),))

    def end_login(self, login: str) -> None:
        """End every session of ``login``."""
        with self.db.lock:
            self.db.conn().execute("DELETE FROM sessions WHERE login = ?", (login,))

    def count(self) -> int:
        with self.db.lock:
            return self.db.conn().execute("SELECT count(*) FROM sessions").fetchone()[0]

    def _expire(self, c: sqlite3.Connection, now: float) -> None:
        c.execute("DELETE FROM sessions WHERE last_seen < ? OR started < ?", (now - self.idle_s, now - self.max_s))
        if c.execute("SELECT count(*) FROM sessions").fetchone()[0] >= MAX_SESSIONS:  # forget the idlest half
            c.execute("DELETE FROM sessions WHERE digest IN (SELECT digest FROM sessions ORDER BY last_seen LIMIT ?)",
                      (MAX_SESSIONS // 2,))


class SignInLimits:
    """Failed sign-ins per login and per client address in a sliding window, in the sessions database."""

    def __init__(self, per_login: int, per_address: int, window_s: float, db: SessionDB | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.per_login, self.per_address, self.window_s, self.clock = per_login, per_address, window_s, clock
        self.db = db or SessionDB(":memory:")

    def check(self, login: str, address: str) -> None:
        """``RateLimited`` while the login or the address is locked out."""
        now = self.clock()
        with self.db.lock:
            c = self.db.conn()
            for key, limit, fld in ((f"login:{login}", self.per_login, "login"),
                                    (f"addr:{address}", self.per_address, "client")):
                n, first = c.execute("SELECT count(*), min(at) FROM signin_failures WHERE key = ? AND at > ?",
                                     (key, now - self.window_s)).fetchone()
                if n >= limit:
                    wait = max(1, int(first + self.window_s - now) + 1)
                    raise RateLimited(say_refusal("signin_too_many", "en", {}), wait,
                                      [refusal(None, fld, "signin_at_most", limit=limit,
                                               minutes=f"{self.window_s / 60:g}")], key="signin_too_many")

    def failed(self, login: str, address: str) -> None:
        now = self.clock()
        with self.db.lock:
            c = self.db.conn()
            if c.execute("SELECT count(*) FROM signin_failures").fetchone()[0] > MAX_FAILURES:
                c.execute("DELETE FROM signin_failures WHERE at <= ?", (now - self.window_s,))
                c.execute("DELETE FROM signin_failures WHERE rowid IN (SELECT rowid FROM signin_failures "
                          "ORDER BY at LIMIT max(0, (SELECT count(*) FROM signin_failures) - ?))", (MAX_FAILURES // 2,))
            c.executemany("INSERT INTO signin_failures VALUES (?, ?)",
                          [(f"login:{login}", now), (f"addr:{address}", now)])

    def succeeded(self, login: str) -> None:
        with self.db.lock:
            self.db.conn().execute("DELETE FROM signin_failures WHERE key = ?", (f"login:{login}",))


__all__ = ["MAX_SESSIONS", "Session", "SessionDB", "SessionStore", "SignInLimits", "session_db_path"]
