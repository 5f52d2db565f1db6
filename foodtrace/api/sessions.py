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

Sessions and failure counts are kept in a small SQLite database every worker sees, beside the
store (``services/admin/sessions.py``): they survive a restart, and ``serve --workers N`` shares them.
Neither the session id nor the password ever goes into a log or a URL.
"""

from __future__ import annotations

import hmac
import secrets
import threading

from fastapi import Request, Response

from foodtrace.api.forms import FormTokens
from foodtrace.config import Settings
from foodtrace.errors import FormToken
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.services.admin.sessions import Session, SessionDB, SessionStore, SignInLimits, session_db_path

COOKIE = "ft_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_PASSWORD_CHECKS = 4


class People:
    """The app's sessions and sign-in limits (``app.state.people``)."""

    def __init__(self, settings: Settings) -> None:
        # shared by every worker and kept over a restart (opened at the first sign-in or session look-up)
        self.db = SessionDB(session_db_path(settings.store, settings.session_store), settings.store_timeout_s)
        self.sessions = SessionStore(settings.session_idle_minutes * 60.0, settings.session_max_hours * 3600.0, self.db)
        window = settings.signin_lockout_minutes * 60.0
        self.limits = SignInLimits(settings.signin_failures_per_account, settings.signin_failures_per_address, window,
                                   self.db)
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
        raise keyed(FormToken, "session_no_token", [refusal(None, "csrf_token", "form_missing")])
    if not hmac.compare_digest(presented.encode("utf-8", "replace"), session.csrf.encode()):
        raise keyed(FormToken, "session_bad_token", [refusal(None, "csrf_token", "form_wrong")])


__all__ = ["COOKIE", "CSRF_HEADER", "SAFE_METHODS", "People", "Session", "SessionStore", "SignInLimits", "check_csrf",
           "clear_cookie", "is_https", "people", "session_of", "set_cookie"]
