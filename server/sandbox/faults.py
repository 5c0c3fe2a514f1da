"""Fault injection for API requests: latency, rate limiting, 503 responses and dropped connections.

Faults apply to the API paths (legacy, training/v1 and admin), not to the OAuth endpoints. Failures queued
with `fail_next` or `drop_next` apply to API requests, or to any request whose path matches `path_regex`.
The random draws come from `random.Random` seeded with the configured seed, so runs repeat.
"""

from __future__ import annotations

import json
import logging
import math
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio
import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

from .config import SandboxConfig

logger = logging.getLogger(__name__)

API_PATH_PREFIXES = ("/G2T/rest/", "/training/v1/", "/admin/rest/v1/")

DropConnection = Callable[[Scope, Receive], Awaitable[None]]


async def raise_remote_protocol_error(scope: Scope, receive: Receive) -> None:
    """Drop a connection in-process: raise what httpx raises when a server closes without responding."""
    raise httpx.RemoteProtocolError("Server disconnected without sending a response.")


@dataclass
class QueuedFailure:
    """A failure for the next matching requests; `status` None drops the connection."""

    status: int | None
    body: Any
    headers: dict[str, str]
    remaining: int
    path_pattern: re.Pattern[str] | None

    def matches(self, path: str) -> bool:
        if self.path_pattern is None:
            return is_api_path(path)
        return self.path_pattern.search(path) is not None


def is_api_path(path: str) -> bool:
    return path.startswith(API_PATH_PREFIXES)


class FaultInjector:
    """ASGI middleware that injects the faults of a `SandboxConfig` and queued failures before the app."""

    def __init__(self, app: ASGIApp, config: SandboxConfig, next_incident: Callable[[], int]) -> None:
        self.app = app
        self.config = config
        self.next_incident = next_incident
        self.drop_connection: DropConnection = raise_remote_protocol_error
        """How a connection is dropped; serving over HTTP replaces it with one that closes the socket."""
        self.queued: list[QueuedFailure] = []
        self._rng = random.Random(f"sandbox-faults:{config.seed}")
        self._bucket_capacity = max(1.0, config.rate_limit_per_second or 1.0)
        self._bucket_tokens = self._bucket_capacity
        self._bucket_time: datetime | None = None

    def queue(self, failure: QueuedFailure) -> None:
        self.queued.append(failure)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        queued = self._take_queued(path)
        api = is_api_path(path)

        if api and self.config.latency_seconds > 0:
            await anyio.sleep(self.config.latency_seconds)
        if queued is not None:
            await self._answer_queued(queued, scope, receive, send)
            return
        if not api:
            await self.app(scope, receive, send)
            return

        wait_seconds = self._take_rate_token()
        if wait_seconds is not None:
            await self._answer_rate_limited(wait_seconds, send)
            return
        draw = self._rng.random() if self.config.drop_share or self.config.unavailable_share else 1.0
        if draw < self.config.drop_share:
            logger.debug("Dropping the connection of %s %s", scope["method"], path)
            await self.drop_connection(scope, receive)
            return
        if draw < self.config.drop_share + self.config.unavailable_share:
            await self._send_json(
                send, 503, self._error_body("ServiceUnavailable", "The service is unavailable. Retry later.")
            )
            return
        await self.app(scope, receive, send)

    def _take_queued(self, path: str) -> QueuedFailure | None:
        for failure in self.queued:
            if failure.matches(path):
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self.queued.remove(failure)
                return failure
        return None

    async def _answer_queued(self, failure: QueuedFailure, scope: Scope, receive: Receive, send: Send) -> None:
        if failure.status is None:
            logger.debug("Dropping the connection of %s %s as queued", scope["method"], scope["path"])
            await self.drop_connection(scope, receive)
            return
        await self._send_json(send, failure.status, failure.body, failure.headers)

    def _take_rate_token(self) -> float | None:
        """Take a token from the bucket, or return the seconds until one is available."""
        rate = self.config.rate_limit_per_second
        if rate is None:
            return None
        now = self.config.clock()
        if self._bucket_time is not None:
            elapsed = max(0.0, (now - self._bucket_time).total_seconds())
            self._bucket_tokens = min(self._bucket_capacity, self._bucket_tokens + elapsed * rate)
        self._bucket_time = now
        if self._bucket_tokens >= 1.0:
            self._bucket_tokens -= 1.0
            return None
        return (1.0 - self._bucket_tokens) / rate

    async def _answer_rate_limited(self, wait_seconds: float, send: Send) -> None:
        headers = {}
        if self.config.rate_limit_retry_after:
            headers["Retry-After"] = str(max(1, math.ceil(wait_seconds)))
        body = self._error_body(
            "TooManyRequests", f"Rate limit of {self.config.rate_limit_per_second} requests per second exceeded."
        )
        await self._send_json(send, 429, body, headers)

    def _error_body(self, code: str, description: str) -> dict[str, Any]:
        return {"errorCode": code, "description": description, "incident": self.next_incident()}

    @staticmethod
    async def _send_json(send: Send, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        """Send `body` as JSON; bytes are sent as they are and None sends no body."""
        raw_headers = []
        if isinstance(body, bytes):
            content = body
        elif body is None:
            content = b""
        else:
            content = json.dumps(body).encode()
            raw_headers.append((b"content-type", b"application/json"))
        raw_headers.append((b"content-length", str(len(content)).encode()))
        raw_headers += [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (headers or {}).items()
        ]
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": content})
