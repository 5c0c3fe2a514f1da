"""MCP tools, one module per area of the GoTo Training API."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from tools import organizers  # noqa: F401  (each import declares its tools)
from tools._registry import TOOLS, ToolDefinition, add_tools


def selected_tools() -> list[ToolDefinition]:
    """Return the tools this server offers."""
    return list(TOOLS)


def add_selected_tools(server: MCPServer) -> None:
    add_tools(server, selected_tools())
