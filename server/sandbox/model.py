"""Records that the sandbox keeps in memory. Keys are Python ints, as GoTo's are int64."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

QuestionnaireKind = Literal["tests", "polls", "surveys"]
QUESTIONNAIRE_KINDS: tuple[QuestionnaireKind, ...] = ("tests", "polls", "surveys")


@dataclass
class Organizer:
    key: int
    account_key: int
    email: str
    given_name: str
    surname: str


@dataclass
class TimeRange:
    start: datetime
    end: datetime


@dataclass
class Registrant:
    key: int
    email: str
    given_name: str
    surname: str
    status: str | None
    """APPROVED, WAITING or DENIED as documented; UNREGISTERED, DELETED or None as seen in the wild."""
    registration_date: datetime
    join_url: str
    confirmation_url: str
    details: dict[str, Any] = field(default_factory=dict)
    """Optional registrant fields by their JSON name (timeZone, organization, jobTitle, ...)."""


@dataclass
class AttendancePeriod:
    join: datetime
    leave: datetime


@dataclass
class Attendee:
    given_name: str
    surname: str
    email: str
    periods: list[AttendancePeriod] = field(default_factory=list)
    """Join and leave times; empty for a registrant who did not attend."""


@dataclass
class Session:
    """A completed training session, as the reports describe it."""

    key: int
    start: datetime
    end: datetime
    attendees: list[Attendee] = field(default_factory=list)


@dataclass
class Recording:
    recording_id: int
    name: str
    description: str
    start: datetime
    end: datetime


@dataclass
class Questionnaire:
    key: str
    version: str
    name: str
    created_by: int
    session_key: int | None
    submissions: list[dict[str, Any]] = field(default_factory=list)
    """Submission items in the shape the API returns them."""


@dataclass
class Training:
    key: int
    training_id: str
    """The 9-digit display id, which is not a key."""
    name: str
    description: str
    time_zone: str
    times: list[TimeRange]
    creator_key: int
    co_organizer_keys: list[int]
    disable_confirmation_email: bool = False
    disable_web_registration: bool = False
    registrants: dict[int, Registrant] = field(default_factory=dict)
    sessions: list[Session] = field(default_factory=list)
    recordings: list[Recording] = field(default_factory=list)
    questionnaires: dict[QuestionnaireKind, list[Questionnaire]] = field(
        default_factory=lambda: {kind: [] for kind in QUESTIONNAIRE_KINDS}
    )
    deleted: bool = False
    """Deleted trainings stay here because the sessions of a deleted completed training remain in reports."""

    def organizer_keys(self) -> list[int]:
        """Return the creator first, then the co-organizers."""
        return [self.creator_key, *(key for key in self.co_organizer_keys if key != self.creator_key)]

    def is_completed(self, now: datetime) -> bool:
        return all(time.end <= now for time in self.times)

    def is_in_session(self, now: datetime) -> bool:
        return any(time.start <= now < time.end for time in self.times)
