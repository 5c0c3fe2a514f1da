"""Fault injection: latency, rate limiting, 503 share, dropped connections and queued failures."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from server.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_REFRESH_TOKEN, Sandbox, SandboxConfig
from tests.sandbox.helpers import ORGANIZER, ORIGIN, FakeClock

TRAININGS = f"{ORGANIZER}/trainings"


async def signed_in(sandbox: Sandbox) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {sandbox.issue_access_token()}"}
    return httpx.AsyncClient(transport=sandbox.transport(), base_url=ORIGIN, headers=headers)


async def refresh(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": SANDBOX_REFRESH_TOKEN},
        auth=(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET),
    )


@pytest.fixture
async def limited(clock: FakeClock) -> AsyncIterator[tuple[Sandbox, httpx.AsyncClient]]:
    sandbox = Sandbox(SandboxConfig(now=clock, rate_limit_per_second=2))
    async with await signed_in(sandbox) as client:
        yield sandbox, client


async def test_latency_is_added_to_api_requests_only(clock: FakeClock) -> None:
    sandbox = Sandbox(SandboxConfig(now=clock, latency_seconds=0.2))
    async with await signed_in(sandbox) as client:
        started = time.monotonic()
        await client.get(TRAININGS)
        api_seconds = time.monotonic() - started

        started = time.monotonic()
        await refresh(client)
        token_seconds = time.monotonic() - started

    assert api_seconds >= 0.2
    assert token_seconds < 0.2


async def test_rate_limit_responds_429_with_retry_after(limited: tuple[Sandbox, httpx.AsyncClient]) -> None:
    _, client = limited

    statuses = [(await client.get(TRAININGS)).status_code for _ in range(3)]
    limited_response = await client.get(TRAININGS)

    assert statuses == [200, 200, 429]
    assert limited_response.status_code == 429
    # One token refills in 0.5 s at 2 per second; Retry-After rounds up to whole seconds.
    assert limited_response.headers["retry-after"] == "1"
    assert limited_response.json()["errorCode"] == "TooManyRequests"


async def test_rate_limit_refills_with_the_clock(limited: tuple[Sandbox, httpx.AsyncClient], clock: FakeClock) -> None:
    _, client = limited
    for _ in range(2):
        await client.get(TRAININGS)

    clock.advance(0.4)
    still_limited = await client.get(TRAININGS)
    clock.advance(0.1)
    refilled = await client.get(TRAININGS)

    assert still_limited.status_code == 429
    assert refilled.status_code == 200


async def test_rate_limit_spares_token_endpoint(limited: tuple[Sandbox, httpx.AsyncClient]) -> None:
    _, client = limited
    for _ in range(3):
        await client.get(TRAININGS)

    response = await refresh(client)

    assert response.status_code == 200


async def test_rate_limit_without_retry_after(clock: FakeClock) -> None:
    sandbox = Sandbox(SandboxConfig(now=clock, rate_limit_per_second=1, rate_limit_retry_after=False))
    async with await signed_in(sandbox) as client:
        await client.get(TRAININGS)
        response = await client.get(TRAININGS)

    assert response.status_code == 429
    assert "retry-after" not in response.headers


async def test_unavailable_share_roughly_honoured(clock: FakeClock) -> None:
    sandbox = Sandbox(SandboxConfig(now=clock, unavailable_share=0.3))
    async with await signed_in(sandbox) as client:
        statuses = [(await client.get(TRAININGS)).status_code for _ in range(300)]

    assert set(statuses) == {200, 503}
    # Binomial(300, 0.3): mean 90, standard deviation about 7.9; the bounds are 4 deviations out.
    assert 58 <= statuses.count(503) <= 122


async def test_unavailable_draws_repeat_with_same_seed(clock: FakeClock) -> None:
    runs = []
    for _ in range(2):
        sandbox = Sandbox(SandboxConfig(now=clock, unavailable_share=0.5, seed=11))
        async with await signed_in(sandbox) as client:
            runs.append([(await client.get(TRAININGS)).status_code for _ in range(40)])

    assert runs[0] == runs[1]
    assert 503 in runs[0]


async def test_unavailable_answer_has_error_body(clock: FakeClock) -> None:
    sandbox = Sandbox(SandboxConfig(now=clock, unavailable_share=1.0))
    async with await signed_in(sandbox) as client:
        response = await client.get(TRAININGS)
        token_response = await refresh(client)

    assert response.status_code == 503
    assert response.json()["errorCode"] == "ServiceUnavailable"
    assert token_response.status_code == 200


async def test_dropped_connection_raises_httpx_error(clock: FakeClock) -> None:
    sandbox = Sandbox(SandboxConfig(now=clock, drop_share=1.0))
    async with await signed_in(sandbox) as client:
        with pytest.raises(httpx.RemoteProtocolError) as raised:
            await client.get(TRAININGS)

    assert str(raised.value) == "Server disconnected without sending a response."
    assert raised.value.request.url.path == TRAININGS
    assert sandbox.requests[-1].status is None


async def test_drop_next_drops_one_request(sandbox: Sandbox, client: httpx.AsyncClient) -> None:
    sandbox.drop_next()

    with pytest.raises(httpx.RemoteProtocolError):
        await client.get(TRAININGS)
    response = await client.get(TRAININGS)

    assert response.status_code == 200


async def test_fail_next_answers_given_status_and_body(sandbox: Sandbox, client: httpx.AsyncClient) -> None:
    body = {"errorCode": "InternalError", "description": "Injected.", "incident": 1}
    sandbox.fail_next(500, body, count=2)

    first = await client.get(TRAININGS)
    second = await client.get(TRAININGS)
    third = await client.get(TRAININGS)

    assert (first.status_code, first.json()) == (500, body)
    assert (second.status_code, second.json()) == (500, body)
    assert third.status_code == 200
    assert sandbox.count("GET", "/trainings$") == 3


async def test_fail_next_matches_path_regex(sandbox: Sandbox, client: httpx.AsyncClient) -> None:
    sandbox.fail_next(400, {"error": "invalid_grant", "error_description": "Injected."}, path_regex=r"^/oauth/token$")

    api = await client.get(TRAININGS)
    token_response = await refresh(client)

    assert api.status_code == 200
    assert token_response.status_code == 400
    assert token_response.json()["error"] == "invalid_grant"


async def test_fail_next_sends_bytes_and_headers_as_given(sandbox: Sandbox, client: httpx.AsyncClient) -> None:
    sandbox.fail_next(502, b"<html>Bad gateway</html>", headers={"Content-Type": "text/html"})

    response = await client.get(TRAININGS)

    assert response.status_code == 502
    assert response.text == "<html>Bad gateway</html>"
    assert response.headers["content-type"] == "text/html"


def test_config_rejects_shares_over_one() -> None:
    with pytest.raises(ValueError, match="must not exceed 1.0"):
        SandboxConfig(unavailable_share=0.6, drop_share=0.5)


@pytest.mark.parametrize(
    "settings",
    [{"latency_seconds": -1.0}, {"token_lifetime_seconds": 0}, {"rate_limit_per_second": 0}, {"drop_share": 1.5}],
)
def test_config_rejects_invalid_values(settings: dict) -> None:
    with pytest.raises(ValueError):
        SandboxConfig(**settings)
