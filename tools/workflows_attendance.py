"""The attendance summary of one training: its completed sessions and each session's attendees.

Numbers come from GoTo's session reports. A session's registrants are the people its
attendance report lists, no-shows included (GoTo lists them with 0 minutes). Rates and
shares are fractions rounded to 3 decimals.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field

from server.client import GoToClient
from server.models import Attendee, Training, TrainingSession
from tools.workflows_fan_out import FanOut
from tools.workflows_models import OutputModel

logger = logging.getLogger(__name__)

MAX_NO_SHOWS_IN_TEXT = 10


class SessionAttendance(OutputModel):
    session_key: str
    start: datetime | None = Field(None, description="In the training's time zone.")
    duration_minutes: int
    attendees: int = Field(description="People who attended for more than 0 minutes.")
    registrants: int = Field(description="People in the session's report, no-shows included.")
    attendance_rate: float | None = Field(None, description="attendees / registrants.")


class PersonAttendance(OutputModel):
    email: str | None = None
    given_name: str | None = None
    surname: str | None = None
    sessions_attended: int
    total_minutes: int
    minutes_share: float | None = Field(None, description="total_minutes / minutes of all sessions.")


class AttendanceTotals(OutputModel):
    sessions: int
    session_minutes: int = Field(description="Sum of the sessions' durations.")
    people: int = Field(description="People in any session's report.")
    attended_any: int = Field(description="People who attended at least one session.")
    no_shows: int = Field(description="People who attended no session.")
    attendances: int = Field(description="Sum of attendees over the sessions.")
    attendance_rate: float | None = Field(None, description="attendances / sum of registrants over the sessions.")
    average_attendees: float | None = Field(None, description="attendances / sessions, 1 decimal.")


class AttendanceSummary(OutputModel):
    training_key: str
    training_name: str
    time_zone: str
    sessions: list[SessionAttendance]
    people: list[PersonAttendance] = Field(description="Most minutes first.")
    no_shows: list[str] = Field(description="E-mail, or name without one, of each person who attended no session.")
    totals: AttendanceTotals
    note: str | None = None


async def summarize_attendance(client: GoToClient, training_key: str, fan_out: FanOut) -> AttendanceSummary:
    """Fetch the training and its sessions, then every session's attendance concurrently, and summarize."""
    training, sessions = await fan_out.gather(
        [lambda: client.get_training(training_key), lambda: client.get_sessions_by_training(training_key)]
    )
    sessions = sorted(sessions, key=session_order)
    reports = await fan_out.map(lambda session: client.get_attendance(session.session_key), sessions)
    return build_summary(training, sessions, reports)


def build_summary(
    training: Training, sessions: list[TrainingSession], reports: list[list[Attendee]]
) -> AttendanceSummary:
    """Summarize `sessions` (in order) and their attendance `reports` (one per session)."""
    zone, zone_name = _time_zone(training.time_zone)
    rows = [_session_row(session, report, zone) for session, report in zip(sessions, reports, strict=True)]
    minutes_held = sum(row.duration_minutes for row in rows)
    people = _people(reports, minutes_held)
    no_shows = [_person_label(person) for person in people if person.sessions_attended == 0]
    attendances = sum(row.attendees for row in rows)
    registrant_places = sum(row.registrants for row in rows)
    totals = AttendanceTotals(
        sessions=len(rows),
        session_minutes=minutes_held,
        people=len(people),
        attended_any=len(people) - len(no_shows),
        no_shows=len(no_shows),
        attendances=attendances,
        attendance_rate=_share(attendances, registrant_places),
        average_attendees=round(attendances / len(rows), 1) if rows else None,
    )
    return AttendanceSummary(
        training_key=training.training_key,
        training_name=training.name,
        time_zone=zone_name,
        sessions=rows,
        people=people,
        no_shows=no_shows,
        totals=totals,
        note=None if rows else "The training has no completed sessions yet, so there is no attendance.",
    )


PER_PERSON_IN_RESULT = "Per-person sessions, minutes and shares are in the structured content."
PER_PERSON_FROM_TOOL = "Per-person sessions, minutes and shares: call summarize_training_attendance."


