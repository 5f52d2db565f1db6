"""Sessions of signed-in people, kept on the server, and the sign-in lockout.

- **Session**: a random 256-bit id in the ``ft_session`` cookie (HttpOnly, SameSite=Lax, Path=/,
  Secure when the site is served over HTTPS); the server keeps only the id's SHA-256, the login, when
  it signed in, when it was last used and its CSRF token. It ends after ``session_idle_minutes``
  without a request, after ``session_max_hours`` in all, at sign-out, and as soon as its account is
  disabled or its password reset (``services.admin.users.signed_in_principal``). Every sign-in makes
  a new id (an id planted before sign-in is never adopted: no session fixation).
- **CSRF**: each session has a random token. The pages carry it (``<meta name="csrf-token">``,
  hidden form fields); a state-changing request made with the session cookie must send it back
  (``X-CSRF-Token`` header or ``csrf_token`` field) and come from this site (``Origin``/``Referer``).
- **Lockout**: after ``signin_failures_per_account`` failed sign-ins of one login within
  ``signin_lockout_minutes``, that login is refused (429) until the window passes, the right
  password included; the same for ``signin_failures_per_address`` failures from one client address.

Sessions live in the serving process: a restart signs everyone out, and several worker processes
(``serve --workers``) each keep their own (put the pages behind one worker, or a sticky proxy).
Neither the session id nor the password ever goes into a log or a URL.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
import hashlib
import hmac
import secrets
import threading
import time

from fastapi import Request, Response

from foodtrace.api.forms import FormTokens
from foodtrace.config import Settings
from foodtrace.errors import FormToken, RateLimited, detail

COOKIE = "ft_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_SESSIONS = 100_000
MAX_PASSWORD_CHECKS = 4


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8", "replace")).hexdigest()


@dataclass
class Session:
    login: str
    csrf: str
    signed_in_at: datetime  # compared with the account's password_set_at
    started: float = field(default_factory=time.monotonic)
    last_seen: float = field(default_factory=time.monotonic)


class SessionStore:
    """Sessions by the SHA-256 of their id, in this process."""

    def __init__(self, idle_s: float, max_s: float) -> None:
        self.idle_s, self.max_s = idle_s, max_s
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, login: str) -> tuple[str, Session]:
        """A new session for ``login``: its id (for the cookie, never kept here) and the session."""
        sid = secrets.token_urlsafe(32)
        session = Session(login, secrets.token_urlsafe(32), datetime.now().astimezone())
        with self._lock:
            self._expire()
            self._sessions[_digest(sid)] = session
        return sid, session

    def get(self, sid: str | None) -> Session | None:
        """The live session of ``sid`` (its last use now), or None."""
        if not sid or len(sid) > 128:
            return None
        now = time.monotonic()
        with self._lock:
            key = _digest(sid)
            session = self._sessions.get(key)
            if session is None:
                return None
            if now - session.last_seen > self.idle_s or now - session.started > self.max_s:
                del self._sessions[key]
                return None
            session.last_seen = now
            return session

    def end(self, sid: str | None) -> None:
        if sid:
            with self._lock:
                self._sessions.pop(_digest(sid), None)

    def end_login(self, login: str) -> None:
        """End every session of ``login``."""
        with self._lock:
            for key in [k for k, s in self._sessions.items() if s.login == login]:
                del self._sessions[key]

    def _expire(self) -> None:
        now = time.monotonic()
        dead = [k for k, s in self._sessions.items() if now - s.last_seen > self.idle_s or now - s.started > self.max_s]
        for k in dead:
            del self._sessions[k]
        if len(self._sessions) >= MAX_SESSIONS:  # forget the least recently used half
            for k, _ in sorted(self._sessions.items(), key=lambda kv: kv[1].last_seen)[: MAX_SESSIONS // 2]:
                del self._sessions[k]


class SignInLimits:
    """Failed sign-ins per login and per client address in a sliding window."""

    MAX_KEYS = 100_000

    def __init__(self, per_login: int, per_address: int, window_s: float) -> None:
        self.per_login, self.per_address, self.window_s = per_login, per_address, window_s
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails.get(key) or deque()
        while q and q[0] <= now - self.window_s:
            q.popleft()
        return q

    def check(self, login: str, address: str) -> None:
        """``RateLimited`` while the login or the address is locked out."""
        now = time.monotonic()
        with self._lock:
            for key, limit, fld in ((f"login:{login}", self.per_login, "login"),
                                    (f"addr:{address}", self.per_address, "client")):
                q = self._recent(key, now)
                if len(q) >= limit:
                    wait = max(1, int(q[0] + self.window_s - now) + 1)
                    raise RateLimited("too many failed sign-ins; try again later", wait,
                                      [detail(None, fld, f"at most {limit} failed sign-ins per "
                                                         f"{self.window_s / 60:g} minutes")])

    def failed(self, login: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._fails) > self.MAX_KEYS:
                self._fails = {k: q for k, q in self._fails.items() if q and q[-1] > now - self.window_s}
            for key in (f"login:{login}", f"addr:{address}"):
                q = self._recent(key, now)
                q.append(now)
                self._fails[key] = q

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._fails.pop(f"login:{login}", None)


class People:
    """The app's sessions and sign-in limits (``app.state.people``)."""

    def __init__(self, settings: Settings) -> None:
        self.sessions = SessionStore(settings.session_idle_minutes * 60.0, settings.session_max_hours * 3600.0)
        window = settings.signin_lockout_minutes * 60.0
        self.limits = SignInLimits(settings.signin_failures_per_account, settings.signin_failures_per_address, window)
        secret = settings.form_secret.get_secret_value().encode() or secrets.token_bytes(32)
        self.form_tokens = FormTokens(secret, 3600)  # the sign-in form's anti-forgery token (no session yet)
        # argon2id takes 64 MiB and most of a second per check: at most this many at once, whoever asks
        self.hashing = threading.BoundedSemaphore(MAX_PASSWORD_CHECKS)


def people(request: Request) -> People:
    return request.app.state.people


def session_of(request: Request) -> Session | None:
    """The live session the request's cookie names, or None."""
    return people(request).sessions.get(request.cookies.get(COOKIE))


def is_https(request: Request, settings: Settings) -> bool:
    return request.url.scheme == "https" or settings.public_base_url().startswith("https://")


def set_cookie(response: Response, request: Request, settings: Settings, sid: str) -> None:
    response.set_cookie(COOKIE, sid, httponly=True, samesite="lax", secure=is_https(request, settings), path="/")


def clear_cookie(response: Response, request: Request, settings: Settings) -> None:
    response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=is_https(request, settings), path="/")


def check_csrf(session: Session, presented: str | None) -> None:
    """``FormToken`` (403) unless ``presented`` is the session's CSRF token."""
    if not presented:
        raise FormToken("the request has no anti-forgery token; load the page again",
                        [detail(None, "csrf_token", "missing")])
    if not hmac.compare_digest(presented.encode("utf-8", "replace"), session.csrf.encode()):
        raise FormToken("the request's anti-forgery token is not valid; load the page again",
                        [detail(None, "csrf_token", "wrong")])


__all__ = ["COOKIE", "CSRF_HEADER", "SAFE_METHODS", "People", "Session", "SessionStore", "SignInLimits", "check_csrf",
           "clear_cookie", "is_https", "people", "session_of", "set_cookie"]
