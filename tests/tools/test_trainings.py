"""The training tools, driven through the MCP client against respx routes for the GoTo API."""

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx
from mcp import Client
from mcp_types import CallToolResult

from tests.tools.conftest import API, ORGANIZER_KEY

BEARER = "Bearer test-access-token-7f3a9c"
TRAININGS_URL = f"{API}/organizers/{ORGANIZER_KEY}/trainings"

# Above 2**53, so a JSON number of this size is rounded by any float-based parser.
TRAINING_KEY = "8800000000000000123"
TRAINING_URL = f"{TRAININGS_URL}/{TRAINING_KEY}"
CO_ORGANIZER_KEY = "7300000000000000003"

# GoTo's response to a training read, with keys sent as JSON numbers.
TRAINING_BODY = """{
  "trainingKey": 8800000000000000123,
  "trainingId": "123456789",
  "name": "Onboarding",
  "description": "Week one",
  "timeZone": "America/New_York",
  "times": [{"startDate": "2030-03-09T14:00:00Z", "endDate": "2030-03-09T16:00:00Z"}],
  "organizers": [
    {"organizerKey": 7100000000000000001, "email": "ann@example.com", "givenName": "Ann", "surname": "Lee"}
  ],
  "creatorKey": 7100000000000000001,
  "registrationSettings": {"disableConfirmationEmail": false, "disableWebRegistration": true}
}"""

TRAINING_RESULT = {
    "training_key": "8800000000000000123",
    "training_id": "123456789",
    "name": "Onboarding",
    "description": "Week one",
    "time_zone": "America/New_York",
    "times": [{"start_date": "2030-03-09T14:00:00Z", "end_date": "2030-03-09T16:00:00Z"}],
    "organizers": [
        {"organizer_key": "7100000000000000001", "email": "ann@example.com", "given_name": "Ann", "surname": "Lee"}
    ],
    "creator_key": "7100000000000000001",
    "registration_settings": {"disable_confirmation_email": False, "disable_web_registration": True},
}

INVALID_KEY_RULE = (
    "is not a valid key: keys are decimal numbers from 0 to 9223372036854775807 "
    "with no signs, spaces or other characters. Copy the key from a list result."
)


def json_response(text: str, status: int = 200) -> httpx.Response:
    """Return a response whose body is `text` as sent, so large integers stay JSON numbers."""
    return httpx.Response(status, content=text.encode(), headers={"Content-Type": "application/json"})


def short_training(number: int) -> str:
    return f'{{"trainingKey": "{number}", "name": "Training {number}"}}'


def result_text(result: CallToolResult) -> str:
    (content,) = result.content
    return content.text


def sent_json(route: respx.Route) -> object:
    return json.loads(route.calls.last.request.content)


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Pin the tools' clock to 2030-01-01 UTC, so the 2030 sessions below are in the future."""
    now = datetime(2030, 1, 1, tzinfo=UTC)
    monkeypatch.setattr("tools.trainings._now", lambda: now)
    return now


# list_trainings ------------------------------------------------------------------------------


