"""Record every request a sandbox receives, so tests can assert what was called and how often."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    """Query parameters; for a repeated name the last value."""
    query_string: str
    headers: dict[str, str]
    """Request headers with lower-case names; a repeated header keeps its last value."""
    body: Any
    """The parsed JSON body, or None when the body is empty or not JSON."""
    form: dict[str, str] | None
    """The parsed form body (token requests), or None."""
    time: datetime
    """Arrival time by the sandbox clock."""
    status: int | None = None
    """Response status; None while in progress or when the connection was dropped."""


class RequestLog:
    """ASGI middleware that appends a `RecordedRequest` to `records` for each HTTP request."""

    def __init__(self, app: ASGIApp, records: list[RecordedRequest], clock: Callable[[], datetime]) -> None:
        self.app = app
        self.records = records
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        body = await _read_body(receive)
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        query_string = scope["query_string"].decode("latin-1")
        record = RecordedRequest(
            method=scope["method"],
            path=scope["path"],
            query=dict(parse_qsl(query_string, keep_blank_values=True)),
            query_string=query_string,
            headers=headers,
            body=_parse_json(body),
            form=_parse_form(body, headers.get("content-type", "")),
            time=self.clock(),
        )
        self.records.append(record)

        body_sent = False

        async def replay_body() -> Message:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def record_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        await self.app(scope, replay_body, record_status)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _parse_json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _parse_form(body: bytes, content_type: str) -> dict[str, str] | None:
    if not content_type.lower().startswith("application/x-www-form-urlencoded"):
        return None
    try:
        return {name: values[-1] for name, values in parse_qs(body.decode(), keep_blank_values=True).items()}
    except UnicodeDecodeError:
        return None
