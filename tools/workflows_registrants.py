"""Finding a person among the organizer's registrants and, on request, in the attendance of completed sessions.

GoTo lists only trainings that are not completed, so registrations are searched there. With
`include_completed`, the attendance reports of the organizer's sessions in the last year are
searched too. Those reports name a session's training but give no key: a session gets its
training's key only when it belongs to a listed training, which is checked by session key.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import Field

from server.client import GoToClient
from server.models import Attendee, Registrant, Training, TrainingSession
from tools.workflows_attendance import person_key, session_order
from tools.workflows_fan_out import FanOut
from tools.workflows_models import OutputModel

COMPLETED_WINDOW = timedelta(days=365)
"""How far back include_completed searches attendance, since GoTo's session report covers at most a year."""


class AttendanceRecord(OutputModel):
    sessions: int = Field(description="Completed sessions searched whose report lists the person.")
    attended: int = Field(description="Of those, sessions attended for more than 0 minutes.")
    minutes: int
    last_attended: datetime | None = Field(None, description="Start of the last session attended, UTC.")


class RegistrantMatch(OutputModel):
    training_key: str | None = Field(None, description="Missing for a completed training: reports give no key.")
    training_name: str | None = None
    status: str | None = Field(None, description="Registration status, missing when found only in attendance.")
    registrant_key: str | None = None
    email: str | None = None
    given_name: str | None = None
    surname: str | None = None
    registration_date: datetime | None = None
    join_url: str | None = None
    attendance: AttendanceRecord | None = Field(None, description="With include_completed, when found in reports.")


class RegistrantSearch(OutputModel):
    query: str
    matches: list[RegistrantMatch]
    trainings_searched: int = Field(description="Trainings whose registrants were searched.")
    sessions_searched: int | None = Field(None, description="Attendance reports searched, with include_completed.")
    note: str | None = None


class PersonQuery:
    """An e-mail address (matched whole, trimmed, any case) or words that must all occur in the name."""

    def __init__(self, query: str) -> None:
        text = " ".join(query.split())
        if not text:
            raise ValueError("query is empty: pass an e-mail address or part of a name, such as 'ada@example.com'.")
        self.text = text
        self.email = text.casefold() if "@" in text else None
        self.words = text.casefold().split()

    def matches(self, email: str | None, given_name: str | None, surname: str | None) -> bool:
        if self.email is not None:
            return (email or "").strip().casefold() == self.email
        name = f"{given_name or ''} {surname or ''}".casefold()
        return all(word in name for word in self.words)


@dataclass
class SearchScope:
    """What was fetched: trainings with their registrants, and sessions with their attendance."""

    trainings: list[Training]
    registrants: list[list[Registrant]]
    sessions: list[TrainingSession] = field(default_factory=list)
    reports: list[list[Attendee]] = field(default_factory=list)
    session_trainings: dict[str, Training] = field(default_factory=dict)


async def search_registrants(
    client: GoToClient,
    fan_out: FanOut,
    query: str,
    training_key: str | None,
    include_completed: bool,
    now: datetime,
) -> RegistrantSearch:
    """Search registrants (and with `include_completed` attendance) for the person `query` describes."""
    wanted = PersonQuery(query)
    if training_key is not None:
        scope = await _fetch_one_training(client, fan_out, training_key, include_completed)
    else:
        scope = await _fetch_all_trainings(client, fan_out, include_completed, now)

    matches, by_person = _registration_matches(wanted, scope)
    if include_completed:
        _add_attendance(wanted, scope, matches, by_person)
    return RegistrantSearch(
        query=wanted.text,
        matches=matches,
        trainings_searched=len(scope.trainings),
        sessions_searched=len(scope.sessions) if include_completed else None,
        note=_note(wanted, matches, len(scope.trainings), include_completed),
    )


async def _fetch_one_training(
    client: GoToClient, fan_out: FanOut, training_key: str, include_completed: bool
) -> SearchScope:
    calls = [
        functools.partial(client.get_training, training_key),
        functools.partial(client.get_registrants, training_key),
    ]
    if include_completed:
        calls.append(functools.partial(client.get_sessions_by_training, training_key))
    training, registrants, *found = await fan_out.gather(calls)
    sessions = sorted(found[0], key=session_order) if found else []
    reports = await fan_out.map(lambda session: client.get_attendance(session.session_key), sessions)
    return SearchScope(
        trainings=[training],
        registrants=[registrants],
        sessions=sessions,
        reports=reports,
        session_trainings={session.session_key: training for session in sessions},
    )


