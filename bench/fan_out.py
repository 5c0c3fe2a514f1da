"""Benchmark the fan-out of summarize_training_attendance against the same summary one request at a time.

Run: .venv/bin/python bench/fan_out.py

The in-process sandbox gets a completed training of 20 sessions with 50 people each and adds
300 ms to every API request, and it responds with 429 above 10 requests a second, as GoTo does.
The server's tool runs twice in the same process: with GOTO_MAX_CONCURRENCY=8 and with 1. The
script prints both times, their ratio, and the concurrent time against the floor GoTo's
10 requests a second allow (requests / 10 per second, plus one round trip). It exits with 1
when the ratio is above 0.35, the concurrent time is above 1.3 times the floor, any request
was answered 429, or the two summaries differ.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mcp import Client

from server.app import build_server
from server.sandbox import SANDBOX_ACCOUNT_KEY, SANDBOX_ORGANIZER_KEY, Sandbox, SandboxConfig, SeedKeys
from server.sandbox.model import AttendancePeriod, Attendee, Session, TimeRange, Training
from server.sandbox.state import SandboxState
from server.settings import Settings

SESSIONS = 20
ATTENDEES = 50
LATENCY_SECONDS = 0.3
RATE_PER_SECOND = 10.0
CONCURRENCY = 8
MAX_RATIO = 0.35
MAX_FLOOR_FACTOR = 1.3

# Requests go to the in-process sandbox through its transport, so this loopback address is never opened.
SANDBOX_BASE_URL = "http://127.0.0.1:9"


def add_large_training(state: SandboxState, now: datetime, sessions: int = SESSIONS, attendees: int = ATTENDEES) -> int:
    """Add a completed training of weekly 2-hour sessions, each listing `attendees` people, and return its key.

    Person n misses session i when (n + i) is a multiple of 5, and otherwise stays 120, 105, 90
    or 75 minutes by n modulo 4, so the numbers are easy to work out by hand.
    """
    first = (now - timedelta(weeks=sessions)).replace(minute=0, second=0, microsecond=0)
    starts = [first + timedelta(weeks=week) for week in range(sessions)]
    times = [TimeRange(start, start + timedelta(hours=2)) for start in starts]
    training = Training(
        key=state.keys.new_key(),
        training_id=state.keys.new_training_id(),
        name="Benchmark Course",
        description="A long course for the fan-out benchmark.",
        time_zone="Europe/Berlin",
        times=times,
        creator_key=SeedKeys.ORGANIZER,
        co_organizer_keys=[],
    )
    for index, slot in enumerate(times):
        session = Session(key=state.keys.new_key(), start=slot.start, end=slot.end)
        for person in range(attendees):
            attendee = Attendee(f"Person{person:02d}", "Bench", f"person{person:02d}.bench@example.com")
            if (person + index) % 5 != 0:
                stay = timedelta(minutes=120 - 15 * (person % 4))
                attendee.periods = [AttendancePeriod(slot.start, slot.start + stay)]
            session.attendees.append(attendee)
        training.sessions.append(session)
    state.add_training(training)
    return training.key


def sandbox_settings(sandbox: Sandbox, **overrides: Any) -> Settings:
    """Return settings that reach `sandbox` with a token it issued, so no sign-in request is sent."""
    values: dict[str, Any] = {
        "access_token": sandbox.issue_access_token(),
        "refresh_token": None,
        "personal_access_token": None,
        "token_file": None,
        "organizer_key": SANDBOX_ORGANIZER_KEY,
        "account_key": SANDBOX_ACCOUNT_KEY,
        "api_url": f"{SANDBOX_BASE_URL}/G2T/rest",
        "training_api_url": f"{SANDBOX_BASE_URL}/training/v1",
        "auth_url": SANDBOX_BASE_URL,
        "admin_api_url": f"{SANDBOX_BASE_URL}/admin/rest/v1",
        "log_level": "WARNING",
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@dataclass
class Run:
    seconds: float
    requests: int
    rate_limited: int
    structured: dict[str, Any]


async def run_summary(sandbox: Sandbox, training_key: int, concurrency: int) -> Run:
    """Time one summarize_training_attendance call through an MCP client, with the tool list fetched first."""
    settings = sandbox_settings(sandbox, max_concurrency=concurrency, rate_limit_per_second=RATE_PER_SECOND)
    async with Client(build_server(settings, sandbox.transport())) as client:
        await client.list_tools()
        first_request = len(sandbox.requests)
        started = time.perf_counter()
        result = await client.call_tool("summarize_training_attendance", {"training_key": str(training_key)})
        seconds = time.perf_counter() - started
    if result.is_error:
        raise RuntimeError(f"summarize_training_attendance failed: {result.content[0].text}")
    requests = sandbox.requests[first_request:]
    return Run(
        seconds=seconds,
        requests=len(requests),
        rate_limited=sum(1 for request in requests if request.status == 429),
        structured=result.structured_content or {},
    )


async def main() -> int:
    sandbox = Sandbox(SandboxConfig(latency_seconds=LATENCY_SECONDS, rate_limit_per_second=RATE_PER_SECOND))
    training_key = add_large_training(sandbox.state, datetime.now(UTC))

    serial = await run_summary(sandbox, training_key, concurrency=1)
    # Let the sandbox's token bucket refill, so the concurrent run starts as a fresh client would.
    await asyncio.sleep(1.0)
    concurrent = await run_summary(sandbox, training_key, concurrency=CONCURRENCY)

    ratio = concurrent.seconds / serial.seconds
    floor = concurrent.requests / RATE_PER_SECOND + LATENCY_SECONDS
    floor_factor = concurrent.seconds / floor
    identical = serial.structured == concurrent.structured
    rate_limited = serial.rate_limited + concurrent.rate_limited

    write(
        f"summarize_training_attendance: {SESSIONS} sessions x {ATTENDEES} people, "
        f"sandbox latency {LATENCY_SECONDS * 1000:.0f} ms a request, rate limit {RATE_PER_SECOND:.0f} requests/s"
    )
    write(f"{'one request at a time:':<26}{serial.requests} requests in {serial.seconds:.2f} s")
    write(f"{f'concurrent (at most {CONCURRENCY}):':<26}{concurrent.requests} requests in {concurrent.seconds:.2f} s")
    write(f"ratio concurrent / one at a time: {ratio:.2f} (bound {MAX_RATIO})")
    write(
        f"floor at {RATE_PER_SECOND:.0f} requests/s: {concurrent.requests} / {RATE_PER_SECOND:.0f} + "
        f"{LATENCY_SECONDS:.2f} = {floor:.2f} s"
    )
    write(f"concurrent / floor: {floor_factor:.2f} (bound {MAX_FLOOR_FACTOR})")
    write(f"requests answered 429: {rate_limited}")
    write(f"summaries identical: {'yes' if identical else 'no'}")

    missed = []
    if ratio > MAX_RATIO:
        missed.append(f"ratio {ratio:.2f} is above {MAX_RATIO}")
    if floor_factor > MAX_FLOOR_FACTOR:
        missed.append(f"concurrent time is {floor_factor:.2f} times the floor, above {MAX_FLOOR_FACTOR}")
    if rate_limited:
        missed.append(f"{rate_limited} requests were answered 429")
    if not identical:
        missed.append("the concurrent summary differs from the one-at-a-time summary")
    for problem in missed:
        write(f"FAILED: {problem}")
    return 1 if missed else 0


def write(line: str) -> None:
    # This is a terminal program, so its report goes to stdout.
    sys.stdout.write(line + "\n")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
