"""Training behaviour: creating, listing, validation errors, updates, deletion and access rules."""

from __future__ import annotations

import httpx
import pytest

from server.sandbox import SANDBOX_ORGANIZER_KEY, Sandbox, SandboxConfig, SeedKeys
from tests.sandbox.helpers import LEGACY, ORGANIZER, ORIGIN, FakeClock, new_training_body, training_path


async def test_created_training_is_listed_and_readable(client: httpx.AsyncClient) -> None:
    body = new_training_body("2030-04-02T08:00:00Z", "2030-04-02T09:30:00Z", organizers=[SeedKeys.CO_ORGANIZER])

    created = await client.post(f"{ORGANIZER}/trainings", json=body)
    listed = await client.get(f"{ORGANIZER}/trainings")
    read = await client.get(training_path(int(created.json())))

    assert created.status_code == 201
    assert [t["trainingKey"] for t in listed.json()][-1] == created.json()
    assert read.json()["name"] == "Sandbox test training"
    assert read.json()["times"] == [{"startDate": "2030-04-02T08:00:00Z", "endDate": "2030-04-02T09:30:00Z"}]
    assert [o["organizerKey"] for o in read.json()["organizers"]] == [SANDBOX_ORGANIZER_KEY, str(SeedKeys.CO_ORGANIZER)]
    assert read.json()["registrationSettings"] == {"disableConfirmationEmail": False, "disableWebRegistration": False}


