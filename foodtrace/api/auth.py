"""The in-process rate limit of the public (keyless) routes. (The caller's API
key is read in ``deps.current_principal``.)"""

from __future__ import annotations

import math
import threading
import time

from fastapi import Depends, Request

from ..errors import RateLimited


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


async def public_rate_limit(request: Request) -> None:
    """429 with Retry-After when one client address asks too often."""
    buckets: TokenBuckets = request.app.state.buckets
    client = request.client.host if request.client else "unknown"
    wait = buckets.take(client)
    if wait > 0:
        raise RateLimited("too many requests; try again later", retry_after=max(1, math.ceil(wait)))


RateLimitDep = Depends(public_rate_limit)
