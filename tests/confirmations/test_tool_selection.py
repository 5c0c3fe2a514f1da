"""Read-only mode and toolsets decide which tools exist, for the life of the process."""

import pytest
from mcp import Client

from server.app import build_server
from server.cli import sandbox_settings
from server.sandbox import Sandbox, SeedKeys
from server.settings import ConfigurationError, load_settings

WRITE_TOOLS = {
    "create_training",
    "update_training_details",
    "update_training_times",
    "update_registration_settings",
    "update_training_organizers",
    "delete_training",
    "register_for_training",
    "cancel_registration",
}
REPORT_TOOLS = {"list_sessions_in_date_range", "list_training_sessions", "get_session_attendance"}


async def listed_and_call(tool: str, arguments: dict, **settings) -> tuple[set[str], object]:
    configured, _ = sandbox_settings(log_level="WARNING", **settings)
    sandbox = Sandbox()
    async with Client(build_server(configured, sandbox.transport())) as client:
        names = {listed.name for listed in (await client.list_tools()).tools}
        result = await client.call_tool(tool, arguments)
    return names, result


async def test_read_only_lists_no_write_tool():
    names, _ = await listed_and_call("get_current_organizer", {}, read_only=True)

    assert names & WRITE_TOOLS == set()
    assert {"list_trainings", "get_training", "list_registrants"} <= names


async def test_read_only_refuses_a_hidden_write_tool():
    _, result = await listed_and_call("create_training", {"name": "x"}, read_only=True)

    assert result.is_error is True
    assert result.content[0].text == "Unknown tool: create_training"


async def test_toolsets_limit_the_tool_list():
    names, _ = await listed_and_call(
        "list_training_sessions", {"training_key": str(SeedKeys.SAFETY_COURSE)}, toolsets="reports"
    )

    assert names == REPORT_TOOLS


async def test_tool_outside_the_toolsets_is_refused():
    _, result = await listed_and_call("list_trainings", {}, toolsets="reports,recordings")

    assert result.is_error is True
    assert result.content[0].text == "Unknown tool: list_trainings"


def test_unknown_toolset_stops_the_start_with_the_valid_list(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOTO_TOOLSETS", "trainings,reportz")

    with pytest.raises(ConfigurationError) as raised:
        load_settings()

    assert str(raised.value) == (
        "GOTO_TOOLSETS is invalid: unknown toolset 'reportz'; valid toolsets are trainings, registrants, reports, "
        "questionnaires, recordings, organizers, workflows. Fix or unset GOTO_TOOLSETS."
    )


def test_unknown_toolset_flag_names_the_flag(capsys):
    from server.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["serve", "--sandbox", "--toolsets", "Bogus,reports"])

    captured = capsys.readouterr()
    assert exited.value.code == 2
    assert captured.out == ""
    assert captured.err == (
        "goto-training-mcp: --toolsets 'Bogus,reports' is invalid: unknown toolset 'Bogus'; valid toolsets are "
        "trainings, registrants, reports, questionnaires, recordings, organizers, workflows.\n"
    )
