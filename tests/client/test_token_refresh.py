"""Access-token refresh: ahead of expiry, after GoTo rejects a token, and when refreshing must stop."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx

from server.errors import AuthError, GoToConnectionError, PermissionDeniedError
from tests.client.goto_fakes import (
    ACCESS_TOKEN,
    BASIC_CLIENT_AUTH,
    NEW_ACCESS_TOKEN,
    NEWER_ACCESS_TOKEN,
    ORGANIZER_KEY,
    ORGANIZER_URL,
    PERSONAL_ACCESS_TOKEN,
    REFRESH_TOKEN,
    START_TIME,
    TOKEN_URL,
    make_client,
    make_settings,
    refresh_form,
    source_fingerprint,
    token_response,
    write_token_file,
)

TRAININGS_URL = f"{ORGANIZER_URL}/trainings"
INVALID_TOKEN_BODY = {"int_err_code": "InvalidToken", "msg": "Invalid token passed"}

SIGN_IN_AGAIN = (
    "Sign in again: run `goto-training-mcp login`, or put a new refresh token (or personal access token) "
    "in GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN), then restart the server."
)


def bearer(token: str) -> str:
    return f"Bearer {token}"


async def test_token_expiring_within_a_minute_is_refreshed_first(tmp_path, clock, sleep):
    token_file = tmp_path / "tokens.json"
    write_token_file(
        token_file,
        access_token=ACCESS_TOKEN,
        expires_at=START_TIME + 59,
        refresh_token=REFRESH_TOKEN,
        source=source_fingerprint(REFRESH_TOKEN),
    )
    settings = make_settings(access_token=None, token_file=token_file)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response(NEW_ACCESS_TOKEN))
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            assert await client.get_trainings() == []
            sent = [call.request.url for call in router.calls]

    assert sent == [TOKEN_URL, TRAININGS_URL]
    assert token.call_count == 1
    refresh = token.calls.last.request
    assert refresh.method == "POST"
    assert refresh.url == TOKEN_URL
    assert refresh.headers["Authorization"] == BASIC_CLIENT_AUTH
    assert refresh.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert refresh.content == refresh_form(REFRESH_TOKEN)
    assert trainings.calls.last.request.headers["Authorization"] == bearer(NEW_ACCESS_TOKEN)


@pytest.mark.parametrize("expires_in", [3600, "3600"])
async def test_token_is_kept_until_sixty_seconds_before_expiry(clock, sleep, expires_in):
    settings = make_settings(access_token=None)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(
                side_effect=[
                    token_response(NEW_ACCESS_TOKEN, expires_in=expires_in),
                    token_response(NEWER_ACCESS_TOKEN),
                ]
            )
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_trainings()
            clock.advance(3600 - 61)
            await client.get_trainings()
            assert token.call_count == 1

            clock.advance(1)
            await client.get_trainings()

    assert token.call_count == 2
    assert token.calls[1].request.content == refresh_form(REFRESH_TOKEN)
    assert [call.request.headers["Authorization"] for call in trainings.calls] == [
        bearer(NEW_ACCESS_TOKEN),
        bearer(NEW_ACCESS_TOKEN),
        bearer(NEWER_ACCESS_TOKEN),
    ]


@pytest.mark.parametrize(
    "rejection",
    [httpx.Response(401), httpx.Response(403, json=INVALID_TOKEN_BODY)],
    ids=["401", "403-InvalidToken"],
)
async def test_rejected_token_is_refreshed_and_request_replayed(clock, sleep, rejection):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response(NEW_ACCESS_TOKEN))
            trainings = router.get(TRAININGS_URL).mock(
                side_effect=[rejection, httpx.Response(200, json=[{"trainingKey": "11", "name": "Intro"}])]
            )
            client = make_client(settings, http, clock=clock, sleep=sleep)

            result = await client.get_trainings()

    assert [training.training_key for training in result] == ["11"]
    assert token.call_count == 1
    assert token.calls.last.request.headers["Authorization"] == BASIC_CLIENT_AUTH
    assert token.calls.last.request.content == refresh_form(REFRESH_TOKEN)
    assert trainings.call_count == 2
    assert trainings.calls[0].request.headers["Authorization"] == bearer(ACCESS_TOKEN)
    assert trainings.calls[1].request.headers["Authorization"] == bearer(NEW_ACCESS_TOKEN)
    assert sleep.delays == []


@pytest.mark.parametrize(
    "rejection",
    [httpx.Response(401), httpx.Response(403, json=INVALID_TOKEN_BODY)],
    ids=["401", "403-InvalidToken"],
)
async def test_rejected_replay_is_not_replayed_again(clock, sleep, rejection):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response(NEW_ACCESS_TOKEN))
            trainings = router.get(TRAININGS_URL).mock(return_value=rejection)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(AuthError) as raised:
                await client.get_trainings()

    assert str(raised.value) == (
        f"GoTo rejected a freshly refreshed access token too (HTTP {rejection.status_code}). The OAuth client "
        "may lack the collab: scope, or the account may have lost GoTo Training; check both in the GoTo "
        "developer center, then sign in again."
    )
    assert token.call_count == 1
    assert trainings.call_count == 2
    assert trainings.calls[1].request.headers["Authorization"] == bearer(NEW_ACCESS_TOKEN)


async def test_other_forbidden_body_is_not_refreshed(clock, sleep):
    settings = make_settings()
    body = {"int_err_code": "NotAuthorized", "msg": "Not authorized for this organizer"}

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response())
            trainings = router.get(TRAININGS_URL).respond(403, json=body)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(PermissionDeniedError) as raised:
                await client.get_trainings()

    assert str(raised.value) == (
        f"List trainings failed for organizer_key '{ORGANIZER_KEY}': GoTo responded with HTTP 403. "
        "GoTo said: NotAuthorized: Not authorized for this organizer. "
        "The signed-in organizer may not do this: check the organizer_key (get_current_organizer), "
        "that the account allows co-organizers, and that the OAuth client has the collab: scope."
    )
    assert token.called is False
    assert trainings.call_count == 1
    assert trainings.calls.last.request.headers["Authorization"] == bearer(ACCESS_TOKEN)


async def test_fifty_expired_calls_share_one_refresh(clock, sleep):
    settings = make_settings(access_token=None)
    issued: list[str] = []

    async def answer_slowly(request: httpx.Request) -> httpx.Response:
        # Yield to the event loop so the other calls run while this refresh is in flight.
        for _ in range(20):
            await asyncio.sleep(0)
        issued.append(NEW_ACCESS_TOKEN if not issued else NEWER_ACCESS_TOKEN)
        return token_response(issued[-1])

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(side_effect=answer_slowly)
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)
            await client.get_trainings()
            clock.advance(3600)

            results = await asyncio.gather(*(client.get_trainings() for _ in range(50)))

    assert results == [[]] * 50
    assert token.call_count == 2
    assert trainings.call_count == 51
    later_bearers = {call.request.headers["Authorization"] for call in trainings.calls[1:]}
    assert later_bearers == {bearer(NEWER_ACCESS_TOKEN)}


async def test_personal_access_token_is_exchanged_with_its_grant(clock, sleep):
    settings = make_settings(access_token=None, refresh_token=None, personal_access_token=PERSONAL_ACCESS_TOKEN)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response(NEW_ACCESS_TOKEN))
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_trainings()

    assert token.calls.last.request.headers["Authorization"] == BASIC_CLIENT_AUTH
    assert token.calls.last.request.content == f"grant_type=personal_access_token&pat={PERSONAL_ACCESS_TOKEN}".encode()
    assert trainings.calls.last.request.headers["Authorization"] == bearer(NEW_ACCESS_TOKEN)


async def test_bare_access_token_is_used_without_refreshing(clock, sleep):
    settings = make_settings(client_id=None, client_secret=None, refresh_token=None)

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response())
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_trainings()
            clock.advance(2 * 3600)
            await client.get_trainings()

    assert token.called is False
    assert [call.request.headers["Authorization"] for call in trainings.calls] == [bearer(ACCESS_TOKEN)] * 2


async def test_rejected_bare_access_token_explains_refreshing_setup(clock, sleep):
    settings = make_settings(client_id=None, client_secret=None, refresh_token=None)

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response())
            trainings = router.get(TRAININGS_URL).respond(403, json=INVALID_TOKEN_BODY)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(AuthError) as raised:
                await client.get_trainings()

    assert str(raised.value) == (
        "The access token in GOTO_ACCESS_TOKEN has expired or was rejected, and it cannot be refreshed. "
        "Set GOTO_CLIENT_ID, GOTO_CLIENT_SECRET and GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) "
        "so the server can refresh tokens by itself."
    )
    assert token.called is False
    assert trainings.call_count == 1
    assert trainings.calls.last.request.headers["Authorization"] == bearer(ACCESS_TOKEN)


@pytest.mark.parametrize(
    ("settings_overrides", "status", "body", "message"),
    [
        (
            {},
            400,
            {"error": "invalid_grant", "error_description": "The refresh token is invalid or expired"},
            "GoTo rejected the refresh token (invalid_grant (The refresh token is invalid or expired)). "
            + SIGN_IN_AGAIN,
        ),
        (
            {"refresh_token": None, "personal_access_token": PERSONAL_ACCESS_TOKEN},
            400,
            {"error": "invalid_grant"},
            "GoTo rejected the personal access token (invalid_grant). " + SIGN_IN_AGAIN,
        ),
        (
            {},
            401,
            {"error": "invalid_client", "error_description": "Client authentication failed."},
            "GoTo rejected the OAuth client (invalid_client (Client authentication failed.)). "
            "Check GOTO_CLIENT_ID and GOTO_CLIENT_SECRET against the OAuth client in the GoTo developer center.",
        ),
    ],
    ids=["invalid_grant-refresh-token", "invalid_grant-personal-access-token", "invalid_client"],
)
async def test_final_token_error_stops_further_token_requests(clock, sleep, settings_overrides, status, body, message):
    settings = make_settings(access_token=None, **settings_overrides)

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            token = router.post(TOKEN_URL).respond(status, json=body)
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(AuthError) as first:
                await client.get_trainings()
            with pytest.raises(AuthError) as second:
                await client.get_trainings()

    assert str(first.value) == message
    assert str(second.value) == message
    assert token.call_count == 1
    assert trainings.called is False


async def test_temporary_token_error_is_not_final(clock, sleep):
    settings = make_settings(access_token=None)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(
                side_effect=[
                    httpx.Response(503, json={"error": "temporarily_unavailable"}),
                    token_response(NEW_ACCESS_TOKEN),
                ]
            )
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(AuthError) as raised:
                await client.get_trainings()
            assert trainings.called is False

            assert await client.get_trainings() == []

    assert str(raised.value) == (
        "The GoTo token endpoint responded with HTTP 503 (temporarily_unavailable); try again later."
    )
    assert token.call_count == 2
    assert trainings.calls.last.request.headers["Authorization"] == bearer(NEW_ACCESS_TOKEN)


async def test_unreachable_token_endpoint_raises_connection_error(clock, sleep):
    settings = make_settings(access_token=None)

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            router.post(TOKEN_URL).mock(side_effect=httpx.ConnectError("connection refused"))
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(GoToConnectionError) as raised:
                await client.get_trainings()

    assert str(raised.value) == (
        f"Could not reach the GoTo token endpoint {TOKEN_URL}: ConnectError. Check the network and GOTO_AUTH_URL."
    )
    assert trainings.called is False


async def test_token_response_without_access_token_raises(clock, sleep):
    settings = make_settings(access_token=None)

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            router.post(TOKEN_URL).respond(200, json={"token_type": "Bearer", "expires_in": 3600})
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(AuthError) as raised:
                await client.get_trainings()

    assert str(raised.value) == "The GoTo token endpoint returned no access_token; try again later."
    assert trainings.called is False
