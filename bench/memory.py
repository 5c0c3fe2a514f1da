"""Benchmark the memory that list_registrants needs for a training with 20,000 registrants.

Run: .venv/bin/python bench/memory.py

GoTo returns a training's registrants in one unpaged response, so the server reads all of them even
though the tool returns only `limit` (50 by default). bench/large_sandbox.py serves a sandbox with
such a training on 127.0.0.1 in its own process. A fresh measuring process then runs the server
with the SDK's in-memory client, calls list_registrants once on a small training to load every code
path, and calls it on the large training with the default limit. It reports:

- peak RSS (`resource.getrusage`) before the call and after it, and the growth;
- the peak of Python allocations during a second identical call (`tracemalloc`);
- both against the size of GoTo's JSON response, the baseline;
- the Python memory that each step of the call adds, measured apart in this process.

There is no bound: the script exits with 1 only when the call fails or returns a wrong count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import httpx
from mcp import Client
from pydantic import TypeAdapter
from support import compact_size, finish, machine_description, settings_for, write

from server.app import build_server
from server.models import Registrant, snake_case_keys
from server.sandbox import SANDBOX_ORGANIZER_KEY, SeedKeys
from tools.registrants import summarise

SCRIPT = Path(__file__).resolve()
LARGE_SANDBOX = SCRIPT.parent / "large_sandbox.py"
REGISTRANTS = 20_000
DEFAULT_LIMIT = 50
SMALL_TRAINING_KEY = str(SeedKeys.ONBOARDING)


def peak_rss_bytes() -> int:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


async def measure(sandbox: dict[str, Any]) -> dict[str, Any]:
    """Run in the measuring process: call list_registrants and return the figures."""
    settings = settings_for(sandbox["origin"], sandbox["access_token"])
    arguments = {"training_key": sandbox["training_key"]}
    async with Client(build_server(settings)) as client:
        warm_up = await client.call_tool("list_registrants", {"training_key": SMALL_TRAINING_KEY})
        if warm_up.is_error:
            raise RuntimeError(f"list_registrants failed: {warm_up.content[0].text}")

        before = peak_rss_bytes()
        started = time.perf_counter()
        result = await client.call_tool("list_registrants", arguments)
        seconds = time.perf_counter() - started
        after = peak_rss_bytes()

        tracemalloc.start()
        await client.call_tool("list_registrants", arguments)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    if result.is_error:
        raise RuntimeError(f"list_registrants failed: {result.content[0].text}")
    structured = result.structured_content or {}
    return {
        "rss_before": before,
        "rss_after": after,
        "traced_peak": traced_peak,
        "seconds": seconds,
        "total": structured.get("total"),
        "returned": structured.get("returned"),
        "result_bytes": compact_size(structured),
    }


def goto_response(sandbox: dict[str, Any]) -> bytes:
    """Return the body of GoTo's registrants response for the large training, as the server receives it."""
    url = (
        f"{sandbox['origin']}/G2T/rest/organizers/{SANDBOX_ORGANIZER_KEY}"
        f"/trainings/{sandbox['training_key']}/registrants"
    )
    response = httpx.get(url, headers={"Authorization": f"Bearer {sandbox['access_token']}"}, timeout=60)
    response.raise_for_status()
    return response.content


def allocation_steps(body: bytes) -> list[tuple[str, int]]:
    """Return the bytes of Python memory that each step of list_registrants adds and keeps, by tracemalloc.

    The steps are those of GoToClient.get_registrants and the tool: parse, rename keys, validate the
    models, then summarise every registrant before taking the requested slice.
    """
    steps: list[tuple[str, int]] = []
    tracemalloc.start()
    previous = tracemalloc.get_traced_memory()[0]

    def note(step: str) -> None:
        nonlocal previous
        current = tracemalloc.get_traced_memory()[0]
        steps.append((step, current - previous))
        previous = current

    parsed = json.loads(body)
    note("parsed JSON")
    renamed = snake_case_keys(parsed)
    note("copy with snake_case keys")
    registrants = TypeAdapter(list[Registrant]).validate_python(renamed)
    note(f"{len(registrants)} Registrant models")
    summaries = [summarise(registrant) for registrant in registrants]
    note(f"{len(summaries)} summaries")
    tracemalloc.stop()
    return steps


def run_measurement(sandbox: dict[str, Any]) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--measure"],
        input=json.dumps(sandbox),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


def main() -> int:
    server = subprocess.Popen(
        [sys.executable, str(LARGE_SANDBOX), "--registrants", str(REGISTRANTS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        sandbox = json.loads(server.stdout.readline())
        body = goto_response(sandbox)
        figures = run_measurement(sandbox)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=30)

    mib = 1024 * 1024
    raw_bytes = len(body)
    growth = figures["rss_after"] - figures["rss_before"]
    registrants = sandbox["registrants"]
    write(f"Memory of list_registrants on {registrants} registrants, limit {DEFAULT_LIMIT} ({machine_description()})")
    write(f"  GoTo's JSON response (baseline)        {raw_bytes / mib:6.1f} MiB")
    write(f"  peak RSS before the call               {figures['rss_before'] / mib:6.1f} MiB")
    write(f"  peak RSS after the call                {figures['rss_after'] / mib:6.1f} MiB")
    write(f"  growth of peak RSS                     {growth / mib:6.1f} MiB = {growth / raw_bytes:.1f} x the response")
    write(
        f"  peak of Python allocations (tracemalloc) {figures['traced_peak'] / mib:4.1f} MiB = "
        f"{figures['traced_peak'] / raw_bytes:.1f} x the response"
    )
    write("  Python memory each step adds, measured apart (tracemalloc):")
    for step, size in allocation_steps(body):
        write(f"    {step:<34} {size / mib:5.1f} MiB")
    write(
        f"  tool result {figures['result_bytes']} bytes: {figures['returned']} of {figures['total']} registrants, "
        f"call took {figures['seconds'] * 1000:.0f} ms"
    )

    missed = []
    if figures["total"] != sandbox["registrants"] or figures["returned"] != DEFAULT_LIMIT:
        missed.append(
            f"expected {DEFAULT_LIMIT} of {sandbox['registrants']}, got {figures['returned']} of {figures['total']}"
        )
    return finish(missed)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--measure", action="store_true", help="measure in this process; the sandbox comes as JSON on stdin"
    )
    if parser.parse_args().measure:
        sys.stdout.write(json.dumps(asyncio.run(measure(json.loads(sys.stdin.read())))) + "\n")
        sys.exit(0)
    sys.exit(main())