async def test_list_trainings_request_and_result(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(TRAININGS_URL).mock(return_value=json_response(f"[{TRAINING_BODY}]"))

    result = await client.call_tool("list_trainings", {})

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "GET"
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings"
    assert request.url.query == b""
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {"trainings": [TRAINING_RESULT], "total": 1, "returned": 1}


async def test_list_trainings_text_is_compact_json(client: Client, goto: respx.MockRouter) -> None:
    goto.get(TRAININGS_URL).mock(return_value=json_response(f"[{short_training(1)}]"))

    result = await client.call_tool("list_trainings", {})

    expected = (
        '{"total":1,"returned":1,"trainings":[{"training_key":"1","name":"Training 1","times":[],"organizers":[]}]}'
    )
    assert result_text(result) == expected


async def test_list_trainings_slice_states_total_and_next_offset(client: Client, goto: respx.MockRouter) -> None:
    body = "[" + ",".join(short_training(number) for number in range(1, 6)) + "]"
    goto.get(TRAININGS_URL).mock(return_value=json_response(body))

    result = await client.call_tool("list_trainings", {"limit": 2, "offset": 1})

    assert result.is_error is False
    assert result.structured_content == {
        "trainings": [
            {"training_key": "2", "name": "Training 2", "times": [], "organizers": []},
            {"training_key": "3", "name": "Training 3", "times": [], "organizers": []},
        ],
        "total": 5,
        "returned": 2,
        "next_offset": 3,
        "note": "Showing trainings 2-3 of 5; call again with offset=3 for more.",
    }


async def test_list_trainings_last_slice_has_no_next_offset(client: Client, goto: respx.MockRouter) -> None:
    body = "[" + ",".join(short_training(number) for number in range(1, 6)) + "]"
    goto.get(TRAININGS_URL).mock(return_value=json_response(body))

    result = await client.call_tool("list_trainings", {"limit": 2, "offset": 4})

    assert result.structured_content == {
        "trainings": [{"training_key": "5", "name": "Training 5", "times": [], "organizers": []}],
        "total": 5,
        "returned": 1,
    }


async def test_list_trainings_offset_past_end_explains(client: Client, goto: respx.MockRouter) -> None:
    body = "[" + ",".join(short_training(number) for number in range(1, 6)) + "]"
    goto.get(TRAININGS_URL).mock(return_value=json_response(body))

    result = await client.call_tool("list_trainings", {"offset": 9})

    assert result.structured_content == {
        "trainings": [],
        "total": 5,
        "returned": 0,
        "note": "offset=9 is past the end: there are 5 trainings.",
    }


async def test_list_trainings_204_is_empty_list(client: Client, goto: respx.MockRouter) -> None:
    goto.get(TRAININGS_URL).mock(return_value=httpx.Response(204))

    result = await client.call_tool("list_trainings", {})

    assert result.is_error is False
    assert result.structured_content == {"trainings": [], "total": 0, "returned": 0}


async def test_list_trainings_uses_given_organizer_key(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(f"{API}/organizers/7400000000000000004/trainings").mock(return_value=json_response("[]"))

    result = await client.call_tool("list_trainings", {"organizer_key": "7400000000000000004"})

    assert route.call_count == 1
    assert result.structured_content == {"trainings": [], "total": 0, "returned": 0}


async def test_list_trainings_rejects_limit_above_500(client: Client, goto: respx.MockRouter) -> None:
    everything = goto.route().mock(return_value=httpx.Response(500))

    result = await client.call_tool("list_trainings", {"limit": 501})

    assert result.is_error is True
    assert result_text(result).startswith("Error executing tool list_trainings: ")
    assert "limit" in result_text(result)
    assert everything.call_count == 0


# get_training and key arguments ----------------------------------------------------------------


async def test_get_training_request_and_result(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(TRAINING_URL).mock(return_value=json_response(TRAINING_BODY))

    result = await client.call_tool("get_training", {"training_key": TRAINING_KEY})

    request = route.calls.last.request
    assert request.method == "GET"
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}"
    assert request.url.query == b""
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == TRAINING_RESULT


async def test_get_training_accepts_integer_keys(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(f"{API}/organizers/7400000000004/trainings/8800000000123").mock(
        return_value=json_response(TRAINING_BODY)
    )

    result = await client.call_tool("get_training", {"training_key": 8800000000123, "organizer_key": 7400000000004})

    assert route.call_count == 1
    assert result.is_error is False
    assert result.structured_content == TRAINING_RESULT


async def test_get_training_rejects_integer_key_above_2_53(client: Client, goto: respx.MockRouter) -> None:
    everything = goto.route().mock(return_value=httpx.Response(500))

    result = await client.call_tool("get_training", {"training_key": 4817395020468214000})

    assert result.is_error is True
    assert (
        "training_key arrived as the JSON number 4817395020468214000, above 2**53, where JavaScript clients round "
        "numbers, so it may not be the key you meant. Send the key as a string, exactly as a list result shows it."
    ) in result.content[0].text
    assert everything.called is False


async def test_get_training_normalises_leading_zeros(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(f"{TRAININGS_URL}/42").mock(return_value=json_response(short_training(42)))

    result = await client.call_tool("get_training", {"training_key": "0042"})

    assert route.call_count == 1
    assert result.structured_content == {"training_key": "42", "name": "Training 42", "times": [], "organizers": []}


@pytest.mark.parametrize("bad_key", ["12a", "1/../2", "-5", " 42", ""])
@pytest.mark.parametrize("tool", ["get_training", "delete_training", "get_start_url", "start_training"])
async def test_bad_training_key_sends_nothing(client: Client, goto: respx.MockRouter, tool: str, bad_key: str) -> None:
    everything = goto.route().mock(return_value=httpx.Response(500))

    result = await client.call_tool(tool, {"training_key": bad_key})

    assert result.is_error is True
    assert result_text(result).startswith(f"Error executing tool {tool}: ")
    assert f"training_key {bad_key!r} {INVALID_KEY_RULE}" in result_text(result)
    assert everything.call_count == 0


async def test_bad_organizer_key_sends_nothing(client: Client, goto: respx.MockRouter) -> None:
    everything = goto.route().mock(return_value=httpx.Response(500))

    result = await client.call_tool("get_training", {"training_key": TRAINING_KEY, "organizer_key": "1/../2"})

    assert result.is_error is True
    assert f"organizer_key '1/../2' {INVALID_KEY_RULE}" in result_text(result)
    assert everything.call_count == 0


async def test_key_above_int64_is_rejected(client: Client, goto: respx.MockRouter) -> None:
    everything = goto.route().mock(return_value=httpx.Response(500))

    result = await client.call_tool("get_training", {"training_key": "9223372036854775808"})

    assert result.is_error is True
    assert f"training_key '9223372036854775808' {INVALID_KEY_RULE}" in result_text(result)
    assert everything.call_count == 0


# create_training -------------------------------------------------------------------------------


async def test_create_training_posts_utc_times_and_reads_back(
    client: Client, goto: respx.MockRouter, fixed_now: datetime
) -> None:
    post = goto.post(TRAININGS_URL).mock(return_value=json_response("8800000000000000123", status=201))
    read_back = goto.get(TRAINING_URL).mock(return_value=json_response(TRAINING_BODY))

    result = await client.call_tool(
        "create_training",
        {
            "name": "Onboarding",
            "time_zone": "America/New_York",
            "sessions": [{"start": "2030-03-09T09:00:00", "end": "2030-03-09T11:00:00"}],
        },
    )

    request = post.calls.last.request
    assert post.call_count == 1
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings"
    assert request.url.query == b""
    assert request.headers["Authorization"] == BEARER
    assert json.loads(request.content) == {
        "name": "Onboarding",
        "timeZone": "America/New_York",
        "times": [{"startDate": "2030-03-09T14:00:00Z", "endDate": "2030-03-09T16:00:00Z"}],
        "registrationSettings": {"disableConfirmationEmail": False, "disableWebRegistration": False},
    }
    assert read_back.call_count == 1
    assert result.is_error is False
    assert result.structured_content == {"training_key": TRAINING_KEY, "training": TRAINING_RESULT}


async def test_create_training_sends_every_optional_field(
    client: Client, goto: respx.MockRouter, fixed_now: datetime
) -> None:
    post = goto.post(TRAININGS_URL).mock(return_value=json_response('"8800000000000000123"', status=201))
    goto.get(TRAINING_URL).mock(return_value=json_response(TRAINING_BODY))

    result = await client.call_tool(
        "create_training",
        {
            "name": "Onboarding",
            "time_zone": "Europe/Berlin",
            "sessions": [
                {"start": "2030-06-03T09:00:00", "end": "2030-06-03T12:30:00"},
                {"start": "2030-06-04T09:00:00+02:00", "end": "2030-06-04T12:30:00+02:00"},
            ],
            "description": "Week one",
            "disable_confirmation_email": True,
            "disable_web_registration": True,
            "co_organizer_keys": [CO_ORGANIZER_KEY, 7500000000005],
        },
    )

    assert json.loads(post.calls.last.request.content) == {
        "name": "Onboarding",
        "timeZone": "Europe/Berlin",
        "times": [
            {"startDate": "2030-06-03T07:00:00Z", "endDate": "2030-06-03T10:30:00Z"},
            {"startDate": "2030-06-04T07:00:00Z", "endDate": "2030-06-04T10:30:00Z"},
        ],
        "description": "Week one",
        "registrationSettings": {"disableConfirmationEmail": True, "disableWebRegistration": True},
        "organizers": [7300000000000000003, 7500000000005],
    }
    assert result.structured_content == {"training_key": TRAINING_KEY, "training": TRAINING_RESULT}


async def test_create_training_keeps_key_when_read_back_fails(
    client: Client, goto: respx.MockRouter, fixed_now: datetime
) -> None:
    post = goto.post(TRAININGS_URL).mock(return_value=json_response("8800000000000000123", status=201))
    read_back = goto.get(TRAINING_URL).mock(return_value=httpx.Response(500))

    result = await client.call_tool(
        "create_training",
        {
            "name": "Onboarding",
            "time_zone": "UTC",
            "sessions": [{"start": "2030-03-09T09:00:00Z", "end": "2030-03-09T11:00:00Z"}],
        },
    )

    assert post.call_count == 1
    assert read_back.call_count == 1
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "note": "Created, but reading it back failed; call get_training later. Do not create it again.",
    }


async def test_create_training_is_not_resent_after_502(
    client: Client, goto: respx.MockRouter, fixed_now: datetime
) -> None:
    post = goto.post(TRAININGS_URL).mock(return_value=httpx.Response(502))

    result = await client.call_tool(
        "create_training",
        {
            "name": "Onboarding",
            "time_zone": "UTC",
            "sessions": [{"start": "2030-03-09T09:00:00Z", "end": "2030-03-09T11:00:00Z"}],
        },
    )

    assert post.call_count == 1
    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: Create training failed for organizer_key "
        f"'{ORGANIZER_KEY}': GoTo responded with HTTP 502. GoTo is having trouble: try again in a minute."
    )


# update_training_details, update_registration_settings -----------------------------------------


async def test_update_training_details_puts_name_and_description(client: Client, goto: respx.MockRouter) -> None:
    route = goto.put(f"{TRAINING_URL}/nameDescription").mock(return_value=httpx.Response(204))

    result = await client.call_tool(
        "update_training_details",
        {"training_key": TRAINING_KEY, "name": "Onboarding II", "description": "Week two"},
    )

    request = route.calls.last.request
    assert request.method == "PUT"
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/nameDescription"
    assert request.headers["Authorization"] == BEARER
    assert json.loads(request.content) == {"name": "Onboarding II", "description": "Week two"}
    assert result.is_error is False
    assert result.structured_content == {"training_key": TRAINING_KEY, "status": "updated"}


async def test_update_training_details_without_description_sends_name_only(
    client: Client, goto: respx.MockRouter
) -> None:
    route = goto.put(f"{TRAINING_URL}/nameDescription").mock(return_value=httpx.Response(204))

    await client.call_tool("update_training_details", {"training_key": TRAINING_KEY, "name": "Onboarding II"})

    assert sent_json(route) == {"name": "Onboarding II"}


async def test_update_registration_settings_puts_both_flags(client: Client, goto: respx.MockRouter) -> None:
    route = goto.put(f"{TRAINING_URL}/registrationSettings").mock(return_value=httpx.Response(204))

    result = await client.call_tool(
        "update_registration_settings",
        {"training_key": TRAINING_KEY, "disable_confirmation_email": True, "disable_web_registration": False},
    )

    request = route.calls.last.request
    assert request.method == "PUT"
    assert request.url.path == (f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/registrationSettings")
    assert request.headers["Authorization"] == BEARER
    assert json.loads(request.content) == {"disableConfirmationEmail": True, "disableWebRegistration": False}
    assert result.is_error is False
    assert result.structured_content == {"training_key": TRAINING_KEY, "status": "updated"}


# update_training_times -------------------------------------------------------------------------


async def test_update_training_times_notifies_by_default(
    client: Client, goto: respx.MockRouter, fixed_now: datetime
) -> None:
    read = goto.get(TRAINING_URL).mock(return_value=json_response(TRAINING_BODY))
    route = goto.put(f"{TRAINING_URL}/times").mock(
        return_value=json_response('{"notifiedRegistrants": 12, "notifiedTrainers": 2}')
    )

    result = await client.call_tool(
        "update_training_times",
        {
            "training_key": TRAINING_KEY,
            "time_zone": "Europe/Berlin",
            "sessions": [{"start": "2030-06-03T09:00:00", "end": "2030-06-03T12:00:00"}],
        },
    )

    request = route.calls.last.request
    assert read.call_count == 0
    assert request.method == "PUT"
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/times"
    assert request.headers["Authorization"] == BEARER
    assert json.loads(request.content) == {
        "timeZone": "Europe/Berlin",
        "times": [{"startDate": "2030-06-03T07:00:00Z", "endDate": "2030-06-03T10:00:00Z"}],
        "notifyRegistrants": True,
        "notifyTrainers": True,
    }
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "time_zone": "Europe/Berlin",
        "times": [{"start_date": "2030-06-03T07:00:00Z", "end_date": "2030-06-03T10:00:00Z"}],
        "notified_registrants": 12,
        "notified_trainers": 2,
    }


async def test_update_times_defaults_to_training_zone(
    client: Client, goto: respx.MockRouter, fixed_now: datetime
) -> None:
    read = goto.get(TRAINING_URL).mock(return_value=json_response(TRAINING_BODY))
    route = goto.put(f"{TRAINING_URL}/times").mock(
        return_value=json_response('{"notifiedRegistrants": 0, "notifiedTrainers": 1}')
    )

    result = await client.call_tool(
        "update_training_times",
        {
            "training_key": TRAINING_KEY,
            "sessions": [{"start": "2030-03-11T09:00:00", "end": "2030-03-11T11:00:00"}],
            "notify_registrants": False,
        },
    )

    assert read.call_count == 1
    assert [call.request.method for call in goto.calls] == ["GET", "PUT"]
    assert sent_json(route) == {
        "timeZone": "America/New_York",
        "times": [{"startDate": "2030-03-11T13:00:00Z", "endDate": "2030-03-11T15:00:00Z"}],
        "notifyRegistrants": False,
        "notifyTrainers": True,
    }
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "time_zone": "America/New_York",
        "times": [{"start_date": "2030-03-11T13:00:00Z", "end_date": "2030-03-11T15:00:00Z"}],
        "notified_registrants": 0,
        "notified_trainers": 1,
    }


async def test_update_times_rejects_unknown_zone(client: Client, goto: respx.MockRouter, fixed_now: datetime) -> None:
    everything = goto.route().mock(return_value=httpx.Response(500))

    result = await client.call_tool(
        "update_training_times",
        {
            "training_key": TRAINING_KEY,
            "time_zone": "Mars/Olympus",
            "sessions": [{"start": "2030-03-11T09:00:00", "end": "2030-03-11T11:00:00"}],
        },
    )

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool update_training_times: time_zone 'Mars/Olympus' is not a known IANA time zone; "
        "use an id such as 'Europe/Berlin' or 'America/New_York'."
    )
    assert everything.call_count == 0


