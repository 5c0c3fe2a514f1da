"""Hypothesis-generated bad arguments for every tool end in a result or an error result, never a crash.

Each tool gets a fresh sandbox and server, signed in with the personal access token, with
confirmations off so that guarded tools run their bodies too. After each call the test checks:

- the call returned a result: a protocol error raises in `call_tool` and fails the test;
- an error result carries a message after "Error executing tool NAME: ". The SDK hides an
  unexpected exception as the bare "Error executing tool NAME", so a bare one is a crash;
- every path segment the sandbox received is a word of GoTo's API or a decimal number, so no
  argument reached a URL unvalidated.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from mcp import Client

from server.app import build_server
from server.sandbox import Sandbox
from tests.reliability.helpers import SecretScan, capture_debug_logs, signed_in_settings
from tests.reliability.strategies import seeded_keys, tool_arguments
from tools import TOOLS

pytestmark = pytest.mark.reliability

EXAMPLES_PER_TOOL = 25

API_WORDS = frozenset(
    {
        # Hosts' base paths.
        "G2T",
        "rest",
        "training",
        "v1",
        "admin",
        "me",
        "oauth",
        "token",
        # Resources of the legacy and v1 Training APIs.
        "accounts",
        "organizers",
        "trainings",
        "registrants",
        "manageUrl",
        "startUrl",
        "nameDescription",
        "registrationSettings",
        "times",
        "reports",
        "sessions",
        "attendees",
        "recordings",
        "start",
        "tests",
        "polls",
        "surveys",
        "submissions",
    }
)


def unexpected_segments(path: str) -> list[str]:
    """Return the segments of `path` that are neither a word of the API nor ASCII decimal digits."""
    segments = path.strip("/").split("/")
    return [segment for segment in segments if segment not in API_WORDS and not re.fullmatch(r"[0-9]+", segment)]


def is_bare_crash(text: str, tool: str) -> bool:
    # A crash in the tool, or in a nested tool it called, leaves only the generic prefixes.
    return re.fullmatch(rf"Error executing tool {tool}(: Error executing tool \w+)*", text) is not None


@contextmanager
def connected_client(sandbox: Sandbox) -> Iterator[tuple[BlockingPortal, Client]]:
    """Hold an in-memory client open in an event loop of its own, for Hypothesis's synchronous examples.

    Building the server takes about 0.1 s, too long to repeat for every example, so all examples of one
    tool share the client. The portal runs the loop in a thread and enters and leaves the client in one task.
    """
    server = build_server(signed_in_settings("personal_access_token", confirm="off"), sandbox.transport())
    with start_blocking_portal() as portal, portal.wrap_async_context_manager(Client(server)) as client:
        yield portal, client


@pytest.mark.parametrize("tool", [definition.name for definition in TOOLS])
def test_bad_arguments_end_in_result(tool: str, caplog: pytest.LogCaptureFixture) -> None:
    capture_debug_logs(caplog)
    sandbox = Sandbox()
    scan = SecretScan()

    with connected_client(sandbox) as (portal, client):
        listed = {listed_tool.name: listed_tool for listed_tool in portal.call(client.list_tools).tools}
        schema = listed[tool].input_schema

        @settings(
            max_examples=EXAMPLES_PER_TOOL,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(arguments=tool_arguments(schema, seeded_keys(sandbox)))
        def call_with(arguments: dict[str, Any]) -> None:
            first_request = len(sandbox.requests)
            result = portal.call(client.call_tool, tool, arguments)
            scan.add_result(result)

            if result.is_error:
                text = result.content[0].text if result.content else ""
                assert not is_bare_crash(text, tool), f"{tool} crashed on {arguments!r}"
                assert text.startswith(f"Error executing tool {tool}: "), text
            else:
                assert result.content or result.structured_content is not None
            paths = [request.path for request in sandbox.requests[first_request:]]
            assert [path for path in paths if unexpected_segments(path)] == [], f"{tool} sent {arguments!r} on"

        call_with()

    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == []
    assert scan.leaks(sandbox, caplog.records) == []
