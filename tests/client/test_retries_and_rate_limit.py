"""Retries with backoff, which requests may be sent twice, and the per-API rate limiter."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest
import respx

from server.errors import GoToConnectionError, GoToTimeoutError, RateLimitedError, UpstreamUnavailableError
from server.http import parse_retry_after
from server.models import DateTimeRange
from server.ratelimit import RateLimiter
from tests.client.goto_fakes import (
    ORGANIZER_KEY,
    ORGANIZER_URL,
    START_TIME,
    TRAINING_KEY,
    FakeClock,
    FakeSleep,
    make_client,
    make_settings,
)

TRAININGS_URL = f"{ORGANIZER_URL}/trainings"
REGISTRANTS_URL = f"{ORGANIZER_URL}/trainings/{TRAINING_KEY}/registrants"
SESSIONS_URL = f"{ORGANIZER_URL.replace('/organizers/', '/reports/organizers/')}/sessions"
NEW_TRAINING_KEY = "8812345678901234567"
OK_EMPTY_LIST = httpx.Response(200, json=[])
CREATED = httpx.Response(201, json=NEW_TRAINING_KEY)
REGISTERED = httpx.Response(201, json={"registrantKey": "55", "joinUrl": "https://example.test/join/55"})
TOO_MANY = {"int_err_code": "TooManyRequests", "msg": "Rate limit exceeded"}
CREATE_BODY = {
    "name": "Onboarding",
    "timeZone": "Europe/Berlin",
    "times": [{"startDate": "2027-03-02T09:00:00Z", "endDate": "2027-03-02T11:00:00Z"}],
}


async def create_training(client):
    times = [
        DateTimeRange(
            start_date=datetime(2027, 3, 2, 9, 0, tzinfo=UTC),
            end_date=datetime(2027, 3, 2, 11, 0, tzinfo=UTC),
        )
    ]
    return await client.create_training(name="Onboarding", time_zone="Europe/Berlin", times=times)


async def register_for_training(client):
    return await client.register_for_training(TRAINING_KEY, email="ada@example.com", given_name="Ada", surname="L")


CREATE_CALLS = [
    pytest.param(create_training, TRAININGS_URL, CREATED, id="create_training"),
    pytest.param(register_for_training, REGISTRANTS_URL, REGISTERED, id="register_for_training"),
]


def too_many_requests(retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return httpx.Response(429, json=TOO_MANY, headers=headers)


async def test_rate_limited_call_waits_retry_after_seconds(clock, sleep):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).mock(side_effect=[too_many_requests("2"), OK_EMPTY_LIST])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            assert await client.get_trainings() == []

    # Retry-After is the least wait; up to half a second is added so refused requests spread out.
    (delay,) = sleep.delays
    assert 2.0 <= delay <= 2.5
    assert route.call_count == 2
    assert [call.request.method for call in route.calls] == ["GET", "GET"]


async def test_rate_limited_call_waits_until_retry_after_date(clock, sleep):
    settings = make_settings()
    seven_seconds_later = format_datetime(datetime.fromtimestamp(START_TIME + 7, UTC), usegmt=True)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).mock(side_effect=[too_many_requests(seven_seconds_later), OK_EMPTY_LIST])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_trainings()

    (delay,) = sleep.delays
    assert 7.0 <= delay <= 7.5
    assert route.call_count == 2


async def test_rate_limited_call_backs_off_with_jitter(clock, sleep):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).mock(
                side_effect=[too_many_requests(), too_many_requests(), too_many_requests(), OK_EMPTY_LIST]
            )
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_trainings()

    # Full jitter: retry n waits a random time from 0 to min(8, 0.5 * 2**n) seconds.
    ceilings = [0.5, 1.0, 2.0]
    assert len(sleep.delays) == 3
    for delay, ceiling in zip(sleep.delays, ceilings, strict=True):
        assert 0 <= delay <= ceiling
    assert route.call_count == 4


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503),
        httpx.Response(502, text="Bad Gateway"),
        httpx.Response(504),
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.ReadTimeout("read timed out"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
    ],
    ids=["503", "502", "504", "ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError"],
)
async def test_get_is_retried_after_transient_failure(clock, sleep, failure):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).mock(side_effect=[failure, OK_EMPTY_LIST])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            assert await client.get_trainings() == []

    assert route.call_count == 2
    assert len(sleep.delays) == 1
    assert 0 <= sleep.delays[0] <= 0.5


async def test_retries_stop_at_max_retries(clock, sleep):
    settings = make_settings(max_retries=3)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).mock(return_value=too_many_requests("2"))
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(RateLimitedError) as raised:
                await client.get_trainings()

    assert route.call_count == 4
    assert len(sleep.delays) == 3
    assert all(2.0 <= delay <= 2.5 for delay in sleep.delays)
    assert raised.value.retry_after == 2.0
    assert str(raised.value) == (
        f"List trainings failed for organizer_key '{ORGANIZER_KEY}': GoTo responded with HTTP 429. "
        "GoTo said: TooManyRequests: Rate limit exceeded. Wait 2 seconds and call again, with fewer calls at once."
    )


async def test_retries_stop_at_total_wait_cap(clock, sleep):
    settings = make_settings(max_retries=10, retry_max_wait_seconds=5.0)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).mock(return_value=too_many_requests("2"))
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(RateLimitedError):
                await client.get_trainings()

    # Two waits of 2 to 2.5 seconds fit in the 5-second cap, and a third would pass it.
    assert len(sleep.delays) == 2
    assert all(2.0 <= delay <= 2.5 for delay in sleep.delays)
    assert route.call_count == 3


async def test_retry_after_beyond_wait_cap_fails_at_once(clock, sleep):
    settings = make_settings(retry_max_wait_seconds=30.0)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).mock(return_value=too_many_requests("120"))
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(RateLimitedError) as raised:
                await client.get_trainings()

    assert sleep.delays == []
    assert route.call_count == 1
    assert str(raised.value).endswith("Wait 120 seconds and call again, with fewer calls at once.")


async def test_unavailable_after_retries_raises_upstream_unavailable(clock, sleep):
    settings = make_settings(max_retries=2)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).respond(503)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(UpstreamUnavailableError) as raised:
                await client.get_trainings()

    assert route.call_count == 3
    assert len(sleep.delays) == 2
    assert str(raised.value) == (
        f"List trainings failed for organizer_key '{ORGANIZER_KEY}': GoTo responded with HTTP 503. "
        "GoTo is having trouble: try again in a minute."
    )


async def test_unreachable_after_retries_raises_connection_error(clock, sleep):
    settings = make_settings(max_retries=2)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).mock(side_effect=httpx.ConnectError("connection refused"))
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(GoToConnectionError) as raised:
                await client.get_trainings()

    assert route.call_count == 3
    assert str(raised.value) == (
        f"The connection to GoTo failed (ConnectError) while trying to list trainings for organizer_key "
        f"'{ORGANIZER_KEY}'. Check the network and try again."
    )
    assert isinstance(raised.value.__cause__, httpx.ConnectError)


async def test_get_timing_out_after_retries_raises_timeout_error(clock, sleep):
    settings = make_settings(max_retries=1)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TRAININGS_URL).mock(side_effect=httpx.ReadTimeout("read timed out"))
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(GoToTimeoutError) as raised:
                await client.get_trainings()

    assert route.call_count == 2
    assert str(raised.value) == (
        f"The request to GoTo timed out (ReadTimeout) while trying to list trainings for organizer_key "
        f"'{ORGANIZER_KEY}'. Try again; raise GOTO_TIMEOUT_SECONDS if this keeps happening."
    )


@pytest.mark.parametrize(("call", "url", "success"), CREATE_CALLS)
async def test_create_post_is_not_resent_after_read_timeout(clock, sleep, call, url, success):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        # A wrong resend would get the success response, so the call count is what catches it.
        with respx.mock(assert_all_called=False) as router:
            route = router.post(url).mock(side_effect=[httpx.ReadTimeout("read timed out"), success])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(GoToTimeoutError):
                await call(client)
            sent = route.call_count

    assert sent == 1
    assert sleep.delays == []


@pytest.mark.parametrize(("call", "url", "success"), CREATE_CALLS)
async def test_create_post_is_not_resent_after_unavailable(clock, sleep, call, url, success):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            route = router.post(url).mock(side_effect=[httpx.Response(503), success])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(UpstreamUnavailableError):
                await call(client)
            sent = route.call_count

    assert sent == 1
    assert sleep.delays == []


@pytest.mark.parametrize(
    "failure",
    [too_many_requests("1"), httpx.ConnectError("connection refused")],
    ids=["429", "ConnectError"],
)
async def test_unsent_create_post_is_resent(clock, sleep, failure):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.post(TRAININGS_URL).mock(side_effect=[failure, CREATED])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            training_key = await create_training(client)

    assert training_key == NEW_TRAINING_KEY
    assert route.call_count == 2
    assert [json.loads(call.request.content) for call in route.calls] == [CREATE_BODY, CREATE_BODY]
    assert len(sleep.delays) == 1


async def test_read_only_sessions_post_is_retried_after_unavailable(clock, sleep):
    settings = make_settings()
    sessions = [{"sessionKey": "7001", "trainingName": "Onboarding"}]

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.post(SESSIONS_URL).mock(
                side_effect=[httpx.Response(503), httpx.Response(200, json=sessions)]
            )
            client = make_client(settings, http, clock=clock, sleep=sleep)

            result = await client.get_sessions_by_date_range(
                datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)
            )

    assert [session.session_key for session in result] == ["7001"]
    assert route.call_count == 2
    expected_body = {"startDate": "2027-01-01T00:00:00Z", "endDate": "2027-02-01T00:00:00Z"}
    assert [json.loads(call.request.content) for call in route.calls] == [expected_body, expected_body]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("2", 2.0),
        (" 30 ", 30.0),
        ("Fri, 15 Jan 2027 08:00:09 GMT", 9.0),
        ("Fri, 15 Jan 2027 07:59:00 GMT", 0.0),
        ("soon", None),
        ("1.5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_header_is_read_as_seconds(header, expected):
    # START_TIME is 2027-01-15T08:00:00Z.
    assert parse_retry_after(header, START_TIME) == expected


async def test_rate_limiter_admits_a_burst_then_spaces_requests():
    clock = FakeClock(now=100.0)
    sleep = FakeSleep(clock)
    limiter = RateLimiter(10.0, clock=clock, sleep=sleep)

    for _ in range(5):
        await limiter.acquire()
    assert sleep.delays == []

    await limiter.acquire()
    assert sleep.delays == [pytest.approx(0.1)]


async def test_rate_limiter_refills_with_time():
    clock = FakeClock(now=100.0)
    sleep_calls: list[float] = []

    async def record(seconds: float) -> None:
        sleep_calls.append(seconds)

    limiter = RateLimiter(10.0, burst=2, clock=clock, sleep=record)
    await limiter.acquire()
    await limiter.acquire()
    await limiter.acquire()
    await limiter.acquire()
    assert sleep_calls == [pytest.approx(0.1), pytest.approx(0.2)]

    clock.advance(10.0)
    await limiter.acquire()
    assert len(sleep_calls) == 2


def test_rate_limiter_rejects_a_rate_of_zero():
    with pytest.raises(ValueError) as raised:
        RateLimiter(0)

    assert str(raised.value) == "rate 0 must be above 0 requests per second"
