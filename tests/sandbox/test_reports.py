"""Reports and recordings: sessions, attendance order and sums, recordings list and download redirect."""

from __future__ import annotations

from datetime import datetime

import httpx

from server.sandbox import SANDBOX_ORGANIZER_KEY, Sandbox, SeedKeys
from tests.sandbox.helpers import LEGACY

REPORTS = f"{LEGACY}/reports/organizers/{SANDBOX_ORGANIZER_KEY}"


def minutes_between(start: str, end: str) -> int:
    parse = lambda text: datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    return round((parse(end) - parse(start)).total_seconds() / 60)


async def attendance(client: httpx.AsyncClient, session_key: int) -> list[dict]:
    response = await client.get(f"{REPORTS}/sessions/{session_key}/attendees")
    assert response.status_code == 200
    return response.json()


async def test_many_session_training_has_twelve_sessions(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{REPORTS}/trainings/{SeedKeys.SAFETY_COURSE}")

    sessions = response.json()
    assert len(sessions) == SeedKeys.SAFETY_COURSE_SESSION_COUNT == 12
    starts = [session["sessionStartTime"] for session in sessions]
    assert starts == sorted(starts)
    assert starts[0].startswith("2029-12-14T13:0")
    assert starts[-1].startswith("2030-03-01T13:0")


async def test_session_duration_matches_its_times(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{REPORTS}/trainings/{SeedKeys.SAFETY_COURSE}")

    for session in response.json():
        assert session["duration"] == minutes_between(session["sessionStartTime"], session["sessionEndTime"])


async def test_attendance_lists_no_shows_last(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    for session in sandbox.state.trainings[SeedKeys.SAFETY_COURSE].sessions:
        attendees = await attendance(client, session.key)

        times = [attendee["timeInSession"] for attendee in attendees]
        first_absent = times.index(0)
        assert all(time > 0 for time in times[:first_absent])
        assert all(time == 0 for time in times[first_absent:])
        for absent in attendees[first_absent:]:
            assert absent["inSessionTimes"] == []


async def test_attendance_time_is_sum_of_periods(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    session = sandbox.state.trainings[SeedKeys.SAFETY_COURSE].sessions[3]

    for attendee in await attendance(client, session.key):
        periods = attendee["inSessionTimes"]
        for period in periods:
            assert period["timeInPartOfSession"] == minutes_between(period["joinTime"], period["leaveTime"])
        assert attendee["timeInSession"] == sum(period["timeInPartOfSession"] for period in periods)


async def test_attendance_count_matches_attendees(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sessions = (await client.get(f"{REPORTS}/trainings/{SeedKeys.SAFETY_COURSE}")).json()

    for session in sessions:
        attendees = await attendance(client, int(session["sessionKey"]))
        assert session["attendanceCount"] == sum(1 for attendee in attendees if attendee["timeInSession"] > 0)


async def test_anchor_people_attendance(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    for session in sandbox.state.trainings[SeedKeys.SAFETY_COURSE].sessions:
        by_email = {attendee["email"]: attendee for attendee in await attendance(client, session.key)}

        full = by_email[SeedKeys.MULTI_TRAINING_EMAIL]
        assert full["timeInSession"] == round((session.end - session.start).total_seconds() / 60)
        assert by_email[SeedKeys.NO_SHOW_EMAIL]["timeInSession"] == 0
        assert len(by_email[SeedKeys.RECONNECT_EMAIL]["inSessionTimes"]) == 3


async def test_unknown_session_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{REPORTS}/sessions/123456789/attendees")

    assert response.status_code == 404
    assert response.json()["errorCode"] == "NoSuchSession"


async def test_sessions_by_date_range_bounds(client: httpx.AsyncClient) -> None:
    body = {"startDate": "2030-02-01T00:00:00Z", "endDate": "2030-02-28T23:59:59Z"}

    response = await client.post(f"{REPORTS}/sessions", json=body)

    # February 2030: Safety Course on the 1st, 8th, 15th and 22nd, Customer Care on the 2nd, Leadership Lab
    # on the 18th and 25th.
    names = [session["trainingName"] for session in response.json()]
    assert names.count("Safety Certification Course") == 4
    assert names.count("Customer Care Workshop") == 1
    assert names.count("Leadership Lab") == 2
    assert len(names) == 7


async def test_sessions_by_date_range_rejects_reversed_range(client: httpx.AsyncClient) -> None:
    body = {"startDate": "2030-02-28T00:00:00Z", "endDate": "2030-02-01T00:00:00Z"}

    response = await client.post(f"{REPORTS}/sessions", json=body)

    assert response.status_code == 400
    assert "must be after startDate" in response.json()["description"]


async def test_deleted_completed_training_stays_in_date_range_report(client: httpx.AsyncClient) -> None:
    body = {"startDate": "2030-02-01T00:00:00Z", "endDate": "2030-02-03T00:00:00Z"}

    deleted = await client.delete(f"{LEGACY}/organizers/{SANDBOX_ORGANIZER_KEY}/trainings/{SeedKeys.CUSTOMER_CARE}")
    response = await client.post(f"{REPORTS}/sessions", json=body)

    assert deleted.status_code == 204
    assert [session["trainingName"] for session in response.json()] == [
        "Safety Certification Course",
        "Customer Care Workshop",
    ]


async def test_recordings_empty_list(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/trainings/{SeedKeys.COMPLIANCE}/recordings")

    assert response.status_code == 200
    assert response.json() == {"trainingKey": SeedKeys.COMPLIANCE, "recordingList": []}


async def test_recording_ids_are_numbers_above_2_pow_53(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/trainings/{SeedKeys.SAFETY_COURSE}/recordings")

    for recording in response.json()["recordingList"]:
        assert type(recording["recordingId"]) is int
        assert recording["recordingId"] > 2**53
        assert f'"recordingId":{recording["recordingId"]}' in response.text


async def test_recording_download_redirects_without_fetching(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    recording = sandbox.state.trainings[SeedKeys.CUSTOMER_CARE].recordings[0]

    response = await client.get(
        f"{LEGACY}/trainings/{SeedKeys.CUSTOMER_CARE}/recordings/{recording.recording_id}", follow_redirects=False
    )

    assert response.status_code == 302
    assert response.headers["location"].startswith("https://recordings.example.com/files/")
    assert sandbox.count("GET", "recordings") == 1


async def test_unknown_recording_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/trainings/{SeedKeys.SAFETY_COURSE}/recordings/42")

    assert response.status_code == 404
    assert response.json()["errorCode"] == "NoSuchRecording"
