"""A token bucket that keeps requests to one GoTo API under its rate limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class RateLimiter:
    """Admit `rate` requests per second on average, with bursts of up to `burst` requests.

    Callers reserve a slot under a short lock and then sleep outside it, so a queue of
    waiting requests is released at the steady rate in arrival order.
    """

    def __init__(
        self,
        rate: float,
        burst: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate {rate!r} must be above 0 requests per second")
        self.rate = rate
        self.burst = burst if burst is not None else max(1, int(rate // 2))
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(self.burst)
        self._updated = clock()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = self._clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= 1
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            await self._sleep(wait)
