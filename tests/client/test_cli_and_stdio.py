"""The goto-training-mcp command: help, missing credentials, and serving MCP over stdio.

The e2e tests start the installed console script with fake credentials whose hosts are an
unused loopback port. GOTO_ORGANIZER_KEY and GOTO_ACCOUNT_KEY are set, so the tools they
call need no request at all.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import mcp_types
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from server.cli import main
from tests.client.goto_fakes import ACCOUNT_KEY, CLIENT_ID, CLIENT_SECRET, ORGANIZER_KEY, REFRESH_TOKEN, SECRETS

SCRIPT = Path(sys.executable).parent / "goto-training-mcp"
ANSWER_TIMEOUT_SECONDS = 30  # a bound against a hung server, not a measurement
SIGTERM_EXIT_TIMEOUT_SECONDS = 10
NO_CREDENTIALS = (
    "goto-training-mcp: No GoTo credentials are set. Run `goto-training-mcp login` with GOTO_CLIENT_ID and "
    "GOTO_CLIENT_SECRET set, or set GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) with GOTO_CLIENT_ID and "
    "GOTO_CLIENT_SECRET, or GOTO_ACCESS_TOKEN for a short test. "
    "To try the server without an account, run `goto-training-mcp demo`.\n"
)
# Each option or command with a phrase of its help text.
DOCUMENTED_OPTIONS = {
    "--help": "show this help message and exit",
    "--version": "show program's version number and exit",
    "--sandbox": "serve against an in-process GoTo sandbox with demo data",
    "--log-level": "level of the log written to stderr (default: GOTO_LOG_LEVEL, else INFO)",
    "serve": "serve MCP over stdio (the default command)",
    "sandbox": "run the local GoTo Training sandbox as an HTTP server",
    "demo": "walk through three assistant jobs against the local sandbox",
}


@pytest.fixture
def empty_working_directory(tmp_path, monkeypatch):
    """Run in an empty folder, so no stray .env file is read."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def unused_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(home: Path) -> dict[str, str]:
    origin = f"http://127.0.0.1:{unused_loopback_port()}"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "GOTO_CLIENT_ID": CLIENT_ID,
        "GOTO_CLIENT_SECRET": CLIENT_SECRET,
        "GOTO_REFRESH_TOKEN": REFRESH_TOKEN,
        "GOTO_ORGANIZER_KEY": ORGANIZER_KEY,
        "GOTO_ACCOUNT_KEY": ACCOUNT_KEY,
        "GOTO_API_URL": f"{origin}/G2T/rest",
        "GOTO_TRAINING_API_URL": f"{origin}/training/v1",
        "GOTO_AUTH_URL": origin,
        "GOTO_ADMIN_API_URL": f"{origin}/admin/rest/v1",
        "GOTO_LOG_LEVEL": "DEBUG",
    }


