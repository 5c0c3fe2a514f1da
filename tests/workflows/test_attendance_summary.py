"""summarize_training_attendance against the sandbox: every number checked against the seeded state."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from mcp import Client

from bench.fan_out import add_large_training
from server.app import build_server
from server.sandbox import Sandbox, SeedKeys
from server.sandbox.model import Session, Training
from tests.workflows.conftest import call, settings_for
from tests.workflows.holding_transport import HoldingTransport, let_other_tasks_run, wait_for_event

TOOL = "summarize_training_attendance"
ATTENDEES_PATH = r"/reports/organizers/\d+/sessions/\d+/attendees$"
SAFETY_APPROVED_REGISTRANTS = 32
"""Riley, Noel and Pat, and 29 of the 32 crowd registrants (2 DENIED, 1 DELETED), as the seed registers them."""


def minutes(delta: timedelta) -> int:
    return round(delta.total_seconds() / 60)


def attended_minutes(session: Session, email: str) -> int:
    (attendee,) = [attendee for attendee in session.attendees if attendee.email == email]
    return sum(minutes(period.leave - period.join) for period in attendee.periods)


def expected_summary(training: Training) -> dict[str, Any]:
    """Work the summary out from the sandbox's raw records, the way a person would with a spreadsheet."""
    sessions = sorted(training.sessions, key=lambda session: session.start)
    session_rows = []
    for session in sessions:
        attended = sum(1 for attendee in session.attendees if attendee.periods)
        listed = len(session.attendees)
        session_rows.append(
            {
                "session_key": str(session.key),
                "duration_minutes": minutes(session.end - session.start),
                "attendees": attended,
                "registrants": listed,
                "attendance_rate": round(attended / listed, 3),
            }
        )
    all_minutes = sum(row["duration_minutes"] for row in session_rows)

    emails = sorted({attendee.email for session in sessions for attendee in session.attendees})
    people = []
    for email in emails:
        sessions_attended = sum(1 for session in sessions if attended_minutes(session, email) > 0)
        total = sum(attended_minutes(session, email) for session in sessions)
        people.append(
            {
                "email": email,
                "sessions_attended": sessions_attended,
                "total_minutes": total,
                "minutes_share": round(total / all_minutes, 3),
            }
        )
    people.sort(key=lambda person: (-person["total_minutes"], person["email"]))

    attendances = sum(row["attendees"] for row in session_rows)
    no_shows = [person["email"] for person in people if person["sessions_attended"] == 0]
    return {
        "sessions": session_rows,
        "people": people,
        "no_shows": no_shows,
        "totals": {
            "sessions": len(sessions),
            "session_minutes": all_minutes,
            "people": len(people),
            "attended_any": len(people) - len(no_shows),
            "no_shows": len(no_shows),
            "attendances": attendances,
            "attendance_rate": round(attendances / sum(row["registrants"] for row in session_rows), 3),
            "average_attendees": round(attendances / len(sessions), 1),
        },
    }


def without_start(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{name: value for name, value in row.items() if name != "start"} for row in rows]


def people_figures(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fields = ("email", "sessions_attended", "total_minutes", "minutes_share")
    return [{name: person[name] for name in fields} for person in people]


async def test_attendance_summary_matches_seeded_course(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]
    expected = expected_summary(training)

    result = await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)})
    summary = result.structured_content

    assert summary["training_key"] == str(SeedKeys.SAFETY_COURSE)
    assert summary["training_name"] == "Safety Certification Course"
    assert summary["time_zone"] == "UTC"
    assert without_start(summary["sessions"]) == expected["sessions"]
    assert people_figures(summary["people"]) == expected["people"]
    assert summary["no_shows"] == expected["no_shows"]
    assert summary["totals"] == expected["totals"]


async def test_attendance_summary_agrees_with_seed_facts(client: Client, sandbox: Sandbox) -> None:
    result = await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)})
    summary = result.structured_content
    people = {person["email"]: person for person in summary["people"]}

    assert summary["totals"]["sessions"] == SeedKeys.SAFETY_COURSE_SESSION_COUNT
    assert [row["registrants"] for row in summary["sessions"]] == [SAFETY_APPROVED_REGISTRANTS] * 12
    assert people[SeedKeys.MULTI_TRAINING_EMAIL]["sessions_attended"] == 12
    assert people[SeedKeys.MULTI_TRAINING_EMAIL]["total_minutes"] == summary["totals"]["session_minutes"]
    assert people[SeedKeys.MULTI_TRAINING_EMAIL]["minutes_share"] == 1.0
    assert people[SeedKeys.RECONNECT_EMAIL]["sessions_attended"] == 12
    assert people[SeedKeys.RECONNECT_EMAIL]["total_minutes"] < summary["totals"]["session_minutes"]
    assert people[SeedKeys.NO_SHOW_EMAIL]["sessions_attended"] == 0
    assert people[SeedKeys.NO_SHOW_EMAIL]["total_minutes"] == 0
    assert SeedKeys.NO_SHOW_EMAIL in summary["no_shows"]


