"""Fixtures of the sandbox tests: a fixed clock, a sandbox on it, and clients that call it in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from server.sandbox import Sandbox, SandboxConfig
from tests.sandbox.helpers import ORIGIN, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> Sandbox:
    return Sandbox(SandboxConfig(now=clock))


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as the sandbox organizer."""
    headers = {"Authorization": f"Bearer {sandbox.issue_access_token()}"}
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=ORIGIN, headers=headers) as signed_in:
        yield signed_in


@pytest.fixture
async def anonymous_client(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=ORIGIN) as anonymous:
        yield anonymous
