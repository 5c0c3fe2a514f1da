"""One test per endpoint: every field of the reference's response schema, with its JSON type."""

from __future__ import annotations

import json

import httpx

from server.sandbox import SANDBOX_ACCOUNT_KEY, SANDBOX_ORGANIZER_KEY, Sandbox, SeedKeys
from tests.sandbox.helpers import (
    LEGACY,
    ORGANIZER,
    ORGANIZER_FIELDS,
    PAGE_FIELDS,
    REGISTRANT_FIELDS,
    SESSION_FIELDS,
    TRAINING_FIELDS,
    V1,
    assert_date_time,
    assert_fields,
    assert_string_key,
    new_training_body,
    training_path,
)

TWO_POW_53 = 2**53


def assert_training(training: dict) -> None:
    assert_fields(training, TRAINING_FIELDS)
    assert_string_key(training["trainingKey"])
    assert_string_key(training["creatorKey"])
    assert len(training["trainingId"]) == 9
    for time in training["times"]:
        assert_date_time(time["startDate"])
        assert_date_time(time["endDate"])
    for organizer in training["organizers"]:
        assert_fields(organizer, ORGANIZER_FIELDS)
        assert_string_key(organizer["organizerKey"])
    assert_fields(training["registrationSettings"], {"disableConfirmationEmail": bool, "disableWebRegistration": bool})


async def test_account_organizers_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/accounts/{SANDBOX_ACCOUNT_KEY}/organizers")

    assert response.status_code == 200
    organizers = response.json()
    assert [o["organizerKey"] for o in organizers] == [SANDBOX_ORGANIZER_KEY, str(SeedKeys.CO_ORGANIZER)]
    for organizer in organizers:
        assert_fields(organizer, ORGANIZER_FIELDS)


async def test_trainings_list_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{ORGANIZER}/trainings")

    assert response.status_code == 200
    trainings = response.json()
    assert len(trainings) == 4
    for training in trainings:
        assert_training(training)


async def test_training_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(SeedKeys.ONBOARDING))

    assert response.status_code == 200
    training = response.json()
    assert_training(training)
    assert training["trainingKey"] == "4817395020468213761"
    assert training["timeZone"] == "Europe/Berlin"
    assert training["times"] == [{"startDate": "2030-03-07T08:00:00Z", "endDate": "2030-03-07T10:00:00Z"}]
    assert [o["organizerKey"] for o in training["organizers"]] == [SANDBOX_ORGANIZER_KEY, str(SeedKeys.CO_ORGANIZER)]


async def test_create_training_contract(client: httpx.AsyncClient) -> None:
    body = new_training_body("2030-04-02T08:00:00Z", "2030-04-02T09:00:00Z")

    response = await client.post(f"{ORGANIZER}/trainings", json=body)

    assert response.status_code == 201
    assert response.text.startswith('"')
    assert_string_key(response.json())


async def test_delete_training_contract(client: httpx.AsyncClient) -> None:
    response = await client.delete(training_path(SeedKeys.OFFICE_HOURS))

    assert response.status_code == 204
    assert response.content == b""


async def test_manage_url_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(SeedKeys.ONBOARDING, "/manageUrl"))

    assert response.status_code == 200
    assert response.text.startswith('"')
    assert response.json().startswith("https://")


async def test_name_description_contract(client: httpx.AsyncClient) -> None:
    body = {"name": "Renamed", "description": "New description"}

    response = await client.put(training_path(SeedKeys.ONBOARDING, "/nameDescription"), json=body)

    assert response.status_code == 204
    assert response.content == b""


async def test_training_organizers_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(SeedKeys.LEADERSHIP, "/organizers"))

    assert response.status_code == 200
    organizers = response.json()
    assert [o["organizerKey"] for o in organizers] == [SANDBOX_ORGANIZER_KEY, str(SeedKeys.CO_ORGANIZER)]
    for organizer in organizers:
        assert_fields(organizer, ORGANIZER_FIELDS)


async def test_update_training_organizers_contract(client: httpx.AsyncClient) -> None:
    body = {"organizers": [SeedKeys.CO_ORGANIZER], "notifyOrganizers": False}

    response = await client.put(training_path(SeedKeys.OFFICE_HOURS, "/organizers"), json=body)

    assert response.status_code == 204


