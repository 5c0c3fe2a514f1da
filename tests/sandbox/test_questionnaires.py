"""The training/v1 endpoints: tests, polls and surveys, their submissions, paging, sorting and filters."""

from __future__ import annotations

import httpx
import pytest

from server.sandbox import Sandbox, SeedKeys
from tests.sandbox.helpers import V1

POLLS = f"{V1}/trainings/{SeedKeys.SAFETY_COURSE}/polls"
TESTS = f"{V1}/trainings/{SeedKeys.SAFETY_COURSE}/tests"


async def test_default_page_is_first_twenty(client: httpx.AsyncClient) -> None:
    response = await client.get(POLLS)

    page = response.json()
    assert len(page["items"]) == 20
    assert page["currentPage"] == 0
    assert page["pageSize"] == 20
    assert page["totalItems"] == 22
    assert page["totalPages"] == 2
    assert page["sort"] == ["questionnaireKey:asc"]


async def test_last_page_holds_the_rest(client: httpx.AsyncClient) -> None:
    response = await client.get(POLLS, params={"page": 4, "size": 5})

    page = response.json()
    assert page["totalPages"] == 5
    assert page["currentPage"] == 4
    assert len(page["items"]) == 2


async def test_page_past_the_end_is_empty(client: httpx.AsyncClient) -> None:
    response = await client.get(POLLS, params={"page": 2})

    assert response.status_code == 200
    assert response.json()["items"] == []
    assert response.json()["totalItems"] == 22


async def test_pages_add_up_to_all_items(client: httpx.AsyncClient) -> None:
    large = [await client.get(f"{POLLS}/submissions", params={"page": n, "size": 200}) for n in range(2)]
    small = [await client.get(f"{POLLS}/submissions", params={"page": n, "size": 60}) for n in range(4)]

    assert large[0].json()["totalItems"] == 220
    assert [len(p.json()["items"]) for p in large] == [200, 20]
    assert [len(p.json()["items"]) for p in small] == [60, 60, 60, 40]
    assert [item for p in small for item in p.json()["items"]] == [item for p in large for item in p.json()["items"]]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"size": 0}, "between 1 and 200"),
        ({"size": 201}, "between 1 and 200"),
        ({"size": "ten"}, "expected an integer"),
        ({"page": -1}, "numbered from 0"),
        ({"sort": "name"}, "Invalid sort"),
        ({"sort": "questionnaireKey,sideways"}, "Invalid sort"),
    ],
)
async def test_invalid_paging_is_400(client: httpx.AsyncClient, params: dict, fragment: str) -> None:
    response = await client.get(POLLS, params=params)

    assert response.status_code == 400
    assert response.json()["errorCode"] == "InvalidRequest"
    assert fragment in response.json()["description"]


async def test_maximum_page_size_accepted(client: httpx.AsyncClient) -> None:
    response = await client.get(POLLS, params={"size": 200})

    assert response.status_code == 200
    assert response.json()["totalPages"] == 1


async def test_questionnaires_sorted_by_key(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    expected = sorted(q.key for q in sandbox.state.trainings[SeedKeys.SAFETY_COURSE].questionnaires["polls"])

    ascending = await client.get(POLLS, params={"size": 200})
    descending = await client.get(POLLS, params={"size": 200, "sort": "questionnaireKey,desc"})

    assert [item["questionnaireKey"] for item in ascending.json()["items"]] == expected
    assert [item["questionnaireKey"] for item in descending.json()["items"]] == expected[::-1]
    assert descending.json()["sort"] == ["questionnaireKey:desc"]


async def test_submissions_sorted_by_user_descending(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{TESTS}/submissions", params={"size": 200, "sort": "userKey:desc"})

    users = [item["userKey"] for item in response.json()["items"]]
    assert users == sorted(users, reverse=True)
    assert response.json()["sort"] == ["userKey:desc"]


async def test_submissions_filtered_by_questionnaire(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    test = sandbox.state.trainings[SeedKeys.SAFETY_COURSE].questionnaires["tests"][0]

    response = await client.get(f"{TESTS}/submissions", params={"questionnaireKey": test.key, "size": 200})

    # 4 questions answered by 10 attendees.
    assert response.json()["totalItems"] == 40
    assert {item["deliveryTime"] for item in response.json()["items"]} == {"PRESESSION"}


async def test_questionnaires_filtered_by_session(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    first_session = sandbox.state.trainings[SeedKeys.SAFETY_COURSE].sessions[0]

    polls = await client.get(POLLS, params={"sessionKey": str(first_session.key)})
    submissions = await client.get(f"{POLLS}/submissions", params={"sessionKey": str(first_session.key)})

    # 22 polls go round the 12 sessions, so the first session has polls 1 and 13.
    assert sorted(item["questionnaireName"] for item in polls.json()["items"]) == ["Quick poll 1", "Quick poll 13"]
    assert submissions.json()["totalItems"] == 20


async def test_submissions_filtered_by_version(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    polls = sandbox.state.trainings[SeedKeys.SAFETY_COURSE].questionnaires["polls"]
    version_two = [q for q in polls if q.version == "2"]

    response = await client.get(f"{POLLS}/submissions", params={"questionnaireVersion": "2", "size": 200})

    assert version_two
    assert response.json()["totalItems"] == 10 * len(version_two)


async def test_tests_have_correct_and_incorrect_answers(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{TESTS}/submissions", params={"size": 200})

    verdicts = {item["answer"]["isCorrect"] for item in response.json()["items"]}
    assert verdicts == {True, False}


async def test_training_without_questionnaires_is_empty(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{V1}/trainings/{SeedKeys.COMPLIANCE}/tests")

    assert response.status_code == 200
    assert response.json()["items"] == []
    assert response.json()["totalItems"] == 0
    assert response.json()["totalPages"] == 0


async def test_unknown_training_questionnaires_are_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{V1}/trainings/1234567890123456789/polls")

    assert response.status_code == 404
    assert response.json()["errorCode"] == "NoSuchTraining"


async def test_questionnaires_need_a_token(anonymous_client: httpx.AsyncClient) -> None:
    response = await anonymous_client.get(POLLS)

    assert response.status_code == 401
