"""Settings and the secret scan shared by the reliability tests.

The server signs in to the in-process sandbox with the sandbox's OAuth client and a refresh token or
personal access token, so every credential the scan looks for is really in use.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

from mcp_types import CallToolResult

from server.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PERSONAL_ACCESS_TOKEN,
    SANDBOX_REFRESH_TOKEN,
    Sandbox,
)
from server.settings import Settings

# Requests go to the in-process sandbox through its transport, so this loopback address is never opened.
SANDBOX_BASE_URL = "http://127.0.0.1:9"

# Fast enough that no test waits on the client's token bucket; GoTo's own limit of 10 a second
# would only make the tests slower.
TEST_RATE_PER_SECOND = 1000.0

# What server.logs.SecretFilter writes in place of a secret. Seeing it means a secret reached the log
# and only the filter's second line of defence kept it out.
SECRET_MASK = "[redacted]"

LOGGERS = ("", "httpx", "httpcore", "mcp", "server", "tools")
"""The root logger and every logger the server's stack uses, set to DEBUG for the scan."""

Credential = Literal["refresh_token", "personal_access_token"]


def signed_in_settings(credential: Credential, **overrides: Any) -> Settings:
    """Return settings that sign in to the sandbox with its OAuth client and `credential`.

    The organizer and account keys come from the token response, and every GoTo URL points at the
    in-process sandbox. The client's rate limit is TEST_RATE_PER_SECOND.
    """
    values: dict[str, Any] = {
        "client_id": SANDBOX_CLIENT_ID,
        "client_secret": SANDBOX_CLIENT_SECRET,
        "refresh_token": SANDBOX_REFRESH_TOKEN if credential == "refresh_token" else None,
        "personal_access_token": SANDBOX_PERSONAL_ACCESS_TOKEN if credential == "personal_access_token" else None,
        "access_token": None,
        "token_file": None,
        "organizer_key": None,
        "account_key": None,
        "api_url": f"{SANDBOX_BASE_URL}/G2T/rest",
        "training_api_url": f"{SANDBOX_BASE_URL}/training/v1",
        "auth_url": SANDBOX_BASE_URL,
        "admin_api_url": f"{SANDBOX_BASE_URL}/admin/rest/v1",
        "rate_limit_per_second": TEST_RATE_PER_SECOND,
        "log_level": "DEBUG",
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


def capture_debug_logs(caplog: Any) -> None:
    """Capture every log record at DEBUG, including httpx's, which the server's logging setup quiets."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)


class SecretScan:
    """Collects the texts a test's calls returned, then looks for credentials in them and in the log."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def add_result(self, result: CallToolResult) -> None:
        for block in result.content:
            text = getattr(block, "text", None)
            if text is not None:
                self.texts.append(text)
        if result.structured_content is not None:
            self.texts.append(json.dumps(result.structured_content, ensure_ascii=False))

    def add_text(self, text: str) -> None:
        self.texts.append(text)

    def leaks(self, sandbox: Sandbox, records: list[logging.LogRecord]) -> list[str]:
        """Return one line per log line or text that contains a credential of `sandbox` or the mask."""
        secrets = credentials(sandbox)
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        lines = [formatter.format(record) for record in records] + self.texts
        found = []
        for line in lines:
            for name, secret in [*secrets, ("the secret mask", SECRET_MASK)]:
                if secret in line:
                    found.append(f"{name} in {line[:300]!r}")
        return found


def credentials(sandbox: Sandbox) -> list[tuple[str, str]]:
    """Return (name, value) of the OAuth client secret and every token the sandbox accepts or issued."""
    named = [
        ("the client secret", SANDBOX_CLIENT_SECRET),
        ("the refresh token", SANDBOX_REFRESH_TOKEN),
        ("the personal access token", SANDBOX_PERSONAL_ACCESS_TOKEN),
    ]
    named += [("an access token", token) for token in sandbox.tokens.access_tokens]
    named += [("a refresh token", token) for token in sandbox.tokens.refresh_tokens]
    return named
