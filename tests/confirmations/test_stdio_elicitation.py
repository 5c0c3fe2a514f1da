"""Confirmation forms over stdio, on the handshake-era protocol and on the stateless one."""

import sys
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import ElicitRequestParams, ElicitResult

from server.sandbox import SeedKeys

pytestmark = pytest.mark.e2e

COMMAND = str(Path(sys.executable).parent / "goto-training-mcp")
ONBOARDING = str(SeedKeys.ONBOARDING)


def sandbox_server(*options: str) -> StdioServerParameters:
    return StdioServerParameters(command=COMMAND, args=["serve", "--sandbox", "--log-level", "WARNING", *options])


def answering(action: str, messages: list[str]):
    async def answer(context, params: ElicitRequestParams) -> ElicitResult:
        messages.append(params.message)
        content = {"confirm": True} if action == "accept" else None
        return ElicitResult(action=action, content=content)

    return answer


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_accepted_form_over_stdio_deletes(mode):
    messages: list[str] = []

    async with Client(sandbox_server(), elicitation_callback=answering("accept", messages), mode=mode) as client:
        deleted = await client.call_tool("delete_training", {"training_key": ONBOARDING})
        lookup = await client.call_tool("get_training", {"training_key": ONBOARDING})

    assert deleted.structured_content == {"training_key": ONBOARDING, "status": "deleted"}
    assert len(messages) == 1
    assert messages[0].startswith('Delete the training "Onboarding Basics"')
    assert lookup.is_error is True
    assert lookup.content[0].text.startswith(f"Error executing tool get_training: training_key '{ONBOARDING}' was not")


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_declined_form_over_stdio_keeps_training(mode):
    messages: list[str] = []

    async with Client(sandbox_server(), elicitation_callback=answering("decline", messages), mode=mode) as client:
        declined = await client.call_tool("delete_training", {"training_key": ONBOARDING})
        lookup = await client.call_tool("get_training", {"training_key": ONBOARDING})

    assert declined.structured_content["status"] == "not_changed"
    assert len(messages) == 1
    assert lookup.is_error is False
    assert lookup.structured_content["name"] == "Onboarding Basics"


async def test_read_only_flag_hides_and_refuses_write_tools_over_stdio():
    async with Client(sandbox_server("--read-only")) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        rejected = await client.call_tool("delete_training", {"training_key": ONBOARDING})
        lookup = await client.call_tool("get_training", {"training_key": ONBOARDING})

    assert "delete_training" not in names
    assert "create_training" not in names
    assert "get_training" in names
    assert rejected.is_error is True
    assert rejected.content[0].text == "Unknown tool: delete_training"
    assert lookup.is_error is False
