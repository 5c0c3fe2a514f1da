"""Session times: local times in the training's time zone across daylight-saving changes, and the
checks that reject bad sessions before any request.

In America/New_York in 2030 the clocks go forward on 10 March (02:00 EST becomes 03:00 EDT)
and back on 3 November (02:00 EDT becomes 01:00 EST). EST is UTC-5 and EDT is UTC-4.
"""

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx
from mcp import Client
from mcp_types import CallToolResult

from server.models import DateTimeRange
from tests.tools.conftest import API, ORGANIZER_KEY
from tools.schedule import SessionTimes, to_utc_ranges

TRAININGS_URL = f"{API}/organizers/{ORGANIZER_KEY}/trainings"
NEW_KEY = "8800000000000000123"

# 2030-01-01T00:00Z, which is 2029-12-31T19:00 in New York.
NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the tools' clock to NOW, so messages about the past are exact."""
    monkeypatch.setattr("tools.trainings._now", lambda: NOW)


@pytest.fixture
def create_routes(goto: respx.MockRouter) -> respx.Route:
    """Mock a successful create and its read-back; return the create route."""
    goto.get(f"{TRAININGS_URL}/{NEW_KEY}").mock(
        return_value=httpx.Response(200, json={"trainingKey": NEW_KEY, "name": "Onboarding"})
    )
    return goto.post(TRAININGS_URL).mock(return_value=httpx.Response(201, json=NEW_KEY))


@pytest.fixture
def everything(goto: respx.MockRouter) -> respx.Route:
    """A route that matches any request, for tests that expect none to be sent."""
    return goto.route().mock(return_value=httpx.Response(500))


async def create(client: Client, sessions: list[dict[str, str]], time_zone: str = "America/New_York") -> CallToolResult:
    return await client.call_tool(
        "create_training", {"name": "Onboarding", "time_zone": time_zone, "sessions": sessions}
    )


def sent_times(route: respx.Route) -> list[dict[str, str]]:
    return json.loads(route.calls.last.request.content)["times"]


def result_text(result: CallToolResult) -> str:
    (content,) = result.content
    return content.text


def session(start: str, end: str) -> SessionTimes:
    return SessionTimes.model_validate({"start": start, "end": end})


# UTC instants sent to GoTo ---------------------------------------------------------------------


async def test_local_times_across_spring_change_shift_utc(client: Client, create_routes: respx.Route) -> None:
    result = await create(
        client,
        [
            {"start": "2030-03-09T09:00:00", "end": "2030-03-09T11:00:00"},
            {"start": "2030-03-11T09:00:00", "end": "2030-03-11T11:00:00"},
        ],
    )

    assert result.is_error is False
    assert create_routes.call_count == 1
    assert sent_times(create_routes) == [
        {"startDate": "2030-03-09T14:00:00Z", "endDate": "2030-03-09T16:00:00Z"},
        {"startDate": "2030-03-11T13:00:00Z", "endDate": "2030-03-11T15:00:00Z"},
    ]


async def test_local_times_across_autumn_change_shift_utc(client: Client, create_routes: respx.Route) -> None:
    result = await create(
        client,
        [
            {"start": "2030-11-02T09:00:00", "end": "2030-11-02T11:00:00"},
            {"start": "2030-11-04T09:00:00", "end": "2030-11-04T11:00:00"},
        ],
    )

    assert result.is_error is False
    assert sent_times(create_routes) == [
        {"startDate": "2030-11-02T13:00:00Z", "endDate": "2030-11-02T15:00:00Z"},
        {"startDate": "2030-11-04T14:00:00Z", "endDate": "2030-11-04T16:00:00Z"},
    ]


async def test_session_spanning_spring_change_is_23_hours(client: Client, create_routes: respx.Route) -> None:
    result = await create(client, [{"start": "2030-03-09T12:00:00", "end": "2030-03-10T12:00:00"}])

    assert result.is_error is False
    assert sent_times(create_routes) == [{"startDate": "2030-03-09T17:00:00Z", "endDate": "2030-03-10T16:00:00Z"}]


async def test_time_with_offset_is_used_as_given(client: Client, create_routes: respx.Route) -> None:
    result = await create(
        client,
        [
            {"start": "2030-03-10T02:30:00-05:00", "end": "2030-03-10T04:00:00-05:00"},
            {"start": "2030-03-12T09:00:00+01:00", "end": "2030-03-12T10:00:00Z"},
        ],
    )

    assert result.is_error is False
    assert sent_times(create_routes) == [
        {"startDate": "2030-03-10T07:30:00Z", "endDate": "2030-03-10T09:00:00Z"},
        {"startDate": "2030-03-12T08:00:00Z", "endDate": "2030-03-12T10:00:00Z"},
    ]


