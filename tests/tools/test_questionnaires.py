"""The test, poll and survey tools, driven through the MCP client against respx routes for GoTo's
paged `training/v1` API."""

import httpx
import pytest
import respx
from mcp import Client
from mcp_types import CallToolResult

from tests.tools.conftest import TRAINING_API

BEARER = "Bearer test-access-token-7f3a9c"

TRAINING_KEY = "9100000000000000011"
SESSION_KEY = "8300000000000000031"

QUESTIONNAIRE_TOOLS = [("list_tests", "tests"), ("list_polls", "polls"), ("list_surveys", "surveys")]
SUBMISSION_TOOLS = [
    ("list_test_submissions", "tests"),
    ("list_poll_submissions", "polls"),
    ("list_survey_submissions", "surveys"),
]


def questionnaires_url(kind: str) -> str:
    return f"{TRAINING_API}/trainings/{TRAINING_KEY}/{kind}"


def submissions_url(kind: str) -> str:
    return f"{TRAINING_API}/trainings/{TRAINING_KEY}/{kind}/submissions"


def questionnaire(number: int) -> dict:
    """Return a questionnaire as GoTo sends it. GoTo's reference example names the version `questionnaireValue`."""
    return {
        "questionnaireKey": f"Q{number:04d}",
        "questionnaireValue": "2",
        "questionnaireName": f"Quiz {number}",
        "createdBy": "7100000000000000001",
    }


def questionnaire_result(number: int) -> dict:
    return {
        "questionnaire_key": f"Q{number:04d}",
        "questionnaire_version": "2",
        "questionnaire_name": f"Quiz {number}",
        "created_by": "7100000000000000001",
    }


def submission(number: int) -> dict:
    return {
        "questionKey": str(number),
        "questionVersion": "1",
        "questionText": f"Question {number}",
        "questionType": "MULTIPLE_CHOICE",
        # A JSON number above 2**53.
        "userKey": 8400000000000000000 + number,
        "deliveryTime": "POSTSESSION",
        "answer": {"answerText": "Yes", "selectedOptions": ["Yes"], "isCorrect": number % 2 == 0},
    }


def submission_result(number: int) -> dict:
    return {
        "question_key": str(number),
        "question_version": "1",
        "question_text": f"Question {number}",
        "question_type": "MULTIPLE_CHOICE",
        "user_key": str(8400000000000000000 + number),
        "delivery_time": "POSTSESSION",
        "answer": {"answer_text": "Yes", "selected_options": ["Yes"], "is_correct": number % 2 == 0},
    }


def page_body(items: list[dict], page: int, size: int, total_pages: int, total_items: int) -> dict:
    return {
        "items": items,
        "currentPage": page,
        "pageSize": size,
        "totalPages": total_pages,
        "totalItems": total_items,
        "sort": ["questionnaireKey:asc"],
    }


def sent_params(route: respx.Route) -> httpx.QueryParams:
    return route.calls.last.request.url.params


def error_text(result: CallToolResult) -> str:
    (content,) = result.content
    return content.text


# One page of tests, polls or surveys -----------------------------------------------------------


@pytest.mark.parametrize(("tool", "kind"), QUESTIONNAIRE_TOOLS)
async def test_questionnaire_page_sends_filters(client: Client, goto: respx.MockRouter, tool: str, kind: str) -> None:
    body = page_body([questionnaire(1), questionnaire(2)], page=0, size=2, total_pages=3, total_items=5)
    route = goto.get(questionnaires_url(kind)).respond(200, json=body)

    result = await client.call_tool(
        tool,
        {"training_key": TRAINING_KEY, "session_key": SESSION_KEY, "page_size": 2, "sort": "questionnaireVersion"},
    )

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "GET"
    assert request.url.path == f"/training/v1/trainings/{TRAINING_KEY}/{kind}"
    assert request.headers["Authorization"] == BEARER
    assert sent_params(route) == httpx.QueryParams(
        {"page": "0", "size": "2", "sessionKey": SESSION_KEY, "sort": "questionnaireVersion"}
    )
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "items": [questionnaire_result(1), questionnaire_result(2)],
        "total_items": 5,
        "returned": 2,
        "page": 0,
        "total_pages": 3,
        "note": "Page 0 of 3 (from 0); call again with page=1, or all_pages=true.",
    }


