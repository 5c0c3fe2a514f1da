"""The tool registry: each tool module declares its tools here, and the server adds them.

Tools are thin adapters over `server.client.GoToClient`: they validate arguments, call one
client method (or a few, for workflows), and return a structured result. GoTo errors
become `isError` results whose message names the tool's own arguments.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp_types import ToolAnnotations

from server.client import GoToClient
from server.errors import GoToError
from server.settings import TOOLSETS
from tools.guard import PreviewBuilder, guard
from tools.output import structured

__all__ = ["TOOLS", "ToolDefinition", "build_tools", "client_of", "goto_tool", "structured"]


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
    confirm: PreviewBuilder | None = None

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
    *,
    toolset: str,
    title: str,
    read_only: bool,
    destructive: bool = False,
    idempotent: bool | None = None,
    confirm: PreviewBuilder | None = None,
) -> Callable[[ToolFunction], ToolFunction]:
    """Declare a tool. Read-only tools are idempotent unless told otherwise. `confirm` guards the tool:
    it builds the preview the user approves before the call runs (see tools.guard)."""
    if toolset not in TOOLSETS:
        raise ValueError(f"unknown toolset {toolset!r}; expected one of {', '.join(TOOLSETS)}")
    if confirm is not None and not destructive:
        raise ValueError("a tool that needs confirmation must be declared destructive")

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
                confirm=confirm,
            )
        )
        return fn

    return declare


def build_tools(definitions: list[ToolDefinition]) -> list[Tool]:
    """Build SDK tools from `definitions`: annotations set, GoTo errors raised as ToolError, and
    input schemas compacted, since every byte of them is read by the model on every turn."""
    tools = []
    for definition in definitions:
        fn = definition.fn
        if definition.confirm is not None:
            fn = guard(fn, definition.name, definition.confirm)
        tool = Tool.from_function(
            _raising_tool_errors(fn),
            name=definition.name,
            title=definition.title,
            description=" ".join(inspect.cleandoc(definition.fn.__doc__ or "").split()),
            annotations=definition.annotations,
        )
        tool.parameters = compact_schema(inline_definitions(tool.parameters))
        # Output schemas get the same treatment, so clients that keep tools/list store less. Results
        # leave out None values, so no field needs a null branch.
        if tool.fn_metadata.output_schema is not None:
            tool.fn_metadata.output_schema = compact_schema(tool.fn_metadata.output_schema)
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
