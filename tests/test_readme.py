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