@pytest.mark.parametrize(("tool", "kind"), QUESTIONNAIRE_TOOLS)
async def test_questionnaire_page_defaults(client: Client, goto: respx.MockRouter, tool: str, kind: str) -> None:
    body = page_body([questionnaire(1)], page=0, size=20, total_pages=1, total_items=1)
    route = goto.get(questionnaires_url(kind)).respond(200, json=body)

    result = await client.call_tool(tool, {"training_key": TRAINING_KEY})

    assert sent_params(route) == httpx.QueryParams({"page": "0", "size": "20"})
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "items": [questionnaire_result(1)],
        "total_items": 1,
        "returned": 1,
        "page": 0,
        "total_pages": 1,
    }


@pytest.mark.parametrize(("tool", "kind"), QUESTIONNAIRE_TOOLS)
async def test_questionnaire_last_page_has_no_note(
    client: Client, goto: respx.MockRouter, tool: str, kind: str
) -> None:
    body = page_body([questionnaire(5)], page=2, size=2, total_pages=3, total_items=5)
    route = goto.get(questionnaires_url(kind)).respond(200, json=body)

    result = await client.call_tool(tool, {"training_key": TRAINING_KEY, "page": 2, "page_size": 2})

    assert sent_params(route) == httpx.QueryParams({"page": "2", "size": "2"})
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "items": [questionnaire_result(5)],
        "total_items": 5,
        "returned": 1,
        "page": 2,
        "total_pages": 3,
    }


# All pages of tests, polls or surveys ----------------------------------------------------------


@pytest.mark.parametrize(("tool", "kind"), QUESTIONNAIRE_TOOLS)
async def test_questionnaire_all_pages_concatenates(
    client: Client, goto: respx.MockRouter, tool: str, kind: str
) -> None:
    # 450 items at GoTo's maximum page size of 200: pages of 200, 200 and 50.
    numbers_by_page = [range(0, 200), range(200, 400), range(400, 450)]
    routes = [
        goto.get(questionnaires_url(kind), params={"page": str(page)}).respond(
            200, json=page_body([questionnaire(n) for n in numbers], page, 200, total_pages=3, total_items=450)
        )
        for page, numbers in enumerate(numbers_by_page)
    ]

    result = await client.call_tool(
        tool, {"training_key": TRAINING_KEY, "session_key": SESSION_KEY, "sort": "questionnaireKey", "all_pages": True}
    )

    for page, route in enumerate(routes):
        assert route.call_count == 1, f"page {page}"
        assert route.calls.last.request.headers["Authorization"] == BEARER, f"page {page}"
        assert sent_params(route) == httpx.QueryParams(
            {"page": str(page), "size": "200", "sessionKey": SESSION_KEY, "sort": "questionnaireKey"}
        ), f"page {page}"
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "items": [questionnaire_result(n) for n in range(450)],
        "total_items": 450,
        "returned": 450,
    }


@pytest.mark.parametrize(("tool", "kind"), QUESTIONNAIRE_TOOLS)
async def test_questionnaire_all_pages_stops_at_1000(
    client: Client, goto: respx.MockRouter, tool: str, kind: str
) -> None:
    # 1100 items in six pages, so the first five pages hold the 1000 items returned.
    routes = [
        goto.get(questionnaires_url(kind), params={"page": str(page)}).respond(
            200,
            json=page_body(
                [questionnaire(n) for n in range(page * 200, min(page * 200 + 200, 1100))],
                page,
                200,
                total_pages=6,
                total_items=1100,
            ),
        )
        for page in range(6)
    ]

    result = await client.call_tool(tool, {"training_key": TRAINING_KEY, "all_pages": True})

    assert [route.call_count for route in routes] == [1, 1, 1, 1, 1, 0]
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "items": [questionnaire_result(n) for n in range(1000)],
        "total_items": 1100,
        "returned": 1000,
        "note": "Stopped at 1000 of 1100 items.",
    }


# One page and all pages of submissions ---------------------------------------------------------


