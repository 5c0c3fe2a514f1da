"""Deterministic demo data: the same seed and clock give the same state.

Organizer, account and training keys and the anchor people below are the same for every seed, so tests
can name them. Everything else (crowd names, registrant keys, attendance, submissions) comes from
`random.Random` seeded with the configured seed. Dates are relative to the clock, so upcoming trainings
stay upcoming whenever the sandbox starts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import links
from .config import SANDBOX_ACCOUNT_KEY, SANDBOX_ORGANIZER_KEY
from .model import Organizer, Recording, Registrant, TimeRange, Training
from .seed_activity import add_attendance, add_questionnaires
from .state import KeyGenerator, SandboxState


class SeedKeys:
    """Keys and emails of the seeded data that do not depend on the seed."""

    ACCOUNT = int(SANDBOX_ACCOUNT_KEY)
    ORGANIZER = int(SANDBOX_ORGANIZER_KEY)
    """The signed-in organizer, Alex Sample."""
    CO_ORGANIZER = 7210438656123456789
    """The second organizer of the account, Jordan Placeholder."""
    FOREIGN_ACCOUNT = 5550000000000000001
    FOREIGN_ORGANIZER = 6660000000000000001
    """An organizer of another account; the sandbox credentials cannot act for it."""

    ONBOARDING = 4817395020468213761
    """Upcoming in 3 days, one 2-hour session, Europe/Berlin, co-organized by CO_ORGANIZER."""
    DATA_SERIES = 5902748361029384757
    """Upcoming, 4 weekly sessions from day 7, America/New_York; has every registrant status quirk."""
    LEADERSHIP = 6183920475610293847
    """Ongoing: 2 completed sessions (days -14 and -7) and 2 upcoming, Asia/Tokyo, co-organized."""
    SAFETY_COURSE = 7394056182736450912
    """Completed, 12 weekly sessions (days -80 to -3), UTC, with recordings, tests, polls and surveys."""
    SAFETY_COURSE_SESSION_COUNT = 12
    CUSTOMER_CARE = 3485910273645182930
    """Completed 30 days ago, one session, Europe/Berlin."""
    SPREADSHEETS = 2967384501928374651
    """Upcoming in 10 days, created by CO_ORGANIZER alone, America/New_York."""
    OFFICE_HOURS = 1039485726354817263
    """Upcoming in 22 days, UTC, no registrants."""
    COMPLIANCE = 8576103948576102938
    """Completed (days -45 and -44), created by CO_ORGANIZER with ORGANIZER as co-organizer, no recordings."""
    FOREIGN_TRAINING = 9012837465019283746
    """Upcoming training of FOREIGN_ORGANIZER in another account."""

    MULTI_TRAINING_EMAIL = "riley.sample@example.com"
    """Registered (APPROVED) in ONBOARDING, LEADERSHIP and SAFETY_COURSE; attends every completed session."""
    NO_SHOW_EMAIL = "noel.absent@example.com"
    """Registered (APPROVED) in SAFETY_COURSE and never attends."""
    RECONNECT_EMAIL = "pat.reconnect@example.com"
    """Registered (APPROVED) in SAFETY_COURSE; attends every session in 3 join/leave periods."""
    SPACED_EMAIL = "  quinn.spaces@example.com "
    """Registered in DATA_SERIES with stray spaces around the address."""
    WAITING_EMAIL = "dana.waitlist@example.com"
    """Registered in DATA_SERIES with status WAITING."""


GIVEN_NAMES = (
    "Avery", "Blake", "Cameron", "Drew", "Emerson", "Finley", "Harper", "Jamie", "Kendall", "Logan",
    "Morgan", "Noa", "Parker", "Reese", "Rowan", "Sasha", "Skyler", "Taylor", "Toni", "Wren",
)  # fmt: skip
SURNAMES = (
    "Example", "Sample", "Placeholder", "Testwell", "Mockridge", "Dummyford", "Fictitious", "Stubbs",
    "Fakenham", "Pretendergast", "Specimen", "Demoulin", "Prototype", "Madeup", "Notreal",
)  # fmt: skip
ORGANIZATIONS = ("Example Corp", "Sample Industries", "Placeholder GmbH", "Demo Foods Ltd", "Fictional Labs")
JOB_TITLES = ("Analyst", "Engineer", "Team Lead", "Coordinator", "Specialist")


@dataclass(frozen=True)
class _Person:
    given_name: str
    surname: str
    email: str


def build_state(seed: int, now: datetime) -> SandboxState:
    """Build the seeded state for `seed`, with dates relative to `now`."""
    return _Seeder(seed, now).build()


class _Seeder:
    def __init__(self, seed: int, now: datetime) -> None:
        self.rng = random.Random(f"sandbox-data:{seed}")
        self.base = now.replace(minute=0, second=0, microsecond=0)
        self.now = now
        self.state = SandboxState(keys=KeyGenerator(random.Random(f"sandbox-keys:{seed}")))
        self._emails: set[str] = set()

    def build(self) -> SandboxState:
        self._add_organizers()
        self._add_trainings()
        return self.state

    def _add_organizers(self) -> None:
        account, foreign = SeedKeys.ACCOUNT, SeedKeys.FOREIGN_ACCOUNT
        for organizer in (
            Organizer(SeedKeys.ORGANIZER, account, "alex.sample@example.com", "Alex", "Sample"),
            Organizer(SeedKeys.CO_ORGANIZER, account, "jordan.placeholder@example.com", "Jordan", "Placeholder"),
            Organizer(SeedKeys.FOREIGN_ORGANIZER, foreign, "fran.outsider@example.com", "Fran", "Outsider"),
        ):
            self.state.add_organizer(organizer)

    def _add_trainings(self) -> None:
        riley = _Person("Riley", "Sample", SeedKeys.MULTI_TRAINING_EMAIL)
        me, co = SeedKeys.ORGANIZER, SeedKeys.CO_ORGANIZER

        onboarding = self._training(
            SeedKeys.ONBOARDING, "Onboarding Basics", "Europe/Berlin", [(3, time(9), 120)], me, [co],
            "First steps for new team members: tools, people and processes.",
        )  # fmt: skip
        self._register(onboarding, [riley], "APPROVED")
        self._register_crowd(onboarding, 24, {"WAITING": 2, "DENIED": 1})

        series = self._training(
            SeedKeys.DATA_SERIES, "Data Literacy Series", "America/New_York",
            [(day, time(10), 90) for day in (7, 14, 21, 28)], me, [],
            "Four weekly sessions on reading, charting and questioning data.",
        )  # fmt: skip
        self._register(series, [_Person("Quinn", "Spaces", SeedKeys.SPACED_EMAIL)], "APPROVED")
        self._register(series, [_Person("Dana", "Waitlist", SeedKeys.WAITING_EMAIL)], "WAITING")
        self._register(series, [_Person("Sol", "Nostatus", "sol.nostatus@example.com")], None)
        self._register(series, [_Person("Ira", "Trailing", "ira.trailing@example.com ")], "APPROVED")
        self._register_crowd(series, 36, {"WAITING": 3, "DENIED": 2, "UNREGISTERED": 2, "DELETED": 1})

        leadership = self._training(
            SeedKeys.LEADERSHIP, "Leadership Lab", "Asia/Tokyo",
            [(day, time(10), 120) for day in (-14, -7, 5, 12)], me, [co],
            "Practice-based leadership training in four parts.",
        )  # fmt: skip
        self._register(leadership, [riley], "APPROVED")
        self._register_crowd(leadership, 28, {"UNREGISTERED": 1})
        self._finish(leadership, recordings=1, questionnaires={"tests": 1, "polls": 4, "surveys": 1})

        safety = self._training(
            SeedKeys.SAFETY_COURSE, "Safety Certification Course", "UTC",
            [(-80 + 7 * week, time(13), 120) for week in range(SeedKeys.SAFETY_COURSE_SESSION_COUNT)], me, [],
            "Twelve-week certification with a final exam.",
        )  # fmt: skip
        self._register(safety, [riley], "APPROVED")
        self._register(safety, [_Person("Noel", "Absent", SeedKeys.NO_SHOW_EMAIL)], "APPROVED")
        self._register(safety, [_Person("Pat", "Reconnect", SeedKeys.RECONNECT_EMAIL)], "APPROVED")
        self._register_crowd(safety, 32, {"DENIED": 2, "DELETED": 1})
        self._finish(safety, recordings=12, questionnaires={"tests": 3, "polls": 22, "surveys": 2})

        care = self._training(
            SeedKeys.CUSTOMER_CARE, "Customer Care Workshop", "Europe/Berlin", [(-30, time(9), 180)], me, [],
            "Handling difficult conversations with customers.",
        )  # fmt: skip
        self._register_crowd(care, 20, {"DENIED": 1})
        self._finish(care, recordings=1, questionnaires={"tests": 0, "polls": 2, "surveys": 1})

        spreadsheets = self._training(
            SeedKeys.SPREADSHEETS, "Spreadsheet Skills", "America/New_York", [(10, time(13), 120)], co, [],
            "Formulas, pivot tables and charts.",
        )  # fmt: skip
        self._register_crowd(spreadsheets, 18, {"WAITING": 1})

        self._training(
            SeedKeys.OFFICE_HOURS, "Open Office Hours", "UTC", [(22, time(12), 60)], me, [],
            "Bring your questions.",
        )  # fmt: skip

        compliance = self._training(
            SeedKeys.COMPLIANCE, "Compliance Refresher", "Asia/Tokyo", [(-45, time(10), 120), (-44, time(10), 120)],
            co, [me], "Annual refresher on policies.",
        )  # fmt: skip
        self._register_crowd(compliance, 22, {})
        self._finish(compliance, recordings=0, questionnaires={"tests": 0, "polls": 0, "surveys": 0})

        foreign = self._training(
            SeedKeys.FOREIGN_TRAINING, "Another Account's Training", "UTC", [(4, time(15), 60)],
            SeedKeys.FOREIGN_ORGANIZER, [], "Belongs to another account.",
        )  # fmt: skip
        self._register_crowd(foreign, 5, {})

    def _training(
        self,
        key: int,
        name: str,
        time_zone: str,
        slots: list[tuple[int, time, int]],
        creator_key: int,
        co_organizer_keys: list[int],
        description: str,
    ) -> Training:
        """Add a training whose sessions start `day` days from today at a local time and last `minutes`."""
        zone = ZoneInfo(time_zone)
        local_today = self.base.astimezone(zone).date()
        times = []
        for day, start_time, minutes in slots:
            start = datetime.combine(local_today + timedelta(days=day), start_time, tzinfo=zone)
            times.append(
                TimeRange(
                    start.astimezone(self.base.tzinfo),
                    (start + timedelta(minutes=minutes)).astimezone(self.base.tzinfo),
                )
            )
        training = Training(
            key=key,
            training_id=self.state.keys.new_training_id(),
            name=name,
            description=description,
            time_zone=time_zone,
            times=times,
            creator_key=creator_key,
            co_organizer_keys=co_organizer_keys,
            disable_confirmation_email=self.rng.random() < 0.2,
        )
        return self.state.add_training(training)

    def _register(self, training: Training, people: list[_Person], status: str | None) -> None:
        first_start = training.times[0].start
        for person in people:
            key = self.state.keys.new_key()
            registered = min(first_start, self.now) - timedelta(minutes=self.rng.randint(60, 30 * 24 * 60))
            details = self._details(training)
            training.registrants[key] = Registrant(
                key=key,
                email=person.email,
                given_name=person.given_name,
                surname=person.surname,
                status=status,
                registration_date=registered.replace(second=self.rng.randint(0, 59)),
                join_url=links.join_url(training, key),
                confirmation_url=links.confirmation_url(training, key),
                details=details,
            )

    def _register_crowd(self, training: Training, count: int, other_statuses: dict[str, int]) -> None:
        """Register `count` new people: `other_statuses` gives how many get each status, the rest APPROVED."""
        statuses = [status for status, number in other_statuses.items() for _ in range(number)]
        statuses += ["APPROVED"] * (count - len(statuses))
        self.rng.shuffle(statuses)
        for status in statuses:
            self._register(training, [self._new_person()], status)

    def _new_person(self) -> _Person:
        while True:
            given_name = self.rng.choice(GIVEN_NAMES)
            surname = self.rng.choice(SURNAMES)
            email = f"{given_name}.{surname}{self.rng.randint(1, 99)}@example.com".lower()
            if email not in self._emails:
                self._emails.add(email)
                return _Person(given_name, surname, email)

    def _details(self, training: Training) -> dict[str, object]:
        if self.rng.random() < 0.5:
            return {}
        details: dict[str, object] = {
            "timeZone": training.time_zone,
            "organization": self.rng.choice(ORGANIZATIONS),
            "jobTitle": self.rng.choice(JOB_TITLES),
        }
        if self.rng.random() < 0.3:
            details["responses"] = [
                {"question": "What do you hope to learn?", "answer": [], "text": "Practical tips for my team."}
            ]
        return details

    def _finish(self, training: Training, recordings: int, questionnaires: dict[str, int]) -> None:
        """Add attendance for each completed session, then recordings and questionnaires."""
        add_attendance(training, self.now, self.rng, self.state.keys, anchors=_ANCHOR_ATTENDANCE)
        for index, session in enumerate(training.sessions[:recordings]):
            training.recordings.append(
                Recording(
                    recording_id=self.state.keys.new_key(),
                    name=f"{training.name} - session {index + 1}",
                    description=f"Recording of session {index + 1}.",
                    start=session.start,
                    end=session.end,
                )
            )
        add_questionnaires(training, questionnaires, self.rng, self.state.keys)


_ANCHOR_ATTENDANCE = {
    SeedKeys.MULTI_TRAINING_EMAIL: "full",
    SeedKeys.NO_SHOW_EMAIL: "absent",
    SeedKeys.RECONNECT_EMAIL: "three-periods",
}