async def test_fractional_seconds_are_dropped(client: Client, create_routes: respx.Route) -> None:
    result = await create(client, [{"start": "2030-03-11T09:00:00.750", "end": "2030-03-11T11:00:59.999"}], "UTC")

    assert result.is_error is False
    assert sent_times(create_routes) == [{"startDate": "2030-03-11T09:00:00Z", "endDate": "2030-03-11T11:00:59Z"}]


async def test_sessions_that_touch_are_accepted(client: Client, create_routes: respx.Route) -> None:
    result = await create(
        client,
        [
            {"start": "2030-03-11T11:00:00", "end": "2030-03-11T12:00:00"},
            {"start": "2030-03-11T09:00:00", "end": "2030-03-11T11:00:00"},
        ],
    )

    assert result.is_error is False
    assert sent_times(create_routes) == [
        {"startDate": "2030-03-11T15:00:00Z", "endDate": "2030-03-11T16:00:00Z"},
        {"startDate": "2030-03-11T13:00:00Z", "endDate": "2030-03-11T15:00:00Z"},
    ]


# Rejected before any request -------------------------------------------------------------------


async def test_unknown_time_zone_is_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(client, [{"start": "2030-03-11T09:00:00", "end": "2030-03-11T11:00:00"}], "Mars/Olympus")

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: time_zone 'Mars/Olympus' is not a known IANA time zone; "
        "use an id such as 'Europe/Berlin' or 'America/New_York'."
    )
    assert everything.call_count == 0


async def test_time_zone_path_is_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(client, [{"start": "2030-03-11T09:00:00", "end": "2030-03-11T11:00:00"}], "../etc/passwd")

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: time_zone '../etc/passwd' is not a known IANA time zone; "
        "use an id such as 'Europe/Berlin' or 'America/New_York'."
    )
    assert everything.call_count == 0


@pytest.mark.parametrize("end", ["2030-03-11T09:00:00", "2030-03-11T08:00:00"])
async def test_end_not_after_start_is_rejected(client: Client, everything: respx.Route, end: str) -> None:
    result = await create(
        client,
        [
            {"start": "2030-03-09T09:00:00", "end": "2030-03-09T11:00:00"},
            {"start": "2030-03-11T09:00:00", "end": end},
        ],
    )

    assert result.is_error is True
    assert result_text(result) == (
        f"Error executing tool create_training: sessions[1] (2030-03-11T09:00:00 to {end}): "
        "end is not after start. Give an end later than the start."
    )
    assert everything.call_count == 0


async def test_session_over_24_hours_is_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(client, [{"start": "2030-03-11T09:00:00", "end": "2030-03-12T09:30:00"}])

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: sessions[0] (2030-03-11T09:00:00 to 2030-03-12T09:30:00) "
        "lasts 1 day, 0:30:00; GoTo allows at most 24 hours a session. Split it."
    )
    assert everything.call_count == 0


async def test_session_spanning_autumn_change_is_25_hours(client: Client, everything: respx.Route) -> None:
    result = await create(client, [{"start": "2030-11-02T12:00:00", "end": "2030-11-03T12:00:00"}])

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: sessions[0] (2030-11-02T12:00:00 to 2030-11-03T12:00:00) "
        "lasts 1 day, 1:00:00; GoTo allows at most 24 hours a session. Split it."
    )
    assert everything.call_count == 0


async def test_start_in_the_past_is_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(client, [{"start": "2029-12-31T09:00:00", "end": "2029-12-31T11:00:00"}])

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: sessions[0] (2029-12-31T09:00:00 to 2029-12-31T11:00:00) "
        "starts in the past (now is 2029-12-31T19:00-05:00 in America/New_York). Pick a future start."
    )
    assert everything.call_count == 0


async def test_no_sessions_is_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(client, [])

    assert result.is_error is True
    assert result_text(result).startswith("Error executing tool create_training: ")
    assert "sessions" in result_text(result)
    assert everything.call_count == 0


async def test_overlapping_sessions_are_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(
        client,
        [
            {"start": "2030-03-11T10:00:00", "end": "2030-03-11T12:00:00"},
            {"start": "2030-03-11T09:00:00", "end": "2030-03-11T11:00:00"},
        ],
    )

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: sessions[1] and sessions[0] overlap "
        "(2030-03-11T13:00Z-15:00Z and 2030-03-11T14:00Z-16:00Z). Make each session end before the next starts."
    )
    assert everything.call_count == 0


