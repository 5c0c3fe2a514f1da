"""An httpx transport in front of the sandbox that delays chosen requests, to observe concurrency and cancellation."""

import asyncio
import re

import httpx

# A guard against a hung test, not a timing check: every wait normally ends within milliseconds.
HANG_GUARD_SECONDS = 10


class HoldingTransport(httpx.AsyncBaseTransport):
    """Forward requests to `inner`, holding those whose path matches `path_regex` until `release` is set.

    A matching request is in flight from its arrival until `inner` returns its response. `filled` is set once
    `fill` of them are in flight at the same time, and with `release_when_filled` that also
    releases them. `idle` is set whenever none is in flight.
    """

    def __init__(
        self, inner: httpx.AsyncBaseTransport, path_regex: str, *, fill: int, release_when_filled: bool
    ) -> None:
        self.inner = inner
        self.pattern = re.compile(path_regex)
        self.fill = fill
        self.release_when_filled = release_when_filled
        self.release = asyncio.Event()
        self.filled = asyncio.Event()
        self.idle = asyncio.Event()
        self.started = 0
        self.cancelled = 0
        self.in_flight = 0
        self.max_in_flight = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.pattern.search(request.url.path):
            return await self.inner.handle_async_request(request)

        self._enter()
        try:
            await self.release.wait()
            return await self.inner.handle_async_request(request)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self._leave()

    def _enter(self) -> None:
        self.started += 1
        self.in_flight += 1
        self.idle.clear()
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if self.in_flight >= self.fill:
            self.filled.set()
            if self.release_when_filled:
                self.release.set()

    def _leave(self) -> None:
        self.in_flight -= 1
        if self.in_flight == 0:
            self.idle.set()


async def wait_for_event(event: asyncio.Event) -> None:
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        await event.wait()


async def let_other_tasks_run(rounds: int = 200) -> None:
    """Yield to the event loop `rounds` times, so every task that can move on reaches its next wait."""
    for _ in range(rounds):
        await asyncio.sleep(0)
