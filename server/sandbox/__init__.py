"""A local GoTo Training sandbox: the Training API, OAuth and Admin `me` endpoints with seeded demo data.

Use `Sandbox().transport()` with httpx in-process, or `server.sandbox.http.serve` to serve it on a
loopback port. `SandboxConfig` injects faults (latency, rate limits, 503 responses, dropped connections).
"""

from .config import (
    SANDBOX_ACCOUNT_KEY,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ORGANIZER_KEY,
    SANDBOX_PERSONAL_ACCESS_TOKEN,
    SANDBOX_REFRESH_TOKEN,
    SandboxConfig,
)
from .request_log import RecordedRequest
from .sandbox import Sandbox
from .seed import SeedKeys
from .urls import SandboxUrls

__all__ = [
    "SANDBOX_ACCOUNT_KEY",
    "SANDBOX_CLIENT_ID",
    "SANDBOX_CLIENT_SECRET",
    "SANDBOX_ORGANIZER_KEY",
    "SANDBOX_PERSONAL_ACCESS_TOKEN",
    "SANDBOX_REFRESH_TOKEN",
    "RecordedRequest",
    "Sandbox",
    "SandboxConfig",
    "SandboxUrls",
    "SeedKeys",
]