# organizers of a training ----------------------------------------------------------------------


async def test_list_training_organizers_returns_exact_keys(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(f"{TRAINING_URL}/organizers").mock(
        return_value=json_response(
            '[{"organizerKey": 7100000000000000001, "email": "ann@example.com", "givenName": "Ann", "surname": "Lee"},'
            ' {"organizerKey": "7300000000000000003", "email": "bo@example.com", "givenName": "Bo", "surname": "Kim"}]'
        )
    )

    result = await client.call_tool("list_training_organizers", {"training_key": TRAINING_KEY})

    request = route.calls.last.request
    assert request.method == "GET"
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/organizers"
    assert request.url.query == b""
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {
        "organizers": [
            {"organizer_key": "7100000000000000001", "email": "ann@example.com", "given_name": "Ann", "surname": "Lee"},
            {"organizer_key": "7300000000000000003", "email": "bo@example.com", "given_name": "Bo", "surname": "Kim"},
        ],
        "total": 2,
    }


async def test_update_training_organizers_puts_integer_keys(client: Client, goto: respx.MockRouter) -> None:
    route = goto.put(f"{TRAINING_URL}/organizers").mock(return_value=httpx.Response(204))

    result = await client.call_tool(
        "update_training_organizers",
        {"training_key": TRAINING_KEY, "organizer_keys": [CO_ORGANIZER_KEY, 7500000000005]},
    )

    request = route.calls.last.request
    assert request.method == "PUT"
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/organizers"
    assert request.headers["Authorization"] == BEARER
    assert json.loads(request.content) == {
        "organizers": [7300000000000000003, 7500000000005],
        "notifyOrganizers": True,
    }
    assert result.is_error is False
    assert result.structured_content == {"training_key": TRAINING_KEY, "status": "organizers replaced"}


async def test_update_training_organizers_rejects_bad_organizer_key(client: Client, goto: respx.MockRouter) -> None:
    everything = goto.route().mock(return_value=httpx.Response(500))

    result = await client.call_tool(
        "update_training_organizers", {"training_key": TRAINING_KEY, "organizer_keys": ["12a"]}
    )

    assert result.is_error is True
    assert f"organizer_key '12a' {INVALID_KEY_RULE}" in result_text(result)
    assert everything.call_count == 0


# delete_training and URLs ----------------------------------------------------------------------


async def test_delete_training_sends_delete(client: Client, goto: respx.MockRouter) -> None:
    route = goto.delete(TRAINING_URL).mock(return_value=httpx.Response(204))

    result = await client.call_tool("delete_training", {"training_key": TRAINING_KEY})

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}"
    assert request.headers["Authorization"] == BEARER
    assert request.content == b""
    assert result.is_error is False
    assert result.structured_content == {"training_key": TRAINING_KEY, "status": "deleted"}