async def test_registration_settings_contract(client: httpx.AsyncClient) -> None:
    body = {"disableConfirmationEmail": True, "disableWebRegistration": True}

    response = await client.put(training_path(SeedKeys.ONBOARDING, "/registrationSettings"), json=body)

    assert response.status_code == 204


async def test_start_url_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(SeedKeys.ONBOARDING, "/startUrl"))

    assert response.status_code == 200
    assert isinstance(response.json(), str)


async def test_start_training_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/trainings/{SeedKeys.ONBOARDING}/start")

    assert response.status_code == 200
    assert_fields(response.json(), {"hostURL": str})


async def test_update_times_contract(client: httpx.AsyncClient) -> None:
    body = {"timeZone": "UTC", "times": [{"startDate": "2030-03-27T12:00:00Z", "endDate": "2030-03-27T13:00:00Z"}]}

    response = await client.put(training_path(SeedKeys.OFFICE_HOURS, "/times"), json=body)

    assert response.status_code == 200
    assert response.json() == {"notifiedRegistrants": 0, "notifiedTrainers": 1}


async def test_questionnaire_lists_contract(client: httpx.AsyncClient) -> None:
    for kind in ("tests", "polls", "surveys"):
        response = await client.get(f"{V1}/trainings/{SeedKeys.SAFETY_COURSE}/{kind}")

        assert response.status_code == 200, kind
        page = response.json()
        assert_fields(page, PAGE_FIELDS)
        assert page["items"], kind
        for item in page["items"]:
            assert_fields(
                item, {"questionnaireKey": str, "questionnaireValue": str, "questionnaireName": str, "createdBy": str}
            )


async def test_test_submissions_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{V1}/trainings/{SeedKeys.SAFETY_COURSE}/tests/submissions")

    assert response.status_code == 200
    page = response.json()
    assert_fields(page, PAGE_FIELDS)
    for item in page["items"]:
        assert_fields(
            item,
            {
                "questionKey": str,
                "questionVersion": str,
                "questionText": str,
                "questionType": str,
                "userKey": str,
                "deliveryTime": str,
                "answer": dict,
            },
        )
        assert_fields(item["answer"], {"answerText": str, "selectedOptions": list, "isCorrect": bool})


async def test_poll_submissions_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{V1}/trainings/{SeedKeys.SAFETY_COURSE}/polls/submissions")

    assert response.status_code == 200
    for item in response.json()["items"]:
        assert item["deliveryTime"] == "INSESSION"
        assert_fields(item["answer"], {"selectedOptions": list})


async def test_survey_submissions_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{V1}/trainings/{SeedKeys.SAFETY_COURSE}/surveys/submissions")

    assert response.status_code == 200
    for item in response.json()["items"]:
        assert item["deliveryTime"] == "POSTSESSION"
        assert_fields(item["answer"], {"answerText": str, "selectedOptions": list})


async def test_register_contract(client: httpx.AsyncClient) -> None:
    body = {"email": "new.person@example.com", "givenName": "New", "surname": "Person"}

    response = await client.post(training_path(SeedKeys.ONBOARDING, "/registrants"), json=body)

    assert response.status_code == 201
    created = response.json()
    assert_fields(created, {"joinUrl": str, "confirmationUrl": str, "registrantKey": int})
    assert created["registrantKey"] > TWO_POW_53
    assert f'"registrantKey":{created["registrantKey"]}' in response.text.replace(" ", "")


async def test_registrants_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(SeedKeys.ONBOARDING, "/registrants"))

    assert response.status_code == 200
    registrants = response.json()
    assert len(registrants) == 25
    for registrant in registrants:
        assert_fields(registrant, REGISTRANT_FIELDS)
        assert_string_key(registrant["registrantKey"])
        assert_date_time(registrant["registrationDate"])


async def test_registrants_contract_allows_missing_status_quirk(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(SeedKeys.DATA_SERIES, "/registrants"))

    registrants = response.json()
    without_status = [r["email"] for r in registrants if "status" not in r]
    assert without_status == ["sol.nostatus@example.com"]
    for registrant in registrants:
        assert_fields(registrant, {k: v for k, v in REGISTRANT_FIELDS.items() if k != "status"})


