"""Constants and helpers shared by the sandbox tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from server.sandbox import SANDBOX_ORGANIZER_KEY

# A Monday; the seeded dates below are worked out by hand from it.
START = datetime(2030, 3, 4, 10, 30, 15, tzinfo=UTC)
ORIGIN = "http://sandbox.test"

LEGACY = "/G2T/rest"
ORGANIZER = f"{LEGACY}/organizers/{SANDBOX_ORGANIZER_KEY}"
V1 = "/training/v1"


class FakeClock:
    """A clock that stays at one time until a test advances it."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


def training_path(training_key: int, suffix: str = "") -> str:
    return f"{ORGANIZER}/trainings/{training_key}{suffix}"


def new_training_body(start: str, end: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Sandbox test training",
        "description": "Created by a test.",
        "timeZone": "Europe/Berlin",
        "times": [{"startDate": start, "endDate": end}],
    }
    return body | overrides


def assert_fields(item: dict[str, Any], expected: dict[str, type]) -> None:
    """Assert that `item` has each field with the JSON type the reference documents."""
    for name, json_type in expected.items():
        assert name in item, f"missing field {name!r} in {item!r}"
        value = item[name]
        if json_type is int:
            assert type(value) is int, f"{name} should be a JSON integer, got {value!r}"
        else:
            assert isinstance(value, json_type), f"{name} should be {json_type.__name__}, got {value!r}"


def assert_string_key(value: Any) -> None:
    assert isinstance(value, str), f"key should be a string, got {value!r}"
    assert value.isdigit(), f"key should be decimal digits, got {value!r}"


def assert_date_time(value: Any) -> None:
    assert isinstance(value, str)
    assert datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")


ORGANIZER_FIELDS = {"organizerKey": str, "email": str, "givenName": str, "surname": str}
TRAINING_FIELDS = {
    "trainingId": str,
    "name": str,
    "description": str,
    "timeZone": str,
    "times": list,
    "organizers": list,
    "creatorKey": str,
    "registrationSettings": dict,
    "trainingKey": str,
}
REGISTRANT_FIELDS = {
    "email": str,
    "givenName": str,
    "surname": str,
    "status": str,
    "registrationDate": str,
    "joinUrl": str,
    "confirmationUrl": str,
    "registrantKey": str,
}
SESSION_FIELDS = {
    "sessionKey": str,
    "trainingName": str,
    "sessionStartTime": str,
    "sessionEndTime": str,
    "attendanceCount": int,
    "duration": int,
    "organizers": list,
}
PAGE_FIELDS = {"items": list, "currentPage": int, "pageSize": int, "totalPages": int, "totalItems": int, "sort": list}
