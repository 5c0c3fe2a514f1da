"""The registrant tools, driven through the MCP client against respx routes for the GoTo API."""

import json

import respx
from mcp import Client

from tests.tools.conftest import API, ORGANIZER_KEY

BEARER = "Bearer test-access-token-7f3a9c"

# Keys above 2**53, so a float-based JSON parser would round them. Python's `json` writes the
# integers below exactly, so the respx bodies carry them as exact JSON numbers.
TRAINING_KEY = "9100000000000000011"
REGISTRANT_KEY = "9200000000000000021"
REGISTRANTS_URL = f"{API}/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/registrants"
REGISTRANT_URL = f"{REGISTRANTS_URL}/{REGISTRANT_KEY}"

ADA = {
    "registrantKey": "9200000000000000021",
    "email": "ada@example.com",
    "givenName": "Ada",
    "surname": "Lovelace",
    "status": "APPROVED",
    "registrationDate": "2026-02-01T10:15:00Z",
    "joinUrl": "https://join.example.com/ada",
    "confirmationUrl": "https://confirm.example.com/ada",
    "timeZone": "Europe/London",
}
GRACE = {
    "registrantKey": 9200000000000000022,
    "email": "grace@example.com",
    "givenName": "Grace",
    "surname": "Hopper",
    "status": "WAITING",
    "registrationDate": "2026-02-02T09:00:00+01:00",
    "joinUrl": "https://join.example.com/grace",
    "organization": "US Navy",
}
ALAN = {
    "registrantKey": "9200000000000000023",
    "email": "alan@example.com",
    "givenName": "Alan",
    "surname": "Turing",
    "status": "APPROVED",
    "registrationDate": "2026-02-03T12:00:00Z",
}

ADA_SUMMARY = {
    "registrant_key": "9200000000000000021",
    "email": "ada@example.com",
    "given_name": "Ada",
    "surname": "Lovelace",
    "status": "APPROVED",
    "registration_date": "2026-02-01T10:15:00Z",
}
GRACE_SUMMARY = {
    "registrant_key": "9200000000000000022",
    "email": "grace@example.com",
    "given_name": "Grace",
    "surname": "Hopper",
    "status": "WAITING",
    "registration_date": "2026-02-02T08:00:00Z",
}
ALAN_SUMMARY = {
    "registrant_key": "9200000000000000023",
    "email": "alan@example.com",
    "given_name": "Alan",
    "surname": "Turing",
    "status": "APPROVED",
    "registration_date": "2026-02-03T12:00:00Z",
}

NEW_PERSON = {"training_key": TRAINING_KEY, "email": "ada@example.com", "given_name": "Ada", "surname": "Lovelace"}


def sent_json(route: respx.Route) -> object:
    return json.loads(route.calls.last.request.content)


# list_registrants ----------------------------------------------------------------------------


async def test_list_registrants_returns_summaries(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(REGISTRANTS_URL).respond(200, json=[ADA, GRACE, ALAN])

    result = await client.call_tool("list_registrants", {"training_key": TRAINING_KEY})

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "GET"
    assert str(request.url) == REGISTRANTS_URL
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrants": [ADA_SUMMARY, GRACE_SUMMARY, ALAN_SUMMARY],
        "total": 3,
        "returned": 3,
    }


async def test_list_registrants_text_is_json(client: Client, goto: respx.MockRouter) -> None:
    goto.get(REGISTRANTS_URL).respond(200, json=[ALAN])

    result = await client.call_tool("list_registrants", {"training_key": TRAINING_KEY})

    (content,) = result.content
    assert json.loads(content.text) == {
        "training_key": TRAINING_KEY,
        "registrants": [ALAN_SUMMARY],
        "total": 1,
        "returned": 1,
    }


async def test_list_registrants_filters_by_status(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(REGISTRANTS_URL).respond(200, json=[ADA, GRACE, ALAN])

    result = await client.call_tool("list_registrants", {"training_key": TRAINING_KEY, "status": "WAITING"})

    assert str(route.calls.last.request.url) == REGISTRANTS_URL
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrants": [GRACE_SUMMARY],
        "total": 1,
        "returned": 1,
    }


async def test_status_filter_ignores_goto_case(client: Client, goto: respx.MockRouter) -> None:
    lower_case = {**ALAN, "status": "approved"}
    no_status = {key: value for key, value in ADA.items() if key != "status"}
    goto.get(REGISTRANTS_URL).respond(200, json=[no_status, GRACE, lower_case])

    result = await client.call_tool("list_registrants", {"training_key": TRAINING_KEY, "status": "APPROVED"})

    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrants": [{**ALAN_SUMMARY, "status": "approved"}],
        "total": 1,
        "returned": 1,
    }