async def test_registrant_contract(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    registrant_key = next(iter(sandbox.state.trainings[SeedKeys.ONBOARDING].registrants))

    response = await client.get(training_path(SeedKeys.ONBOARDING, f"/registrants/{registrant_key}"))

    assert response.status_code == 200
    registrant = response.json()
    assert_fields(registrant, REGISTRANT_FIELDS)
    assert registrant["registrantKey"] == str(registrant_key)
    assert registrant["email"] == SeedKeys.MULTI_TRAINING_EMAIL


async def test_cancel_registration_contract(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    registrant_key = next(iter(sandbox.state.trainings[SeedKeys.ONBOARDING].registrants))

    response = await client.delete(training_path(SeedKeys.ONBOARDING, f"/registrants/{registrant_key}"))

    assert response.status_code == 204


async def test_sessions_by_date_range_contract(client: httpx.AsyncClient) -> None:
    body = {"startDate": "2029-12-01T00:00:00Z", "endDate": "2030-03-04T00:00:00Z"}

    response = await client.post(f"{LEGACY}/reports/organizers/{SANDBOX_ORGANIZER_KEY}/sessions", json=body)

    assert response.status_code == 200
    sessions = response.json()
    # 12 Safety Course sessions, 2 Leadership Lab, 1 Customer Care, 2 Compliance Refresher (as co-organizer).
    assert len(sessions) == 17
    for session in sessions:
        assert_fields(session, SESSION_FIELDS)
        assert_string_key(session["sessionKey"])


async def test_attendance_contract(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    session_key = sandbox.state.trainings[SeedKeys.SAFETY_COURSE].sessions[0].key

    response = await client.get(f"{LEGACY}/reports/organizers/{SANDBOX_ORGANIZER_KEY}/sessions/{session_key}/attendees")

    assert response.status_code == 200
    attendees = response.json()
    assert attendees
    for attendee in attendees:
        assert_fields(
            attendee, {"givenName": str, "surname": str, "email": str, "timeInSession": int, "inSessionTimes": list}
        )
        for period in attendee["inSessionTimes"]:
            assert_fields(period, {"joinTime": str, "leaveTime": str, "timeInPartOfSession": int})


async def test_sessions_by_training_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(
        f"{LEGACY}/reports/organizers/{SANDBOX_ORGANIZER_KEY}/trainings/{SeedKeys.SAFETY_COURSE}"
    )

    assert response.status_code == 200
    sessions = response.json()
    assert len(sessions) == 12
    for session in sessions:
        assert_fields(session, SESSION_FIELDS)
        assert session["trainingName"] == "Safety Certification Course"


async def test_recordings_contract(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LEGACY}/trainings/{SeedKeys.SAFETY_COURSE}/recordings")

    assert response.status_code == 200
    body = response.json()
    assert_fields(body, {"trainingKey": int, "recordingList": list})
    assert body["trainingKey"] == SeedKeys.SAFETY_COURSE
    assert len(body["recordingList"]) == 12
    for recording in body["recordingList"]:
        assert_fields(
            recording,
            {
                "recordingId": int,
                "name": str,
                "description": str,
                "registrationUrl": str,
                "downloadUrl": str,
                "startDate": str,
                "endDate": str,
            },
        )
    raw = json.loads(response.text, parse_int=str)
    assert raw["trainingKey"] == "7394056182736450912"


async def test_recording_download_contract(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    recording = sandbox.state.trainings[SeedKeys.SAFETY_COURSE].recordings[0]

    response = await client.get(f"{LEGACY}/trainings/{SeedKeys.SAFETY_COURSE}/recordings/{recording.recording_id}")

    assert response.status_code == 302
    expected = f"https://recordings.example.com/files/{SeedKeys.SAFETY_COURSE}/{recording.recording_id}.mp4"
    assert response.headers["location"] == expected


async def test_admin_me_contract(client: httpx.AsyncClient) -> None:
    response = await client.get("/admin/rest/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "key": "8439885694023999999",
        "accountKey": "9123372036854770001",
        "email": "alex.sample@example.com",
        "firstName": "Alex",
        "lastName": "Sample",
    }
