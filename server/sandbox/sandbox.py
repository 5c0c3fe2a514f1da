"""One sandbox instance: seeded state, tokens, the ASGI app, the request log and test controls."""

from __future__ import annotations

import random
import re
from typing import Any

import httpx

from .app import build_app
from .config import SANDBOX_ORGANIZER_KEY, SandboxConfig
from .context import ApiContext
from .faults import FaultInjector, QueuedFailure
from .oauth import OAUTH_TOKEN_PATH
from .request_log import RecordedRequest, RequestLog
from .seed import build_state
from .state import SandboxState
from .tokens import TokenStore


class Sandbox:
    """A local stand-in for GoTo Training, its OAuth host and the Admin API `me` endpoint.

    `app` is the ASGI app. Use `transport()` with `httpx.AsyncClient` to call it in-process, or
    `server.sandbox.http` to serve it on a loopback port.
    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.state: SandboxState = build_state(self.config.seed, self.config.clock())
        self.tokens = TokenStore(int(SANDBOX_ORGANIZER_KEY))
        self.requests: list[RecordedRequest] = []
        """Every request received, in arrival order."""
        self._context = ApiContext(
            config=self.config,
            state=self.state,
            tokens=self.tokens,
            incidents=random.Random(f"sandbox-incidents:{self.config.seed}"),
        )
        self.faults = FaultInjector(build_app(self._context), self.config, self._context.next_incident)
        self.app = RequestLog(self.faults, self.requests, self.config.clock)

    @property
    def token_requests(self) -> list[RecordedRequest]:
        """The requests to the OAuth token endpoint."""
        return [record for record in self.requests if record.path == OAUTH_TOKEN_PATH]

    def transport(self) -> httpx.ASGITransport:
        """Return a transport that sends requests straight to the app, with no socket."""
        return httpx.ASGITransport(app=self.app)

    def requests_matching(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Return the recorded requests with this method ("*" for any) whose path matches (`re.search`)."""
        pattern = re.compile(path_regex)
        return [
            record
            for record in self.requests
            if (method == "*" or record.method == method.upper()) and pattern.search(record.path)
        ]

    def count(self, method: str, path_regex: str) -> int:
        """Count the recorded requests with this method ("*" for any) whose path matches (`re.search`)."""
        return len(self.requests_matching(method, path_regex))

    def clear_requests(self) -> None:
        self.requests.clear()

    def issue_access_token(self, organizer_key: int | None = None) -> str:
        """Issue a valid access token without an OAuth round trip, for the signed-in organizer by default."""
        key = int(SANDBOX_ORGANIZER_KEY) if organizer_key is None else organizer_key
        return self.tokens.issue_access_token(key, self.config.clock(), self.config.token_lifetime_seconds)

    def expire_access_tokens(self) -> None:
        """Expire every access token issued so far; the next API call with one gets 403 InvalidToken."""
        self.tokens.expire_access_tokens(self.config.clock())

    def fail_next(
        self,
        status: int,
        body: Any = None,
        count: int = 1,
        path_regex: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Respond to the next `count` matching requests with `status` and `body` instead of the real response.

        `body` is sent as JSON, or as it is when it is bytes. With no `path_regex` the failure applies to
        API requests only; with one, to any request whose path matches it (`re.search`), OAuth included.
        """
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        pattern = re.compile(path_regex) if path_regex is not None else None
        self.faults.queue(QueuedFailure(status, body, dict(headers or {}), count, pattern))

    def drop_next(self, count: int = 1, path_regex: str | None = None) -> None:
        """Close the connection of the next `count` matching requests without a response (see `fail_next`)."""
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        pattern = re.compile(path_regex) if path_regex is not None else None
        self.faults.queue(QueuedFailure(None, None, {}, count, pattern))
