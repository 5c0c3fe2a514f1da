"""The session report tools, driven through the MCP client against respx routes for the GoTo API."""

import json

import respx
from mcp import Client
from mcp_types import CallToolResult

from tests.tools.conftest import API, ORGANIZER_KEY

BEARER = "Bearer test-access-token-7f3a9c"

# Keys above 2**53. Python's `json` writes them into the respx bodies as exact JSON numbers.
TRAINING_KEY = "9100000000000000011"
SESSION_KEY = "8300000000000000031"
SESSIONS_URL = f"{API}/reports/organizers/{ORGANIZER_KEY}/sessions"
TRAINING_SESSIONS_URL = f"{API}/reports/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}"
ATTENDEES_URL = f"{SESSIONS_URL}/{SESSION_KEY}/attendees"

SESSION = {
    "sessionKey": 8300000000000000031,
    "trainingName": "Onboarding",
    "sessionStartTime": "2026-03-02T10:00:00+01:00",
    "sessionEndTime": "2026-03-02T11:30:00+01:00",
    "attendanceCount": 12,
    "duration": 90,
    "organizers": [
        {"organizerKey": 7100000000000000001, "email": "ann@example.com", "givenName": "Ann", "surname": "Lee"}
    ],
}
SESSION_RESULT = {
    "session_key": "8300000000000000031",
    "training_name": "Onboarding",
    "session_start_time": "2026-03-02T09:00:00Z",
    "session_end_time": "2026-03-02T10:30:00Z",
    "attendance_count": 12,
    "duration": 90,
    "organizers": [
        {"organizer_key": "7100000000000000001", "email": "ann@example.com", "given_name": "Ann", "surname": "Lee"}
    ],
}
LATER_SESSION = {
    "sessionKey": "8300000000000000032",
    "trainingName": "Onboarding",
    "sessionStartTime": "2026-03-09T09:00:00Z",
    "sessionEndTime": "2026-03-09T10:00:00Z",
    "attendanceCount": 0,
    "duration": 60,
    "organizers": [],
}
LATER_SESSION_RESULT = {
    "session_key": "8300000000000000032",
    "training_name": "Onboarding",
    "session_start_time": "2026-03-09T09:00:00Z",
    "session_end_time": "2026-03-09T10:00:00Z",
    "attendance_count": 0,
    "duration": 60,
    "organizers": [],
}

# The attendance report lists attendees first and registrants who did not attend last, with
# timeInSession 0 (GoTo Training API reference, "Get Attendance Details").
ATTENDEES = [
    {
        "givenName": "Ada",
        "surname": "Lovelace",
        "email": "ada@example.com",
        "timeInSession": 85,
        "inSessionTimes": [
            {
                "joinTime": "2026-03-02T10:00:00+01:00",
                "leaveTime": "2026-03-02T10:40:00+01:00",
                "timeInPartOfSession": 40,
            },
            {
                "joinTime": "2026-03-02T10:45:00+01:00",
                "leaveTime": "2026-03-02T11:30:00+01:00",
                "timeInPartOfSession": 45,
            },
        ],
    },
    {
        "givenName": "Grace",
        "surname": "Hopper",
        "email": "grace@example.com",
        "timeInSession": 30,
        "inSessionTimes": [
            {"joinTime": "2026-03-02T09:00:00Z", "leaveTime": "2026-03-02T09:30:00Z", "timeInPartOfSession": 30}
        ],
    },
    {"givenName": "Alan", "surname": "Turing", "email": "alan@example.com", "timeInSession": 0, "inSessionTimes": []},
    {"givenName": "Edsger", "surname": "Dijkstra", "email": "edsger@example.com", "timeInSession": 0},
]
ADA_RESULT = {
    "given_name": "Ada",
    "surname": "Lovelace",
    "email": "ada@example.com",
    "time_in_session": 85,
    "in_session_times": [
        {"join_time": "2026-03-02T09:00:00Z", "leave_time": "2026-03-02T09:40:00Z", "time_in_part_of_session": 40},
        {"join_time": "2026-03-02T09:45:00Z", "leave_time": "2026-03-02T10:30:00Z", "time_in_part_of_session": 45},
    ],
}
GRACE_RESULT = {
    "given_name": "Grace",
    "surname": "Hopper",
    "email": "grace@example.com",
    "time_in_session": 30,
    "in_session_times": [
        {"join_time": "2026-03-02T09:00:00Z", "leave_time": "2026-03-02T09:30:00Z", "time_in_part_of_session": 30}
    ],
}
ALAN_RESULT = {
    "given_name": "Alan",
    "surname": "Turing",
    "email": "alan@example.com",
    "time_in_session": 0,
    "in_session_times": [],
}
EDSGER_RESULT = {
    "given_name": "Edsger",
    "surname": "Dijkstra",
    "email": "edsger@example.com",
    "time_in_session": 0,
    "in_session_times": [],
}


