"""summarize_questionnaire_results against the sandbox: distributions and scores checked against the seeded state."""

from collections import Counter
from typing import Any

from mcp import Client

from server.app import build_server
from server.sandbox import Sandbox, SeedKeys
from server.sandbox.model import Questionnaire, Training
from tests.workflows.conftest import call, settings_for

TOOL = "summarize_questionnaire_results"


def answer_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    for item in items:
        answer = item["answer"]
        if answer.get("selectedOptions"):
            counts.update(answer["selectedOptions"])
        elif answer.get("answerText", "").strip():
            counts[answer["answerText"].strip()] += 1
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return [{"answer": answer, "count": count} for answer, count in ranked]


def expected_test(training: Training, questionnaire: Questionnaire) -> dict[str, Any]:
    """Work a test's results out from its raw submission items."""
    by_question: dict[str, list[dict[str, Any]]] = {}
    for item in questionnaire.submissions:
        by_question.setdefault(item["questionKey"], []).append(item)
    questions = []
    for key in sorted(by_question, key=int):
        items = by_question[key]
        correct = sum(1 for item in items if item["answer"]["isCorrect"])
        questions.append(
            {
                "question_key": key,
                "question_text": items[0]["questionText"],
                "question_type": items[0]["questionType"],
                "responses": len(items),
                "answers": answer_rows(items),
                "correct": correct,
                "share_correct": round(correct / len(items), 3),
            }
        )

    tallies: dict[str, list[int]] = {}
    for item in questionnaire.submissions:
        tally = tallies.setdefault(item["userKey"], [0, 0])
        tally[0] += 1 if item["answer"]["isCorrect"] else 0
        tally[1] += 1
    scores = []
    for user_key, (correct, marked) in tallies.items():
        person = training.registrants[int(user_key)]
        scores.append(
            {
                "user_key": user_key,
                "email": person.email,
                "given_name": person.given_name,
                "surname": person.surname,
                "correct": correct,
                "marked": marked,
                "score": round(correct / marked, 3),
            }
        )
    scores.sort(key=lambda score: (-score["score"], score["user_key"]))
    return {
        "questionnaire_key": questionnaire.key,
        "questionnaire_version": questionnaire.version,
        "questionnaire_name": questionnaire.name,
        "submissions": len(questionnaire.submissions),
        "participants": len(tallies),
        "questions": questions,
        "scores": scores,
    }


async def test_test_results_match_seeded_answers(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]
    tests = sorted(training.questionnaires["tests"], key=lambda questionnaire: questionnaire.key)
    expected = [expected_test(training, questionnaire) for questionnaire in tests]

    result = await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE), "kind": "test"})
    summary = result.structured_content

    assert len(expected) == 3
    assert summary["questionnaires"] == expected
    assert summary["submissions"] == sum(len(questionnaire.submissions) for questionnaire in tests)
    assert sandbox.count("GET", r"/tests/submissions$") == 3
    for questionnaire in tests:
        (request,) = [
            request
            for request in sandbox.requests_matching("GET", r"/tests/submissions$")
            if request.query.get("questionnaireKey") == questionnaire.key
        ]
        assert request.query["questionnaireVersion"] == questionnaire.version
        assert request.query["page"] == "0"


async def test_poll_results_count_each_option(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]
    polls = sorted(training.questionnaires["polls"], key=lambda questionnaire: questionnaire.key)

    result = await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE), "kind": "poll"})
    summary = result.structured_content

    assert len(summary["questionnaires"]) == len(polls) == 22
    for found, poll in zip(summary["questionnaires"], polls, strict=True):
        (question,) = found["questions"]
        assert found["questionnaire_key"] == poll.key
        assert question["responses"] == len(poll.submissions)
        assert question["answers"] == answer_rows(poll.submissions)
        assert "correct" not in question
        assert "scores" not in found


async def test_results_fetch_every_page(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]
    options = ("Yes", "No", "Not sure")
    big_poll = Questionnaire(
        key="999999999999", version="1", name="Big poll", created_by=SeedKeys.ORGANIZER, session_key=None
    )
    big_poll.submissions = [
        {
            "questionKey": "1",
            "questionVersion": "1",
            "questionText": "Is the pace right?",
            "questionType": "SINGLE_CHOICE",
            "userKey": str(1000 + number),
            "deliveryTime": "INSESSION",
            "answer": {"selectedOptions": [options[number % 3]]},
        }
        for number in range(450)
    ]
    training.questionnaires["polls"].append(big_poll)

    result = await call(client, TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE), "kind": "poll"})

    (found,) = [
        item for item in result.structured_content["questionnaires"] if item["questionnaire_key"] == "999999999999"
    ]
    assert found["submissions"] == 450
    assert found["participants"] == 450
    assert found["questions"][0]["answers"] == [
        {"answer": "No", "count": 150},
        {"answer": "Not sure", "count": 150},
        {"answer": "Yes", "count": 150},
    ]
    pages = [
        request.query["page"]
        for request in sandbox.requests_matching("GET", r"/polls/submissions$")
        if request.query.get("questionnaireKey") == "999999999999"
    ]
    assert sorted(pages) == ["0", "1", "2"]


async def test_results_of_one_session_only(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]
    first_test = training.questionnaires["tests"][0]
    in_session = [q.key for q in training.questionnaires["tests"] if q.session_key == first_test.session_key]
    arguments = {
        "training_key": str(SeedKeys.SAFETY_COURSE),
        "kind": "test",
        "session_key": str(first_test.session_key),
    }

    result = await call(client, TOOL, arguments)

    assert [item["questionnaire_key"] for item in result.structured_content["questionnaires"]] == sorted(in_session)
    assert result.structured_content["session_key"] == str(first_test.session_key)
    for request in sandbox.requests_matching("GET", r"/tests(/submissions)?$"):
        assert request.query["sessionKey"] == str(first_test.session_key)


async def test_results_without_questionnaires_say_so(client: Client, sandbox: Sandbox) -> None:
    result = await call(client, TOOL, {"training_key": str(SeedKeys.CUSTOMER_CARE), "kind": "test"})

    assert result.structured_content["questionnaires"] == []
    assert result.structured_content["note"] == f"Training {SeedKeys.CUSTOMER_CARE} has no tests."
    assert sandbox.count("GET", r"/tests/submissions$") == 0
    assert sandbox.count("GET", r"/registrants$") == 0


async def test_results_reject_unknown_kind(client: Client, sandbox: Sandbox) -> None:
    result = await client.call_tool(TOOL, {"training_key": str(SeedKeys.SAFETY_COURSE), "kind": "quiz"})

    assert result.is_error
    assert sandbox.requests == []


async def test_results_same_as_one_request_at_a_time(sandbox: Sandbox) -> None:
    arguments = {"training_key": str(SeedKeys.SAFETY_COURSE), "kind": "survey"}
    results = []
    for concurrency in (1, 8):
        server = build_server(settings_for(sandbox, max_concurrency=concurrency), sandbox.transport())
        async with Client(server) as client:
            results.append((await call(client, TOOL, arguments)).structured_content)

    one_at_a_time, concurrent = results
    assert concurrent == one_at_a_time
    assert len(concurrent["questionnaires"]) == 2
