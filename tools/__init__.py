"""MCP tools, one module per area of the GoTo Training API."""

from __future__ import annotations

from mcp.server.mcpserver.tools import Tool

from server.settings import Settings

# Each import declares its module's tools in TOOLS.
from tools import organizers, questionnaires, recordings, registrants, reports, trainings, workflows  # noqa: F401
from tools._registry import TOOLS, ToolDefinition, build_tools


def selected_tools(settings: Settings) -> list[ToolDefinition]:
    """Return the tools in the chosen toolsets, and only read-only ones in read-only mode."""
    return [
        definition
        for definition in TOOLS
        if definition.toolset in settings.toolsets and (definition.read_only or not settings.read_only)
    ]


def server_tools(settings: Settings) -> list[Tool]:
    """Return the SDK tools this server offers, ready for `MCPServer(tools=...)`.

    The list is fixed for the life of the process: hidden tools are not registered at all,
    so a call to one fails as an unknown tool."""
    return build_tools(selected_tools(settings))