def attendance_markdown(summary: AttendanceSummary, per_person: str = PER_PERSON_IN_RESULT) -> str:
    """Render the summary as a short markdown table; `per_person` says where the per-person figures are."""
    totals = summary.totals
    lines = [
        f"**{summary.training_name}** (training_key {summary.training_key}): "
        f"{totals.sessions} completed sessions, times in {summary.time_zone}.",
    ]
    if summary.note:
        lines.append(summary.note)
        return "\n".join(lines)

    lines += ["", "| # | date | start | minutes | attended | registrants | rate |", "|--:|--|--|--:|--:|--:|--:|"]
    for number, row in enumerate(summary.sessions, 1):
        date = f"{row.start:%Y-%m-%d}" if row.start else "?"
        start = f"{row.start:%H:%M}" if row.start else "?"
        lines.append(
            f"| {number} | {date} | {start} | {row.duration_minutes} | {row.attendees} | {row.registrants} "
            f"| {_percent(row.attendance_rate)} |"
        )
    lines += [
        "",
        f"Totals: {totals.attendances} attendances ({_percent(totals.attendance_rate)} of registrants), "
        f"{totals.average_attendees} a session on average, {totals.session_minutes} session minutes.",
        f"People: {totals.people}, of whom {totals.attended_any} attended at least once and {totals.no_shows} never.",
    ]
    if summary.no_shows:
        shown = ", ".join(summary.no_shows[:MAX_NO_SHOWS_IN_TEXT])
        more = len(summary.no_shows) - MAX_NO_SHOWS_IN_TEXT
        lines.append(f"No-shows: {shown}" + (f" and {more} more." if more > 0 else "."))
    lines.append(per_person)
    return "\n".join(lines)


def _session_row(session: TrainingSession, report: list[Attendee], zone: tzinfo) -> SessionAttendance:
    attendees = sum(1 for person in report if person.time_in_session > 0)
    return SessionAttendance(
        session_key=session.session_key,
        start=session.session_start_time.astimezone(zone) if session.session_start_time else None,
        duration_minutes=session_minutes(session),
        attendees=attendees,
        registrants=len(report),
        attendance_rate=_share(attendees, len(report)),
    )


def _people(reports: list[list[Attendee]], minutes_held: int) -> list[PersonAttendance]:
    """Merge the reports into one row a person, matched by e-mail (trimmed, any case), else by name."""
    people: dict[str, PersonAttendance] = {}
    for report in reports:
        for attendee in report:
            key = person_key(attendee.email, attendee.given_name, attendee.surname)
            person = people.get(key)
            if person is None:
                person = people[key] = PersonAttendance(
                    email=(attendee.email or "").strip() or None,
                    given_name=attendee.given_name,
                    surname=attendee.surname,
                    sessions_attended=0,
                    total_minutes=0,
                )
            if attendee.time_in_session > 0:
                person.sessions_attended += 1
                person.total_minutes += attendee.time_in_session
    for person in people.values():
        person.minutes_share = _share(person.total_minutes, minutes_held)
    return sorted(people.values(), key=lambda person: (-person.total_minutes, _person_label(person).casefold()))


def person_key(email: str | None, given_name: str | None, surname: str | None) -> str:
    """Return the key that identifies one person across GoTo's lists: the e-mail, else the name."""
    address = (email or "").strip().casefold()
    if address:
        return address
    return " ".join(f"{given_name or ''} {surname or ''}".casefold().split())


def _person_label(person: PersonAttendance) -> str:
    return person.email or " ".join(part for part in (person.given_name, person.surname) if part) or "?"


def session_minutes(session: TrainingSession) -> int:
    """Return the session's duration in minutes: GoTo's figure, else worked out from its start and end."""
    if session.duration is not None:
        return session.duration
    if session.session_start_time and session.session_end_time:
        return round((session.session_end_time - session.session_start_time).total_seconds() / 60)
    return 0


def session_order(session: TrainingSession) -> tuple[datetime, str]:
    return (session.session_start_time or datetime.max.replace(tzinfo=UTC), session.session_key)


def _time_zone(name: str | None) -> tuple[tzinfo, str]:
    # NOTE: a training without a known IANA time zone is shown in UTC rather than failing the summary.
    if name:
        try:
            return ZoneInfo(name), name
        except (ZoneInfoNotFoundError, ValueError):
            logger.info("Showing session times in UTC: the training's time zone %r is unknown", name)
    return UTC, "UTC"


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"
