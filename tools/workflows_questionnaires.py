"""Results of a training's tests, polls or surveys: every page of submissions, summarized per question.

GoTo's submission items do not say which questionnaire they answer, so the submissions are
fetched per questionnaire (key and version), first pages of all questionnaires at once, then
the remaining pages. A test's participants are named from the training's registrants, since
a submission's `user_key` is the registrant key.
"""

from __future__ import annotations

import functools
import logging
import math
from collections import Counter
from typing import Literal

from pydantic import Field

from server.client import MAX_PAGE_SIZE, GoToClient, QuestionnaireKind
from server.errors import NotFoundError
from server.models import Page, Questionnaire, Registrant, Submission
from tools.workflows_fan_out import FanOut
from tools.workflows_models import OutputModel

logger = logging.getLogger(__name__)

Kind = Literal["test", "poll", "survey"]

MAX_PAGES = 25
"""Pages of 200 items fetched at most a questionnaire, and for the questionnaire list."""
MAX_ANSWER_ROWS = 10
"""Maximum answer rows a question keeps, the most frequent first. The rest are counted in `other_answers`."""


class AnswerCount(OutputModel):
    answer: str
    count: int


class QuestionResult(OutputModel):
    question_key: str | None = None
    question_text: str | None = None
    question_type: str | None = None
    responses: int
    answers: list[AnswerCount] = Field(description="Options chosen, or text answers, most frequent first.")
    other_answers: int | None = Field(None, description="Answers beyond the rows shown.")
    correct: int | None = Field(None, description="Tests: responses marked correct.")
    share_correct: float | None = Field(None, description="Tests: correct / responses marked either way.")


class ParticipantScore(OutputModel):
    user_key: str
    email: str | None = None
    given_name: str | None = None
    surname: str | None = None
    correct: int
    marked: int = Field(description="Answers marked correct or incorrect.")
    score: float | None = Field(None, description="correct / marked.")


class QuestionnaireResult(OutputModel):
    questionnaire_key: str
    questionnaire_version: str | None = None
    questionnaire_name: str | None = None
    submissions: int = Field(description="Answer items, one per question a participant answered.")
    participants: int
    questions: list[QuestionResult]
    scores: list[ParticipantScore] | None = Field(None, description="Tests: best score first.")
    truncated: bool | None = Field(None, description="True when more than the pages fetched exist.")


class QuestionnaireSummary(OutputModel):
    training_key: str
    kind: Kind
    session_key: str | None = None
    questionnaires: list[QuestionnaireResult]
    submissions: int
    note: str | None = None


async def summarize_questionnaires(
    client: GoToClient, fan_out: FanOut, training_key: str, kind: Kind, session_key: str | None
) -> QuestionnaireSummary:
    """Fetch every questionnaire of `kind` and all pages of its submissions, and summarize them."""
    kinds: QuestionnaireKind = f"{kind}s"  # type: ignore[assignment]
    questionnaires = await _all_questionnaires(client, fan_out, kinds, training_key, session_key)
    pages = await _all_submission_pages(client, fan_out, kinds, training_key, session_key, questionnaires)
    people = await _registrants_by_key(client, training_key) if kind == "test" and questionnaires else {}

    results = [
        _questionnaire_result(questionnaire, items, truncated, kind, people)
        for questionnaire, (items, truncated) in zip(questionnaires, pages, strict=True)
    ]
    note = None
    if not results:
        where = f" in session {session_key}" if session_key else ""
        note = f"Training {training_key} has no {kinds}{where}."
    return QuestionnaireSummary(
        training_key=training_key,
        kind=kind,
        session_key=session_key,
        questionnaires=results,
        submissions=sum(result.submissions for result in results),
        note=note,
    )


async def _all_questionnaires(
    client: GoToClient, fan_out: FanOut, kinds: QuestionnaireKind, training_key: str, session_key: str | None
) -> list[Questionnaire]:
    fetch = functools.partial(
        client.get_questionnaires, kinds, training_key, session_key=session_key, size=MAX_PAGE_SIZE
    )
    (first,) = await fan_out.gather([functools.partial(fetch, page=0)])
    rest = await fan_out.map(lambda number: fetch(page=number), range(1, min(first.total_pages, MAX_PAGES)))
    return [item for page in [first, *rest] for item in page.items]


