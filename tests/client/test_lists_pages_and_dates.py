"""Lists and pages (empty bodies, paging, truncation), the recording redirect, and date-times."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
import respx

from server.client import GoToClient, format_goto_time, new_http_client
from server.errors import RequestContext
from server.models import DateTimeRange, Questionnaire
from server.settings import Settings
from tests.client.goto_fakes import (
    ACCESS_TOKEN,
    API_URL,
    ORGANIZER_URL,
    TRAINING_API_URL,
    TRAINING_KEY,
    make_client,
    make_settings,
)

TESTS_URL = f"{TRAINING_API_URL}/trainings/{TRAINING_KEY}/tests"
CONTEXT = RequestContext("list tests", {"training_key": TRAINING_KEY})
# Five questionnaires over pages of two: pages 0 and 1 are full, page 2 contains one.
ALL_KEYS = ["q0", "q1", "q2", "q3", "q4"]


def page_response(request: httpx.Request) -> httpx.Response:
    page = int(request.url.params["page"])
    size = int(request.url.params["size"])
    keys = ALL_KEYS[page * size : (page + 1) * size]
    body = {
        "items": [{"questionnaireKey": key, "questionnaireName": f"Test {key}"} for key in keys],
        "currentPage": page,
        "pageSize": size,
        "totalPages": 3,
        "totalItems": 5,
    }
    return httpx.Response(200, json=body)


def page_queries(route: respx.Route) -> list[tuple[str, str]]:
    return [(call.request.url.params["page"], call.request.url.params["size"]) for call in route.calls]


async def test_all_pages_are_fetched_in_order(clock, sleep):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TESTS_URL).mock(side_effect=page_response)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            result = await client.get_all_pages(TESTS_URL, {}, CONTEXT, Questionnaire, max_items=100, page_size=2)

    queries = page_queries(route)
    assert queries[0] == ("0", "2")
    assert sorted(queries[1:]) == [("1", "2"), ("2", "2")]
    assert [item.questionnaire_key for item in result.items] == ALL_KEYS
    assert result.total_items == 5
    assert result.pages_fetched == 3
    assert result.truncated is False


async def test_all_pages_stop_at_max_items(clock, sleep):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TESTS_URL).mock(side_effect=page_response)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            result = await client.get_all_pages(TESTS_URL, {}, CONTEXT, Questionnaire, max_items=3, page_size=2)

    assert page_queries(route) == [("0", "2"), ("1", "2")]
    assert [item.questionnaire_key for item in result.items] == ["q0", "q1", "q2"]
    assert result.total_items == 5
    assert result.pages_fetched == 2
    assert result.truncated is True


async def test_all_pages_keep_other_query_parameters(clock, sleep):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TESTS_URL).mock(side_effect=page_response)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_all_pages(
                TESTS_URL, {"sessionKey": "7001"}, CONTEXT, Questionnaire, max_items=2, page_size=2
            )

    assert route.call_count == 1
    assert dict(route.calls.last.request.url.params) == {"sessionKey": "7001", "page": "0", "size": "2"}


@pytest.mark.parametrize("page_size", [0, 201, -1])
async def test_all_pages_reject_page_size_before_any_request(clock, sleep, page_size):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            any_request = router.route().mock(side_effect=page_response)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(ValueError) as raised:
                await client.get_all_pages(TESTS_URL, {}, CONTEXT, Questionnaire, max_items=10, page_size=page_size)

    assert str(raised.value) == f"page_size {page_size!r} is invalid: GoTo returns 1 to 200 items a page."
    assert any_request.called is False


@pytest.mark.parametrize(
    ("page", "size", "message"),
    [
        (0, 0, "page_size 0 is invalid: GoTo returns 1 to 200 items a page."),
        (0, 201, "page_size 201 is invalid: GoTo returns 1 to 200 items a page."),
        (-1, 20, "page -1 is invalid: pages are numbered from 0."),
    ],
)
async def test_one_page_rejects_bounds_before_any_request(clock, sleep, page, size, message):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            any_request = router.route().mock(side_effect=page_response)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(ValueError) as raised:
                await client.get_questionnaires("tests", TRAINING_KEY, page=page, size=size)

    assert str(raised.value) == message
    assert any_request.called is False


async def test_one_page_sends_page_size_sort_and_session(clock, sleep):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(TESTS_URL).mock(side_effect=page_response)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            page = await client.get_questionnaires(
                "tests", TRAINING_KEY, session_key=7001, page=1, size=2, sort=["questionnaireName,asc"]
            )

    params = route.calls.last.request.url.params
    assert params.get_list("page") == ["1"]
    assert params.get_list("size") == ["2"]
    assert params.get_list("sort") == ["questionnaireName,asc"]
    assert params.get_list("sessionKey") == ["7001"]
    assert [item.questionnaire_key for item in page.items] == ["q2", "q3"]


async def test_empty_page_body_is_an_empty_page(clock, sleep):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            router.get(TESTS_URL).respond(204)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            page = await client.get_questionnaires("tests", TRAINING_KEY, page=3, size=20)

    assert page.items == []
    assert page.current_page == 3
    assert page.page_size == 20
    assert page.total_items == 0


@pytest.mark.parametrize(
    "empty",
    [httpx.Response(204), httpx.Response(200, content=b""), httpx.Response(200, content=b"  \n")],
    ids=["204", "200-empty", "200-blank"],
)
@pytest.mark.parametrize(
    ("call", "url"),
    [
        (lambda client: client.get_trainings(), f"{ORGANIZER_URL}/trainings"),
        (lambda client: client.get_registrants(TRAINING_KEY), f"{ORGANIZER_URL}/trainings/{TRAINING_KEY}/registrants"),
    ],
    ids=["get_trainings", "get_registrants"],
)
async def test_empty_list_body_is_an_empty_list(clock, sleep, call, url, empty):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.get(url).mock(return_value=empty)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            result = await call(client)

    assert result == []
    assert route.call_count == 1


async def test_recording_download_returns_redirect_target_unfollowed(clock, sleep):
    settings = make_settings()
    recording_url = f"{API_URL}/trainings/{TRAINING_KEY}/recordings/9223372036854770003"
    file_url = "http://127.0.0.1:18403/media/recording-9223372036854770003.mp4?signature=abc"

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            recording = router.get(recording_url).respond(302, headers={"Location": file_url})
            video = router.get(url__startswith="http://127.0.0.1:18403/").respond(200, content=b"\x00\x00\x00 ftypmp4")
            client = make_client(settings, http, clock=clock, sleep=sleep)

            download_url = await client.get_recording_download_url(TRAINING_KEY, "9223372036854770003")

    assert download_url == file_url
    assert recording.call_count == 1
    assert video.called is False


async def test_shared_http_client_identifies_itself_and_keeps_redirects(clock, sleep):
    settings = make_settings(timeout_seconds=20.0)
    recording_url = f"{API_URL}/trainings/{TRAINING_KEY}/recordings/77"
    file_url = "http://127.0.0.1:18403/media/recording-77.mp4"

    async with new_http_client(settings) as http:
        with respx.mock(assert_all_called=False) as router:
            recording = router.get(recording_url).respond(302, headers={"Location": file_url})
            video = router.get(file_url).respond(200, content=b"video")
            client = make_client(settings, http, clock=clock, sleep=sleep)

            download_url = await client.get_recording_download_url(TRAINING_KEY, 77)

    assert download_url == file_url
    assert video.called is False
    sent = recording.calls.last.request
    assert sent.headers["User-Agent"].startswith("goto-training-mcp/0.1.0 ")
    assert sent.headers["Accept"] == "application/json"
    assert sent.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert http.timeout == httpx.Timeout(20.0, connect=10.0)
    assert http.follow_redirects is False


def test_goto_time_is_utc_without_fractions():
    berlin_winter = timezone(timedelta(hours=1))

    assert format_goto_time(datetime(2027, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)) == "2027-03-02T09:30:15Z"
    assert format_goto_time(datetime(2027, 3, 2, 9, 30, tzinfo=berlin_winter)) == "2027-03-02T08:30:00Z"
    assert format_goto_time(datetime(2027, 1, 1, 0, 30, tzinfo=berlin_winter)) == "2026-12-31T23:30:00Z"


def test_goto_time_rejects_naive_date_time():
    with pytest.raises(ValueError) as raised:
        format_goto_time(datetime(2027, 3, 2, 9, 30))

    assert str(raised.value) == "date-time '2027-03-02T09:30:00' has no offset; add one, such as 'Z' or '+02:00'"


async def test_created_training_times_are_sent_in_utc(clock, sleep):
    settings = make_settings()
    plus_two = timezone(timedelta(hours=2))
    times = [
        DateTimeRange(
            start_date=datetime(2027, 6, 1, 9, tzinfo=plus_two), end_date=datetime(2027, 6, 1, 17, tzinfo=plus_two)
        )
    ]

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            route = router.post(f"{ORGANIZER_URL}/trainings").respond(201, json="8812345678901234567")
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.create_training(
                name="Onboarding",
                time_zone="Europe/Berlin",
                times=times,
                description="First day",
                disable_confirmation_email=True,
            )

    assert json.loads(route.calls.last.request.content) == {
        "name": "Onboarding",
        "timeZone": "Europe/Berlin",
        "times": [{"startDate": "2027-06-01T07:00:00Z", "endDate": "2027-06-01T15:00:00Z"}],
        "description": "First day",
        "registrationSettings": {"disableConfirmationEmail": True},
    }


async def test_naive_date_range_is_rejected_before_any_request(clock, sleep):
    settings = make_settings()

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            any_request = router.route().respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with pytest.raises(ValueError) as raised:
                await client.get_sessions_by_date_range(datetime(2027, 1, 1), datetime(2027, 2, 1, tzinfo=UTC))

    assert str(raised.value) == "date-time '2027-01-01T00:00:00' has no offset; add one, such as 'Z' or '+02:00'"
    assert any_request.called is False


async def test_response_dates_without_offset_are_utc(clock, sleep):
    settings = make_settings()
    body = {
        "trainingKey": TRAINING_KEY,
        "name": "Onboarding",
        "times": [
            {"startDate": "2027-03-02T09:00:00", "endDate": "2027-03-02T11:00:00Z"},
            {"startDate": "2027-03-03T09:00:00+02:00", "endDate": "2027-03-03T11:00:00.500"},
        ],
    }

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            router.get(f"{ORGANIZER_URL}/trainings/{TRAINING_KEY}").respond(200, json=body)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            training = await client.get_training(TRAINING_KEY)

    first, second = training.times
    assert first.start_date == datetime(2027, 3, 2, 9, tzinfo=UTC)
    assert first.start_date.utcoffset() == timedelta(0)
    assert first.end_date == datetime(2027, 3, 2, 11, tzinfo=UTC)
    assert second.start_date == datetime(2027, 3, 3, 7, tzinfo=UTC)
    assert second.start_date.utcoffset() == timedelta(0)
    assert second.end_date == datetime(2027, 3, 3, 11, 0, 0, 500000, tzinfo=UTC)


async def test_all_pages_rejects_max_items_below_one():
    settings = Settings(_env_file=None, access_token="list-access-token-55", organizer_key="1", account_key="2")

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            everything = router.route().respond(500)
            client = GoToClient(settings, http)
            url, context = client._training_v1("list tests", "trainings/{training_key}/tests", "7")

            with pytest.raises(ValueError) as raised:
                await client.get_all_pages(url, {}, context, Questionnaire, max_items=0)

    assert str(raised.value) == "max_items 0 is invalid: ask for at least 1 item."
    assert everything.called is False
