"""Generate the README's configuration table and tool catalogue from the code.

`python -m server.docs` rewrites both sections of README.md in place; a test fails while
either is stale, so the README always matches the settings model and the tool list.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from pydantic import SecretStr

from server.settings import TOOLSETS, Settings

README = Path(__file__).resolve().parent.parent / "README.md"
SECTIONS = ("settings", "tools")


def settings_table() -> str:
    """Render every setting as a row: variable, default, meaning."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        rows.append(f"| `GOTO_{name.upper()}` | {_default(field.default)} | {_cell(field.description or '')} |")
    return "\n".join(rows)


def tool_catalogue() -> str:
    """Render the tools by toolset: name, title, effect and description."""
    from tools import TOOLS

    lines = []
    for toolset in TOOLSETS:
        members = [definition for definition in TOOLS if definition.toolset == toolset]
        if not members:
            continue
        lines += [f"**{toolset}**", "", "| tool | effect | what it does |", "|---|---|---|"]
        for definition in members:
            description = " ".join(inspect.cleandoc(definition.fn.__doc__ or "").split())
            lines.append(f"| `{definition.name}` | {_effect(definition)} | {_cell(description)} |")
        lines.append("")
    return "\n".join(lines).rstrip()


def render(readme: str) -> str:
    """Return `readme` with each generated section replaced by its current text."""
    generated = {"settings": settings_table(), "tools": tool_catalogue()}
    for section in SECTIONS:
        pattern = re.compile(rf"(<!-- generated:{section} -->\n)(?:.*?\n)?(<!-- end:{section} -->)", re.DOTALL)
        if not pattern.search(readme):
            raise ValueError(f"README.md lacks the markers <!-- generated:{section} --> and <!-- end:{section} -->")
        text = generated[section]
        readme = pattern.sub(lambda match, text=text: match.group(1) + text + "\n" + match.group(2), readme)
    return readme


def _effect(definition) -> str:
    if definition.read_only:
        return "reads"
    if definition.confirm is not None:
        return "changes GoTo, after confirmation"
    return "changes GoTo"


def _default(value: object) -> str:
    if value is None or value == () or isinstance(value, SecretStr):
        return ""
    if isinstance(value, tuple):
        return "all" if value == TOOLSETS else ", ".join(value)
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main() -> int:
    current = README.read_text(encoding="utf-8")
    updated = render(current)
    if updated != current:
        README.write_text(updated, encoding="utf-8")
        sys.stderr.write("README.md updated\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