async def _all_submission_pages(
    client: GoToClient,
    fan_out: FanOut,
    kinds: QuestionnaireKind,
    training_key: str,
    session_key: str | None,
    questionnaires: list[Questionnaire],
) -> list[tuple[list[Submission], bool]]:
    """Return each questionnaire's submissions and whether pages were left out."""

    def fetch(questionnaire: Questionnaire, page: int) -> functools.partial:
        return functools.partial(
            client.get_submissions,
            kinds,
            training_key,
            session_key=session_key,
            questionnaire_key=questionnaire.questionnaire_key,
            questionnaire_version=questionnaire.questionnaire_version,
            page=page,
            size=MAX_PAGE_SIZE,
        )

    firsts: list[Page[Submission]] = await fan_out.gather([fetch(questionnaire, 0) for questionnaire in questionnaires])
    wanted = [
        (index, page) for index, first in enumerate(firsts) for page in range(1, min(first.total_pages, MAX_PAGES))
    ]
    rest: list[Page[Submission]] = await fan_out.gather([fetch(questionnaires[index], page) for index, page in wanted])

    items: list[list[Submission]] = [list(first.items) for first in firsts]
    for (index, _), page in zip(wanted, rest, strict=True):
        items[index].extend(page.items)
    return [(items[index], first.total_pages > MAX_PAGES) for index, first in enumerate(firsts)]


async def _registrants_by_key(client: GoToClient, training_key: str) -> dict[str, Registrant]:
    try:
        registrants = await client.get_registrants(training_key)
    except NotFoundError:
        # The submissions API serves the whole account, but the registrant list only the organizer's trainings.
        logger.info("Scores of training %s are not named: its registrant list was not found", training_key)
        return {}
    return {registrant.registrant_key: registrant for registrant in registrants}


def _questionnaire_result(
    questionnaire: Questionnaire,
    items: list[Submission],
    truncated: bool,
    kind: Kind,
    people: dict[str, Registrant],
) -> QuestionnaireResult:
    by_question: dict[tuple[str | None, str | None], list[Submission]] = {}
    for item in items:
        by_question.setdefault((item.question_key, item.question_version), []).append(item)
    questions = [_question_result(group, kind) for group in by_question.values()]
    questions.sort(key=lambda question: _natural_order(question.question_key))
    participants = {item.user_key for item in items if item.user_key is not None}
    return QuestionnaireResult(
        questionnaire_key=questionnaire.questionnaire_key,
        questionnaire_version=questionnaire.questionnaire_version,
        questionnaire_name=questionnaire.questionnaire_name,
        submissions=len(items),
        participants=len(participants),
        questions=questions,
        scores=_scores(items, people) if kind == "test" else None,
        truncated=truncated or None,
    )


def _question_result(items: list[Submission], kind: Kind) -> QuestionResult:
    first = items[0]
    answers: Counter[str] = Counter()
    for item in items:
        answer = item.answer
        if answer is None:
            continue
        if answer.selected_options:
            answers.update(answer.selected_options)
        elif answer.answer_text and answer.answer_text.strip():
            answers[answer.answer_text.strip()] += 1
    ranked = sorted(answers.items(), key=lambda pair: (-pair[1], pair[0]))
    shown = ranked[:MAX_ANSWER_ROWS]
    others = sum(count for _, count in ranked[MAX_ANSWER_ROWS:])
    result = QuestionResult(
        question_key=first.question_key,
        question_text=first.question_text,
        question_type=first.question_type,
        responses=len(items),
        answers=[AnswerCount(answer=answer, count=count) for answer, count in shown],
        other_answers=others or None,
    )
    if kind == "test":
        marked = [item.answer.is_correct for item in items if item.answer and item.answer.is_correct is not None]
        result.correct = sum(1 for correct in marked if correct)
        result.share_correct = round(result.correct / len(marked), 3) if marked else None
    return result


def _scores(items: list[Submission], people: dict[str, Registrant]) -> list[ParticipantScore]:
    tallies: dict[str, list[int]] = {}
    for item in items:
        if item.user_key is None or item.answer is None or item.answer.is_correct is None:
            continue
        tally = tallies.setdefault(item.user_key, [0, 0])
        tally[0] += 1 if item.answer.is_correct else 0
        tally[1] += 1
    scores = []
    for user_key, (correct, marked) in tallies.items():
        person = people.get(user_key)
        scores.append(
            ParticipantScore(
                user_key=user_key,
                email=(person.email or "").strip() or None if person else None,
                given_name=person.given_name if person else None,
                surname=person.surname if person else None,
                correct=correct,
                marked=marked,
                score=round(correct / marked, 3) if marked else None,
            )
        )
    return sorted(scores, key=lambda score: (-(score.score or 0.0), score.user_key))


def _natural_order(key: str | None) -> tuple[float, str]:
    """Order question keys as numbers when they are digits ("2" before "10"), else as text."""
    if key is not None and key.isdigit():
        return (int(key), "")
    return (math.inf, key or "")
