"""Benchmark what the tool list costs a model's context, against the server FastMCP generates from GoTo's API.

Run: .venv/bin/python bench/context_cost.py [--spec PATH]

A client sends the model every tool's name, description and input schema on every turn, so those
bytes are paid again and again. Sizes are bytes of compact UTF-8 JSON (`separators=(",", ":")`), as
in tests/tools/test_schema_size.py: "full" is each tool as `tools/list` returns it, and
"model-visible" is only its name, description and inputSchema.

The baseline is `FastMCP.from_openapi` applied to GoTo's public 2017 OpenAPI document of the Training
API, as converted to OpenAPI 3 by APIs.guru: 22 operations. The script reads the copy kept beside the
repository unless --spec names another. FastMCP and its 60-odd dependencies stay out of the project's
environment: the script creates bench/.venv-fastmcp with pip on first use, and
bench/fastmcp_tool_list.py lists the generated server's tools there. The script exits with 1 when
our model-visible bytes per tool are above 0.65 times the generated server's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp import Client
from support import REPOSITORY, compact_size, finish, sandbox_settings, write

from server.app import build_server
from server.sandbox import Sandbox

MAX_RATIO = 0.65
FASTMCP_REQUIREMENT = "fastmcp==4.2.3"
FASTMCP_ENVIRONMENT = REPOSITORY / "bench" / ".venv-fastmcp"
DEFAULT_SPEC = REPOSITORY.parent / "shared" / "reference" / "goto-training-openapi-2017.json"
LARGEST_TOOLS_SHOWN = 5


@dataclass
class ToolList:
    label: str
    result: dict[str, Any]
    """The `tools/list` result as JSON, with camelCase names and no null fields."""

    @property
    def tools(self) -> list[dict[str, Any]]:
        return self.result["tools"]

    def full_size(self, tool: dict[str, Any]) -> int:
        return compact_size(tool)

    def model_visible_size(self, tool: dict[str, Any]) -> int:
        return compact_size(
            {"name": tool["name"], "description": tool.get("description"), "inputSchema": tool["inputSchema"]}
        )

    def model_visible_total(self) -> int:
        return sum(self.model_visible_size(tool) for tool in self.tools)

    def full_total(self) -> int:
        return sum(self.full_size(tool) for tool in self.tools)


async def our_tool_list() -> dict[str, Any]:
    sandbox = Sandbox()
    async with Client(build_server(sandbox_settings(sandbox), sandbox.transport())) as client:
        listed = await client.list_tools()
    return listed.model_dump(by_alias=True, exclude_none=True, mode="json")


def generated_tool_list(spec: Path) -> dict[str, Any]:
    python = FASTMCP_ENVIRONMENT / "bin" / "python"
    if not python.exists():
        write(f"Creating {FASTMCP_ENVIRONMENT.relative_to(REPOSITORY)} with {FASTMCP_REQUIREMENT} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(FASTMCP_ENVIRONMENT)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", FASTMCP_REQUIREMENT], check=True)
    script = REPOSITORY / "bench" / "fastmcp_tool_list.py"
    completed = subprocess.run([str(python), str(script), str(spec)], check=True, capture_output=True, text=True)
    # The result is the last line; FastMCP may print notices before it.
    return json.loads(completed.stdout.strip().splitlines()[-1])


def report(listing: ToolList) -> None:
    count = len(listing.tools)
    visible = listing.model_visible_total()
    write(
        f"  {listing.label:<34} {count:>3} tools, tools/list {compact_size(listing.result):>6} bytes, "
        f"full {listing.full_total() / count:6.0f} bytes/tool, "
        f"model-visible {visible:>6} bytes = {visible / count:4.0f} bytes/tool"
    )
    largest = sorted(listing.tools, key=listing.model_visible_size, reverse=True)[:LARGEST_TOOLS_SHOWN]
    sizes = ", ".join(f"{tool['name']} {listing.model_visible_size(tool)}" for tool in largest)
    write(f"    largest model-visible: {sizes}")


def main(spec: Path) -> int:
    ours = ToolList("goto-training-mcp", asyncio.run(our_tool_list()))
    generated = ToolList("FastMCP.from_openapi (GoTo 2017)", generated_tool_list(spec))

    ours_per_tool = ours.model_visible_total() / len(ours.tools)
    generated_per_tool = generated.model_visible_total() / len(generated.tools)
    ratio = ours_per_tool / generated_per_tool
    full_ratio = (ours.full_total() / len(ours.tools)) / (generated.full_total() / len(generated.tools))

    write("Context cost of tools/list, compact UTF-8 JSON")
    report(ours)
    report(generated)
    write(f"  ratio model-visible bytes per tool ours / generated: {ratio:.2f} (bound {MAX_RATIO})")
    write(f"  ratio full bytes per tool ours / generated: {full_ratio:.2f} (no bound; ours carries output schemas)")

    missed = []
    if ratio > MAX_RATIO:
        missed.append(f"model-visible bytes per tool are {ratio:.2f} times the generated server's, above {MAX_RATIO}")
    return finish(missed)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the OpenAPI document to generate from")
    sys.exit(main(parser.parse_args().spec))
