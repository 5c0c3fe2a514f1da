"""End to end: `goto-training-mcp sandbox` as a real HTTP peer, `goto-training-mcp` over stdio."""

import os
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from server.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_REFRESH_TOKEN, SeedKeys
from tests.processes import COMMAND, free_port, wait_for_port

pytestmark = pytest.mark.e2e


def _start_sandbox(*options: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [COMMAND, "sandbox", "--host", "127.0.0.1", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    yield from _start_sandbox()


@pytest.fixture
def short_token_sandbox_url() -> Iterator[str]:
    yield from _start_sandbox("--token-lifetime-seconds", "2")


def _server(base_url: str) -> StdioServerParameters:
    environment = {
        "GOTO_CLIENT_ID": SANDBOX_CLIENT_ID,
        "GOTO_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "GOTO_REFRESH_TOKEN": SANDBOX_REFRESH_TOKEN,
        "GOTO_API_URL": f"{base_url}/G2T/rest",
        "GOTO_TRAINING_API_URL": f"{base_url}/training/v1",
        "GOTO_AUTH_URL": base_url,
        "GOTO_ADMIN_API_URL": f"{base_url}/admin/rest/v1",
        "GOTO_LOG_LEVEL": "WARNING",
        "PATH": os.environ.get("PATH", ""),
        # The test's private home (tests/conftest.py): the server keeps its token store under it.
        "HOME": os.environ["HOME"],
    }
    return StdioServerParameters(command=COMMAND, args=[], env=environment)


async def _call(client: Client, name: str, arguments: dict) -> dict:
    result = await client.call_tool(name, arguments)
    text = result.content[0].text if result.content else ""
    assert not result.is_error, f"{name}({arguments}) failed: {text}"
    assert result.structured_content is not None, f"{name} returned no structured content"
    return result.structured_content


def _day(days_from_now: int, hour: int) -> str:
    day = datetime.now(UTC) + timedelta(days=days_from_now)
    return f"{day:%Y-%m-%d}T{hour:02d}:00:00"


async def test_every_tool_answers_against_the_http_sandbox(sandbox_url):
    called: set[str] = set()

    async with Client(_server(sandbox_url)) as client:
        listed = {tool.name for tool in (await client.list_tools()).tools}

        async def call(name: str, arguments: dict) -> dict:
            called.add(name)
            return await _call(client, name, arguments)

        me = await call("get_current_organizer", {})
        organizers = (await call("list_account_organizers", {}))["organizers"]
        co_organizer = next(o["organizer_key"] for o in organizers if o["organizer_key"] != me["organizer_key"])
        trainings = (await call("list_trainings", {"limit": 500}))["trainings"]
        assert trainings, "the sandbox lists no scheduled trainings"
        existing = trainings[0]["training_key"]
        await call("get_training", {"training_key": existing})
        await call("list_training_organizers", {"training_key": existing})
        await call("get_management_url", {"training_key": existing})
        await call("get_start_url", {"training_key": existing})
        await call("start_training", {"training_key": existing})

        created = await call(
            "create_training",
            {
                "name": "End-to-end check",
                "time_zone": "Asia/Tokyo",
                "sessions": [{"start": _day(400, 9), "end": _day(400, 11)}],
            },
        )
        new_key = created["training_key"]
        await call("update_training_details", {"training_key": new_key, "name": "End-to-end check, renamed"})
        await call(
            "update_registration_settings",
            {"training_key": new_key, "disable_confirmation_email": True, "disable_web_registration": False},
        )
        await call(
            "update_training_times",
            {
                "training_key": new_key,
                "sessions": [{"start": _day(401, 9), "end": _day(401, 11)}],
                "notify_registrants": False,
                "notify_trainers": False,
            },
        )
        await call("update_training_organizers", {"training_key": new_key, "organizer_keys": [co_organizer]})
        registration = await call(
            "register_for_training",
            {"training_key": new_key, "email": "e2e.person@example.com", "given_name": "End", "surname": "Toend"},
        )
        again = await call(
            "register_for_training",
            {"training_key": new_key, "email": " E2E.Person@example.com", "given_name": "End", "surname": "Toend"},
        )
        assert again["already_registered"] is True
        assert again["registrant_key"] == registration["registrant_key"]
        await call("list_registrants", {"training_key": new_key})
        await call("get_registrant", {"training_key": new_key, "registrant_key": registration["registrant_key"]})
        await call("cancel_registration", {"training_key": new_key, "registrant_key": registration["registrant_key"]})
        await call("delete_training", {"training_key": new_key})

        now = datetime.now(UTC)
        sessions = (
            await call(
                "list_sessions_in_date_range",
                {"start": (now - timedelta(days=360)).isoformat(), "end": now.isoformat()},
            )
        )["sessions"]
        assert sessions, "the sandbox has no completed sessions in the last year"
        await call("get_session_attendance", {"session_key": sessions[0]["session_key"]})

        # Completed trainings are not listed, so the seeded completed course is named by its key.
        completed = str(SeedKeys.SAFETY_COURSE)
        course_sessions = await call("list_training_sessions", {"training_key": completed})
        assert course_sessions["total"] == SeedKeys.SAFETY_COURSE_SESSION_COUNT
        recordings = (await call("list_recordings", {"training_key": completed}))["recordings"]
        url = await call(
            "get_recording_download_url", {"training_key": completed, "recording_id": recordings[0]["recording_id"]}
        )
        assert url["download_url"].startswith("http")
        for kind in ("tests", "polls", "surveys"):
            found = await call(f"list_{kind}", {"training_key": completed})
            submissions = await call(f"list_{kind[:-1]}_submissions", {"training_key": completed, "all_pages": True})
            assert found["total_items"] > 0
            assert submissions["returned"] == submissions["total_items"]

        lookup = await call("find_registrant", {"query": SeedKeys.MULTI_TRAINING_EMAIL, "include_completed": True})
        assert len(lookup["matches"]) == 3
        attendance = await call("summarize_training_attendance", {"training_key": completed})
        assert attendance["totals"]["sessions"] == SeedKeys.SAFETY_COURSE_SESSION_COUNT
        year = {"start": (now - timedelta(days=360)).isoformat(), "end": now.isoformat()}
        assert (await call("summarize_sessions", year))["sessions"] == len(sessions)
        await call("summarize_questionnaire_results", {"training_key": completed, "kind": "test"})

    assert listed - called == set()


async def test_calls_keep_working_through_two_second_tokens(short_token_sandbox_url):
    failures = []
    calls = 0

    async with Client(_server(short_token_sandbox_url)) as client:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and calls < 500:
            result = await client.call_tool("list_trainings", {"limit": 1})
            calls += 1
            if result.is_error:
                failures.append(result.content[0].text)

    assert calls > 10
    assert failures == []