def sent_json(route: respx.Route) -> object:
    return json.loads(route.calls.last.request.content)


def error_text(result: CallToolResult) -> str:
    (content,) = result.content
    return content.text


# list_sessions_in_date_range -------------------------------------------------------------------


async def test_date_range_posts_utc_range(client: Client, goto: respx.MockRouter) -> None:
    route = goto.post(SESSIONS_URL).respond(200, json=[SESSION, LATER_SESSION])

    result = await client.call_tool(
        "list_sessions_in_date_range", {"start": "2026-03-01T09:30:00+01:00", "end": "2026-03-31T18:00:00-04:00"}
    )

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "POST"
    assert str(request.url) == SESSIONS_URL
    assert request.headers["Authorization"] == BEARER
    assert sent_json(route) == {"startDate": "2026-03-01T08:30:00Z", "endDate": "2026-03-31T22:00:00Z"}
    assert result.is_error is False
    assert result.structured_content == {"sessions": [SESSION_RESULT, LATER_SESSION_RESULT], "total": 2}


async def test_date_range_reads_naive_as_utc(client: Client, goto: respx.MockRouter) -> None:
    route = goto.post(SESSIONS_URL).respond(200, json=[LATER_SESSION])

    result = await client.call_tool(
        "list_sessions_in_date_range", {"start": "2026-03-01T00:00:00", "end": "2026-03-10T12:30:15.250"}
    )

    assert sent_json(route) == {"startDate": "2026-03-01T00:00:00Z", "endDate": "2026-03-10T12:30:15Z"}
    assert result.is_error is False
    assert result.structured_content == {"sessions": [LATER_SESSION_RESULT], "total": 1}


async def test_date_range_empty_body(client: Client, goto: respx.MockRouter) -> None:
    goto.post(SESSIONS_URL).respond(200, content=b"")

    result = await client.call_tool(
        "list_sessions_in_date_range", {"start": "2026-03-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"}
    )

    assert result.is_error is False
    assert result.structured_content == {"sessions": [], "total": 0}


async def test_date_range_rejects_end_before_start(client: Client, goto: respx.MockRouter) -> None:
    route = goto.post(SESSIONS_URL).respond(200, json=[])

    result = await client.call_tool(
        "list_sessions_in_date_range", {"start": "2026-03-02T00:00:00", "end": "2026-03-01T00:00:00"}
    )

    assert route.called is False
    assert result.is_error is True
    assert error_text(result) == (
        "Error executing tool list_sessions_in_date_range: end '2026-03-01T00:00:00+00:00' is not after "
        "start '2026-03-02T00:00:00+00:00'; swap or widen them."
    )


async def test_date_range_rejects_equal_bounds(client: Client, goto: respx.MockRouter) -> None:
    route = goto.post(SESSIONS_URL).respond(200, json=[])

    # The same instant written in two offsets.
    result = await client.call_tool(
        "list_sessions_in_date_range", {"start": "2026-03-01T10:00:00+01:00", "end": "2026-03-01T09:00:00Z"}
    )

    assert route.called is False
    assert result.is_error is True
    assert error_text(result) == (
        "Error executing tool list_sessions_in_date_range: end '2026-03-01T09:00:00+00:00' is not after "
        "start '2026-03-01T10:00:00+01:00'; swap or widen them."
    )


