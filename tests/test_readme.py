"""The README's commands are the ones CI and new users run."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_ci_runs_exactly_the_readme_test_command():
    test_command = _readme_commands()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in ci_lines if line and not line.startswith(("#", "set ", "cd "))]

    assert commands == [test_command]


def test_readme_demo_command_runs_the_demo_on_the_sandbox():
    demo_command = _readme_commands()[0]

    assert demo_command.startswith("python3 -m venv .venv && ")
    assert demo_command.endswith(" && .venv/bin/goto-training-mcp demo")


def test_readme_tables_match_the_code():
    from server.docs import render

    current = (ROOT / "README.md").read_text(encoding="utf-8")

    assert render(current) == current, "README.md is stale: run `python -m server.docs` and commit the result"


def test_claude_desktop_example_has_a_sandbox_and_an_account_entry():
    import json

    servers = json.loads((ROOT / "claude_desktop_config.example.json").read_text(encoding="utf-8"))["mcpServers"]

    assert servers["goto-training-sandbox"]["args"] == ["serve", "--sandbox"]
    assert servers["goto-training"]["args"] == []
    assert set(servers["goto-training"]["env"]) == {"GOTO_CLIENT_ID", "GOTO_CLIENT_SECRET"}
    for entry in servers.values():
        assert entry["command"].endswith("/.venv/bin/goto-training-mcp")
