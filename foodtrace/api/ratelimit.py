"""In-process rate limits: a token bucket per client address for the public (keyless)
routes (``TokenBuckets``, ``RateLimitDep``) and a sliding window per client for public
forms (``RateLimit``)."""

from __future__ import annotations

from collections import defaultdict, deque
import math
import threading
import time

from fastapi import Depends, Request

from foodtrace.api.client import client_address
from foodtrace.errors import RateLimited
from foodtrace.i18n.refusals import refusal, say_refusal


def limited(key: str, retry_after: int, details: list[dict] | None = None, **args) -> RateLimited:
    """429 with message ``key`` (said in the reader's language)."""
    exc = RateLimited(say_refusal(key, "en", args), retry_after, details)
    exc.key, exc.args_of_key = key, args
    return exc


class RateLimit:
    def __init__(self, per_window: int, window_s: float = 3600.0, field: str = "client",
                 message: str | None = None, key: str = "rate_reports_client") -> None:
        """``key``: the message said in the reader's language (a plain English ``message`` instead: as it is)."""
        self.per_window, self.window_s = per_window, window_s
        self.field, self.key = field, (None if message else key)
        self.message = message or say_refusal(key, "en", {})
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one use by ``key``; ``RateLimited`` once it has used its window's share."""
        now = time.monotonic()
        with self._lock:
            q = self._hits[key]
            while q and q[0] <= now - self.window_s:
                q.popleft()
            if len(q) >= self.per_window:
                wait = max(1, int(q[0] + self.window_s - now) + 1)
                per = refusal(None, self.field, "rate_per_hour", n=self.per_window) if self.window_s == 3600 else \
                    refusal(None, self.field, "rate_per_seconds", n=self.per_window, seconds=f"{self.window_s:g}")
                if self.key is None:
                    raise RateLimited(self.message, wait, [per])
                raise limited(self.key, wait, [per])
            q.append(now)

    def release(self, key: str) -> None:
        """Give back ``key``'s latest use (it came to nothing)."""
        with self._lock:
            q = self._hits.get(key)
            if q:
                q.pop()


class TokenBuckets:
    """One token bucket per client address: ``rate`` tokens a second, up to ``burst``."""

    MAX_CLIENTS = 100_000

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last time)
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when a request may go ahead; else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1 - tokens) / self.rate
            if len(self._buckets) > self.MAX_CLIENTS:  # forget the half seen least recently
                for key, _ in sorted(self._buckets.items(), key=lambda kv: kv[1][1])[: self.MAX_CLIENTS // 2]:
                    del self._buckets[key]
        return wait

    def give_back(self, client: str) -> None:
        """Return the token a request took (``take`` gave 0) when another step answers that request and takes
        its own: one request, one token."""
        with self._lock:
            held = self._buckets.get(client)
            if held is not None:
                self._buckets[client] = (min(float(self.burst), held[0] + 1), held[1])


async def public_rate_limit(request: Request) -> None:
    """429 with Retry-After when one client address asks too often."""
    buckets: TokenBuckets = request.app.state.buckets
    wait = buckets.take(client_address(request))
    if wait > 0:
        raise limited("rate_requests", max(1, math.ceil(wait)))


RateLimitDep = Depends(public_rate_limit)
