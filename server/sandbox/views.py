"""JSON shapes of the API responses.

GET responses send keys as strings; the recordings list sends `trainingKey` and `recordingId` as numbers,
as GoTo does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import links
from .model import Attendee, Organizer, Recording, Registrant, Session, TimeRange, Training
from .parsing import format_date_time


def organizer_json(organizer: Organizer) -> dict[str, Any]:
    return {
        "organizerKey": str(organizer.key),
        "email": organizer.email,
        "givenName": organizer.given_name,
        "surname": organizer.surname,
    }


def time_range_json(time_range: TimeRange) -> dict[str, str]:
    return {"startDate": format_date_time(time_range.start), "endDate": format_date_time(time_range.end)}


def training_json(training: Training, organizers: dict[int, Organizer]) -> dict[str, Any]:
    return {
        "trainingKey": str(training.key),
        "trainingId": training.training_id,
        "name": training.name,
        "description": training.description,
        "timeZone": training.time_zone,
        "times": [time_range_json(time) for time in training.times],
        "organizers": [organizer_json(organizers[key]) for key in training.organizer_keys() if key in organizers],
        "creatorKey": str(training.creator_key),
        "registrationSettings": {
            "disableConfirmationEmail": training.disable_confirmation_email,
            "disableWebRegistration": training.disable_web_registration,
        },
    }


def registrant_json(registrant: Registrant) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": registrant.email,
        "givenName": registrant.given_name,
        "surname": registrant.surname,
    }
    if registrant.status is not None:
        body["status"] = registrant.status
    body |= {
        "registrationDate": format_date_time(registrant.registration_date),
        "joinUrl": registrant.join_url,
        "confirmationUrl": registrant.confirmation_url,
        "registrantKey": str(registrant.key),
    }
    return body | registrant.details


def session_json(training: Training, session: Session, organizers: dict[int, Organizer]) -> dict[str, Any]:
    return {
        "sessionKey": str(session.key),
        "trainingName": training.name,
        "sessionStartTime": format_date_time(session.start),
        "sessionEndTime": format_date_time(session.end),
        "attendanceCount": sum(1 for attendee in session.attendees if attendee.periods),
        "duration": _minutes(session.end - session.start),
        "organizers": [organizer_json(organizers[key]) for key in training.organizer_keys() if key in organizers],
    }


def attendance_json(session: Session) -> list[dict[str, Any]]:
    """List the attendees by first join time, then the registrants who did not attend."""
    attended = sorted((a for a in session.attendees if a.periods), key=lambda a: a.periods[0].join)
    absent = [a for a in session.attendees if not a.periods]
    return [_attendee_json(attendee) for attendee in [*attended, *absent]]


def _attendee_json(attendee: Attendee) -> dict[str, Any]:
    periods = [
        {
            "joinTime": format_date_time(period.join),
            "leaveTime": format_date_time(period.leave),
            "timeInPartOfSession": _minutes(period.leave - period.join),
        }
        for period in attendee.periods
    ]
    return {
        "givenName": attendee.given_name,
        "surname": attendee.surname,
        "email": attendee.email,
        "timeInSession": sum(period["timeInPartOfSession"] for period in periods),
        "inSessionTimes": periods,
    }


def recordings_json(training: Training) -> dict[str, Any]:
    return {
        "trainingKey": training.key,
        "recordingList": [_recording_json(training, recording) for recording in training.recordings],
    }


def _recording_json(training: Training, recording: Recording) -> dict[str, Any]:
    return {
        "recordingId": recording.recording_id,
        "name": recording.name,
        "description": recording.description,
        "registrationUrl": links.recording_registration_url(recording),
        "downloadUrl": links.recording_download_url(training, recording),
        "startDate": format_date_time(recording.start),
        "endDate": format_date_time(recording.end),
    }


def _minutes(duration: timedelta) -> int:
    return round(duration.total_seconds() / 60)
