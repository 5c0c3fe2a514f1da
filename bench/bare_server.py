"""The floor of the start-up benchmark: the SDK's MCPServer with one tool, served over stdio.

Run: .venv/bin/python bench/bare_server.py (bench/startup.py starts it; it reads MCP from stdin).
"""

from mcp.server.mcpserver import MCPServer

server = MCPServer("bare")


@server.tool()
def echo(text: str) -> str:
    """Return the text unchanged."""
    return text


if __name__ == "__main__":
    server.run()
