"""MCP tools, one module per area of the GoTo Training API."""

from __future__ import annotations

from mcp.server.mcpserver.tools import Tool

# Each import declares its module's tools in TOOLS.
from tools import organizers, questionnaires, recordings, registrants, reports, trainings  # noqa: F401
from tools._registry import TOOLS, ToolDefinition, build_tools


def selected_tools() -> list[ToolDefinition]:
    """Return the tools this server offers."""
    return list(TOOLS)


def server_tools() -> list[Tool]:
    """Return the SDK tools this server offers, ready for `MCPServer(tools=...)`."""
    return build_tools(selected_tools())
