"""The tool registry: each tool module declares its tools here, and the server adds them.

Tools are thin adapters over `server.client.GoToClient`: they validate arguments, call one
client method (or a few, for workflows), and return a structured result. GoTo errors
become `isError` results whose message names the tool's own arguments.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from server.client import GoToClient
from server.errors import GoToError

TOOLSETS = ("trainings", "registrants", "reports", "questionnaires", "recordings", "organizers", "workflows")

ToolFunction = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class ToolDefinition:
    """One tool as declared by its module, before it is added to a server."""

    fn: ToolFunction
    name: str
    title: str
    toolset: str
    read_only: bool
    destructive: bool
    idempotent: bool
    open_world: bool = True

    @property
    def annotations(self) -> ToolAnnotations:
        return ToolAnnotations(
            title=self.title,
            read_only_hint=self.read_only,
            destructive_hint=self.destructive,
            idempotent_hint=self.idempotent,
            open_world_hint=self.open_world,
        )


TOOLS: list[ToolDefinition] = []


def goto_tool(
    *, toolset: str, title: str, read_only: bool, destructive: bool = False, idempotent: bool | None = None
) -> Callable[[ToolFunction], ToolFunction]:
    """Declare a tool. Read-only tools are idempotent unless told otherwise."""
    if toolset not in TOOLSETS:
        raise ValueError(f"unknown toolset {toolset!r}; expected one of {', '.join(TOOLSETS)}")

    def declare(fn: ToolFunction) -> ToolFunction:
        TOOLS.append(
            ToolDefinition(
                fn=fn,
                name=fn.__name__,
                title=title,
                toolset=toolset,
                read_only=read_only,
                destructive=destructive,
                idempotent=read_only if idempotent is None else idempotent,
            )
        )
        return fn

    return declare


def build_tools(definitions: list[ToolDefinition]) -> list[Tool]:
    """Build SDK tools from `definitions`: annotations set, GoTo errors raised as ToolError, and
    input schemas compacted, since every byte of them is read by the model on every turn."""
    tools = []
    for definition in definitions:
        tool = Tool.from_function(
            _raising_tool_errors(definition.fn),
            name=definition.name,
            title=definition.title,
            description=" ".join(inspect.cleandoc(definition.fn.__doc__ or "").split()),
            annotations=definition.annotations,
        )
        tool.parameters = compact_schema(inline_definitions(tool.parameters))
        tools.append(tool)
    return tools


def inline_definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace `$ref`s to `$defs` with the definitions themselves (tool arguments are never recursive)."""
    definitions = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, list):
            return [resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/$defs/"):
            rest = {name: value for name, value in node.items() if name != "$ref"}
            return {**resolve(definitions[reference.removeprefix("#/$defs/")]), **rest}
        return {name: resolve(value) for name, value in node.items() if name != "$defs"}

    return resolve(schema)


def compact_schema(schema: Any) -> Any:
    """Drop what a model does not need from a pydantic JSON schema: generated titles, `default: null`,
    and the `null` branch of optional arguments (omitting an optional argument means the same)."""
    if isinstance(schema, list):
        return [compact_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema

    node = dict(schema)
    branches = node.get("anyOf")
    if isinstance(branches, list) and {"type": "null"} in branches and len(branches) == 2:
        (kept,) = [branch for branch in branches if branch != {"type": "null"}]
        del node["anyOf"]
        node = {**kept, **node} if "$ref" not in kept else {**node, **kept}
        if node.get("default", ...) is None:
            del node["default"]

    compacted = {}
    for name, value in node.items():
        if name == "title" and isinstance(value, str):
            continue
        if name in ("properties", "$defs") and isinstance(value, dict):
            compacted[name] = {key: compact_schema(item) for key, item in value.items()}
        else:
            compacted[name] = compact_schema(value)
    return compacted


def _raising_tool_errors(fn: ToolFunction) -> ToolFunction:
    @functools.wraps(fn)
    async def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return await fn(*args, **kwargs)
        except (GoToError, ValueError) as exc:
            # Our errors are written for the model: what failed, on which value, what to do next.
            raise ToolError(str(exc)) from exc

    return call


def client_of(ctx: Context) -> GoToClient:
    """Return the shared GoTo client opened by the server's lifespan."""
    return ctx.request_context.lifespan_context.client


def structured(result: BaseModel) -> CallToolResult:
    """Build a tool result whose text is the compact JSON of its structured content, without nulls."""
    content = result.model_dump(mode="json", exclude_none=True)
    text = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=content)
