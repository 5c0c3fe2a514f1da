"""Helpers for tests that start the server or the sandbox as a process listening on 127.0.0.1."""

import socket
import subprocess
import sys
import time
from pathlib import Path

COMMAND = str(Path(sys.executable).parent / "goto-training-mcp")
START_TIMEOUT_SECONDS = 15


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    """Wait until `process` listens on 127.0.0.1:`port`; fail if it exits or takes too long."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process exited early with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listened on 127.0.0.1:{port} within {START_TIMEOUT_SECONDS} s")