@pytest.mark.parametrize(("tool", "kind"), SUBMISSION_TOOLS)
async def test_submission_page_sends_filters(client: Client, goto: respx.MockRouter, tool: str, kind: str) -> None:
    body = page_body([submission(1), submission(2)], page=1, size=2, total_pages=4, total_items=7)
    route = goto.get(submissions_url(kind)).respond(200, json=body)

    result = await client.call_tool(
        tool,
        {
            "training_key": TRAINING_KEY,
            "session_key": SESSION_KEY,
            "questionnaire_key": "Q0001",
            "questionnaire_version": "2",
            "page": 1,
            "page_size": 2,
            "sort": "deliveryTime",
        },
    )

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "GET"
    assert request.url.path == f"/training/v1/trainings/{TRAINING_KEY}/{kind}/submissions"
    assert request.headers["Authorization"] == BEARER
    assert sent_params(route) == httpx.QueryParams(
        {
            "page": "1",
            "size": "2",
            "sessionKey": SESSION_KEY,
            "questionnaireKey": "Q0001",
            "questionnaireVersion": "2",
            "sort": "deliveryTime",
        }
    )
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "items": [submission_result(1), submission_result(2)],
        "total_items": 7,
        "returned": 2,
        "page": 1,
        "total_pages": 4,
        "note": "Page 1 of 4 (from 0); call again with page=2, or all_pages=true.",
    }


@pytest.mark.parametrize(("tool", "kind"), SUBMISSION_TOOLS)
async def test_submission_page_defaults(client: Client, goto: respx.MockRouter, tool: str, kind: str) -> None:
    route = goto.get(submissions_url(kind)).respond(
        200, json=page_body([submission(1)], page=0, size=20, total_pages=1, total_items=1)
    )

    result = await client.call_tool(tool, {"training_key": TRAINING_KEY})

    assert sent_params(route) == httpx.QueryParams({"page": "0", "size": "20"})
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "items": [submission_result(1)],
        "total_items": 1,
        "returned": 1,
        "page": 0,
        "total_pages": 1,
    }


@pytest.mark.parametrize(("tool", "kind"), SUBMISSION_TOOLS)
async def test_submission_all_pages_filters_each_page(
    client: Client, goto: respx.MockRouter, tool: str, kind: str
) -> None:
    numbers_by_page = [range(0, 200), range(200, 400), range(400, 401)]
    routes = [
        goto.get(submissions_url(kind), params={"page": str(page)}).respond(
            200, json=page_body([submission(n) for n in numbers], page, 200, total_pages=3, total_items=401)
        )
        for page, numbers in enumerate(numbers_by_page)
    ]

    result = await client.call_tool(
        tool,
        {
            "training_key": TRAINING_KEY,
            "session_key": SESSION_KEY,
            "questionnaire_key": "Q0001",
            "questionnaire_version": "2",
            "sort": "userKey",
            "all_pages": True,
        },
    )

    for page, route in enumerate(routes):
        assert route.call_count == 1, f"page {page}"
        assert sent_params(route) == httpx.QueryParams(
            {
                "page": str(page),
                "size": "200",
                "sessionKey": SESSION_KEY,
                "questionnaireKey": "Q0001",
                "questionnaireVersion": "2",
                "sort": "userKey",
            }
        ), f"page {page}"
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "items": [submission_result(n) for n in range(401)],
        "total_items": 401,
        "returned": 401,
    }


# Input checks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [0, 201])
@pytest.mark.parametrize(
    ("tool", "url"),
    [(tool, questionnaires_url(kind)) for tool, kind in QUESTIONNAIRE_TOOLS]
    + [(tool, submissions_url(kind)) for tool, kind in SUBMISSION_TOOLS],
)
async def test_page_size_out_of_range_rejected(
    client: Client, goto: respx.MockRouter, tool: str, url: str, page_size: int
) -> None:
    route = goto.get(url).respond(200, json=page_body([], page=0, size=20, total_pages=0, total_items=0))

    result = await client.call_tool(tool, {"training_key": TRAINING_KEY, "page_size": page_size})

    assert route.called is False
    assert result.is_error is True
    bound = "greater than or equal to 1" if page_size < 1 else "less than or equal to 200"
    assert error_text(result) == (
        f"Error executing tool {tool}: invalid arguments. page_size: Input should be {bound} (got {page_size})."
    )


@pytest.mark.parametrize(("tool", "kind"), QUESTIONNAIRE_TOOLS)
async def test_negative_page_rejected(client: Client, goto: respx.MockRouter, tool: str, kind: str) -> None:
    route = goto.get(questionnaires_url(kind)).respond(200, json={"items": []})

    result = await client.call_tool(tool, {"training_key": TRAINING_KEY, "page": -1})

    assert route.called is False
    assert result.is_error is True
    assert error_text(result) == (
        f"Error executing tool {tool}: invalid arguments. page: Input should be greater than or equal to 0 (got -1)."
    )
