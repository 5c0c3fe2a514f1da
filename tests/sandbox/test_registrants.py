"""Registrant behaviour: registering, duplicates, cancelling and the seeded status quirks."""

from __future__ import annotations

import json

import httpx
import pytest

from server.sandbox import Sandbox, SeedKeys
from tests.sandbox.helpers import training_path

NEW_PERSON = {"email": "new.person@example.com", "givenName": "New", "surname": "Person"}


async def test_registered_person_is_listed(client: httpx.AsyncClient) -> None:
    created = await client.post(training_path(SeedKeys.OFFICE_HOURS, "/registrants"), json=NEW_PERSON)
    listed = await client.get(training_path(SeedKeys.OFFICE_HOURS, "/registrants"))

    assert created.status_code == 201
    assert len(listed.json()) == 1
    registrant = listed.json()[0]
    assert registrant["registrantKey"] == str(created.json()["registrantKey"])
    assert registrant["email"] == "new.person@example.com"
    assert registrant["status"] == "APPROVED"
    assert registrant["registrationDate"] == "2030-03-04T10:30:15Z"
    assert registrant["joinUrl"] == created.json()["joinUrl"]


@pytest.mark.parametrize(
    "email", [SeedKeys.MULTI_TRAINING_EMAIL, "  RILEY.Sample@Example.com ", "Riley.Sample@example.com"]
)
async def test_duplicate_registration_is_409_with_numeric_key(
    client: httpx.AsyncClient, sandbox: Sandbox, email: str
) -> None:
    existing_key = next(
        key
        for key, registrant in sandbox.state.trainings[SeedKeys.ONBOARDING].registrants.items()
        if registrant.email == SeedKeys.MULTI_TRAINING_EMAIL
    )
    body = {"email": email, "givenName": "Riley", "surname": "Sample"}

    response = await client.post(training_path(SeedKeys.ONBOARDING, "/registrants"), json=body)

    assert response.status_code == 409
    error = json.loads(response.text, parse_int=str)
    assert error["errorCode"] == "DuplicateRegistrant"
    assert error["registrantKey"] == str(existing_key)
    assert type(response.json()["registrantKey"]) is int


async def test_duplicate_check_trims_seeded_stray_spaces(client: httpx.AsyncClient) -> None:
    body = {"email": "quinn.spaces@example.com", "givenName": "Quinn", "surname": "Spaces"}

    response = await client.post(training_path(SeedKeys.DATA_SERIES, "/registrants"), json=body)

    assert response.status_code == 409


async def test_unregistered_person_can_register_again(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.DATA_SERIES]
    unregistered = next(r for r in training.registrants.values() if r.status == "UNREGISTERED")
    body = {"email": unregistered.email, "givenName": unregistered.given_name, "surname": unregistered.surname}

    response = await client.post(training_path(SeedKeys.DATA_SERIES, "/registrants"), json=body)

    assert response.status_code == 201
    statuses = [r.status for r in training.registrants.values() if r.email == unregistered.email]
    assert statuses == ["APPROVED"]


async def test_cancelled_registration_is_gone(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    created = await client.post(training_path(SeedKeys.OFFICE_HOURS, "/registrants"), json=NEW_PERSON)
    key = created.json()["registrantKey"]

    cancelled = await client.delete(training_path(SeedKeys.OFFICE_HOURS, f"/registrants/{key}"))
    read = await client.get(training_path(SeedKeys.OFFICE_HOURS, f"/registrants/{key}"))
    again = await client.post(training_path(SeedKeys.OFFICE_HOURS, "/registrants"), json=NEW_PERSON)

    assert cancelled.status_code == 204
    assert read.status_code == 404
    assert read.json()["errorCode"] == "NoSuchRegistrant"
    assert again.status_code == 201


async def test_unknown_registrant_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(SeedKeys.ONBOARDING, "/registrants/1234567890123456789"))

    assert response.status_code == 404
    assert response.json()["errorCode"] == "NoSuchRegistrant"


@pytest.mark.parametrize(
    "body",
    [
        {"givenName": "No", "surname": "Email"},
        {"email": "not-an-email", "givenName": "Bad", "surname": "Email"},
        {"email": "a@example.com", "givenName": "", "surname": "Blank"},
        {"email": "a@example.com", "givenName": "Missing"},
    ],
)
async def test_register_rejects_invalid_body(client: httpx.AsyncClient, body: dict) -> None:
    response = await client.post(training_path(SeedKeys.OFFICE_HOURS, "/registrants"), json=body)

    assert response.status_code == 400
    assert response.json()["errorCode"] == "InvalidRequest"


async def test_register_for_completed_training_is_training_over(client: httpx.AsyncClient) -> None:
    response = await client.post(training_path(SeedKeys.SAFETY_COURSE, "/registrants"), json=NEW_PERSON)

    assert response.status_code == 400
    assert response.json()["errorCode"] == "TrainingOver"


async def test_seeded_registrants_have_status_quirks(client: httpx.AsyncClient) -> None:
    response = await client.get(training_path(SeedKeys.DATA_SERIES, "/registrants"))

    statuses = [r.get("status") for r in response.json()]
    assert len(statuses) == 40
    assert statuses.count("WAITING") == 4
    assert statuses.count("DENIED") == 2
    assert statuses.count("UNREGISTERED") == 2
    assert statuses.count("DELETED") == 1
    assert statuses.count(None) == 1
    spaced = [r["email"] for r in response.json() if r["email"] != r["email"].strip()]
    assert spaced == [SeedKeys.SPACED_EMAIL, "ira.trailing@example.com "]


async def test_multi_training_email_is_in_three_trainings(client: httpx.AsyncClient) -> None:
    found = []
    for training_key in (SeedKeys.ONBOARDING, SeedKeys.LEADERSHIP, SeedKeys.SAFETY_COURSE, SeedKeys.DATA_SERIES):
        response = await client.get(training_path(training_key, "/registrants"))
        if any(r["email"] == SeedKeys.MULTI_TRAINING_EMAIL for r in response.json()):
            found.append(training_key)

    assert found == [SeedKeys.ONBOARDING, SeedKeys.LEADERSHIP, SeedKeys.SAFETY_COURSE]
