"""In-memory state of one sandbox and the operations the API routes perform on it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import links
from .errors import TrainingApiError, invalid_request
from .model import Organizer, Registrant, Session, TimeRange, Training
from .parsing import (
    MAX_INT64,
    check_future,
    format_date_time,
    optional_bool,
    optional_text,
    parse_key_list,
    parse_time_ranges,
    parse_time_zone,
    require_bool,
    require_text,
)

# Undocumented statuses seen on registrations that were cancelled or removed. The sandbox lets such a
# person register again, replacing the old record.
CANCELLED_STATUSES = frozenset({"UNREGISTERED", "DELETED"})


class KeyGenerator:
    """Draw unique keys from a seeded generator, so the same seed gives the same keys."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[int] = set()

    def reserve(self, key: int) -> int:
        self._used.add(key)
        return key

    def new_key(self, digits: int = 19) -> int:
        low = 10 ** (digits - 1)
        high = min(10**digits - 1, MAX_INT64)
        while True:
            key = self._rng.randint(low, high)
            if key not in self._used:
                return self.reserve(key)

    def new_training_id(self) -> str:
        return str(self._rng.randint(100_000_000, 999_999_999))


@dataclass
class SandboxState:
    """Organizers and trainings of the sandbox. Tests may read and change these fields directly."""

    keys: KeyGenerator
    organizers: dict[int, Organizer] = field(default_factory=dict)
    trainings: dict[int, Training] = field(default_factory=dict)
    """All trainings in creation order, including deleted ones (see `Training.deleted`)."""

    def add_organizer(self, organizer: Organizer) -> Organizer:
        self.keys.reserve(organizer.key)
        self.organizers[organizer.key] = organizer
        return organizer

    def add_training(self, training: Training) -> Training:
        self.keys.reserve(training.key)
        self.trainings[training.key] = training
        return training

    # Lookups

    def account_organizers(self, account_key: int) -> list[Organizer]:
        return [organizer for organizer in self.organizers.values() if organizer.account_key == account_key]

    def check_organizer_in_account(self, organizer_key: int, account_key: int) -> Organizer:
        """Return the organizer, or raise 403 when it is not in the account of the access token."""
        organizer = self.organizers.get(organizer_key)
        if organizer is None or organizer.account_key != account_key:
            raise TrainingApiError(
                403,
                "AccessDenied",
                f"Organizer {organizer_key} is not in the account of the access token.",
            )
        return organizer

    def organizer_training(self, organizer_key: int, training_key: int) -> Training:
        """Return a training that the organizer organizes, or raise 404 NoSuchTraining."""
        training = self.trainings.get(training_key)
        if training is None or training.deleted or organizer_key not in training.organizer_keys():
            raise TrainingApiError(
                404, "NoSuchTraining", f"Training {training_key} was not found for organizer {organizer_key}."
            )
        return training

    def account_training(self, account_key: int, training_key: int) -> Training:
        """Return a training organized by someone in the account, or raise 404 NoSuchTraining."""
        training = self.trainings.get(training_key)
        creator = self.organizers.get(training.creator_key) if training else None
        if training is None or training.deleted or creator is None or creator.account_key != account_key:
            raise TrainingApiError(404, "NoSuchTraining", f"Training {training_key} was not found.")
        return training

    def scheduled_trainings(self, organizer_key: int, now: datetime) -> list[Training]:
        """Return the organizer's trainings that are not completed, in creation order."""
        return [
            training
            for training in self.trainings.values()
            if not training.deleted and organizer_key in training.organizer_keys() and not training.is_completed(now)
        ]

    def organizer_sessions(self, organizer_key: int) -> list[tuple[Training, Session]]:
        """Return the completed sessions of the organizer's trainings, deleted trainings included."""
        found = [
            (training, session)
            for training in self.trainings.values()
            if organizer_key in training.organizer_keys()
            for session in training.sessions
        ]
        return sorted(found, key=lambda pair: pair[1].start)

    def find_session(self, organizer_key: int, session_key: int) -> tuple[Training, Session]:
        for training, session in self.organizer_sessions(organizer_key):
            if session.key == session_key:
                return training, session
        raise TrainingApiError(
            404, "NoSuchSession", f"Session {session_key} was not found for organizer {organizer_key}."
        )

    # Training writes

    def create_training(self, organizer_key: int, account_key: int, body: dict[str, Any], now: datetime) -> Training:
        name = require_text(body, "name")
        description = optional_text(body, "description")
        time_zone = parse_time_zone(body.get("timeZone"))
        times = parse_time_ranges(body.get("times"))
        check_future(times, now)
        co_organizers = parse_key_list(body, "organizers", required=False)
        self._check_account_members(co_organizers, account_key)
        settings = body.get("registrationSettings")
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            raise invalid_request(f"Invalid registrationSettings {settings!r}: expected an object.")
        self._check_overlap(organizer_key, times, ignore=None)

        training = Training(
            key=self.keys.new_key(),
            training_id=self.keys.new_training_id(),
            name=name,
            description=description,
            time_zone=time_zone,
            times=times,
            creator_key=organizer_key,
            co_organizer_keys=[key for key in dict.fromkeys(co_organizers) if key != organizer_key],
            disable_confirmation_email=optional_bool(settings, "disableConfirmationEmail", False),
            disable_web_registration=optional_bool(settings, "disableWebRegistration", False),
        )
        return self.add_training(training)

    def update_name_description(self, training: Training, body: dict[str, Any]) -> None:
        name = require_text(body, "name")
        description = optional_text(body, "description", training.description)
        training.name = name
        training.description = description

    def update_registration_settings(self, training: Training, body: dict[str, Any]) -> None:
        disable_confirmation_email = require_bool(body, "disableConfirmationEmail")
        disable_web_registration = require_bool(body, "disableWebRegistration")
        training.disable_confirmation_email = disable_confirmation_email
        training.disable_web_registration = disable_web_registration

    def update_organizers(self, training: Training, body: dict[str, Any], account_key: int) -> None:
        """Replace the co-organizers; the creator always stays."""
        keys = parse_key_list(body, "organizers", required=True)
        optional_bool(body, "notifyOrganizers", False)  # Checked only: the sandbox sends no email.
        self._check_account_members(keys, account_key)
        training.co_organizer_keys = [key for key in dict.fromkeys(keys) if key != training.creator_key]

    def update_times(self, training: Training, body: dict[str, Any], now: datetime) -> dict[str, int]:
        """Replace the session times and return how many registrants and trainers GoTo would email.

        Completed sessions stay: a `times` entry that repeats one exactly is accepted although it is in the
        past, and completed sessions missing from `times` are kept.
        """
        self._check_changeable(training, now)
        time_zone = parse_time_zone(body.get("timeZone"))
        times = parse_time_ranges(body.get("times"))
        past = [time for time in training.times if time.end <= now]
        check_future(times, now, allowed_past=past)
        notify_registrants = optional_bool(body, "notifyRegistrants", True)
        notify_trainers = optional_bool(body, "notifyTrainers", True)
        new_times = sorted(
            {(time.start, time.end): time for time in [*past, *times]}.values(), key=lambda time: time.start
        )
        self._check_overlap(training.creator_key, new_times, ignore=training)

        training.time_zone = time_zone
        training.times = new_times
        active = [r for r in training.registrants.values() if r.status in ("APPROVED", "WAITING")]
        return {
            "notifiedRegistrants": len(active) if notify_registrants else 0,
            "notifiedTrainers": len(training.organizer_keys()) if notify_trainers else 0,
        }

    def delete_training(self, training: Training, now: datetime) -> None:
        if training.is_in_session(now):
            raise TrainingApiError(
                400, "TrainingInSession", f"Training {training.key} is in session and cannot be deleted now."
            )
        training.deleted = True

    # Registrant writes

    def register(self, training: Training, body: dict[str, Any], now: datetime) -> Registrant:
        email = require_text(body, "email")
        given_name = require_text(body, "givenName")
        surname = require_text(body, "surname")
        if "@" not in email:
            raise invalid_request(f"Invalid email {email!r}: expected an email address.")
        if training.is_completed(now):
            raise TrainingApiError(400, "TrainingOver", f"Training {training.key} is over; registration is closed.")
        existing = self.find_registrant_by_email(training, email)
        if existing is not None and existing.status not in CANCELLED_STATUSES:
            raise TrainingApiError(
                409,
                "DuplicateRegistrant",
                f"The email {email.strip()!r} is already registered for training {training.key}.",
                registrantKey=existing.key,
            )
        if existing is not None:
            del training.registrants[existing.key]

        key = self.keys.new_key()
        registrant = Registrant(
            key=key,
            email=email,
            given_name=given_name,
            surname=surname,
            status="APPROVED",
            registration_date=now,
            join_url=links.join_url(training, key),
            confirmation_url=links.confirmation_url(training, key),
        )
        training.registrants[key] = registrant
        return registrant

    def registrant(self, training: Training, registrant_key: int) -> Registrant:
        registrant = training.registrants.get(registrant_key)
        if registrant is None:
            raise TrainingApiError(
                404,
                "NoSuchRegistrant",
                f"Registrant {registrant_key} was not found in training {training.key}.",
            )
        return registrant

    def cancel_registration(self, training: Training, registrant_key: int, now: datetime) -> None:
        self.registrant(training, registrant_key)
        if training.is_completed(now):
            raise TrainingApiError(400, "TrainingOver", f"Training {training.key} is over; it cannot be changed.")
        del training.registrants[registrant_key]

    @staticmethod
    def find_registrant_by_email(training: Training, email: str) -> Registrant | None:
        """Find a registrant by email, compared trimmed and case-insensitively."""
        normalized = email.strip().casefold()
        for registrant in training.registrants.values():
            if registrant.email.strip().casefold() == normalized:
                return registrant
        return None

    # Checks

    def _check_account_members(self, organizer_keys: list[int], account_key: int) -> None:
        for key in organizer_keys:
            organizer = self.organizers.get(key)
            if organizer is None or organizer.account_key != account_key:
                raise invalid_request(f"Invalid organizers item {key}: not an organizer of this account.")

    def _check_overlap(self, organizer_key: int, times: list[TimeRange], ignore: Training | None) -> None:
        for other in self.trainings.values():
            if other is ignore or other.deleted or organizer_key not in other.organizer_keys():
                continue
            for mine in times:
                for theirs in other.times:
                    if mine.start < theirs.end and theirs.start < mine.end:
                        raise TrainingApiError(
                            400,
                            "OrganizerOverlap",
                            f"Organizer {organizer_key} already has training {other.key} from "
                            f"{format_date_time(theirs.start)} to {format_date_time(theirs.end)}, "
                            f"which overlaps {format_date_time(mine.start)} to {format_date_time(mine.end)}.",
                        )

    @staticmethod
    def _check_changeable(training: Training, now: datetime) -> None:
        if training.is_completed(now):
            raise TrainingApiError(400, "TrainingOver", f"Training {training.key} is over; it cannot be changed.")
        if training.is_in_session(now):
            raise TrainingApiError(
                400, "TrainingInSession", f"Training {training.key} is in session; its times cannot change now."
            )
