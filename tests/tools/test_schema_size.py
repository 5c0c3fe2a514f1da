"""Size of the tool list, because a client sends the model every tool's name, description and
input schema on every turn. Run with `-s` to see the figures.

Sizes are bytes of compact UTF-8 JSON (`separators=(",", ":")`). "Full" is the whole tool as
`tools/list` returns it, output schema and annotations included. "Model-visible" is the part a
client typically passes to the model: name, description and inputSchema.
"""

import json

from mcp import Client
from mcp_types import Tool

MAX_AVERAGE_MODEL_VISIBLE_BYTES = 550
MAX_TOOL_MODEL_VISIBLE_BYTES = 1500


def compact_size(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def full_size(tool: Tool) -> int:
    return compact_size(tool.model_dump(by_alias=True, exclude_none=True, mode="json"))


def model_visible_size(tool: Tool) -> int:
    return compact_size({"name": tool.name, "description": tool.description, "inputSchema": tool.input_schema})


def size_report(tools: list[Tool], list_bytes: int) -> str:
    rows = [f"{'tool':<30} {'full':>6} {'model':>6}"]
    for tool in sorted(tools, key=model_visible_size, reverse=True):
        rows.append(f"{tool.name:<30} {full_size(tool):>6} {model_visible_size(tool):>6}")
    full_total = sum(full_size(tool) for tool in tools)
    visible_total = sum(model_visible_size(tool) for tool in tools)
    rows.append(f"{'total':<30} {full_total:>6} {visible_total:>6}")
    rows.append(f"{'average':<30} {full_total / len(tools):>6.1f} {visible_total / len(tools):>6.1f}")
    rows.append(f"tools/list result as compact JSON: {list_bytes} bytes for {len(tools)} tools")
    return "\n".join(rows)


async def test_model_visible_schema_average_is_small(client: Client) -> None:
    listed = await client.list_tools()
    tools = listed.tools
    report = size_report(tools, compact_size(listed.model_dump(by_alias=True, exclude_none=True, mode="json")))
    print("\n" + report)  # noqa: T201 - the figures are the point of this test under `pytest -s`

    average = sum(model_visible_size(tool) for tool in tools) / len(tools)

    assert average <= MAX_AVERAGE_MODEL_VISIBLE_BYTES, (
        f"model-visible average is {average:.1f} bytes a tool, above {MAX_AVERAGE_MODEL_VISIBLE_BYTES}:\n{report}"
    )


async def test_no_tool_schema_is_large(client: Client) -> None:
    tools = (await client.list_tools()).tools

    too_large = {
        tool.name: model_visible_size(tool) for tool in tools if model_visible_size(tool) > MAX_TOOL_MODEL_VISIBLE_BYTES
    }

    assert too_large == {}, f"tools above {MAX_TOOL_MODEL_VISIBLE_BYTES} model-visible bytes"


def test_compact_size_counts_utf8_bytes() -> None:
    assert compact_size({"a": [1, 2], "b": "é"}) == len('{"a":[1,2],"b":"é"}'.encode())
    assert compact_size({"a": [1, 2], "b": "é"}) == 20