async def test_get_management_url_returns_url(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(f"{TRAINING_URL}/manageUrl").mock(
        return_value=json_response('"https://global.gototraining.com/manage/8800000000000000123"')
    )

    result = await client.call_tool("get_management_url", {"training_key": TRAINING_KEY})

    request = route.calls.last.request
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/manageUrl"
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "url": "https://global.gototraining.com/manage/8800000000000000123",
    }


async def test_get_start_url_returns_url(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(f"{TRAINING_URL}/startUrl").mock(
        return_value=json_response('"https://global.gototraining.com/start/8800000000000000123"')
    )

    result = await client.call_tool("get_start_url", {"training_key": TRAINING_KEY})

    request = route.calls.last.request
    assert request.url.path == f"/G2T/rest/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/startUrl"
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "url": "https://global.gototraining.com/start/8800000000000000123",
    }


async def test_start_training_returns_host_url(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(f"{API}/trainings/{TRAINING_KEY}/start").mock(
        return_value=json_response('{"hostURL": "https://global.gototraining.com/host/abc"}')
    )

    result = await client.call_tool("start_training", {"training_key": TRAINING_KEY})

    request = route.calls.last.request
    assert request.method == "GET"
    assert request.url.path == f"/G2T/rest/trainings/{TRAINING_KEY}/start"
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "url": "https://global.gototraining.com/host/abc",
    }