async def test_list_registrants_slice_has_next_offset(client: Client, goto: respx.MockRouter) -> None:
    goto.get(REGISTRANTS_URL).respond(200, json=[ADA, GRACE, ALAN])

    result = await client.call_tool("list_registrants", {"training_key": TRAINING_KEY, "limit": 1, "offset": 1})

    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrants": [GRACE_SUMMARY],
        "total": 3,
        "returned": 1,
        "next_offset": 2,
        "note": "Showing registrants 2-2 of 3; call again with offset=2 for more.",
    }


async def test_list_registrants_last_slice_has_no_next_offset(client: Client, goto: respx.MockRouter) -> None:
    goto.get(REGISTRANTS_URL).respond(200, json=[ADA, GRACE, ALAN])

    result = await client.call_tool("list_registrants", {"training_key": TRAINING_KEY, "limit": 2, "offset": 2})

    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrants": [ALAN_SUMMARY],
        "total": 3,
        "returned": 1,
    }


async def test_list_registrants_offset_past_end(client: Client, goto: respx.MockRouter) -> None:
    goto.get(REGISTRANTS_URL).respond(200, json=[ADA, GRACE, ALAN])

    result = await client.call_tool("list_registrants", {"training_key": TRAINING_KEY, "offset": 5})

    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrants": [],
        "total": 3,
        "returned": 0,
        "note": "offset=5 is past the end: there are 3 registrants.",
    }


async def test_list_registrants_empty_body(client: Client, goto: respx.MockRouter) -> None:
    goto.get(REGISTRANTS_URL).respond(204)

    result = await client.call_tool("list_registrants", {"training_key": TRAINING_KEY})

    assert result.is_error is False
    assert result.structured_content == {"training_key": TRAINING_KEY, "registrants": [], "total": 0, "returned": 0}


async def test_list_registrants_uses_given_organizer_key(client: Client, goto: respx.MockRouter) -> None:
    other_organizer = "7300000000000000003"
    url = f"{API}/organizers/{other_organizer}/trainings/{TRAINING_KEY}/registrants"
    route = goto.get(url).respond(200, json=[ALAN])

    result = await client.call_tool(
        "list_registrants", {"training_key": TRAINING_KEY, "organizer_key": other_organizer}
    )

    assert route.call_count == 1
    assert str(route.calls.last.request.url) == url
    assert result.is_error is False


# get_registrant ------------------------------------------------------------------------------


async def test_get_registrant_returns_all_fields(client: Client, goto: respx.MockRouter) -> None:
    body = {
        **ADA,
        "registrationDate": "2026-02-01T11:15:00+01:00",
        "organization": "Analytical Engines Ltd",
        "jobTitle": "Programmer",
        "questionsAndComments": "Is there a recording?",
        "responses": [{"question": "Experience level?", "answer": ["Expert"]}],
    }
    route = goto.get(REGISTRANT_URL).respond(200, json=body)

    result = await client.call_tool("get_registrant", {"training_key": TRAINING_KEY, "registrant_key": REGISTRANT_KEY})

    request = route.calls.last.request
    assert request.method == "GET"
    assert str(request.url) == REGISTRANT_URL
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {
        "registrant_key": REGISTRANT_KEY,
        "email": "ada@example.com",
        "given_name": "Ada",
        "surname": "Lovelace",
        "status": "APPROVED",
        "registration_date": "2026-02-01T10:15:00Z",
        "join_url": "https://join.example.com/ada",
        "confirmation_url": "https://confirm.example.com/ada",
        "time_zone": "Europe/London",
        "organization": "Analytical Engines Ltd",
        "job_title": "Programmer",
        "questions_and_comments": "Is there a recording?",
        "responses": [{"question": "Experience level?", "answer": ["Expert"]}],
    }


# register_for_training -----------------------------------------------------------------------


