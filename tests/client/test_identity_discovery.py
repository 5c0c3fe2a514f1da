"""Who the server acts as: from settings, from the token response, or from the Admin API's /me."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx

from server.errors import GoToError
from tests.client.goto_fakes import (
    ACCOUNT_KEY,
    ADMIN_API_URL,
    API_URL,
    NEW_ACCESS_TOKEN,
    ORGANIZER_KEY,
    TOKEN_URL,
    make_client,
    make_settings,
    token_response,
)

ME_URL = f"{ADMIN_API_URL}/me"


async def test_identity_from_settings_sends_no_request(clock, sleep):
    settings = make_settings(access_token=None)

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            any_request = router.route().respond(500)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            identity = await client.identity()

    assert identity.organizer_key == ORGANIZER_KEY
    assert identity.account_key == ACCOUNT_KEY
    assert identity.source == "settings"
    assert any_request.called is False


async def test_identity_from_token_response_keeps_exact_keys(clock, sleep):
    settings = make_settings(access_token=None, organizer_key=None, account_key=None)
    # Keys as JSON numbers above 2**53, as old token responses sent them.
    token_body = (
        f'{{"access_token": "{NEW_ACCESS_TOKEN}", "expires_in": 3600, '
        f'"organizer_key": {ORGANIZER_KEY}, "account_key": {ACCOUNT_KEY}, "principal": "ada@example.com"}}'
    )

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            token = router.post(TOKEN_URL).respond(200, content=token_body.encode())
            me = router.get(ME_URL).respond(500)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            first = await client.identity()
            second = await client.identity()

    assert first.organizer_key == ORGANIZER_KEY
    assert first.account_key == ACCOUNT_KEY
    assert first.email == "ada@example.com"
    assert first.source == "token"
    assert second == first
    assert token.call_count == 1
    assert me.called is False


async def test_identity_from_admin_me_when_token_lacks_keys(clock, sleep):
    settings = make_settings(access_token=None, organizer_key=None, account_key=None)
    me_body = f'{{"key": {ORGANIZER_KEY}, "accountKey": {ACCOUNT_KEY}, "email": "ada@example.com", "firstName": "Ada"}}'

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response(NEW_ACCESS_TOKEN))
            me = router.get(ME_URL).respond(200, content=me_body.encode())
            trainings = router.get(f"{API_URL}/organizers/{ORGANIZER_KEY}/trainings").respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            identity = await client.identity()
            again = await client.identity()
            await client.get_trainings()

    assert identity.organizer_key == ORGANIZER_KEY
    assert identity.account_key == ACCOUNT_KEY
    assert identity.email == "ada@example.com"
    assert identity.source == "admin_api"
    assert again == identity
    assert token.call_count == 1
    assert me.call_count == 1
    assert me.calls.last.request.method == "GET"
    assert me.calls.last.request.headers["Authorization"] == f"Bearer {NEW_ACCESS_TOKEN}"
    assert trainings.call_count == 1


async def test_concurrent_identity_lookups_ask_admin_api_once(clock, sleep):
    settings = make_settings(organizer_key=None, account_key=None)

    async def answer_slowly(request: httpx.Request) -> httpx.Response:
        for _ in range(20):
            await asyncio.sleep(0)
        return httpx.Response(200, json={"key": ORGANIZER_KEY, "accountKey": ACCOUNT_KEY})

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            me = router.get(ME_URL).mock(side_effect=answer_slowly)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            identities = await asyncio.gather(*(client.identity() for _ in range(10)))

    assert {identity.organizer_key for identity in identities} == {ORGANIZER_KEY}
    assert me.call_count == 1


async def test_account_organizers_without_account_key_raise(clock, sleep):
    settings = make_settings(account_key=None)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            router.get(ME_URL).respond(200, json={"key": ORGANIZER_KEY})
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(GoToError) as raised:
                await client.get_account_organizers()

    assert str(raised.value) == "The account key is unknown: set GOTO_ACCOUNT_KEY or pass account_key."