async def test_attendance_summary_fetches_each_report_once(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]

    await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)})

    for session in training.sessions:
        assert sandbox.count("GET", rf"/sessions/{session.key}/attendees$") == 1, f"session {session.key}"
    assert sandbox.count("GET", ATTENDEES_PATH) == 12
    assert sandbox.count("GET", rf"^/G2T/rest/organizers/\d+/trainings/{SeedKeys.SAFETY_COURSE}$") == 1
    assert sandbox.count("GET", rf"/reports/organizers/\d+/trainings/{SeedKeys.SAFETY_COURSE}$") == 1
    assert len(sandbox.requests) == 14


async def test_attendance_dates_use_training_time_zone(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.LEADERSHIP]
    tokyo = ZoneInfo("Asia/Tokyo")
    sessions = sorted(training.sessions, key=lambda session: session.start)

    result = await call(client, TOOL, {"training_key": str(SeedKeys.LEADERSHIP)})
    rows = result.structured_content["sessions"]

    assert result.structured_content["time_zone"] == "Asia/Tokyo"
    assert len(rows) == 2
    for row, session in zip(rows, sessions, strict=True):
        local = session.start.astimezone(tokyo)
        assert row["start"] == local.isoformat(), row
        assert row["start"].endswith("+09:00")


async def test_attendance_in_utc_for_unknown_zone(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.LEADERSHIP]
    training.time_zone = "Mars/Olympus_Mons"
    first = min(training.sessions, key=lambda session: session.start)

    result = await call(client, TOOL, {"training_key": str(SeedKeys.LEADERSHIP)})

    assert result.structured_content["time_zone"] == "UTC"
    assert result.structured_content["sessions"][0]["start"] == first.start.strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_attendance_text_is_markdown_table(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]
    first = min(training.sessions, key=lambda session: session.start)
    attended = sum(1 for attendee in first.attendees if attendee.periods)
    listed = len(first.attendees)
    rate = f"{attended / listed * 100:.0f}%"

    result = await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)})
    lines = result.content[0].text.splitlines()

    assert lines[0] == (
        f"**Safety Certification Course** (training_key {SeedKeys.SAFETY_COURSE}): 12 completed sessions, times in UTC."
    )
    assert lines[2] == "| # | date | start | minutes | attended | registrants | rate |"
    assert lines[4] == (
        f"| 1 | {first.start:%Y-%m-%d} | {first.start:%H:%M} | {minutes(first.end - first.start)} "
        f"| {attended} | {listed} | {rate} |"
    )
    assert len([line for line in lines if line.startswith("| ")]) == 1 + 12
    totals = expected_summary(training)["totals"]
    assert (
        f"Totals: {totals['attendances']} attendances ({totals['attendance_rate'] * 100:.0f}% of registrants), "
        f"{totals['average_attendees']} a session on average, {totals['session_minutes']} session minutes."
    ) in lines
    assert (
        f"People: {totals['people']}, of whom {totals['attended_any']} attended at least once "
        f"and {totals['no_shows']} never."
    ) in lines
    assert f"No-shows: {SeedKeys.NO_SHOW_EMAIL}." in lines