async def test_date_range_rejects_over_a_year(client: Client, goto: respx.MockRouter) -> None:
    route = goto.post(SESSIONS_URL).respond(200, json=[])

    # 366 days and one second.
    result = await client.call_tool(
        "list_sessions_in_date_range", {"start": "2025-01-01T00:00:00Z", "end": "2026-01-02T00:00:01Z"}
    )

    assert route.called is False
    assert result.is_error is True
    assert error_text(result) == (
        "Error executing tool list_sessions_in_date_range: The range 2025-01-01 to 2026-01-02 is longer than "
        "a year; ask for a year at a time."
    )


async def test_date_range_accepts_366_days(client: Client, goto: respx.MockRouter) -> None:
    route = goto.post(SESSIONS_URL).respond(200, json=[])

    result = await client.call_tool(
        "list_sessions_in_date_range", {"start": "2027-03-01T00:00:00Z", "end": "2028-03-01T00:00:00Z"}
    )

    assert sent_json(route) == {"startDate": "2027-03-01T00:00:00Z", "endDate": "2028-03-01T00:00:00Z"}
    assert result.is_error is False
    assert result.structured_content == {"sessions": [], "total": 0}


# list_training_sessions ------------------------------------------------------------------------


async def test_training_sessions_gets_report(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(TRAINING_SESSIONS_URL).respond(200, json=[SESSION, LATER_SESSION])

    result = await client.call_tool("list_training_sessions", {"training_key": TRAINING_KEY})

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "GET"
    assert str(request.url) == TRAINING_SESSIONS_URL
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {"sessions": [SESSION_RESULT, LATER_SESSION_RESULT], "total": 2}


async def test_training_sessions_empty_body(client: Client, goto: respx.MockRouter) -> None:
    goto.get(TRAINING_SESSIONS_URL).respond(204)

    result = await client.call_tool("list_training_sessions", {"training_key": TRAINING_KEY})

    assert result.is_error is False
    assert result.structured_content == {"sessions": [], "total": 0}


# get_session_attendance ------------------------------------------------------------------------


async def test_attendance_counts_attended_and_no_shows(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(ATTENDEES_URL).respond(200, json=ATTENDEES)

    result = await client.call_tool("get_session_attendance", {"session_key": SESSION_KEY})

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "GET"
    assert str(request.url) == ATTENDEES_URL
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    # Ada (85 minutes) and Grace (30) attended, but Alan and Edsger have 0 minutes.
    assert result.structured_content == {
        "session_key": SESSION_KEY,
        "attended": 2,
        "no_shows": 2,
        "attendees": [ADA_RESULT, GRACE_RESULT, ALAN_RESULT, EDSGER_RESULT],
        "total": 4,
        "returned": 4,
    }


async def test_attendance_slice_keeps_session_counts(client: Client, goto: respx.MockRouter) -> None:
    goto.get(ATTENDEES_URL).respond(200, json=ATTENDEES)

    result = await client.call_tool("get_session_attendance", {"session_key": SESSION_KEY, "limit": 2, "offset": 1})

    assert result.is_error is False
    assert result.structured_content == {
        "session_key": SESSION_KEY,
        "attended": 2,
        "no_shows": 2,
        "attendees": [GRACE_RESULT, ALAN_RESULT],
        "total": 4,
        "returned": 2,
        "next_offset": 3,
        "note": "Showing attendees 2-3 of 4; call again with offset=3 for more.",
    }


async def test_attendance_empty_body_counts_zero(client: Client, goto: respx.MockRouter) -> None:
    goto.get(ATTENDEES_URL).respond(204)

    result = await client.call_tool("get_session_attendance", {"session_key": SESSION_KEY})

    assert result.is_error is False
    assert result.structured_content == {
        "session_key": SESSION_KEY,
        "attended": 0,
        "no_shows": 0,
        "attendees": [],
        "total": 0,
        "returned": 0,
    }
