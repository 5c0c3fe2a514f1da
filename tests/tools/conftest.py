"""Fixtures for driving the MCP tools through the SDK's in-memory client against respx."""

from collections.abc import AsyncIterator

import pytest
import respx
from mcp import Client

from server.app import build_server
from server.settings import Settings
from tests.in_memory import held_open

ORGANIZER_KEY = "7100000000000000001"
ACCOUNT_KEY = "7200000000000000002"
API = "https://api.getgo.com/G2T/rest"
TRAINING_API = "https://api.goto.com/training/v1"


@pytest.fixture
def settings() -> Settings:
    """Settings with a bare access token and known organizer, so no token or /me request is made.

    Confirmations are off: these tests check how each tool adapts GoTo's API, and the
    confirmation flow has tests of its own."""
    return Settings(
        _env_file=None,
        access_token="test-access-token-7f3a9c",
        organizer_key=ORGANIZER_KEY,
        account_key=ACCOUNT_KEY,
        max_retries=0,
        confirm="off",
    )


@pytest.fixture
def goto() -> respx.MockRouter:
    """A respx router for every GoTo host; a request to an unmocked route fails the test."""
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
async def client(settings: Settings, goto: respx.MockRouter) -> AsyncIterator[Client]:
    """The SDK's in-memory client connected to the server (held open by `held_open`)."""
    async for connected in held_open(build_server(settings)):
        yield connected
