"""`goto-training-mcp serve --transport http`: streamable HTTP at /mcp, guarded by Host, Origin and a bearer token."""

import os
import subprocess
from collections.abc import Iterator

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.processes import COMMAND, free_port, wait_for_port

pytestmark = pytest.mark.e2e

BEARER = "test-mcp-bearer-4f1c9e0a7d2b"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def _start(port: int, *options: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GOTO_")}
    environment.update(env or {})
    return subprocess.Popen(
        [COMMAND, "serve", "--sandbox", "--transport", "http", "--port", str(port), "--log-level", "WARNING", *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment,
    )


def _serve(env: dict[str, str] | None = None) -> Iterator[str]:
    port = free_port()
    process = _start(port, env=env)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.fixture
def origin() -> Iterator[str]:
    yield from _serve()


@pytest.fixture
def bearer_origin() -> Iterator[str]:
    yield from _serve({"GOTO_MCP_BEARER_TOKEN": BEARER})


async def test_http_serves_tool_list_and_calls(origin):
    async with Client(f"{origin}/mcp") as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        result = await client.call_tool("get_current_organizer", {})

    assert {"list_trainings", "delete_training", "find_registrant"} <= names
    assert result.is_error is False
    assert result.structured_content["email"] == "alex.sample@example.com"


def test_foreign_origin_is_rejected(origin):
    response = httpx.post(
        f"{origin}/mcp", json=INITIALIZE, headers=MCP_HEADERS | {"Origin": "http://attacker.example.com"}
    )

    assert response.status_code == 403
    assert response.text == "Invalid Origin header"


def test_foreign_host_is_rejected(origin):
    port = origin.rsplit(":", 1)[1]
    response = httpx.post(
        f"{origin}/mcp", json=INITIALIZE, headers=MCP_HEADERS | {"Host": f"attacker.example.com:{port}"}
    )

    assert response.status_code == 421
    assert response.text == "Invalid Host header"


def test_local_origin_is_accepted(origin):
    response = httpx.post(f"{origin}/mcp", json=INITIALIZE, headers=MCP_HEADERS | {"Origin": origin})

    assert response.status_code == 200


def test_non_loopback_bind_without_bearer_token_is_refused():
    # 192.0.2.0/24 is reserved for documentation: the server refuses before it would bind anything.
    process = subprocess.run(
        [COMMAND, "serve", "--sandbox", "--transport", "http", "--host", "192.0.2.10", "--port", "8000"],
        capture_output=True,
        text=True,
        timeout=30,
        env={key: value for key, value in os.environ.items() if not key.startswith("GOTO_")},
    )

    assert process.returncode == 2
    assert process.stdout == ""
    assert process.stderr.strip() == (
        "goto-training-mcp: --host '192.0.2.10' is not a loopback address, so anyone who can reach it could use "
        "your GoTo account. Set GOTO_MCP_BEARER_TOKEN to a long random value that clients send as "
        "'Authorization: Bearer ...', or bind to 127.0.0.1."
    )


def test_wrong_bearer_token_is_rejected(bearer_origin):
    missing = httpx.post(f"{bearer_origin}/mcp", json=INITIALIZE, headers=MCP_HEADERS)
    wrong = httpx.post(
        f"{bearer_origin}/mcp", json=INITIALIZE, headers=MCP_HEADERS | {"Authorization": "Bearer not-the-token"}
    )

    assert missing.status_code == 401
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"] == 'Bearer realm="goto-training-mcp"'
    assert BEARER not in wrong.text


async def test_right_bearer_token_is_admitted(bearer_origin):
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {BEARER}"}) as http:
        async with Client(streamable_http_client(f"{bearer_origin}/mcp", http_client=http)) as client:
            result = await client.call_tool("get_current_organizer", {})

    assert result.is_error is False
    assert result.structured_content["organizer_key"] == "8439885694023999999"


def _serve_stateless(secret: str) -> Iterator[str]:
    port = free_port()
    process = _start(port, "--stateless", env={"GOTO_CONFIRM_SECRET": secret})
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.communicate(timeout=10)


async def test_confirmation_token_from_one_replica_works_on_another():
    secret = "shared-confirm-secret-0b8e61"
    first_replica = _serve_stateless(secret)
    second_replica = _serve_stateless(secret)
    first, second = next(first_replica), next(second_replica)
    arguments = {"training_key": "4817395020468213761"}
    try:
        async with Client(f"{first}/mcp") as client:
            preview = await client.call_tool("delete_training", arguments)
        token = preview.structured_content["confirmation_token"]
        async with Client(f"{second}/mcp") as client:
            confirmed = await client.call_tool("delete_training", arguments | {"confirmation_token": token})
    finally:
        for replica in (first_replica, second_replica):
            replica.close()

    assert preview.structured_content["status"] == "confirmation_required"
    assert confirmed.is_error is False
    assert confirmed.structured_content == {"training_key": "4817395020468213761", "status": "deleted"}
