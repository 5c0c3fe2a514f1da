"""200 mixed tool calls, 8 at a time, against a sandbox that fails a quarter of its API requests.

The sandbox responds to 20 % of API requests with 503 and drops the connection of 5 %. It responds
with 429 and Retry-After whenever the calls exceed 40 requests a second, and its access tokens live
1 second, so the server refreshes about twice a second. Refresh tokens rotate: each refresh returns
a new one and invalidates the old, so a refresh that reused an old refresh token would fail every
later call.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import pytest
from mcp import Client

from server.app import build_server
from server.sandbox import Sandbox, SandboxConfig, SeedKeys
from server.sandbox.request_log import RecordedRequest
from tests.reliability.helpers import SecretScan, capture_debug_logs, signed_in_settings

pytestmark = pytest.mark.reliability

CALLS = 200
CONCURRENCY = 8
TIME_LIMIT_SECONDS = 50
TOKEN_LIFETIME_SECONDS = 1
# The server refreshes a token that lives under two minutes halfway through its life.
REFRESH_INTERVAL_SECONDS = TOKEN_LIFETIME_SECONDS / 2
# Eight callers with the server's own limit raised far above GoTo's exceed this in bursts.
SANDBOX_RATE_PER_SECOND = 40.0
CREATE_PATHS = ("/trainings", "/registrants")


@dataclass(frozen=True)
class PlannedCall:
    tool: str
    arguments: dict[str, Any]
    reads_only: bool


@dataclass
class Outcome:
    call: PlannedCall
    is_error: bool
    text: str


def plan_calls(sandbox: Sandbox) -> list[PlannedCall]:
    """Return CALLS calls: every fifth creates a registration or a training, the rest only read."""
    state = sandbox.state
    data_series = state.trainings[SeedKeys.DATA_SERIES]
    safety = state.trainings[SeedKeys.SAFETY_COURSE]
    now = datetime.now(UTC)
    reads = [
        ("get_current_organizer", {}),
        ("list_account_organizers", {}),
        ("list_trainings", {}),
        ("get_training", {"training_key": str(SeedKeys.ONBOARDING)}),
        ("list_training_organizers", {"training_key": str(SeedKeys.ONBOARDING)}),
        ("get_management_url", {"training_key": str(SeedKeys.ONBOARDING)}),
        ("list_registrants", {"training_key": str(SeedKeys.DATA_SERIES)}),
        (
            "get_registrant",
            {"training_key": str(SeedKeys.DATA_SERIES), "registrant_key": str(next(iter(data_series.registrants)))},
        ),
        ("list_training_sessions", {"training_key": str(SeedKeys.SAFETY_COURSE)}),
        ("get_session_attendance", {"session_key": str(safety.sessions[0].key)}),
        ("list_recordings", {"training_key": str(SeedKeys.SAFETY_COURSE)}),
        ("list_tests", {"training_key": str(SeedKeys.SAFETY_COURSE)}),
        (
            "list_sessions_in_date_range",
            {"start": (now - timedelta(days=100)).isoformat(), "end": now.isoformat()},
        ),
        ("summarize_training_attendance", {"training_key": str(SeedKeys.CUSTOMER_CARE)}),
    ]
    planned = []
    for index in range(CALLS):
        if index % 10 == 4:
            planned.append(registration(index))
        elif index % 10 == 9:
            planned.append(new_training(index, now))
        else:
            tool, arguments = reads[index % len(reads)]
            planned.append(PlannedCall(tool, arguments, reads_only=True))
    return planned


def registration(index: int) -> PlannedCall:
    arguments = {
        "training_key": str(SeedKeys.OFFICE_HOURS),
        "email": f"fault.{index:03d}@example.com",
        "given_name": "Fault",
        "surname": f"Tester {index:03d}",
    }
    return PlannedCall("register_for_training", arguments, reads_only=False)


def new_training(index: int, now: datetime) -> PlannedCall:
    # Each training gets a day of its own, because the sandbox rejects overlapping trainings.
    day = (now + timedelta(days=500 + index)).date()
    arguments = {
        "name": f"Fault test {index:03d}",
        "time_zone": "UTC",
        "sessions": [{"start": f"{day}T09:00:00Z", "end": f"{day}T11:00:00Z"}],
    }
    return PlannedCall("create_training", arguments, reads_only=False)


async def run_calls(client: Client, waiting: list[PlannedCall], scan: SecretScan) -> list[Outcome]:
    """Run the calls in `waiting` with CONCURRENCY workers, each taking the next from the end of the list."""
    outcomes: list[Outcome] = []

    async def worker() -> None:
        while waiting:
            call = waiting.pop()
            result = await client.call_tool(call.tool, call.arguments)
            scan.add_result(result)
            text = result.content[0].text if result.content else ""
            outcomes.append(Outcome(call, bool(result.is_error), text))

    async with anyio.create_task_group() as group:
        for _ in range(CONCURRENCY):
            group.start_soon(worker)
    return outcomes


def create_requests(sandbox: Sandbox) -> dict[str, list[RecordedRequest]]:
    """Return the create POSTs the sandbox received, grouped by their JSON body."""
    by_body: dict[str, list[RecordedRequest]] = defaultdict(list)
    for request in sandbox.requests:
        if request.method == "POST" and request.path.endswith(CREATE_PATHS):
            by_body[json.dumps(request.body, sort_keys=True)].append(request)
    return by_body


async def test_mixed_calls_survive_faults(caplog: pytest.LogCaptureFixture) -> None:
    capture_debug_logs(caplog)
    sandbox = Sandbox(
        SandboxConfig(
            latency_seconds=0.005,
            token_lifetime_seconds=TOKEN_LIFETIME_SECONDS,
            unavailable_share=0.2,
            drop_share=0.05,
            rate_limit_per_second=SANDBOX_RATE_PER_SECOND,
            rotate_refresh_tokens=True,
            seed=11,
        )
    )
    settings = signed_in_settings("refresh_token", max_retries=10)
    planned = plan_calls(sandbox)
    waiting = list(reversed(planned))
    scan = SecretScan()

    started = time.monotonic()
    with anyio.fail_after(TIME_LIMIT_SECONDS):
        async with Client(build_server(settings, sandbox.transport())) as client:
            outcomes = await run_calls(client, waiting, scan)
    elapsed = time.monotonic() - started

    statuses = [request.status for request in sandbox.requests]
    assert len(outcomes) == CALLS
    assert statuses.count(503) > 20, "the sandbox answered too few requests with 503 to test retries"
    assert statuses.count(429) > 20, "too few 429 answers to test them"
    assert statuses.count(None) > 5, "too few dropped connections to test them"

    failed_reads = [f"{o.call.tool}: {o.text}" for o in outcomes if o.call.reads_only and o.is_error]
    assert failed_reads == []

    # A create is sent again only after a 429, which GoTo sends before doing anything.
    for body, requests in create_requests(sandbox).items():
        answered = [request.status for request in requests if request.status != 429]
        assert len(answered) <= 1, f"create sent {len(answered)} times past a 429: {body}"
    created = sum(1 for o in outcomes if not o.call.reads_only and not o.is_error)
    assert created > 0

    # The server refreshes ahead of expiry, so no request carried an expired token.
    assert [request.status for request in sandbox.requests if request.status in (401, 403)] == []

    tokens = sandbox.token_requests
    refresh_tokens = [request.form.get("refresh_token") for request in tokens if request.form is not None]
    assert [request.status for request in tokens] == [200] * len(tokens)
    assert len(refresh_tokens) == len(tokens)
    assert len(set(refresh_tokens)) == len(tokens), "a refresh token was sent twice"
    # Refreshes are lazy: when every call is waiting to retry, none is needed, so there can be fewer.
    gaps = [(later.time - earlier.time).total_seconds() for earlier, later in zip(tokens, tokens[1:], strict=False)]
    assert min(gaps) >= REFRESH_INTERVAL_SECONDS * 0.9, f"two refreshes {min(gaps):.3f} s apart"
    max_token_requests = elapsed / REFRESH_INTERVAL_SECONDS + 1
    assert len(tokens) <= max_token_requests, f"{len(tokens)} token requests in {elapsed:.1f} s"

    assert scan.leaks(sandbox, caplog.records) == []
