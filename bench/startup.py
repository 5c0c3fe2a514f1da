"""Benchmark the start-up of `goto-training-mcp serve --sandbox` against a bare MCP server.

Run: .venv/bin/python bench/startup.py [--runs N]

Each run starts the server with the SDK's stdio client and times from just before the process
starts until the `tools/list` response arrives. Closing the process is not timed. The two servers
take turns, after one untimed start each that fills the bytecode caches, so a change in the
machine's load hits both alike. The baseline is bench/bare_server.py: the SDK's MCPServer with one
tool, the floor any server built on the SDK starts from. The script prints both medians and their
ratio, and exits with 1 when ours is above 1.3 times the bare server's median.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mcp import Client
from mcp.client.stdio import StdioServerParameters
from support import REPOSITORY, finish, machine_description, write

MAX_RATIO = 1.3
DEFAULT_RUNS = 10


@dataclass
class Server:
    label: str
    parameters: StdioServerParameters
    seconds: list[float] = field(default_factory=list)
    tool_count: int = 0


async def time_start(parameters: StdioServerParameters) -> tuple[float, int]:
    """Start the server, list its tools, and return the seconds until the list arrived, and the tool count."""
    started = time.perf_counter()
    async with Client(parameters) as client:
        listed = await client.list_tools()
        seconds = time.perf_counter() - started
    return seconds, len(listed.tools)


def servers(home: str) -> list[Server]:
    # Only what a process needs to start: no GOTO_* variable of this shell reaches the servers.
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": home}
    ours = StdioServerParameters(
        command=str(Path(sys.executable).parent / "goto-training-mcp"),
        args=["serve", "--sandbox", "--log-level", "WARNING"],
        env=environment,
    )
    bare = StdioServerParameters(
        command=sys.executable, args=[str(REPOSITORY / "bench" / "bare_server.py")], env=environment
    )
    return [Server("bare MCPServer, 1 tool", bare), Server("goto-training-mcp serve --sandbox", ours)]


async def main(runs: int) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as home:
        measured = servers(home)
        for server in measured:
            await time_start(server.parameters)
        for _ in range(runs):
            for server in measured:
                seconds, server.tool_count = await time_start(server.parameters)
                server.seconds.append(seconds)

    bare, ours = measured
    ratio = statistics.median(ours.seconds) / statistics.median(bare.seconds)
    write(f"Start-up until the tools/list response arrives over stdio, {runs} runs each ({machine_description()})")
    for server in measured:
        write(
            f"  {server.label:<36} median {statistics.median(server.seconds) * 1000:6.0f} ms, "
            f"min {min(server.seconds) * 1000:6.0f} ms, max {max(server.seconds) * 1000:6.0f} ms, "
            f"{server.tool_count} tools"
        )
    write(f"  ratio ours / bare: {ratio:.2f} (bound {MAX_RATIO})")

    missed = []
    if ratio > MAX_RATIO:
        missed.append(f"start-up is {ratio:.2f} times the bare server's, above {MAX_RATIO}")
    if bare.tool_count != 1 or ours.tool_count < 2:
        missed.append(f"unexpected tool counts: bare {bare.tool_count}, ours {ours.tool_count}")
    return finish(missed)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="timed starts of each server (default: 10)")
    sys.exit(asyncio.run(main(parser.parse_args().runs)))
