"""GoTo's JSON as pydantic models.

The client turns GoTo's camelCase names into snake_case (`snake_case_keys`) before
validating, so the same models serve as tool results and their schemas match what
tools return. Unknown fields are ignored, keys are strings, and date-times are
timezone-aware (UTC when GoTo sends no offset).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field

from server.keys import ResponseKey


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
"""A date-time from GoTo, converted to UTC; one without an offset is taken as UTC."""


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case_keys(data: Any) -> Any:
    """Rename the object keys of GoTo JSON from camelCase to snake_case (`hostURL` -> `host_url`)."""
    if isinstance(data, dict):
        return {_CAMEL_BOUNDARY.sub("_", str(name)).lower(): snake_case_keys(value) for name, value in data.items()}
    if isinstance(data, list):
        return [snake_case_keys(item) for item in data]
    return data


class GoToModel(BaseModel):
    """Base of GoTo's response objects (after `snake_case_keys`); unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore")


class DateTimeRange(GoToModel):
    start_date: UtcDatetime
    end_date: UtcDatetime


class Organizer(GoToModel):
    organizer_key: ResponseKey
    email: str | None = None
    given_name: str | None = None
    surname: str | None = None


class RegistrationSettings(GoToModel):
    disable_confirmation_email: bool | None = None
    disable_web_registration: bool | None = None


class Training(GoToModel):
    training_key: ResponseKey
    training_id: str | None = Field(None, description="9-digit display id; not a key.")
    name: str
    description: str | None = None
    time_zone: str | None = None
    times: list[DateTimeRange] = []
    organizers: list[Organizer] = []
    creator_key: ResponseKey | None = None
    registration_settings: RegistrationSettings | None = None


class CustomResponse(GoToModel):
    question: str | None = None
    answer: list[str] | None = None
    text: str | None = None


class Registrant(GoToModel):
    registrant_key: ResponseKey
    email: str | None = None
    given_name: str | None = None
    surname: str | None = None
    status: str | None = None
    registration_date: UtcDatetime | None = None
    join_url: str | None = None
    confirmation_url: str | None = None
    time_zone: str | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip_code: str | None = None
    country: str | None = None
    phone: str | None = None
    organization: str | None = None
    job_title: str | None = None
    questions_and_comments: str | None = None
    responses: list[CustomResponse] | None = None


class RegistrantCreated(GoToModel):
    registrant_key: ResponseKey
    join_url: str | None = None
    confirmation_url: str | None = None


class TrainingSession(GoToModel):
    """A completed session of a training, from the session reports."""

    session_key: ResponseKey
    training_name: str | None = None
    session_start_time: UtcDatetime | None = None
    session_end_time: UtcDatetime | None = None
    attendance_count: int | None = None
    duration: int | None = Field(None, description="Minutes.")
    organizers: list[Organizer] = []


class AttendancePeriod(GoToModel):
    join_time: UtcDatetime | None = None
    leave_time: UtcDatetime | None = None
    time_in_part_of_session: int | None = Field(None, description="Minutes.")


class Attendee(GoToModel):
    given_name: str | None = None
    surname: str | None = None
    email: str | None = None
    time_in_session: int = Field(0, description="Minutes; 0 for a registrant who did not attend.")
    in_session_times: list[AttendancePeriod] = []


class TimesUpdateResult(GoToModel):
    notified_registrants: int = 0
    notified_trainers: int = 0


class Questionnaire(GoToModel):
    questionnaire_key: str
    questionnaire_version: str | None = Field(
        None, validation_alias=AliasChoices("questionnaire_version", "questionnaire_value")
    )
    questionnaire_name: str | None = None
    created_by: ResponseKey | None = None


class SubmissionAnswer(GoToModel):
    answer_text: str | None = None
    selected_options: list[str] | None = None
    is_correct: bool | None = None


class Submission(GoToModel):
    question_key: str | None = None
    question_version: str | None = None
    question_text: str | None = None
    question_type: str | None = None
    user_key: ResponseKey | None = None
    delivery_time: str | None = None
    answer: SubmissionAnswer | None = None


class Recording(GoToModel):
    recording_id: ResponseKey
    name: str | None = None
    description: str | None = None
    registration_url: str | None = None
    download_url: str | None = None
    start_date: UtcDatetime | None = None
    end_date: UtcDatetime | None = None


class RecordingList(GoToModel):
    training_key: ResponseKey | None = None
    recording_list: list[Recording] = []


class CurrentUser(GoToModel):
    """The signed-in user, from the Admin API's `/me`."""

    key: ResponseKey
    account_key: ResponseKey | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None


ItemT = TypeVar("ItemT")


class Page(GoToModel, Generic[ItemT]):
    """One page of a `training/v1` list."""

    items: list[ItemT] = []
    current_page: int = 0
    page_size: int = 0
    total_pages: int = 0
    total_items: int = 0
    sort: list[str] | None = None


class AllPages(BaseModel, Generic[ItemT]):
    """Every page of a `training/v1` list, up to a cap on items."""

    items: list[ItemT]
    total_items: int
    pages_fetched: int
    truncated: bool
