"""Fixtures of the workflow tests: a sandbox with its seeded data and an MCP client of a server that uses it.

The server reaches the sandbox through its in-process transport, with an access token the
sandbox issued, so no sign-in request is sent and no socket is opened.
"""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client
from mcp_types import CallToolResult

from bench.fan_out import sandbox_settings
from server.app import build_server
from server.sandbox import Sandbox
from server.settings import Settings
from tests.in_memory import held_open

# Fast enough that the tests never wait on the client's token bucket. The benchmark uses GoTo's 10.
TEST_RATE_PER_SECOND = 1000.0


def settings_for(sandbox: Sandbox, **overrides: Any) -> Settings:
    """Return server settings for `sandbox`: no retries, a high rate limit, and `overrides`."""
    return sandbox_settings(sandbox, max_retries=0, rate_limit_per_second=TEST_RATE_PER_SECOND, **overrides)


async def call(client: Client, name: str, arguments: dict[str, Any], **options: Any) -> CallToolResult:
    """Call a tool and fail the test with its message when it returns an error."""
    result = await client.call_tool(name, arguments, **options)
    text = result.content[0].text if result.content else ""
    assert not result.is_error, f"{name}({arguments}) failed: {text}"
    assert result.structured_content is not None, f"{name} returned no structured content"
    return result


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox()


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[Client]:
    """The SDK's in-memory client connected to a server on `sandbox`, at the default concurrency."""
    async for connected in held_open(build_server(settings_for(sandbox), sandbox.transport())):
        yield connected
