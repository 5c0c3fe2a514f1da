"""Helpers shared by the benchmarks: sandbox settings, percentiles, JSON sizes, the machine, the report."""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from pathlib import Path
from typing import Any

from server.sandbox import SANDBOX_ACCOUNT_KEY, SANDBOX_ORGANIZER_KEY, Sandbox
from server.settings import Settings

REPOSITORY = Path(__file__).resolve().parents[1]

# Requests to the in-process sandbox never leave the process, because an ASGI transport handles them,
# so this loopback address is never opened. It only keeps any mistake on this machine.
IN_PROCESS_BASE_URL = "http://127.0.0.1:9"


def sandbox_settings(sandbox: Sandbox, **overrides: Any) -> Settings:
    """Return settings that reach the in-process sandbox with a token it issued (see `settings_for`)."""
    return settings_for(IN_PROCESS_BASE_URL, sandbox.issue_access_token(), **overrides)


def settings_for(base_url: str, access_token: str, **overrides: Any) -> Settings:
    """Return settings that reach a sandbox at `base_url` with `access_token`, so no sign-in request is sent.

    Every GoTo URL points at the sandbox, and the organizer and account keys are set, so no `/me`
    request is sent either.
    """
    values: dict[str, Any] = {
        "access_token": access_token,
        "client_id": None,
        "client_secret": None,
        "refresh_token": None,
        "personal_access_token": None,
        "token_file": None,
        "organizer_key": SANDBOX_ORGANIZER_KEY,
        "account_key": SANDBOX_ACCOUNT_KEY,
        "api_url": f"{base_url}/G2T/rest",
        "training_api_url": f"{base_url}/training/v1",
        "auth_url": base_url,
        "admin_api_url": f"{base_url}/admin/rest/v1",
        "log_level": "WARNING",
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `values`: the smallest value with `fraction` of them at or below it."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def compact_size(value: object) -> int:
    """Return the size in bytes of `value` as compact UTF-8 JSON, as a client sends it on."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def machine_description() -> str:
    """Describe this machine: CPU model, cores, Python version and operating system."""
    return f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "model name":
            return value.strip()
    return "unknown CPU"


def write(line: str = "") -> None:
    # A benchmark is a terminal program, so its report goes to stdout.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def finish(missed: list[str]) -> int:
    """Print each missed bound and return the exit code: 1 when any bound was missed, else 0."""
    for problem in missed:
        write(f"FAILED: {problem}")
    return 1 if missed else 0
