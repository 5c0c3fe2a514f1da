"""The workflow prompts and resource templates, as an MCP client lists, renders and reads them."""

import json

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from server.app import build_server
from server.sandbox import Sandbox, SeedKeys
from tests.workflows.conftest import call, settings_for

SAFETY = str(SeedKeys.SAFETY_COURSE)


async def test_prompts_list_three_jobs(client: Client) -> None:
    prompts = {prompt.name: prompt for prompt in (await client.list_prompts()).prompts}

    assert set(prompts) == {"schedule-training", "registrant-lookup", "attendance-report"}
    for prompt in prompts.values():
        assert prompt.title, prompt.name
        assert prompt.description, prompt.name
        for argument in prompt.arguments or []:
            assert argument.description, f"{prompt.name}.{argument.name}"
    required = {name: [a.name for a in prompt.arguments or [] if a.required] for name, prompt in prompts.items()}
    assert required == {
        "schedule-training": ["name", "sessions"],
        "registrant-lookup": ["person"],
        "attendance-report": [],
    }


async def test_lookup_prompt_names_the_tool_call(client: Client) -> None:
    rendered = await client.get_prompt("registrant-lookup", {"person": "ada@example.com", "training_key": SAFETY})

    (message,) = rendered.messages
    assert message.role == "user"
    assert message.content.text.splitlines()[:2] == [
        "Is ada@example.com registered for any of my GoTo trainings, and did they attend?",
        f"Call find_registrant once, with query='ada@example.com', include_completed=true and training_key='{SAFETY}'.",
    ]


async def test_schedule_prompt_lists_steps(client: Client) -> None:
    arguments = {"name": "Excel basics", "sessions": "next Monday 9 to 12", "attendees": "Ada (ada@example.com)"}

    rendered = await client.get_prompt("schedule-training", arguments)

    text = rendered.messages[0].content.text
    assert text.startswith(
        "Schedule a GoTo training named 'Excel basics', with sessions next Monday 9 to 12, "
        "in my time zone (ask me if you do not know it)."
    )
    assert "create_training" in text
    assert "register_for_training: Ada (ada@example.com)." in text


async def test_attendance_prompt_for_training_or_period(client: Client) -> None:
    for_training = await client.get_prompt("attendance-report", {"training_key": SAFETY})
    for_period = await client.get_prompt("attendance-report", {})

    assert f"Call summarize_training_attendance with training_key='{SAFETY}'" in for_training.messages[0].content.text
    assert for_period.messages[0].content.text.startswith("How did my GoTo trainings go last month?")
    assert "call summarize_sessions" in for_period.messages[0].content.text


async def test_resource_templates_are_listed(client: Client) -> None:
    templates = {template.name: template for template in (await client.list_resource_templates()).resource_templates}

    assert templates["training"].uri_template == "goto-training://trainings/{training_key}"
    assert templates["training"].mime_type == "application/json"
    assert templates["training-attendance"].uri_template == "goto-training://trainings/{training_key}/attendance"
    assert templates["training-attendance"].mime_type == "text/markdown"


async def test_training_resource_reads_training(client: Client, sandbox: Sandbox) -> None:
    training = sandbox.state.trainings[SeedKeys.SAFETY_COURSE]

    read = await client.read_resource(f"goto-training://trainings/{SAFETY}")

    body = json.loads(read.contents[0].text)
    assert body["training_key"] == SAFETY
    assert body["name"] == training.name
    assert body["time_zone"] == training.time_zone
    assert len(body["times"]) == len(training.times)


async def test_attendance_resource_matches_tool_text(client: Client) -> None:
    read = await client.read_resource(f"goto-training://trainings/{SAFETY}/attendance")
    tool = await call(client, "summarize_training_attendance", {"training_key": SAFETY})

    # The resource has no structured content, so its last line points to the tool instead.
    tool_lines = tool.content[0].text.splitlines()
    resource_lines = read.contents[0].text.splitlines()
    assert resource_lines[:-1] == tool_lines[:-1]
    assert tool_lines[-1] == "Per-person sessions, minutes and shares are in the structured content."
    assert resource_lines[-1] == "Per-person sessions, minutes and shares: call summarize_training_attendance."


async def test_resource_of_unknown_training_fails(client: Client) -> None:
    with pytest.raises(MCPError) as failure:
        await client.read_resource("goto-training://trainings/123/attendance")

    assert str(failure.value).startswith("training_key '123' was not found")
    assert failure.value.code == -32602


async def test_resource_with_invalid_key_is_invalid_params(client: Client) -> None:
    with pytest.raises(MCPError) as failure:
        await client.read_resource("goto-training://trainings/12a")

    assert failure.value.code == -32602
    assert str(failure.value).startswith("training_key '12a' is not a valid key")


async def test_prompts_follow_workflows_toolset() -> None:
    sandbox = Sandbox()
    server = build_server(settings_for(sandbox, toolsets="trainings,reports"), sandbox.transport())

    async with Client(server) as client:
        prompts = (await client.list_prompts()).prompts
        templates = (await client.list_resource_templates()).resource_templates
        tools = {tool.name for tool in (await client.list_tools()).tools}

    assert prompts == []
    assert templates == []
    assert "summarize_training_attendance" not in tools
