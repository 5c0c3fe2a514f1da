"""A third-party MCP client, the MCP Inspector's CLI, lists and calls our tools over stdio and HTTP.

The Inspector comes from the npm registry. The first run installs it into .cache/inspector
(about 20 s); without npm on the machine the tests are skipped with the reason printed.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import COMMAND, free_port, wait_for_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
INSPECTOR_VERSION = "2.12.0"
INSPECTOR_HOME = ROOT / ".cache" / "inspector"
SERVER = COMMAND
ONBOARDING = "4817395020468213761"


@pytest.fixture(scope="module")
def inspector() -> Path:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("the MCP Inspector CLI needs Node.js and npm, which this machine lacks")
    command = INSPECTOR_HOME / "node_modules" / ".bin" / "mcp-inspector"
    if not command.exists():
        INSPECTOR_HOME.mkdir(parents=True, exist_ok=True)
        installed = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                f"@modelcontextprotocol/inspector@{INSPECTOR_VERSION}",
            ],
            cwd=INSPECTOR_HOME,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert installed.returncode == 0, f"npm could not install the Inspector: {installed.stderr[-2000:]}"
    return command


def run_inspector(inspector: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = os.environ | {"GOTO_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [str(inspector), "--cli", *arguments], capture_output=True, text=True, timeout=120, env=environment
    )


def test_inspector_lists_tools_over_stdio(inspector):
    listed = run_inspector(inspector, SERVER, "serve", "--sandbox", "--method", "tools/list", "--strict")

    assert listed.returncode == 0, listed.stderr
    names = {tool["name"] for tool in json.loads(listed.stdout)["tools"]}
    assert {"list_trainings", "get_training", "delete_training", "find_registrant"} <= names
    assert len(names) == 33


def test_inspector_calls_a_tool_over_stdio(inspector):
    called = run_inspector(
        inspector,
        SERVER,
        "serve",
        "--sandbox",
        "--method",
        "tools/call",
        "--tool-name",
        "get_training",
        "--tool-arg",
        f'training_key="{ONBOARDING}"',
    )

    assert called.returncode == 0, called.stderr
    result = json.loads(called.stdout)
    assert result.get("isError") is not True
    assert result["structuredContent"]["training_key"] == ONBOARDING
    assert result["structuredContent"]["name"] == "Onboarding Basics"


@pytest.fixture
def http_server() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [SERVER, "serve", "--sandbox", "--transport", "http", "--port", str(port), "--log-level", "WARNING"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_inspector_lists_and_calls_over_http(inspector, http_server):
    listed = run_inspector(inspector, http_server, "--method", "tools/list")
    called = run_inspector(
        inspector, http_server, "--method", "tools/call", "--tool-name", "list_trainings", "--tool-arg", "limit=2"
    )

    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["tools"]) == 33
    assert called.returncode == 0, called.stderr
    content = json.loads(called.stdout)["structuredContent"]
    assert content["returned"] == 2
    assert content["trainings"][0]["training_key"] == ONBOARDING
