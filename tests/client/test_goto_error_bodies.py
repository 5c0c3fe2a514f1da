"""Each documented GoTo error body becomes one error class and one full message."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from server.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    UpstreamUnavailableError,
)
from server.models import DateTimeRange
from tests.client.goto_fakes import ACCESS_TOKEN, ORGANIZER_KEY, ORGANIZER_URL, TRAINING_KEY, make_client, make_settings

TRAINING_URL = f"{ORGANIZER_URL}/trainings/{TRAINING_KEY}"
CREATE_URL = f"{ORGANIZER_URL}/trainings"
GET_FAILED = f"Get training failed for organizer_key '{ORGANIZER_KEY}', training_key '{TRAINING_KEY}'"
CREATE_FAILED = f"Create training failed for organizer_key '{ORGANIZER_KEY}'"
FIX_AND_CALL_AGAIN = "Fix the value GoTo names and call again; nothing was changed."
GOTO_TROUBLE = "GoTo is having trouble: try again in a minute."
LONG_HTML = "<html><body>" + "Bad gateway from the load balancer. " * 12 + "</body></html>"


async def create_training(client):
    times = [
        DateTimeRange(
            start_date=datetime(2027, 3, 2, 9, 0, tzinfo=UTC),
            end_date=datetime(2027, 3, 2, 11, 0, tzinfo=UTC),
        )
    ]
    return await client.create_training(name="Onboarding", time_zone="Europe/Berlin", times=times)


async def get_training(client):
    return await client.get_training(TRAINING_KEY)


CASES = [
    pytest.param(
        create_training,
        "POST",
        CREATE_URL,
        httpx.Response(
            400,
            json={
                "errorCode": "InvalidTrainingDatesMaxDuration",
                "description": "A training session cannot last more than 24 hours",
                "incident": 8120937752,
            },
        ),
        InvalidRequestError,
        f"{CREATE_FAILED}: GoTo responded with HTTP 400. GoTo said: InvalidTrainingDatesMaxDuration: "
        "A training session cannot last more than 24 hours (incident 8120937752). "
        "Each session may last at most 24 hours: split longer sessions.",
        id="400-InvalidTrainingDatesMaxDuration",
    ),
    pytest.param(
        create_training,
        "POST",
        CREATE_URL,
        httpx.Response(
            400,
            json={
                "errorCode": "OrganizerOverlap",
                "description": "The organizer has another training at that time",
                "incident": 3,
            },
        ),
        InvalidRequestError,
        f"{CREATE_FAILED}: GoTo responded with HTTP 400. GoTo said: OrganizerOverlap: "
        "The organizer has another training at that time (incident 3). "
        "The organizer already has a training at that time: pick other times, or list_trainings to see it.",
        id="400-OrganizerOverlap",
    ),
    pytest.param(
        create_training,
        "POST",
        CREATE_URL,
        httpx.Response(
            400,
            json={"errorCode": "InvalidRequest", "description": "timeZone is not a valid time zone", "incident": 5},
        ),
        InvalidRequestError,
        f"{CREATE_FAILED}: GoTo responded with HTTP 400. GoTo said: InvalidRequest: "
        f"timeZone is not a valid time zone (incident 5). {FIX_AND_CALL_AGAIN}",
        id="400-InvalidRequest",
    ),
    pytest.param(
        get_training,
        "GET",
        TRAINING_URL,
        httpx.Response(
            404, json={"errorCode": "NoSuchTraining", "description": "Training does not exist", "incident": 42}
        ),
        NotFoundError,
        f"training_key '{TRAINING_KEY}' was not found for organizer_key '{ORGANIZER_KEY}'. "
        "GoTo said: NoSuchTraining: Training does not exist (incident 42). "
        "Call list_trainings to see valid keys; completed trainings are not listed there, "
        "but list_sessions_in_date_range finds their sessions.",
        id="404-NoSuchTraining",
    ),
    pytest.param(
        get_training,
        "GET",
        TRAINING_URL,
        httpx.Response(403, json={"int_err_code": "AccessDenied", "msg": "Access to this training is denied"}),
        PermissionDeniedError,
        f"{GET_FAILED}: GoTo responded with HTTP 403. GoTo said: AccessDenied: Access to this training is denied. "
        "The signed-in organizer may not do this: check the organizer_key (get_current_organizer), "
        "that the account allows co-organizers, and that the OAuth client has the collab: scope.",
        id="403-gateway-shape",
    ),
    pytest.param(
        get_training,
        "GET",
        TRAINING_URL,
        httpx.Response(400, json={"message": "This endpoint is no longer valid"}),
        InvalidRequestError,
        f"{GET_FAILED}: GoTo responded with HTTP 400. GoTo said: This endpoint is no longer valid. "
        f"{FIX_AND_CALL_AGAIN}",
        id="400-message-shape",
    ),
    pytest.param(
        get_training,
        "GET",
        TRAINING_URL,
        httpx.Response(400, content=b'{"status": "failed", "details": [1, 2]}'),
        InvalidRequestError,
        f'{GET_FAILED}: GoTo responded with HTTP 400. GoTo said: {{"status": "failed", "details": [1, 2]}}. '
        f"{FIX_AND_CALL_AGAIN}",
        id="400-unknown-json-shape",
    ),
    pytest.param(
        get_training,
        "GET",
        TRAINING_URL,
        httpx.Response(400, content=b""),
        InvalidRequestError,
        f"{GET_FAILED}: GoTo responded with HTTP 400. {FIX_AND_CALL_AGAIN}",
        id="400-empty-body",
    ),
    pytest.param(
        get_training,
        "GET",
        TRAINING_URL,
        httpx.Response(500, json={"errorCode": "InternalError", "description": "Unexpected error", "incident": 99}),
        UpstreamUnavailableError,
        f"{GET_FAILED}: GoTo responded with HTTP 500. GoTo said: InternalError: Unexpected error (incident 99). "
        f"{GOTO_TROUBLE}",
        id="500-training-shape",
    ),
    pytest.param(
        get_training,
        "GET",
        TRAINING_URL,
        httpx.Response(502, text=LONG_HTML),
        UpstreamUnavailableError,
        # A body that is not JSON is kept as text, cut to 300 characters.
        f"{GET_FAILED}: GoTo responded with HTTP 502. GoTo said: {LONG_HTML[:300]}.... {GOTO_TROUBLE}",
        id="502-long-html",
    ),
    pytest.param(
        get_training,
        "GET",
        TRAINING_URL,
        httpx.Response(503, text="Service Unavailable\n"),
        UpstreamUnavailableError,
        f"{GET_FAILED}: GoTo responded with HTTP 503. GoTo said: Service Unavailable. {GOTO_TROUBLE}",
        id="503-plain-text",
    ),
]


@pytest.mark.parametrize(("call", "method", "url", "response", "error_class", "message"), CASES)
async def test_error_body_becomes_full_message(clock, sleep, call, method, url, response, error_class, message):
    settings = make_settings(max_retries=0)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.route(method=method, url=url).mock(return_value=response)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(error_class) as raised:
                await call(client)

    assert str(raised.value) == message
    assert raised.value.status == response.status_code
    assert route.call_count == 1
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert sleep.delays == []


async def test_training_shape_fields_are_kept_on_the_error(clock, sleep):
    settings = make_settings()
    body = {"errorCode": "NoSuchTraining", "description": "Training does not exist", "incident": 9007199254740993}

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            router.get(TRAINING_URL).respond(404, json=body)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(NotFoundError) as raised:
                await client.get_training(TRAINING_KEY)

    assert raised.value.error_code == "NoSuchTraining"
    assert raised.value.description == "Training does not exist"
    assert raised.value.incident == "9007199254740993"
    assert raised.value.missing_key == "training_key"


async def test_duplicate_registrant_carries_the_exact_existing_key(clock, sleep):
    settings = make_settings()
    existing_key = "9223372036854770001"  # above 2**53: a float would round it
    body = (
        '{"errorCode": "DuplicateRegistrant", "description": "The registrant is already registered", '
        f'"incident": 17, "registrantKey": {existing_key}}}'
    )

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.post(f"{ORGANIZER_URL}/trainings/{TRAINING_KEY}/registrants").respond(
                409, content=body.encode()
            )
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(ConflictError) as raised:
                await client.register_for_training(TRAINING_KEY, email="ada@example.com", given_name="Ada", surname="L")

    assert raised.value.registrant_key == existing_key
    assert str(raised.value) == (
        f"Register for training failed for organizer_key '{ORGANIZER_KEY}', training_key '{TRAINING_KEY}': "
        "GoTo responded with HTTP 409. GoTo said: DuplicateRegistrant: The registrant is already registered "
        f"(incident 17). This email is already registered: get_registrant with registrant_key '{existing_key}'."
    )
    assert route.call_count == 1
    sent = route.calls.last.request
    assert sent.method == "POST"
    assert sent.headers["Content-Type"] == "application/json"
    assert json.loads(sent.content) == {
        "email": "ada@example.com",
        "givenName": "Ada",
        "surname": "L",
    }