async def test_attendance_of_twenty_sessions_fits_8_kb(client: Client, sandbox: Sandbox) -> None:
    key = add_large_training(sandbox.state, datetime.now(UTC), sessions=20, attendees=50)

    result = await call(client, TOOL, {"training_key": str(key)})
    summary = result.structured_content
    text = result.content[0].text

    assert len(text.encode("utf-8")) < 8 * 1024
    # Person n misses the sessions i with n + i a multiple of 5 (4 of 20) and stays 120 - 15 * (n % 4) minutes.
    assert [row["attendees"] for row in summary["sessions"]] == [40] * 20
    assert [row["registrants"] for row in summary["sessions"]] == [50] * 20
    assert [row["attendance_rate"] for row in summary["sessions"]] == [0.8] * 20
    assert summary["totals"] == {
        "sessions": 20,
        "session_minutes": 2400,
        "people": 50,
        "attended_any": 50,
        "no_shows": 0,
        "attendances": 800,
        "attendance_rate": 0.8,
        "average_attendees": 40.0,
    }
    people = {person["email"]: person for person in summary["people"]}
    for number in range(50):
        person = people[f"person{number:02d}.bench@example.com"]
        stay = 120 - 15 * (number % 4)
        assert person["sessions_attended"] == 16, number
        assert person["total_minutes"] == 16 * stay, number
        assert person["minutes_share"] == round(16 * stay / 2400, 3), number


async def test_attendance_of_upcoming_training_is_empty(client: Client) -> None:
    result = await call(client, TOOL, {"training_key": str(SeedKeys.ONBOARDING)})
    summary = result.structured_content

    assert summary["sessions"] == []
    assert summary["totals"]["sessions"] == 0
    assert summary["note"] == "The training has no completed sessions yet, so there is no attendance."
    assert result.content[0].text.endswith(summary["note"])


async def test_attendance_of_unknown_training_is_error(client: Client, sandbox: Sandbox) -> None:
    result = await client.call_tool(TOOL, {"training_key": "123"})

    assert result.is_error
    assert result.content[0].text.startswith(f"Error executing tool {TOOL}: training_key '123' was not found")
    assert sandbox.count("GET", ATTENDEES_PATH) == 0


async def test_attendance_failure_names_session(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]
    failing = sorted(training.sessions, key=lambda session: session.start)[5]
    sandbox.fail_next(
        404,
        {"errorCode": "NoSuchSession", "description": "Session not found."},
        path_regex=rf"/sessions/{failing.key}/attendees$",
    )

    result = await client.call_tool(TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)})

    assert result.is_error
    assert result.content[0].text.startswith(f"Error executing tool {TOOL}: session_key '{failing.key}' was not found")


async def test_attendance_same_as_one_request_at_a_time(sandbox: Sandbox) -> None:
    results = []
    for concurrency in (1, 8):
        server = build_server(settings_for(sandbox, max_concurrency=concurrency), sandbox.transport())
        async with Client(server) as client:
            results.append(await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)}))

    one_at_a_time, concurrent = results
    assert concurrent.structured_content == one_at_a_time.structured_content
    assert concurrent.content[0].text == one_at_a_time.content[0].text


async def test_attendance_reports_progress_per_request(client: Client) -> None:
    updates: list[tuple[float, float | None, str | None]] = []

    async def record(progress: float, total: float | None, message: str | None) -> None:
        updates.append((progress, total, message))

    await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)}, progress_callback=record)

    # The training and its session list first (2 requests), then 12 attendance reports.
    assert [progress for progress, _, _ in updates] == list(range(1, 15))
    assert [total for _, total, _ in updates] == [2, 2] + [14] * 12
    assert updates[-1] == (14, 14, "14 of 14 GoTo requests done")


async def test_attendance_keeps_requests_within_concurrency() -> None:
    sandbox = Sandbox()
    holding = HoldingTransport(sandbox.transport(), ATTENDEES_PATH, fill=3, release_when_filled=False)
    server = build_server(settings_for(sandbox, max_concurrency=3), holding)

    async with Client(server) as client:
        pending = asyncio.create_task(call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)}))
        await wait_for_event(holding.filled)
        await let_other_tasks_run()
        held = holding.in_flight
        holding.release.set()
        await pending

    assert held == 3
    assert holding.max_in_flight == 3
    assert holding.started == 12


async def test_cancelled_call_cancels_outstanding_requests() -> None:
    sandbox = Sandbox()
    holding = HoldingTransport(sandbox.transport(), ATTENDEES_PATH, fill=3, release_when_filled=False)
    server = build_server(settings_for(sandbox, max_concurrency=3), holding)

    async with Client(server) as client:
        pending = asyncio.create_task(client.call_tool(TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)}))
        await wait_for_event(holding.filled)
        pending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await pending
        await wait_for_event(holding.idle)

        assert holding.cancelled == 3
        assert holding.started == 3
        assert sandbox.count("GET", ATTENDEES_PATH) == 0

        # The server goes on serving: the same call completes once requests pass.
        holding.release.set()
        again = await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE)})
    assert again.structured_content["totals"]["sessions"] == 12