def test_help_documents_every_option(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")

    with pytest.raises(SystemExit) as exited:
        main(["--help"])

    assert exited.value.code == 0
    output = capsys.readouterr().out
    for option, help_text in DOCUMENTED_OPTIONS.items():
        assert option in output
        assert help_text in output


def test_serve_help_documents_its_options(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")

    with pytest.raises(SystemExit) as exited:
        main(["serve", "--help"])

    assert exited.value.code == 0
    output = capsys.readouterr().out
    for option in ("--sandbox", "--log-level"):
        assert option in output
        assert DOCUMENTED_OPTIONS[option] in output


def test_missing_credentials_exit_2_with_message_on_stderr(empty_working_directory, capsys):
    with pytest.raises(SystemExit) as exited:
        main([])

    captured = capsys.readouterr()
    assert exited.value.code == 2
    assert captured.out == ""
    assert captured.err == NO_CREDENTIALS


def test_invalid_setting_exits_2_without_secret(empty_working_directory, monkeypatch, capsys):
    monkeypatch.setenv("GOTO_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("GOTO_REFRESH_TOKEN", REFRESH_TOKEN)
    monkeypatch.setenv("GOTO_API_URL", "api.getgo.com")

    with pytest.raises(SystemExit) as exited:
        main([])

    captured = capsys.readouterr()
    assert exited.value.code == 2
    assert captured.out == ""
    assert captured.err == (
        "goto-training-mcp: GOTO_API_URL is invalid: 'api.getgo.com' is not an http(s) URL. "
        "Fix or unset GOTO_API_URL.\n"
    )


@pytest.mark.e2e
def test_console_script_help_exits_0(tmp_path):
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "COLUMNS": "200"}

    finished = subprocess.run(
        [str(SCRIPT), "--help"], cwd=tmp_path, env=environment, capture_output=True, timeout=ANSWER_TIMEOUT_SECONDS
    )

    assert finished.returncode == 0
    assert finished.stderr == b""
    for option, help_text in DOCUMENTED_OPTIONS.items():
        assert option.encode() in finished.stdout
        assert help_text.encode() in finished.stdout


@pytest.mark.e2e
def test_console_script_without_credentials_exits_2(tmp_path):
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}

    finished = subprocess.run(
        [str(SCRIPT)], cwd=tmp_path, env=environment, capture_output=True, timeout=ANSWER_TIMEOUT_SECONDS
    )

    assert finished.returncode == 2
    assert finished.stdout == b""
    assert finished.stderr.decode() == NO_CREDENTIALS


@pytest.mark.e2e
async def test_stdio_server_answers_the_sdk_client(tmp_path):
    parameters = StdioServerParameters(command=str(SCRIPT), args=[], env=server_environment(tmp_path), cwd=tmp_path)

    async with Client(parameters, mode="legacy", read_timeout_seconds=ANSWER_TIMEOUT_SECONDS) as client:
        server_info = client.server_info
        tools = await client.list_tools()
        result = await client.call_tool("get_current_organizer", {})

    assert server_info.name == "goto-training-mcp"
    assert "get_current_organizer" in {tool.name for tool in tools.tools}
    assert result.is_error is False
    assert result.structured_content == {"organizer_key": ORGANIZER_KEY, "account_key": ACCOUNT_KEY}


class StdioServer:
    """The console script, started with pipes and spoken to in raw JSON-RPC lines. Its stderr goes to a file."""

    def __init__(self, process: asyncio.subprocess.Process, stderr_path: Path) -> None:
        self.process = process
        self.stderr_path = stderr_path
        self.stdout_lines: list[bytes] = []

    async def send(self, message: dict) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        await self.process.stdin.drain()

    async def answer(self, request_id: int) -> dict:
        """Read stdout lines up to the response to `request_id`, keeping every line for the stdout check."""
        assert self.process.stdout is not None
        while True:
            line = await asyncio.wait_for(self.process.stdout.readline(), ANSWER_TIMEOUT_SECONDS)
            assert line, "the server closed stdout before answering"
            self.stdout_lines.append(line)
            message = json.loads(line)
            if message.get("id") == request_id:
                return message

    async def initialize(self) -> dict:
        await self.send(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": "2025-11-25",
                    "capabilities": {},
                    "clientInfo": {"name": "raw-json-rpc-test", "version": "0"},
                },
            }
        )
        answer = await self.answer(1)
        await self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return answer

    async def close_stdin(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        await self.process.stdin.wait_closed()

    async def wait(self, timeout: float = ANSWER_TIMEOUT_SECONDS) -> int:
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def read_remaining_stdout(self) -> None:
        assert self.process.stdout is not None
        rest = await asyncio.wait_for(self.process.stdout.read(), ANSWER_TIMEOUT_SECONDS)
        self.stdout_lines.extend(line for line in rest.splitlines(keepends=True) if line)

    def stderr_text(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


async def start_stdio_server(tmp_path: Path, stderr_file) -> StdioServer:
    process = await asyncio.create_subprocess_exec(
        str(SCRIPT),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=stderr_file,
        env=server_environment(tmp_path),
        cwd=tmp_path,
    )
    return StdioServer(process, tmp_path / "stderr.log")


async def stop_if_running(server: StdioServer) -> None:
    if server.process.returncode is None:
        server.process.kill()
        await server.process.wait()
    if server.process.stdin is not None and not server.process.stdin.is_closing():
        server.process.stdin.close()
    if server.process.stdout is not None:
        await server.process.stdout.read()


def assert_only_json_rpc(lines: list[bytes]) -> None:
    for line in lines:
        mcp_types.jsonrpc_message_adapter.validate_json(line)


@pytest.mark.e2e
async def test_stdio_server_exits_0_on_end_of_input(tmp_path):
    with open(tmp_path / "stderr.log", "wb") as stderr_file:
        server = await start_stdio_server(tmp_path, stderr_file)
        try:
            initialized = await server.initialize()
            await server.send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
            listed = await server.answer(2)
            await server.send(
                {
                    "jsonrpc": "2.0",
                    "id": 3,
                    "method": "tools/call",
                    "params": {"name": "get_current_organizer", "arguments": {}},
                }
            )
            called = await server.answer(3)

            await server.close_stdin()
            exit_code = await server.wait()
            await server.read_remaining_stdout()
        finally:
            await stop_if_running(server)

    assert exit_code == 0
    assert initialized["result"]["serverInfo"]["name"] == "goto-training-mcp"
    assert "get_current_organizer" in {tool["name"] for tool in listed["result"]["tools"]}
    assert called["result"]["isError"] is False
    assert called["result"]["structuredContent"] == {"organizer_key": ORGANIZER_KEY, "account_key": ACCOUNT_KEY}
    assert_only_json_rpc(server.stdout_lines)
    stderr = server.stderr_text()
    assert "Serving MCP over stdio" in stderr
    for secret in SECRETS:
        assert secret not in stderr


@pytest.mark.e2e
async def test_stdio_server_exits_0_on_sigterm(tmp_path):
    with open(tmp_path / "stderr.log", "wb") as stderr_file:
        server = await start_stdio_server(tmp_path, stderr_file)
        try:
            await server.initialize()
            await server.send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
            await server.answer(2)

            server.process.send_signal(signal.SIGTERM)
            exit_code = await server.wait(timeout=SIGTERM_EXIT_TIMEOUT_SECONDS)
            await server.read_remaining_stdout()
        finally:
            await stop_if_running(server)

    assert exit_code == 0
    assert_only_json_rpc(server.stdout_lines)
    stderr = server.stderr_text()
    assert "Stopped" in stderr
    for secret in SECRETS:
        assert secret not in stderr
