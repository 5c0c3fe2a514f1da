"""Seeded activity of completed sessions: attendance, and tests, polls and surveys with submissions."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from .model import QUESTIONNAIRE_KINDS, AttendancePeriod, Attendee, Questionnaire, Session, Training
from .state import KeyGenerator

MAX_SUBMITTERS = 10

# (question text, question type, options, correct options); an empty option tuple means a text answer.
TEST_QUESTIONS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Which exit is the assembly point closest to?", "SINGLE_CHOICE", ("North", "East", "South"), ("East",)),
    ("Which items belong in a first-aid kit?", "MULTIPLE_CHOICE",
     ("Bandages", "Gloves", "Stapler", "Scissors"), ("Bandages", "Gloves", "Scissors")),
    ("Whom do you call first after an incident?", "SINGLE_CHOICE",
     ("Team lead", "Safety officer", "Nobody"), ("Safety officer",)),
    ("Name one hazard in your workplace.", "TEXT", (), ()),
)  # fmt: skip
POLL_OPTIONS = ("Yes", "No", "Not sure")
SURVEY_QUESTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("How useful was this session?", "SINGLE_CHOICE", ("1", "2", "3", "4", "5")),
    ("Which topics should we cover next?", "MULTIPLE_CHOICE", ("Tools", "Processes", "People", "Safety")),
    ("Any other comments?", "TEXT", ()),
)
COMMENTS = ("Great session.", "More examples, please.", "Too fast in places.", "Loved the exercises.", "")


def add_attendance(
    training: Training, now: datetime, rng: random.Random, keys: KeyGenerator, anchors: dict[str, str]
) -> None:
    """Add a session with attendance for every completed time slot of the training.

    `anchors` maps an email to a fixed pattern: "full", "absent" or "three-periods". Everyone else who is
    APPROVED attends at random: fully, partly, in several periods, or not at all.
    """
    approved = [registrant for registrant in training.registrants.values() if registrant.status == "APPROVED"]
    for slot in training.times:
        if slot.end > now:
            continue
        start = slot.start + timedelta(minutes=rng.randint(0, 4))
        end = slot.end + timedelta(minutes=rng.randint(-3, 6))
        session = Session(key=keys.new_key(digits=rng.choice((9, 19))), start=start, end=end)
        for registrant in approved:
            pattern = anchors.get(registrant.email, "random")
            attendee = Attendee(registrant.given_name, registrant.surname, registrant.email)
            attendee.periods = _periods(pattern, start, end, rng)
            session.attendees.append(attendee)
        training.sessions.append(session)


def _periods(pattern: str, start: datetime, end: datetime, rng: random.Random) -> list[AttendancePeriod]:
    minutes = int((end - start).total_seconds() // 60)
    if pattern == "absent" or (pattern == "random" and rng.random() < 0.2):
        return []
    if pattern == "full":
        return [AttendancePeriod(start, end)]
    if pattern == "three-periods":
        return _split(start, minutes, 3, rng)

    first_join = rng.randint(0, min(10, minutes // 6))
    leaves_early = rng.random() < 0.25
    last_leave = minutes - (rng.randint(minutes // 4, minutes // 2) if leaves_early else rng.randint(0, 10))
    count = rng.choices((1, 2, 3), weights=(70, 20, 10))[0]
    return _split(start + timedelta(minutes=first_join), last_leave - first_join, count, rng)


def _split(start: datetime, minutes: int, count: int, rng: random.Random) -> list[AttendancePeriod]:
    """Split `minutes` from `start` into `count` periods with gaps between them, in whole minutes."""
    if minutes < 4 * count:
        count = 1
    cuts = sorted(rng.sample(range(1, minutes), 2 * (count - 1)))
    bounds = [0, *cuts, minutes]
    return [
        AttendancePeriod(start + timedelta(minutes=bounds[i]), start + timedelta(minutes=bounds[i + 1]))
        for i in range(0, len(bounds), 2)
    ]


def add_questionnaires(training: Training, counts: dict[str, int], rng: random.Random, keys: KeyGenerator) -> None:
    """Add `counts[kind]` questionnaires of each kind, spread over the completed sessions in turn."""
    if not training.sessions:
        return
    keys_by_email = {registrant.email: registrant.key for registrant in training.registrants.values()}
    for kind in QUESTIONNAIRE_KINDS:
        for index in range(counts.get(kind, 0)):
            session = training.sessions[index % len(training.sessions)]
            attendees = [keys_by_email[a.email] for a in session.attendees if a.periods and a.email in keys_by_email]
            users = rng.sample(attendees, min(MAX_SUBMITTERS, len(attendees)))
            questionnaire = Questionnaire(
                key=str(keys.new_key(digits=12)),
                version=rng.choice(("1", "1", "2")),
                name=_questionnaire_name(kind, index),
                created_by=training.creator_key,
                session_key=session.key,
            )
            questionnaire.submissions = _submissions(kind, index, users, rng)
            training.questionnaires[kind].append(questionnaire)


def _questionnaire_name(kind: str, index: int) -> str:
    if kind == "tests":
        return ("Knowledge check", "Midterm quiz", "Final exam")[index % 3] + f" {index // 3 + 1}"
    if kind == "polls":
        return f"Quick poll {index + 1}"
    return f"Feedback survey {index + 1}"


def _submissions(kind: str, index: int, users: list[int], rng: random.Random) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for user in users:
        if kind == "tests":
            delivery = "PRESESSION" if index == 0 else "POSTSESSION"
            items += [
                _test_item(number, question, str(user), delivery, rng)
                for number, question in enumerate(TEST_QUESTIONS, 1)
            ]
        elif kind == "polls":
            answer = {"selectedOptions": [rng.choice(POLL_OPTIONS)]}
            items.append(
                _item("1", f"Is the pace right? (poll {index + 1})", "SINGLE_CHOICE", str(user), "INSESSION", answer)
            )
        else:
            for number, (text, question_type, options) in enumerate(SURVEY_QUESTIONS, 1):
                answer = _survey_answer(question_type, options, rng)
                items.append(_item(str(number), text, question_type, str(user), "POSTSESSION", answer))
    return items


def _test_item(
    number: int, question: tuple[str, str, tuple[str, ...], tuple[str, ...]], user: str, delivery: str,
    rng: random.Random,
) -> dict[str, Any]:  # fmt: skip
    text, question_type, options, correct = question
    if not options:
        answer_text = rng.choice(("Wet floors", "Loose cables", "Heavy boxes", ""))
        answer = {"answerText": answer_text, "selectedOptions": [], "isCorrect": bool(answer_text)}
    else:
        right = rng.random() < 0.7
        chosen = list(correct) if right else [rng.choice([o for o in options if o not in correct] or list(options))]
        answer = {"answerText": "", "selectedOptions": chosen, "isCorrect": right}
    return _item(str(number), text, question_type, user, delivery, answer)


def _survey_answer(question_type: str, options: tuple[str, ...], rng: random.Random) -> dict[str, Any]:
    if question_type == "TEXT":
        return {"answerText": rng.choice(COMMENTS), "selectedOptions": []}
    if question_type == "SINGLE_CHOICE":
        return {"answerText": "", "selectedOptions": [rng.choice(options)]}
    return {"answerText": "", "selectedOptions": sorted(rng.sample(options, rng.randint(1, 2)))}


def _item(key: str, text: str, question_type: str, user: str, delivery: str, answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "questionKey": key,
        "questionVersion": "1",
        "questionText": text,
        "questionType": question_type,
        "userKey": user,
        "deliveryTime": delivery,
        "answer": answer,
    }
