"""Benchmark what a tool call adds to the GoTo request behind it.

Run: .venv/bin/python bench/call_overhead.py [--calls N]

The same GoTo request, GET .../organizers/{organizerKey}/trainings/{trainingKey}, is sent two ways to
one in-process sandbox transport:

- directly: httpx with a bearer token, and the JSON body parsed (the baseline);
- as the get_training tool: through the SDK's in-memory client, the MCP server, the GoTo client
  (rate limiter, auth flow, retries) and the pydantic models of the result.

Each way runs N calls one after the other (1,000 by default, after 20 untimed ones), first with no
added latency and then with the sandbox adding 20 ms to every request, as a nearby GoTo would. The
script prints p50 and p95 of each and exits with 1 when, at 20 ms, the tool call's p50 is above 1.10
times the direct call's.

The server's own rate limit is raised to 1,000 requests a second, because its default of 10, GoTo's
documented limit, would measure the limiter instead of the overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from mcp import Client
from support import finish, machine_description, percentile, sandbox_settings, write

from server.app import build_server
from server.sandbox import SANDBOX_ORGANIZER_KEY, Sandbox, SandboxConfig, SeedKeys

MAX_RATIO_AT_LATENCY = 1.10
LATENCIES_SECONDS = (0.0, 0.02)
BOUNDED_LATENCY_SECONDS = 0.02
DEFAULT_CALLS = 1000
WARM_UP_CALLS = 20
TRAINING_KEY = str(SeedKeys.ONBOARDING)
RATE_LIMIT_PER_SECOND = 1000.0


@dataclass
class Timings:
    seconds: list[float]

    @property
    def p50(self) -> float:
        return percentile(self.seconds, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 0.95)


async def time_calls(call: Callable[[], Awaitable[None]], calls: int) -> Timings:
    for _ in range(WARM_UP_CALLS):
        await call()
    seconds = []
    for _ in range(calls):
        started = time.perf_counter()
        await call()
        seconds.append(time.perf_counter() - started)
    return Timings(seconds)


async def measure(latency_seconds: float, calls: int) -> tuple[Timings, Timings]:
    """Time the direct request and then the tool call against one sandbox; return (direct, tool)."""
    sandbox = Sandbox(SandboxConfig(latency_seconds=latency_seconds))
    transport = sandbox.transport()
    settings = sandbox_settings(sandbox, rate_limit_per_second=RATE_LIMIT_PER_SECOND)
    assert settings.access_token is not None
    token = settings.access_token.get_secret_value()
    url = f"{settings.api_url}/organizers/{SANDBOX_ORGANIZER_KEY}/trainings/{TRAINING_KEY}"

    async with httpx.AsyncClient(transport=transport) as http:

        async def direct_call() -> None:
            response = await http.get(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
            response.raise_for_status()
            response.json()

        direct = await time_calls(direct_call, calls)

    async with Client(build_server(settings, transport)) as client:

        async def tool_call() -> None:
            result = await client.call_tool("get_training", {"training_key": TRAINING_KEY})
            if result.is_error:
                raise RuntimeError(f"get_training failed: {result.content[0].text}")

        tool = await time_calls(tool_call, calls)
    return direct, tool


def main(calls: int) -> int:
    write(f"Per-call overhead of get_training, {calls} calls each ({machine_description()})")
    missed = []
    for latency in LATENCIES_SECONDS:
        direct, tool = asyncio.run(measure(latency, calls))
        ratio = tool.p50 / direct.p50
        bound = f" (bound {MAX_RATIO_AT_LATENCY})" if latency == BOUNDED_LATENCY_SECONDS else " (no bound)"
        write(f"  sandbox latency {latency * 1000:.0f} ms")
        write(f"    direct httpx request  p50 {direct.p50 * 1000:7.2f} ms, p95 {direct.p95 * 1000:7.2f} ms")
        write(f"    get_training tool     p50 {tool.p50 * 1000:7.2f} ms, p95 {tool.p95 * 1000:7.2f} ms")
        write(
            f"    tool - direct: p50 {(tool.p50 - direct.p50) * 1000:.2f} ms; "
            f"ratio tool / direct p50 {ratio:.2f}{bound}"
        )
        if latency == BOUNDED_LATENCY_SECONDS and ratio > MAX_RATIO_AT_LATENCY:
            missed.append(
                f"at {latency * 1000:.0f} ms latency the tool call's p50 is {ratio:.2f} times the direct call's, "
                f"above {MAX_RATIO_AT_LATENCY}"
            )
    return finish(missed)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=DEFAULT_CALLS, help="timed calls of each kind (default: 1000)")
    sys.exit(main(parser.parse_args().calls))
