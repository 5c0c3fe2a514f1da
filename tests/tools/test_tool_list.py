"""The tool list as a client sees it: names, titles, annotations, descriptions and argument schemas."""

import re

import pytest
from mcp import Client
from mcp_types import Tool

EXPECTED_TOOLS = {
    "list_trainings",
    "get_training",
    "create_training",
    "update_training_details",
    "update_training_times",
    "update_registration_settings",
    "list_training_organizers",
    "update_training_organizers",
    "delete_training",
    "get_management_url",
    "get_start_url",
    "start_training",
    "list_registrants",
    "get_registrant",
    "register_for_training",
    "cancel_registration",
    "list_sessions_in_date_range",
    "list_training_sessions",
    "get_session_attendance",
    "list_tests",
    "list_polls",
    "list_surveys",
    "list_test_submissions",
    "list_poll_submissions",
    "list_survey_submissions",
    "list_recordings",
    "get_recording_download_url",
    "list_account_organizers",
    "get_current_organizer",
    "find_registrant",
    "summarize_training_attendance",
    "summarize_sessions",
    "summarize_questionnaire_results",
}

AUTH_HEADER_WORDS = ("authorization", "token", "bearer", "api_key", "apikey", "secret", "password")

# A sentence ends with . ! or ? followed by a space or the end; "e.g." and "e-mail" are not ends.
SENTENCE_END = re.compile(r"(?<!e\.g)[.!?](?=\s|$)")


async def list_tools(client: Client) -> list[Tool]:
    return (await client.list_tools()).tools


def tool_problems(tool: Tool) -> list[str]:
    """Return every way `tool` falls short of what a model needs to call it well."""
    problems = []
    if not tool.title:
        problems.append("no title")

    annotations = tool.annotations
    if annotations is None:
        problems.append("no annotations")
    else:
        for hint in ("read_only_hint", "destructive_hint", "idempotent_hint", "open_world_hint"):
            if getattr(annotations, hint) is None:
                problems.append(f"{hint} not set")

    description = (tool.description or "").strip()
    sentences = len(SENTENCE_END.findall(description))
    if not description:
        problems.append("no description")
    elif not 1 <= sentences <= 3:
        problems.append(f"description has {sentences} sentences, expected 1 to 3")

    if tool.output_schema is None:
        problems.append("no outputSchema")

    for name, schema in tool.input_schema.get("properties", {}).items():
        if not schema.get("description"):
            problems.append(f"argument {name} has no description")
        # A confirmation token is a one-time approval code that the server itself issued, not a credential.
        if name != "confirmation_token" and any(word in name.lower() for word in AUTH_HEADER_WORDS):
            problems.append(f"argument {name} is named like a credential")
        if (name.endswith("_key") or name == "recording_id") and schema.get("type") != "string":
            problems.append(f"key argument {name} is typed {schema.get('type')!r}, expected 'string'")
    return problems


async def test_tool_list_has_exactly_the_33_tools(client: Client) -> None:
    names = [tool.name for tool in await list_tools(client)]

    assert len(names) == len(set(names)), f"duplicate tool names: {sorted(names)}"
    assert set(names) - EXPECTED_TOOLS == set(), "unexpected tools"
    assert EXPECTED_TOOLS - set(names) == set(), "missing tools"
    assert len(names) == 33


async def test_every_tool_is_fully_described(client: Client) -> None:
    problems = {tool.name: tool_problems(tool) for tool in await list_tools(client)}

    assert {name: found for name, found in problems.items() if found} == {}


async def test_key_list_arguments_take_strings(client: Client) -> None:
    tools = {tool.name: tool for tool in await list_tools(client)}

    for tool_name, argument in [
        ("create_training", "co_organizer_keys"),
        ("update_training_organizers", "organizer_keys"),
    ]:
        schema = tools[tool_name].input_schema["properties"][argument]
        assert schema["items"] == {"type": "string"}, f"{tool_name}.{argument}"


def test_tool_walk_reports_missing_parts() -> None:
    bare = Tool(
        name="bare",
        description="Does one thing. And another. And a third. And a fourth.",
        input_schema={
            "type": "object",
            "properties": {"training_key": {"type": "integer"}, "access_token": {"type": "string", "description": "x"}},
        },
    )

    assert tool_problems(bare) == [
        "no title",
        "no annotations",
        "description has 4 sentences, expected 1 to 3",
        "no outputSchema",
        "argument training_key has no description",
        "key argument training_key is typed 'integer', expected 'string'",
        "argument access_token is named like a credential",
    ]


@pytest.mark.parametrize(
    ("name", "read_only", "destructive", "idempotent"),
    [
        ("list_trainings", True, False, True),
        ("get_training", True, False, True),
        ("create_training", False, False, False),
        ("delete_training", False, True, True),
        ("update_training_times", False, True, True),
        ("update_training_organizers", False, True, True),
        ("update_training_details", False, False, True),
        ("get_current_organizer", True, False, True),
    ],
)
async def test_tool_annotations_match_effect(
    client: Client, name: str, read_only: bool, destructive: bool, idempotent: bool
) -> None:
    (tool,) = [tool for tool in await list_tools(client) if tool.name == name]

    assert tool.annotations is not None
    assert tool.annotations.read_only_hint is read_only
    assert tool.annotations.destructive_hint is destructive
    assert tool.annotations.idempotent_hint is idempotent
    assert tool.annotations.open_world_hint is True


async def test_optional_arguments_have_no_null_branch(client: Client) -> None:
    tools = {tool.name: tool for tool in await list_tools(client)}

    assert tools["get_training"].input_schema == {
        "type": "object",
        "properties": {
            "training_key": {"description": "From list_trainings.", "type": "string"},
            "organizer_key": {"type": "string", "description": "Default: signed-in user."},
        },
        "required": ["training_key"],
    }
