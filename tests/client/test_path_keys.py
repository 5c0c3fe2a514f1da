"""Keys: bad path keys are rejected before any request, and keys above 2**53 stay exact."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from server.keys import InvalidKeyError
from server.models import DateTimeRange
from tests.client.goto_fakes import (
    API_URL,
    ORGANIZER_KEY,
    ORGANIZER_URL,
    TRAINING_KEY,
    make_client,
    make_settings,
)

BAD_KEYS = ["", "12a", "1/../2", "-5", str(2**63), True, 1.5]
BAD_KEY_IDS = ["empty", "letters", "path-traversal", "negative", "2**63", "bool", "float"]

# Each case calls one client method with `bad` in the path key that the second item names.
METHODS = [
    pytest.param(lambda client, bad: client.get_training(bad), "training_key", id="get_training"),
    pytest.param(lambda client, bad: client.delete_training(bad), "training_key", id="delete_training"),
    pytest.param(lambda client, bad: client.get_registrant(TRAINING_KEY, bad), "registrant_key", id="get_registrant"),
    pytest.param(lambda client, bad: client.get_attendance(bad), "session_key", id="get_attendance"),
    pytest.param(
        lambda client, bad: client.get_recording_download_url(TRAINING_KEY, bad),
        "recording_id",
        id="get_recording_download_url",
    ),
    pytest.param(lambda client, bad: client.get_questionnaires("tests", bad), "training_key", id="get_questionnaires"),
    pytest.param(lambda client, bad: client.get_trainings(organizer_key=bad), "organizer_key", id="get_trainings"),
]


def rejection_message(name: str, value: object) -> str:
    if isinstance(value, str):
        return (
            f"{name} {value!r} is not a valid key: keys are decimal numbers from 0 to 9223372036854775807 "
            "with no signs, spaces or other characters. Copy the key from a list result."
        )
    return f"{name} {value!r} is not a key: pass the key as a string of digits, such as '1234567890123456789'."


@pytest.mark.parametrize("bad", BAD_KEYS, ids=BAD_KEY_IDS)
@pytest.mark.parametrize(("call", "name"), METHODS)
async def test_bad_path_key_is_rejected_before_any_request(clock, sleep, call, name, bad):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            any_request = router.route().respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(InvalidKeyError) as raised:
                await call(client, bad)

    assert str(raised.value) == rejection_message(name, bad)
    assert any_request.called is False


@pytest.mark.parametrize("bad", ["12a", "1/../2", True], ids=["letters", "path-traversal", "bool"])
async def test_bad_key_is_rejected_before_organizer_lookup(clock, sleep, bad):
    # Without a configured organizer the client must ask GoTo who it is, so a bad key has to fail before that.
    settings = make_settings(access_token=None, organizer_key=None, account_key=None)

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            any_request = router.route().respond(500)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(InvalidKeyError) as raised:
                await client.get_training(bad)

    assert str(raised.value) == rejection_message("training_key", bad)
    assert any_request.called is False


async def test_integer_keys_are_accepted_as_decimal_strings(clock, sleep):
    settings = make_settings()
    registrant_key = 9223372036854775807

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(f"{ORGANIZER_URL}/trainings/{TRAINING_KEY}/registrants/{registrant_key}").respond(
                200, json={"registrantKey": str(registrant_key), "email": "ada@example.com"}
            )
            client = make_client(settings, http, clock=clock, sleep=sleep)

            registrant = await client.get_registrant(
                int(TRAINING_KEY), registrant_key, organizer_key=int(ORGANIZER_KEY)
            )

    assert registrant.registrant_key == "9223372036854775807"
    assert route.calls.last.request.url.path == (
        f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/registrants/9223372036854775807"
    )


async def test_leading_zeros_are_dropped_from_path_keys(clock, sleep):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(f"{ORGANIZER_URL}/trainings/42").respond(200, json={"trainingKey": "42", "name": "A"})
            client = make_client(settings, http, clock=clock, sleep=sleep)

            training = await client.get_training("0042")

    assert training.training_key == "42"
    assert route.call_count == 1


async def test_registrant_created_with_numeric_key_keeps_exact_digits(clock, sleep):
    settings = make_settings()
    body = (
        '{"registrantKey": 9223372036854770001, "joinUrl": "https://example.test/join/1", '
        '"confirmationUrl": "https://example.test/confirm/1"}'
    )

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            router.post(f"{ORGANIZER_URL}/trainings/{TRAINING_KEY}/registrants").respond(201, content=body.encode())
            client = make_client(settings, http, clock=clock, sleep=sleep)

            created = await client.register_for_training(
                TRAINING_KEY, email="ada@example.com", given_name="Ada", surname="L"
            )

    assert created.registrant_key == "9223372036854770001"
    assert created.join_url == "https://example.test/join/1"


async def test_recording_list_with_numeric_keys_keeps_exact_digits(clock, sleep):
    settings = make_settings()
    body = (
        f'{{"trainingKey": {TRAINING_KEY}, "recordingList": [{{"recordingId": 9223372036854770003, '
        '"name": "Day 1", "startDate": "2027-03-02T09:00:00Z"}]}'
    )

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(f"{API_URL}/trainings/{TRAINING_KEY}/recordings").respond(200, content=body.encode())
            client = make_client(settings, http, clock=clock, sleep=sleep)

            recordings = await client.get_recordings(TRAINING_KEY)

    assert recordings.training_key == "9007199254740993"
    assert [recording.recording_id for recording in recordings.recording_list] == ["9223372036854770003"]
    assert route.calls.last.request.method == "GET"


async def test_numeric_training_key_keeps_exact_digits(clock, sleep):
    settings = make_settings()
    co_organizer = "9223372036854770007"
    times = [
        DateTimeRange(start_date=datetime(2027, 3, 2, 9, tzinfo=UTC), end_date=datetime(2027, 3, 2, 10, tzinfo=UTC))
    ]

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.post(f"{ORGANIZER_URL}/trainings").respond(201, content=b"8812345678901234567")
            client = make_client(settings, http, clock=clock, sleep=sleep)

            training_key = await client.create_training(
                name="Onboarding", time_zone="Europe/Berlin", times=times, co_organizer_keys=[co_organizer]
            )

    assert training_key == "8812345678901234567"
    sent = route.calls.last.request.content
    assert json.loads(sent)["organizers"] == [9223372036854770007]
    assert b'"organizers": [9223372036854770007]' in sent or b'"organizers":[9223372036854770007]' in sent


async def test_bad_co_organizer_key_sends_nothing(clock, sleep):
    settings = make_settings()
    times = [
        DateTimeRange(start_date=datetime(2027, 3, 2, 9, tzinfo=UTC), end_date=datetime(2027, 3, 2, 10, tzinfo=UTC))
    ]

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            any_request = router.route().respond(201, json="1")
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(InvalidKeyError) as raised:
                await client.create_training(
                    name="Onboarding", time_zone="Europe/Berlin", times=times, co_organizer_keys=["12a"]
                )

    assert str(raised.value) == rejection_message("co_organizer_keys", "12a")
    assert any_request.called is False
