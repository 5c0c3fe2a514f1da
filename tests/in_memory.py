"""The SDK's in-memory client, held open for pytest-asyncio fixtures."""

import asyncio
from collections.abc import AsyncIterator

from mcp import Client
from mcp.server.mcpserver import MCPServer


async def held_open(server: MCPServer) -> AsyncIterator[Client]:
    """Yield an in-memory client connected to `server`, for use as an async fixture's body.

    pytest-asyncio runs a fixture's setup and teardown in different tasks, and anyio refuses to
    close the client's task group from another task, so one task of its own holds the client open.
    """
    connected: asyncio.Future[Client] = asyncio.get_running_loop().create_future()
    finished = asyncio.Event()

    async def hold_open() -> None:
        async with Client(server) as opened:
            connected.set_result(opened)
            await finished.wait()

    holder = asyncio.create_task(hold_open())
    await asyncio.wait({holder, connected}, return_when=asyncio.FIRST_COMPLETED)
    if holder.done():
        holder.result()
    yield connected.result()
    finished.set()
    await holder