async def test_trainings_list_excludes_completed(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{ORGANIZER}/trainings")

    names = [t["name"] for t in response.json()]
    assert names == ["Onboarding Basics", "Data Literacy Series", "Leadership Lab", "Open Office Hours"]


async def test_ongoing_training_lists_past_sessions(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{ORGANIZER}/trainings")

    leadership = next(t for t in response.json() if t["trainingKey"] == str(SeedKeys.LEADERSHIP))
    assert [time["startDate"] for time in leadership["times"]] == [
        "2030-02-18T01:00:00Z",
        "2030-02-25T01:00:00Z",
        "2030-03-09T01:00:00Z",
        "2030-03-16T01:00:00Z",
    ]


async def test_completed_training_readable_by_key(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(SeedKeys.SAFETY_COURSE))

    assert response.status_code == 200
    times = response.json()["times"]
    assert len(times) == 12
    assert times[0] == {"startDate": "2029-12-14T13:00:00Z", "endDate": "2029-12-14T15:00:00Z"}
    assert times[-1] == {"startDate": "2030-03-01T13:00:00Z", "endDate": "2030-03-01T15:00:00Z"}


async def test_trainings_list_empty_is_204(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    for training in sandbox.state.trainings.values():
        if int(SANDBOX_ORGANIZER_KEY) in training.organizer_keys():
            training.deleted = True

    response = await client.get(f"{ORGANIZER}/trainings")

    assert response.status_code == 204
    assert response.content == b""


async def test_co_organizer_trainings_listed_through_same_account(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/organizers/{SeedKeys.CO_ORGANIZER}/trainings")

    assert [t["name"] for t in response.json()] == ["Onboarding Basics", "Leadership Lab", "Spreadsheet Skills"]


async def test_foreign_organizer_is_403(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/organizers/{SeedKeys.FOREIGN_ORGANIZER}/trainings")

    assert response.status_code == 403
    assert response.json()["errorCode"] == "AccessDenied"
    assert type(response.json()["incident"]) is int


async def test_foreign_training_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/trainings/{SeedKeys.FOREIGN_TRAINING}/recordings")

    assert response.status_code == 404
    assert response.json()["errorCode"] == "NoSuchTraining"


async def test_unknown_training_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(1234567890123456789))

    assert response.status_code == 404
    assert response.json()["errorCode"] == "NoSuchTraining"
    assert "1234567890123456789" in response.json()["description"]


@pytest.mark.parametrize("key", ["abc", "12x", "-5", "99999999999999999999", "1e5"])
async def test_non_numeric_path_key_is_400(client: httpx.AsyncClient, key: str) -> None:
    response = await client.get(f"{ORGANIZER}/trainings/{key}")

    assert response.status_code == 400
    assert response.json()["errorCode"] == "InvalidRequest"


@pytest.mark.parametrize(
    ("start", "end", "code", "fragment"),
    [
        ("2030-04-10T08:00:00Z", "2030-04-11T08:00:01Z", "InvalidTrainingDatesMaxDuration", "at most 24 hours"),
        ("2030-03-04T10:00:00Z", "2030-03-04T11:00:00Z", "InvalidRequest", "in the past"),
        ("2030-04-10T08:00:00Z", "2030-04-10T08:00:00Z", "InvalidRequest", "not after"),
        ("2030-04-10T09:00:00Z", "2030-04-10T08:00:00Z", "InvalidRequest", "not after"),
        ("2030-03-07T08:30:00Z", "2030-03-07T09:30:00Z", "OrganizerOverlap", "4817395020468213761"),
        ("2030-04-10 08:00:00", "2030-04-10T09:00:00Z", "InvalidRequest", "UTC date-time"),
        ("2030-04-10T08:00:00.000Z", "2030-04-10T09:00:00Z", "InvalidRequest", "UTC date-time"),
    ],
)
async def test_create_training_rejects_bad_times(
    client: httpx.AsyncClient, start: str, end: str, code: str, fragment: str
) -> None:
    response = await client.post(f"{ORGANIZER}/trainings", json=new_training_body(start, end))

    assert response.status_code == 400
    assert response.json()["errorCode"] == code
    assert fragment in response.json()["description"]


async def test_create_training_accepts_exactly_24_hours(client: httpx.AsyncClient) -> None:
    body = new_training_body("2030-04-10T08:00:00Z", "2030-04-11T08:00:00Z")

    response = await client.post(f"{ORGANIZER}/trainings", json=body)

    assert response.status_code == 201


@pytest.mark.parametrize("time_zone", ["Berlin", "Mars/Olympus", "", "GMT+2", None])
async def test_create_training_rejects_bad_time_zone(client: httpx.AsyncClient, time_zone: str | None) -> None:
    body = new_training_body("2030-04-10T08:00:00Z", "2030-04-10T09:00:00Z", timeZone=time_zone)

    response = await client.post(f"{ORGANIZER}/trainings", json=body)

    assert response.status_code == 400
    assert response.json()["errorCode"] == "InvalidRequest"
    assert "timeZone" in response.json()["description"]


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'"text"'])
async def test_create_training_rejects_malformed_body(client: httpx.AsyncClient, content: bytes) -> None:
    response = await client.post(
        f"{ORGANIZER}/trainings", content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errorCode"] == "InvalidRequest"


async def test_create_training_rejects_foreign_co_organizer(client: httpx.AsyncClient) -> None:
    body = new_training_body("2030-04-10T08:00:00Z", "2030-04-10T09:00:00Z", organizers=[SeedKeys.FOREIGN_ORGANIZER])

    response = await client.post(f"{ORGANIZER}/trainings", json=body)

    assert response.status_code == 400
    assert str(SeedKeys.FOREIGN_ORGANIZER) in response.json()["description"]


async def test_update_times_notifies_by_default(client: httpx.AsyncClient) -> None:
    body = {
        "timeZone": "Europe/Berlin",
        "times": [{"startDate": "2030-03-08T08:00:00Z", "endDate": "2030-03-08T10:00:00Z"}],
    }

    response = await client.put(training_path(SeedKeys.ONBOARDING, "/times"), json=body)
    read = await client.get(training_path(SeedKeys.ONBOARDING))

    # Onboarding has 22 APPROVED and 2 WAITING registrants (1 DENIED), and 2 organizers.
    assert response.json() == {"notifiedRegistrants": 24, "notifiedTrainers": 2}
    assert read.json()["times"] == body["times"]


async def test_update_times_without_notifications(client: httpx.AsyncClient) -> None:
    body = {
        "timeZone": "Europe/Berlin",
        "times": [{"startDate": "2030-03-08T08:00:00Z", "endDate": "2030-03-08T10:00:00Z"}],
        "notifyRegistrants": False,
        "notifyTrainers": False,
    }

    response = await client.put(training_path(SeedKeys.ONBOARDING, "/times"), json=body)

    assert response.json() == {"notifiedRegistrants": 0, "notifiedTrainers": 0}


async def test_update_times_keeps_completed_sessions(client: httpx.AsyncClient) -> None:
    body = {
        "timeZone": "Asia/Tokyo",
        "times": [{"startDate": "2030-03-20T01:00:00Z", "endDate": "2030-03-20T03:00:00Z"}],
    }

    response = await client.put(training_path(SeedKeys.LEADERSHIP, "/times"), json=body)
    read = await client.get(training_path(SeedKeys.LEADERSHIP))

    assert response.status_code == 200
    assert [time["startDate"] for time in read.json()["times"]] == [
        "2030-02-18T01:00:00Z",
        "2030-02-25T01:00:00Z",
        "2030-03-20T01:00:00Z",
    ]


async def test_update_times_of_completed_training_is_training_over(client: httpx.AsyncClient) -> None:
    body = {"timeZone": "UTC", "times": [{"startDate": "2030-05-01T13:00:00Z", "endDate": "2030-05-01T15:00:00Z"}]}

    response = await client.put(training_path(SeedKeys.SAFETY_COURSE, "/times"), json=body)

    assert response.status_code == 400
    assert response.json()["errorCode"] == "TrainingOver"


async def test_delete_during_session_is_training_in_session() -> None:
    clock = FakeClock()
    sandbox = Sandbox(SandboxConfig(now=clock))
    clock.advance(3 * 24 * 3600 - 2 * 3600)  # 2030-03-07T08:30:15Z, inside the Onboarding session
    headers = {"Authorization": f"Bearer {sandbox.issue_access_token()}"}
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=ORIGIN, headers=headers) as signed_in:
        response = await signed_in.delete(training_path(SeedKeys.ONBOARDING))

    assert response.status_code == 400
    assert response.json()["errorCode"] == "TrainingInSession"


async def test_name_description_update_is_read_back(client: httpx.AsyncClient) -> None:
    body = {"name": "Onboarding 2.0", "description": "Updated."}

    await client.put(training_path(SeedKeys.ONBOARDING, "/nameDescription"), json=body)
    read = await client.get(training_path(SeedKeys.ONBOARDING))

    assert read.json()["name"] == "Onboarding 2.0"
    assert read.json()["description"] == "Updated."


async def test_registration_settings_update_is_read_back(client: httpx.AsyncClient) -> None:
    body = {"disableConfirmationEmail": True, "disableWebRegistration": False}

    await client.put(training_path(SeedKeys.OFFICE_HOURS, "/registrationSettings"), json=body)
    read = await client.get(training_path(SeedKeys.OFFICE_HOURS))

    assert read.json()["registrationSettings"] == body


async def test_registration_settings_need_both_flags(client: httpx.AsyncClient) -> None:
    body = {"disableConfirmationEmail": True}

    response = await client.put(training_path(SeedKeys.OFFICE_HOURS, "/registrationSettings"), json=body)

    assert response.status_code == 400
    assert "disableWebRegistration" in response.json()["description"]


async def test_organizers_update_keeps_creator(client: httpx.AsyncClient) -> None:
    await client.put(training_path(SeedKeys.ONBOARDING, "/organizers"), json={"organizers": []})
    read = await client.get(training_path(SeedKeys.ONBOARDING, "/organizers"))

    assert [o["organizerKey"] for o in read.json()] == [SANDBOX_ORGANIZER_KEY]


async def test_deleted_training_is_gone(client: httpx.AsyncClient) -> None:
    deleted = await client.delete(training_path(SeedKeys.OFFICE_HOURS))
    read = await client.get(training_path(SeedKeys.OFFICE_HOURS))
    listed = await client.get(f"{ORGANIZER}/trainings")

    assert deleted.status_code == 204
    assert read.status_code == 404
    assert str(SeedKeys.OFFICE_HOURS) not in [t["trainingKey"] for t in listed.json()]


async def test_start_completed_training_is_training_over(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/trainings/{SeedKeys.SAFETY_COURSE}/start")

    assert response.status_code == 400
    assert response.json()["errorCode"] == "TrainingOver"


async def test_unknown_route_is_404_with_error_body(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/no/such/route")

    assert response.status_code == 404
    assert response.json()["errorCode"] == "NotFound"
