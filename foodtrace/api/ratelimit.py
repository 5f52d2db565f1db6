"""A small in-process rate limit (sliding window per client) for public forms."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from ..errors import RateLimited, detail


class RateLimit:
    def __init__(self, per_window: int, window_s: float = 3600.0) -> None:
        self.per_window, self.window_s = per_window, window_s
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
                raise RateLimited("too many reports from this address; please try again later", wait,
                                  [detail(None, "client", f"at most {self.per_window} per hour")])
            q.append(now)
