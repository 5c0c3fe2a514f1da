"""find_registrant against the sandbox: matches, attendance and requests checked against the seeded state."""

from datetime import UTC, datetime, timedelta

from mcp import Client

from server.app import build_server
from server.sandbox import Sandbox, SeedKeys
from server.sandbox.model import Training
from tests.workflows.conftest import call, settings_for

TOOL = "find_registrant"
ATTENDEES_PATH = r"/reports/organizers/\d+/sessions/\d+/attendees$"
REGISTRANTS_PATH = r"^/G2T/rest/organizers/\d+/trainings/\d+/registrants$"


def minutes(delta: timedelta) -> int:
    return round(delta.total_seconds() / 60)


def scheduled_trainings(sandbox: Sandbox) -> list[Training]:
    """The organizer's trainings that GoTo lists: not deleted and with a session still to end."""
    now = datetime.now(UTC)
    return [
        training
        for training in sandbox.state.trainings.values()
        if not training.deleted
        and SeedKeys.ORGANIZER in training.organizer_keys()
        and any(time.end > now for time in training.times)
    ]


def sessions_in_last_year(sandbox: Sandbox) -> list[int]:
    now = datetime.now(UTC)
    return [
        session.key
        for training in sandbox.state.trainings.values()
        if SeedKeys.ORGANIZER in training.organizer_keys()
        for session in training.sessions
        if now - timedelta(days=365) <= session.start <= now
    ]


def attendance_of(training: Training, email: str) -> dict:
    """Work out a person's attendance in `training` from the raw records."""
    sessions = attended = total = 0
    last = None
    for session in training.sessions:
        for attendee in session.attendees:
            if attendee.email != email:
                continue
            sessions += 1
            stayed = sum(minutes(period.leave - period.join) for period in attendee.periods)
            if stayed > 0:
                attended += 1
                total += stayed
                last = max(last, session.start) if last else session.start
    record = {"sessions": sessions, "attended": attended, "minutes": total}
    if last is not None:
        record["last_attended"] = last.strftime("%Y-%m-%dT%H:%M:%SZ")
    return record


async def test_lookup_by_email_finds_every_registration(client: Client, sandbox: Sandbox) -> None:
    trainings = scheduled_trainings(sandbox)
    expected = []
    for training in trainings:
        for registrant in training.registrants.values():
            if registrant.email == SeedKeys.MULTI_TRAINING_EMAIL:
                expected.append(
                    {
                        "training_key": str(training.key),
                        "training_name": training.name,
                        "status": registrant.status,
                        "registrant_key": str(registrant.key),
                        "email": registrant.email,
                        "given_name": registrant.given_name,
                        "surname": registrant.surname,
                        "registration_date": registrant.registration_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "join_url": registrant.join_url,
                    }
                )

    result = await call(client, TOOL, {"query": SeedKeys.MULTI_TRAINING_EMAIL})
    found = result.structured_content

    assert [match["training_key"] for match in expected] == [str(SeedKeys.ONBOARDING), str(SeedKeys.LEADERSHIP)]
    assert found["matches"] == expected
    assert found["trainings_searched"] == len(trainings)
    assert "sessions_searched" not in found
    assert sandbox.count("GET", REGISTRANTS_PATH) == len(trainings)
    assert sandbox.count("GET", ATTENDEES_PATH) == 0
    assert sandbox.count("POST", r"/sessions$") == 0


async def test_lookup_trims_and_ignores_case(client: Client) -> None:
    result = await call(client, TOOL, {"query": "  QUINN.Spaces@Example.com "})
    matches = result.structured_content["matches"]

    assert [match["training_key"] for match in matches] == [str(SeedKeys.DATA_SERIES)]
    assert matches[0]["email"] == SeedKeys.SPACED_EMAIL.strip()


async def test_lookup_by_name_matches_words(client: Client) -> None:
    by_email = await call(client, TOOL, {"query": SeedKeys.MULTI_TRAINING_EMAIL})
    by_name = await call(client, TOOL, {"query": "sample  RILEY"})

    assert by_name.structured_content["matches"] == by_email.structured_content["matches"]
    assert by_name.structured_content["query"] == "sample RILEY"


