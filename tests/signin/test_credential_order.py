"""Which credentials `serve` uses, and how the token store keeps them working across refresh-token rotation."""

from __future__ import annotations

import asyncio
import os
import sys
import time
import webbrowser
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from server.client import GoToClient
from server.errors import AuthError
from server.sandbox import SANDBOX_CLIENT_SECRET, SANDBOX_PERSONAL_ACCESS_TOKEN, SANDBOX_REFRESH_TOKEN
from server.settings import ConfigurationError, load_settings, require_credentials, with_token_store
from server.token_store import TokenSet, fingerprint, save_tokens
from tests.signin.helpers import FakeBrowser, default_store, file_mode, read_store, run_command, sandbox_environment

COMMAND = str(Path(sys.executable).parent / "goto-training-mcp")
CALL_TIMEOUT_SECONDS = 30  # a bound against a hung server, not a measurement


def serve_settings(**overrides):
    """Read the settings as `serve` does: from the environment, with the default store when GOTO_TOKEN_FILE is unset."""
    settings = load_settings(**overrides)
    require_credentials(settings)
    return with_token_store(settings)


def refresh_forms(sandbox) -> list[dict[str, str]]:
    return [request.form for request in sandbox.token_requests]


async def test_rotated_refresh_token_survives_restart(rotating_world, monkeypatch):
    sandbox = rotating_world.sandbox
    monkeypatch.setenv("GOTO_REFRESH_TOKEN", SANDBOX_REFRESH_TOKEN)
    monkeypatch.setenv("GOTO_TOKEN_FILE", str(rotating_world.token_file))

    async with GoToClient.open(serve_settings()) as first_run:
        await first_run.get_trainings()
    rotated = read_store(rotating_world.token_file)["refresh_token"]
    sandbox.expire_access_tokens()

    # Restart with GOTO_REFRESH_TOKEN unchanged, although GoTo has invalidated it since.
    async with GoToClient.open(serve_settings()) as restarted:
        trainings = await restarted.get_trainings()

    assert trainings != []
    assert rotated != SANDBOX_REFRESH_TOKEN
    assert SANDBOX_REFRESH_TOKEN not in sandbox.tokens.refresh_tokens
    assert refresh_forms(sandbox) == [
        {"grant_type": "refresh_token", "refresh_token": SANDBOX_REFRESH_TOKEN},
        {"grant_type": "refresh_token", "refresh_token": rotated},
    ]
    stored = read_store(rotating_world.token_file)
    assert stored["refresh_token"] not in (SANDBOX_REFRESH_TOKEN, rotated)
    assert stored["source"] == fingerprint(SANDBOX_REFRESH_TOKEN)


def server_process(origin: str, home: Path, **variables: str) -> StdioServerParameters:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "GOTO_LOG_LEVEL": "WARNING",
        **sandbox_environment(origin),
        **variables,
    }
    return StdioServerParameters(command=COMMAND, args=[], env=environment, cwd=home)


async def call_list_trainings(parameters: StdioServerParameters) -> None:
    async with Client(parameters, read_timeout_seconds=CALL_TIMEOUT_SECONDS) as client:
        result = await client.call_tool("list_trainings", {"limit": 1})
    text = result.content[0].text if result.content else ""
    assert not result.is_error, text


@pytest.mark.e2e
async def test_server_process_restart_after_rotation_uses_default_store(rotating_world, private_home):
    sandbox = rotating_world.sandbox
    parameters = server_process(rotating_world.origin, private_home, GOTO_REFRESH_TOKEN=SANDBOX_REFRESH_TOKEN)

    await call_list_trainings(parameters)
    store = default_store(private_home)
    rotated = read_store(store)["refresh_token"]
    sandbox.expire_access_tokens()
    await call_list_trainings(parameters)

    assert file_mode(store) == 0o600
    assert refresh_forms(sandbox) == [
        {"grant_type": "refresh_token", "refresh_token": SANDBOX_REFRESH_TOKEN},
        {"grant_type": "refresh_token", "refresh_token": rotated},
    ]


@pytest.mark.e2e
async def test_plain_command_serves_after_login(world, private_home, capsys, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())
    # The command runs its own event loop, so it runs in a thread beside this test's loop.
    assert (await asyncio.to_thread(run_command, capsys, "login", "--port", "0")).exit_code == 0
    stored = read_store(default_store(private_home))

    await call_list_trainings(server_process(world.origin, private_home))

    trainings = world.sandbox.requests_matching("GET", "/trainings$")
    assert len(trainings) == 1
    assert trainings[0].headers["authorization"] == f"Bearer {stored['access_token']}"
    assert len(world.sandbox.token_requests) == 1


