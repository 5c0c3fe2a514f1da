"""goto-training-mcp: an MCP server for GoTo Training."""

__version__ = "0.1.0"