async def test_register_posts_person_exact_key(client: Client, goto: respx.MockRouter) -> None:
    route = goto.post(REGISTRANTS_URL).respond(
        201,
        json={
            "registrantKey": 9200000000000000099,
            "joinUrl": "https://join.example.com/new",
            "confirmationUrl": "https://confirm.example.com/new",
        },
    )

    result = await client.call_tool("register_for_training", NEW_PERSON)

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "POST"
    assert str(request.url) == REGISTRANTS_URL
    assert request.headers["Authorization"] == BEARER
    assert sent_json(route) == {"email": "ada@example.com", "givenName": "Ada", "surname": "Lovelace"}
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrant_key": "9200000000000000099",
        "already_registered": False,
        "join_url": "https://join.example.com/new",
        "confirmation_url": "https://confirm.example.com/new",
    }


async def test_register_duplicate_reads_conflict_key(client: Client, goto: respx.MockRouter) -> None:
    post = goto.post(REGISTRANTS_URL).respond(
        409,
        json={
            "errorCode": "DuplicateRegistrant",
            "description": "The registrant is already registered",
            "incident": 3141592653589793238,
            "registrantKey": 9200000000000000021,
        },
    )
    get = goto.get(REGISTRANT_URL).respond(200, json=ADA)
    listing = goto.get(REGISTRANTS_URL).respond(200, json=[ADA])

    result = await client.call_tool("register_for_training", NEW_PERSON)

    assert post.call_count == 1
    assert get.call_count == 1
    assert get.calls.last.request.headers["Authorization"] == BEARER
    assert listing.called is False
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrant_key": REGISTRANT_KEY,
        "already_registered": True,
        "join_url": "https://join.example.com/ada",
        "confirmation_url": "https://confirm.example.com/ada",
        "status": "APPROVED",
    }


async def test_register_duplicate_finds_email_in_list(client: Client, goto: respx.MockRouter) -> None:
    post = goto.post(REGISTRANTS_URL).respond(
        409, json={"errorCode": "DuplicateRegistrant", "description": "The registrant is already registered"}
    )
    stray_spaces_and_case = {**ADA, "email": "  Ada@Example.COM "}
    listing = goto.get(REGISTRANTS_URL).respond(200, json=[GRACE, stray_spaces_and_case, ALAN])

    result = await client.call_tool("register_for_training", NEW_PERSON)

    assert post.call_count == 1
    assert listing.call_count == 1
    assert str(listing.calls.last.request.url) == REGISTRANTS_URL
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrant_key": REGISTRANT_KEY,
        "already_registered": True,
        "join_url": "https://join.example.com/ada",
        "confirmation_url": "https://confirm.example.com/ada",
        "status": "APPROVED",
    }


async def test_register_duplicate_not_listed_errors(client: Client, goto: respx.MockRouter) -> None:
    post = goto.post(REGISTRANTS_URL).respond(
        409,
        json={"errorCode": "DuplicateRegistrant", "description": "The registrant is already registered", "incident": 7},
    )
    goto.get(REGISTRANTS_URL).respond(200, json=[GRACE, ALAN])

    result = await client.call_tool("register_for_training", NEW_PERSON)

    (content,) = result.content
    assert post.call_count == 1
    assert result.is_error is True
    assert content.text == (
        "Error executing tool register_for_training: Register for training failed for "
        f"organizer_key '{ORGANIZER_KEY}', training_key '{TRAINING_KEY}': GoTo responded with HTTP 409. "
        "GoTo said: DuplicateRegistrant: The registrant is already registered (incident 7). "
        "This email is already registered: find the registration with list_registrants."
    )


async def test_register_rejects_invalid_email(client: Client, goto: respx.MockRouter) -> None:
    route = goto.post(REGISTRANTS_URL).respond(201, json={"registrantKey": "1"})

    result = await client.call_tool("register_for_training", {**NEW_PERSON, "email": "ada.example.com"})

    (content,) = result.content
    assert route.called is False
    assert result.is_error is True
    # The middle is email-validator's wording, so only our frame is compared in full.
    assert content.text.startswith("Error executing tool register_for_training: invalid arguments. email: ")
    assert content.text.endswith("(got 'ada.example.com'); give an address such as ada@example.com.")


# cancel_registration -------------------------------------------------------------------------


async def test_cancel_registration_sends_delete(client: Client, goto: respx.MockRouter) -> None:
    route = goto.delete(REGISTRANT_URL).respond(204)

    result = await client.call_tool(
        "cancel_registration", {"training_key": TRAINING_KEY, "registrant_key": REGISTRANT_KEY}
    )

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "DELETE"
    assert str(request.url) == REGISTRANT_URL
    assert request.headers["Authorization"] == BEARER
    assert request.content == b""
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "registrant_key": REGISTRANT_KEY,
        "status": "cancelled",
    }