async def test_changed_environment_credential_starts_new_store(world, monkeypatch):
    save_tokens(
        world.token_file,
        TokenSet(
            access_token="access-from-another-sign-in",
            expires_at=time.time() + 3000,
            refresh_token="refresh-from-another-sign-in",
            source=fingerprint("an-older-refresh-token"),
        ),
    )
    monkeypatch.setenv("GOTO_REFRESH_TOKEN", SANDBOX_REFRESH_TOKEN)
    monkeypatch.setenv("GOTO_TOKEN_FILE", str(world.token_file))

    async with GoToClient.open(serve_settings()) as client:
        await client.get_trainings()

    assert refresh_forms(world.sandbox) == [{"grant_type": "refresh_token", "refresh_token": SANDBOX_REFRESH_TOKEN}]
    stored = read_store(world.token_file)
    assert stored["source"] == fingerprint(SANDBOX_REFRESH_TOKEN)
    assert stored["refresh_token"] == SANDBOX_REFRESH_TOKEN
    assert stored["access_token"] != "access-from-another-sign-in"


async def test_bare_access_token_skips_store(world, private_home, monkeypatch):
    store = default_store(private_home)
    save_tokens(store, TokenSet(access_token="stored-access-token", refresh_token="stored-refresh-token"))
    before = store.read_bytes()
    bare = world.sandbox.issue_access_token()
    monkeypatch.delenv("GOTO_CLIENT_ID")
    monkeypatch.delenv("GOTO_CLIENT_SECRET")
    monkeypatch.setenv("GOTO_ACCESS_TOKEN", bare)

    async with GoToClient.open(serve_settings()) as client:
        await client.get_trainings()

    trainings = world.sandbox.requests_matching("GET", "/trainings$")
    assert trainings[0].headers["authorization"] == f"Bearer {bare}"
    assert world.sandbox.token_requests == []
    assert store.read_bytes() == before


async def test_store_continues_same_personal_access_token(world, private_home, capsys, monkeypatch):
    monkeypatch.setenv("GOTO_PERSONAL_ACCESS_TOKEN", SANDBOX_PERSONAL_ACCESS_TOKEN)
    assert (await asyncio.to_thread(run_command, capsys, "login", "--personal-access-token")).exit_code == 0

    async with GoToClient.open(serve_settings()) as client:
        await client.get_trainings()

    assert [form["grant_type"] for form in refresh_forms(world.sandbox)] == ["personal_access_token"]


async def test_invalid_grant_from_store_says_run_login(world, private_home):
    save_tokens(
        default_store(private_home),
        TokenSet(access_token=None, refresh_token="revoked-refresh-token", organizer_key="1"),
    )

    async with GoToClient.open(serve_settings()) as client:
        with pytest.raises(AuthError) as first:
            await client.get_trainings()
        with pytest.raises(AuthError) as second:
            await client.get_trainings()

    assert str(first.value) == (
        "GoTo rejected the refresh token (invalid_grant (The refresh token is invalid, expired or revoked. "
        "Sign in again.)). Sign in again: run `goto-training-mcp login`, or put a new refresh token (or personal "
        "access token) in GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN), then restart the server."
    )
    assert second.value is first.value
    assert len(world.sandbox.token_requests) == 1


def test_store_at_default_path_is_accepted(private_home, monkeypatch):
    save_tokens(default_store(private_home), TokenSet(refresh_token="stored-refresh-token"))
    monkeypatch.setenv("GOTO_CLIENT_ID", "client")
    monkeypatch.setenv("GOTO_CLIENT_SECRET", SANDBOX_CLIENT_SECRET)

    settings = serve_settings()

    assert settings.token_file == default_store(private_home)


def test_default_store_without_client_raises(private_home):
    store = default_store(private_home)
    save_tokens(store, TokenSet(refresh_token="stored-refresh-token"))

    with pytest.raises(ConfigurationError) as raised:
        serve_settings()

    assert str(raised.value) == (
        f"The token store {str(store)!r} holds tokens, but GOTO_CLIENT_ID and GOTO_CLIENT_SECRET are needed to "
        "refresh them. Set both."
    )


def test_store_without_tokens_counts_as_no_credentials(private_home, monkeypatch):
    save_tokens(default_store(private_home), TokenSet())
    monkeypatch.setenv("GOTO_CLIENT_ID", "client")
    monkeypatch.setenv("GOTO_CLIENT_SECRET", SANDBOX_CLIENT_SECRET)

    with pytest.raises(ConfigurationError) as raised:
        serve_settings()

    assert str(raised.value).startswith("No GoTo credentials are set.")


def test_no_credentials_message_lists_ways_to_sign_in(capsys):
    result = run_command(capsys)

    assert result.exit_code == 2
    assert result.out == ""
    assert result.err == (
        "goto-training-mcp: No GoTo credentials are set. Run `goto-training-mcp login` with GOTO_CLIENT_ID and "
        "GOTO_CLIENT_SECRET set, or set GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) with GOTO_CLIENT_ID and "
        "GOTO_CLIENT_SECRET, or GOTO_ACCESS_TOKEN for a short test. "
        "To try the server without an account, run `goto-training-mcp demo`.\n"
    )
