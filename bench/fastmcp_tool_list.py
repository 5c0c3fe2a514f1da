"""Print the `tools/list` result of the server FastMCP generates from an OpenAPI document, as JSON.

Run inside the FastMCP environment that bench/context_cost.py creates:
    bench/.venv-fastmcp/bin/python bench/fastmcp_tool_list.py SPEC.json

FastMCP is kept out of the project's environment, so this runs in a virtual environment of its own
and reports through stdout. The generated server gets an HTTP client on a loopback address that is
never opened: listing tools sends no request, and FastMCP's default client would point at the
GoTo host named in the document.
"""

from __future__ import annotations

import asyncio
import json
import sys

import httpx2
from fastmcp import Client, FastMCP

UNUSED_BASE_URL = "http://127.0.0.1:9"


async def list_tools(spec_path: str) -> dict:
    with open(spec_path, encoding="utf-8") as file:
        spec = json.load(file)
    async with httpx2.AsyncClient(base_url=UNUSED_BASE_URL) as http:
        server = FastMCP.from_openapi(spec, client=http, name="GoTo Training")
        async with Client(server) as client:
            listed = await client.list_tools_mcp()
    return listed.model_dump(by_alias=True, exclude_none=True, mode="json")


if __name__ == "__main__":
    result = asyncio.run(list_tools(sys.argv[1]))
    sys.stdout.write(json.dumps(result, separators=(",", ":"), ensure_ascii=False) + "\n")