async def test_lookup_with_completed_adds_attendance(client: Client, sandbox: Sandbox) -> None:
    leadership = sandbox.state.trainings[SeedKeys.LEADERSHIP]
    safety = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]
    email = SeedKeys.MULTI_TRAINING_EMAIL

    result = await call(client, TOOL, {"query": email, "include_completed": True})
    found = result.structured_content
    by_name = {match["training_name"]: match for match in found["matches"]}

    assert list(by_name) == ["Onboarding Basics", "Leadership Lab", "Safety Certification Course"]
    assert "attendance" not in by_name["Onboarding Basics"]
    assert by_name["Leadership Lab"]["training_key"] == str(SeedKeys.LEADERSHIP)
    assert by_name["Leadership Lab"]["status"] == "APPROVED"
    assert by_name["Leadership Lab"]["attendance"] == attendance_of(leadership, email)
    assert by_name["Leadership Lab"]["attendance"]["attended"] == 2
    completed = by_name["Safety Certification Course"]
    assert "training_key" not in completed
    assert "status" not in completed
    assert completed["attendance"] == attendance_of(safety, email)
    assert completed["attendance"]["attended"] == SeedKeys.SAFETY_COURSE_SESSION_COUNT
    assert found["sessions_searched"] == len(sessions_in_last_year(sandbox))
    assert found["note"] == (
        "Matches without training_key are from completed trainings, which GoTo's reports name without a key."
    )


async def test_lookup_fetches_each_report_once(client: Client, sandbox: Sandbox) -> None:
    await call(client, TOOL, {"query": SeedKeys.RECONNECT_EMAIL, "include_completed": True})

    session_keys = sessions_in_last_year(sandbox)
    for key in session_keys:
        assert sandbox.count("GET", rf"/sessions/{key}/attendees$") == 1, f"session {key}"
    assert sandbox.count("GET", ATTENDEES_PATH) == len(session_keys)
    assert sandbox.count("POST", r"/reports/organizers/\d+/sessions$") == 1
    # Of the listed trainings only Leadership Lab has started, so only its own sessions are listed.
    assert sandbox.count("GET", r"/reports/organizers/\d+/trainings/\d+$") == 1
    assert sandbox.count("GET", rf"/reports/organizers/\d+/trainings/{SeedKeys.LEADERSHIP}$") == 1


async def test_lookup_counts_no_show_and_reconnects(client: Client, sandbox: Sandbox) -> None:
    safety = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]

    absent = await call(client, TOOL, {"query": SeedKeys.NO_SHOW_EMAIL, "include_completed": True})
    reconnect = await call(client, TOOL, {"query": SeedKeys.RECONNECT_EMAIL, "include_completed": True})

    (no_show,) = absent.structured_content["matches"]
    assert no_show["training_name"] == "Safety Certification Course"
    assert no_show["attendance"] == {"sessions": 12, "attended": 0, "minutes": 0}
    (returning,) = reconnect.structured_content["matches"]
    assert returning["attendance"] == attendance_of(safety, SeedKeys.RECONNECT_EMAIL)
    assert returning["attendance"]["attended"] == 12


async def test_lookup_in_one_training_only(client: Client, sandbox: Sandbox) -> None:
    leadership = sandbox.state.trainings[SeedKeys.LEADERSHIP]
    arguments = {
        "query": SeedKeys.MULTI_TRAINING_EMAIL,
        "training_key": str(SeedKeys.LEADERSHIP),
        "include_completed": True,
    }

    result = await call(client, TOOL, arguments)
    found = result.structured_content

    (match,) = found["matches"]
    assert match["training_key"] == str(SeedKeys.LEADERSHIP)
    assert match["attendance"] == attendance_of(leadership, SeedKeys.MULTI_TRAINING_EMAIL)
    assert found["trainings_searched"] == 1
    assert found["sessions_searched"] == 2
    assert sandbox.count("GET", r"^/G2T/rest/organizers/\d+/trainings$") == 0
    assert sandbox.count("POST", r"/sessions$") == 0
    assert sandbox.count("GET", REGISTRANTS_PATH) == 1
    assert sandbox.count("GET", ATTENDEES_PATH) == 2


async def test_lookup_without_match_says_where(client: Client, sandbox: Sandbox) -> None:
    trainings = len(scheduled_trainings(sandbox))

    result = await call(client, TOOL, {"query": "nobody@example.com"})

    assert result.structured_content["matches"] == []
    assert result.structured_content["note"] == (
        f"No one matching 'nobody@example.com' in {trainings} scheduled trainings. "
        "Pass include_completed=true to search the last year's attendance too."
    )


async def test_lookup_of_blank_query_is_error(client: Client, sandbox: Sandbox) -> None:
    result = await client.call_tool(TOOL, {"query": "   "})

    assert result.is_error
    assert result.content[0].text == (
        f"Error executing tool {TOOL}: query is empty: pass an e-mail address or part of a name, "
        "such as 'ada@example.com'."
    )
    assert sandbox.requests == []


async def test_lookup_same_as_one_request_at_a_time(sandbox: Sandbox) -> None:
    arguments = {"query": SeedKeys.MULTI_TRAINING_EMAIL, "include_completed": True}
    results = []
    for concurrency in (1, 8):
        server = build_server(settings_for(sandbox, max_concurrency=concurrency), sandbox.transport())
        async with Client(server) as client:
            results.append((await call(client, TOOL, arguments)).structured_content)

    one_at_a_time, concurrent = results
    assert concurrent == one_at_a_time