async def test_time_skipped_by_daylight_saving_is_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(client, [{"start": "2030-03-10T02:30:00", "end": "2030-03-10T04:00:00"}])

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: sessions[0].start '2030-03-10T02:30:00' does not exist in "
        "America/New_York (the clocks skip it for daylight saving). Pick another time or give an offset."
    )
    assert everything.call_count == 0


async def test_skipped_end_time_is_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(client, [{"start": "2030-03-10T01:00:00", "end": "2030-03-10T02:15:00"}])

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: sessions[0].end '2030-03-10T02:15:00' does not exist in "
        "America/New_York (the clocks skip it for daylight saving). Pick another time or give an offset."
    )
    assert everything.call_count == 0


async def test_update_times_checks_sessions_first(client: Client, everything: respx.Route) -> None:
    result = await client.call_tool(
        "update_training_times",
        {
            "training_key": NEW_KEY,
            "time_zone": "America/New_York",
            "sessions": [{"start": "2030-03-10T02:30:00", "end": "2030-03-10T04:00:00"}],
        },
    )

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool update_training_times: sessions[0].start '2030-03-10T02:30:00' does not exist in "
        "America/New_York (the clocks skip it for daylight saving). Pick another time or give an offset."
    )
    assert everything.call_count == 0


# to_utc_ranges directly ------------------------------------------------------------------------


def test_to_utc_ranges_returns_aware_utc_ranges() -> None:
    ranges = to_utc_ranges([session("2030-11-04T09:00:00", "2030-11-04T11:00:00")], "America/New_York", NOW)

    assert ranges == [
        DateTimeRange(
            start_date=datetime(2030, 11, 4, 14, 0, tzinfo=UTC), end_date=datetime(2030, 11, 4, 16, 0, tzinfo=UTC)
        )
    ]


def test_to_utc_ranges_accepts_exactly_24_hours() -> None:
    ranges = to_utc_ranges([session("2030-06-03T00:00:00Z", "2030-06-04T00:00:00Z")], "UTC", NOW)

    assert ranges == [
        DateTimeRange(start_date=datetime(2030, 6, 3, tzinfo=UTC), end_date=datetime(2030, 6, 4, tzinfo=UTC))
    ]


def test_to_utc_ranges_compares_start_with_injected_now() -> None:
    later_now = datetime(2030, 3, 11, 13, 30, tzinfo=UTC)

    with pytest.raises(ValueError) as raised:
        to_utc_ranges([session("2030-03-11T09:00:00", "2030-03-11T11:00:00")], "America/New_York", later_now)

    assert str(raised.value) == (
        "sessions[0] (2030-03-11T09:00:00 to 2030-03-11T11:00:00) starts in the past "
        "(now is 2030-03-11T09:30-04:00 in America/New_York). Pick a future start."
    )


def test_to_utc_ranges_rejects_empty_list() -> None:
    with pytest.raises(ValueError) as raised:
        to_utc_ranges([], "UTC", NOW)

    assert str(raised.value) == "sessions is empty: give at least one {start, end}."


def test_to_utc_ranges_checks_time_zone_first() -> None:
    with pytest.raises(ValueError) as raised:
        to_utc_ranges([], "Nowhere/Land", NOW)

    assert str(raised.value) == (
        "time_zone 'Nowhere/Land' is not a known IANA time zone; "
        "use an id such as 'Europe/Berlin' or 'America/New_York'."
    )


async def test_time_repeated_by_daylight_saving_is_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(client, [{"start": "2030-11-03T01:30:00", "end": "2030-11-03T03:00:00"}])

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool create_training: sessions[0].start '2030-11-03T01:30:00' happens twice in "
        "America/New_York (the clocks go back for daylight saving). Give the offset you mean: "
        "'2030-11-03T01:30:00-04:00' or '2030-11-03T01:30:00-05:00'."
    )
    assert everything.call_count == 0


async def test_date_without_time_of_day_is_rejected(client: Client, everything: respx.Route) -> None:
    result = await create(client, [{"start": "2030-03-11", "end": "2030-03-12"}])

    assert result.is_error is True
    assert "'2030-03-11' has no time of day; give one, such as '2030-03-11T09:00:00'" in result_text(result)
    assert everything.call_count == 0
