"""Concurrent GoTo requests for the workflow tools: bounded, in order, with progress and cancellation.

Every request of one workflow call goes through one `FanOut`. At most `limit` requests are in
flight (GOTO_MAX_CONCURRENCY), and the client's per-API token bucket keeps their rate within
GOTO_RATE_LIMIT_PER_SECOND. Results come back in the order the calls were given, so a summary
is the same as one computed a request at a time. Each request runs as a task of an
`asyncio.TaskGroup`: cancelling the tool call, or a failed request, cancels the requests
still outstanding.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

from mcp.server.mcpserver import Context

from tools._registry import client_of

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")

ProgressReporter = Callable[[float, float | None, str | None], Awaitable[None]]
"""Signature of `Context.report_progress`: progress, total, message."""


class FanOut:
    """Runs GoTo requests concurrently, at most `limit` at a time, and reports each one done."""

    def __init__(self, limit: int, report_progress: ProgressReporter | None = None) -> None:
        if limit < 1:
            raise ValueError(f"limit {limit!r} must be at least 1")
        self.limit = limit
        self._slots = asyncio.Semaphore(limit)
        self._report_progress = report_progress
        self._progress_lock = asyncio.Lock()
        self.requested = 0
        """Requests planned so far over all calls to `gather`, sent as the progress total."""
        self.completed = 0

    async def gather(self, calls: Sequence[Callable[[], Awaitable[Any]]]) -> list[Any]:
        """Run each of `calls` concurrently and return their results in the order of `calls`.

        The first failure cancels the calls still running and is raised as it is, not as an
        exception group, so the tool wrapper turns it into the usual error message.
        """
        results: list[Any] = [None] * len(calls)
        self.requested += len(calls)

        async def run(index: int, call: Callable[[], Awaitable[Any]]) -> None:
            async with self._slots:
                results[index] = await call()
            await self._count_done()

        try:
            async with asyncio.TaskGroup() as group:
                for index, call in enumerate(calls):
                    group.create_task(run(index, call))
        except ExceptionGroup as failures:
            # Raised without `from`, so the request's own cause (an httpx error, say) stays its cause.
            raise failures.exceptions[0]  # noqa: B904
        return results

    async def map(self, fetch: Callable[[ItemT], Awaitable[ResultT]], items: Iterable[ItemT]) -> list[ResultT]:
        """Call `fetch` on each item concurrently and return the results in the order of `items`."""
        return await self.gather([functools.partial(fetch, item) for item in items])

    async def _count_done(self) -> None:
        # The lock keeps the notifications in order, because MCP requires progress to increase.
        async with self._progress_lock:
            self.completed += 1
            if self._report_progress is not None:
                message = f"{self.completed} of {self.requested} GoTo requests done"
                await self._report_progress(self.completed, self.requested, message)


def fan_out_for(ctx: Context) -> FanOut:
    """Return a FanOut for one tool call: the configured concurrency, progress sent to the caller.

    `Context.report_progress` sends nothing when the request carries no progress token.
    """
    return FanOut(client_of(ctx).settings.max_concurrency, ctx.report_progress)
