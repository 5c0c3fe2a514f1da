"""summarize_sessions against the sandbox: groups and numbers checked against the seeded state."""

from datetime import UTC, datetime, timedelta

from mcp import Client

from server.sandbox import Sandbox, SeedKeys
from tests.workflows.conftest import call

TOOL = "summarize_sessions"
REPORT_PATH = r"/reports/organizers/\d+/sessions$"


def minutes(delta: timedelta) -> int:
    return round(delta.total_seconds() / 60)


def utc_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_sessions_grouped_by_training(client: Client, sandbox: Sandbox) -> None:
    end = datetime.now(UTC).replace(microsecond=0)
    start = end - timedelta(days=100)
    in_range = sorted(
        (
            (training, session)
            for training in sandbox.state.trainings.values()
            if SeedKeys.ORGANIZER in training.organizer_keys()
            for session in training.sessions
            if start <= session.start <= end
        ),
        key=lambda pair: pair[1].start,
    )
    groups: dict[str, list] = {}
    for training, session in in_range:
        groups.setdefault(training.name, []).append(session)
    expected = []
    for name, sessions in groups.items():
        counts = [sum(1 for attendee in session.attendees if attendee.periods) for session in sessions]
        durations = [minutes(session.end - session.start) for session in sessions]
        busiest = sessions[counts.index(max(counts))]
        expected.append(
            {
                "training_name": name,
                "sessions": len(sessions),
                "attendees": sum(counts),
                "average_attendees": round(sum(counts) / len(sessions), 1),
                "average_duration_minutes": round(sum(durations) / len(durations), 1),
                "first_start": utc_text(sessions[0].start),
                "last_start": utc_text(sessions[-1].start),
                "busiest_session": {
                    "session_key": str(busiest.key),
                    "start": utc_text(busiest.start),
                    "attendees": max(counts),
                },
            }
        )

    result = await call(client, TOOL, {"start": utc_text(start), "end": utc_text(end)})
    summary = result.structured_content

    assert [group["training_name"] for group in expected] == [
        "Safety Certification Course",
        "Compliance Refresher",
        "Customer Care Workshop",
        "Leadership Lab",
    ]
    assert summary["trainings"] == expected
    assert summary["sessions"] == len(in_range)
    assert summary["attendees"] == sum(group["attendees"] for group in expected)
    assert sandbox.count("POST", REPORT_PATH) == 1
    assert sandbox.requests_matching("POST", REPORT_PATH)[0].body == {
        "startDate": utc_text(start),
        "endDate": utc_text(end),
    }


async def test_sessions_text_has_row_per_training(client: Client, sandbox: Sandbox) -> None:
    end = datetime.now(UTC).replace(microsecond=0)
    start = end - timedelta(days=100)

    result = await call(client, TOOL, {"start": utc_text(start), "end": utc_text(end)})
    summary = result.structured_content
    lines = result.content[0].text.splitlines()

    assert lines[0] == (
        f"{summary['sessions']} completed sessions from {start:%Y-%m-%d} to {end:%Y-%m-%d} (UTC), "
        f"{summary['attendees']} attendances, 4 trainings."
    )
    assert lines[2] == "| training | sessions | attendees | per session | avg minutes | busiest session |"
    rows = [line for line in lines[4:] if line.startswith("| ")]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [
        group["training_name"] for group in summary["trainings"]
    ]


async def test_sessions_of_empty_range_are_none(client: Client) -> None:
    result = await call(client, TOOL, {"start": "2001-01-01T00:00:00Z", "end": "2001-02-01T00:00:00Z"})

    assert result.structured_content["sessions"] == 0
    assert result.structured_content["trainings"] == []
    assert (
        result.content[0].text
        == "0 completed sessions from 2001-01-01 to 2001-02-01 (UTC), 0 attendances, 0 trainings."
    )


async def test_sessions_over_a_year_rejected(client: Client, sandbox: Sandbox) -> None:
    result = await client.call_tool(TOOL, {"start": "2025-01-01T00:00:00Z", "end": "2026-01-02T00:00:01Z"})

    assert result.is_error
    assert result.content[0].text == (
        f"Error executing tool {TOOL}: The range 2025-01-01 to 2026-01-02 is longer than 366 days, the most one "
        "summary covers, so that the report and its summary stay small. Summarize one year at a time."
    )
    assert sandbox.requests == []


async def test_sessions_reversed_range_rejected(client: Client, sandbox: Sandbox) -> None:
    result = await client.call_tool(TOOL, {"start": "2026-03-01T00:00:00+01:00", "end": "2026-02-01T00:00:00"})

    assert result.is_error
    assert result.content[0].text == (
        f"Error executing tool {TOOL}: end '2026-02-01T00:00:00+00:00' is not after start "
        "'2026-02-28T23:00:00+00:00'. Swap them or widen the range."
    )
    assert sandbox.requests == []