async def _fetch_all_trainings(
    client: GoToClient, fan_out: FanOut, include_completed: bool, now: datetime
) -> SearchScope:
    calls = [client.get_trainings]
    if include_completed:
        calls.append(functools.partial(client.get_sessions_by_date_range, now - COMPLETED_WINDOW, now))
    trainings, *found = await fan_out.gather(calls)
    sessions = sorted(found[0], key=session_order) if found else []
    # A listed training that has started may have completed sessions in the report. Its own
    # session list tells which, so those sessions get the training's key.
    started = [training for training in trainings if any(time.start_date <= now for time in training.times)]
    started = started if include_completed else []

    results = await fan_out.gather(
        [functools.partial(client.get_registrants, training.training_key) for training in trainings]
        + [functools.partial(client.get_sessions_by_training, training.training_key) for training in started]
        + [functools.partial(client.get_attendance, session.session_key) for session in sessions]
    )
    registrants = results[: len(trainings)]
    own_sessions = results[len(trainings) : len(trainings) + len(started)]
    reports = results[len(trainings) + len(started) :]
    session_trainings = {
        session.session_key: training
        for training, listed in zip(started, own_sessions, strict=True)
        for session in listed
    }
    return SearchScope(trainings, registrants, sessions, reports, session_trainings)


def _registration_matches(
    wanted: PersonQuery, scope: SearchScope
) -> tuple[list[RegistrantMatch], dict[tuple[str, str], RegistrantMatch]]:
    matches: list[RegistrantMatch] = []
    by_person: dict[tuple[str, str], RegistrantMatch] = {}
    for training, registrants in zip(scope.trainings, scope.registrants, strict=True):
        for registrant in registrants:
            if not wanted.matches(registrant.email, registrant.given_name, registrant.surname):
                continue
            match = RegistrantMatch(
                training_key=training.training_key,
                training_name=training.name,
                status=registrant.status,
                registrant_key=registrant.registrant_key,
                email=(registrant.email or "").strip() or None,
                given_name=registrant.given_name,
                surname=registrant.surname,
                registration_date=registrant.registration_date,
                join_url=registrant.join_url,
            )
            matches.append(match)
            person = person_key(registrant.email, registrant.given_name, registrant.surname)
            by_person[(training.training_key, person)] = match
    return matches, by_person


def _add_attendance(
    wanted: PersonQuery,
    scope: SearchScope,
    matches: list[RegistrantMatch],
    by_person: dict[tuple[str, str], RegistrantMatch],
) -> None:
    """Add each matching attendee to the match for their training, creating one for a completed training."""
    for session, report in zip(scope.sessions, scope.reports, strict=True):
        training = scope.session_trainings.get(session.session_key)
        for attendee in report:
            if not wanted.matches(attendee.email, attendee.given_name, attendee.surname):
                continue
            # A training without a key is told apart by its name, prefixed so it never equals a key.
            training_id = training.training_key if training else f"name:{session.training_name}"
            person = (training_id, person_key(attendee.email, attendee.given_name, attendee.surname))
            match = by_person.get(person)
            if match is None:
                match = by_person[person] = RegistrantMatch(
                    training_key=training.training_key if training else None,
                    training_name=training.name if training else session.training_name,
                    email=(attendee.email or "").strip() or None,
                    given_name=attendee.given_name,
                    surname=attendee.surname,
                )
                matches.append(match)
            _count_session(match, session, attendee)


def _count_session(match: RegistrantMatch, session: TrainingSession, attendee: Attendee) -> None:
    record = match.attendance = match.attendance or AttendanceRecord(sessions=0, attended=0, minutes=0)
    record.sessions += 1
    if attendee.time_in_session <= 0:
        return
    record.attended += 1
    record.minutes += attendee.time_in_session
    start = session.session_start_time
    if start is not None and (record.last_attended is None or start > record.last_attended):
        record.last_attended = start


def _note(wanted: PersonQuery, matches: list[RegistrantMatch], trainings: int, include_completed: bool) -> str | None:
    if matches:
        if any(match.training_key is None for match in matches):
            return "Matches without training_key are from completed trainings, which GoTo's reports name without a key."
        return None
    if include_completed:
        return f"No one matching {wanted.text!r} in {trainings} trainings or the last year's attendance."
    return (
        f"No one matching {wanted.text!r} in {trainings} scheduled trainings. "
        "Pass include_completed=true to search the last year's attendance too."
    )
