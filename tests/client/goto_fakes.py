"""Fake GoTo hosts, credentials, clock and sleep shared by the client tests.

Every host is on loopback, so a request that respx fails to intercept still cannot leave
this machine. Each secret is a distinctive string, so the log check in conftest.py can
find it in any captured record.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from pathlib import Path
from typing import Any

import httpx

from server.auth import GoToAuth, TokenManager
from server.client import GoToClient
from server.http import Sender
from server.settings import Settings

API_URL = "http://127.0.0.1:18401/G2T/rest"
TRAINING_API_URL = "http://127.0.0.1:18401/training/v1"
ADMIN_API_URL = "http://127.0.0.1:18401/admin/rest/v1"
AUTH_URL = "http://127.0.0.1:18402"
TOKEN_URL = AUTH_URL + "/oauth/token"

CLIENT_ID = "test-oauth-client-id"
CLIENT_SECRET = "client-secret-Vq93-never-logged"
REFRESH_TOKEN = "refresh-token-Rk17-never-logged"
ROTATED_REFRESH_TOKEN = "refresh-token-Rk18-rotated-never-logged"
ACCESS_TOKEN = "access-token-At01-never-logged"
NEW_ACCESS_TOKEN = "access-token-At02-never-logged"
NEWER_ACCESS_TOKEN = "access-token-At03-never-logged"
PERSONAL_ACCESS_TOKEN = "personal-access-token-Pt55-never-logged"
STALE_REFRESH_TOKEN = "refresh-token-Rk09-stale-never-logged"

SECRETS = (
    CLIENT_SECRET,
    REFRESH_TOKEN,
    ROTATED_REFRESH_TOKEN,
    ACCESS_TOKEN,
    NEW_ACCESS_TOKEN,
    NEWER_ACCESS_TOKEN,
    PERSONAL_ACCESS_TOKEN,
    STALE_REFRESH_TOKEN,
)

ORGANIZER_KEY = "7301234567890123456"
ACCOUNT_KEY = "4401234567890"
TRAINING_KEY = "9007199254740993"  # 2**53 + 1: a float would round it to ...992
ORGANIZER_URL = f"{API_URL}/organizers/{ORGANIZER_KEY}"

START_TIME = 1_800_000_000.0  # 2027-01-15T08:00:00Z

# Basic client authentication of the token endpoint, worked out by hand from the fake client.
BASIC_CLIENT_AUTH = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()


class FakeClock:
    """A Unix clock that moves only when a test moves it."""

    def __init__(self, now: float = START_TIME) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeSleep:
    """Records each requested delay instead of waiting, and moves the clock by it."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.advance(seconds)


def make_settings(**overrides: Any) -> Settings:
    """Build settings on the loopback hosts, signed in with an access token that refreshes."""
    values: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
        "access_token": ACCESS_TOKEN,
        "personal_access_token": None,
        "token_file": None,
        "organizer_key": ORGANIZER_KEY,
        "account_key": ACCOUNT_KEY,
        "api_url": API_URL,
        "training_api_url": TRAINING_API_URL,
        "auth_url": AUTH_URL,
        "admin_api_url": ADMIN_API_URL,
        "max_retries": 3,
        "retry_max_wait_seconds": 30.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def make_client(
    settings: Settings,
    http: httpx.AsyncClient,
    *,
    clock: FakeClock | None = None,
    sleep: FakeSleep | None = None,
) -> GoToClient:
    """Build a GoToClient whose token manager and sender use the fake clock and sleep."""
    clock = clock or FakeClock()
    sleep = sleep or FakeSleep(clock)
    tokens = TokenManager(settings, http, clock=clock)
    sender = Sender(
        http,
        GoToAuth(tokens),
        max_retries=settings.max_retries,
        max_wait_seconds=settings.retry_max_wait_seconds,
        # High enough that the real-time rate limiter inside Sender never waits in a test.
        rate_per_second=1000.0,
        sleep=sleep,
        rng=random.Random(0),
        clock=clock,
    )
    return GoToClient(settings, http, tokens=tokens, sender=sender)


def token_response(
    access_token: str = NEW_ACCESS_TOKEN,
    *,
    refresh_token: str | None = None,
    expires_in: int | str = 3600,
    **extra: Any,
) -> httpx.Response:
    """Build a 200 response of the token endpoint, with a refresh token only when given."""
    body: dict[str, Any] = {"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in}
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    body.update(extra)
    return httpx.Response(200, json=body)


def refresh_form(refresh_token: str) -> bytes:
    """Return the form body of a refresh_token grant (the fake tokens need no URL escaping)."""
    return f"grant_type=refresh_token&refresh_token={refresh_token}".encode()


def source_fingerprint(secret: str) -> str:
    """Work out the token file's `source` for an environment credential: a cut SHA-256 digest."""
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()[:16]


def write_token_file(path: Path, **fields: Any) -> None:
    """Write a token file in format 1, with null for every field not given."""
    names = ("access_token", "expires_at", "refresh_token", "organizer_key", "account_key", "email", "source")
    data = {"format": 1} | {name: fields.get(name) for name in names}
    path.write_text(json.dumps(data), encoding="utf-8")
