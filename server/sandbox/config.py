"""Settings of one sandbox instance and the credentials it accepts."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

SANDBOX_CLIENT_ID = "sandbox-client"
SANDBOX_CLIENT_SECRET = "sandbox-secret"
SANDBOX_REFRESH_TOKEN = "sandbox-refresh-token"
SANDBOX_PERSONAL_ACCESS_TOKEN = "sandbox-personal-access-token"

# The organizer that every sandbox credential signs in as, and its account.
# Both keys are above 2**53, like real GoTo keys, to catch lossy JSON parsing.
SANDBOX_ORGANIZER_KEY = "8439885694023999999"
SANDBOX_ACCOUNT_KEY = "9123372036854770001"


def utc_now() -> datetime:
    """Return the current time in UTC, the default sandbox clock."""
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class SandboxConfig:
    """Behaviour of one sandbox instance. The defaults are faithful and fast: no faults."""

    latency_seconds: float = 0.0
    """Delay added to every API request, in seconds."""

    token_lifetime_seconds: int = 3600
    """Lifetime of issued access tokens in seconds, sent as `expires_in` and enforced."""

    rate_limit_per_second: float | None = None
    """Maximum API requests per second before responding 429, or None for no limit."""

    rate_limit_retry_after: bool = True
    """Whether a 429 response carries a `Retry-After` header (whole seconds)."""

    unavailable_share: float = 0.0
    """Share of API requests that get a 503 response, from 0.0 to 1.0."""

    drop_share: float = 0.0
    """Share of API requests whose connection is closed without a response, from 0.0 to 1.0."""

    rotate_refresh_tokens: bool = False
    """Whether the refresh_token grant returns a new refresh token and invalidates the old one."""

    token_response_has_organizer_key: bool = True
    """Whether token responses carry `organizer_key` and `account_key`, as older GoTo responses did."""

    seed: int = 7
    """Seed of the demo data and of the random fault draws, so runs repeat."""

    now: Callable[[], datetime] | None = None
    """Clock returning an aware UTC datetime; None means the real time."""

    def __post_init__(self) -> None:
        if not math.isfinite(self.latency_seconds) or self.latency_seconds < 0:
            raise ValueError(f"latency_seconds must be 0 or more, got {self.latency_seconds!r}")
        if self.token_lifetime_seconds <= 0:
            raise ValueError(f"token_lifetime_seconds must be positive, got {self.token_lifetime_seconds!r}")
        if self.rate_limit_per_second is not None and not self.rate_limit_per_second > 0:
            raise ValueError(f"rate_limit_per_second must be positive or None, got {self.rate_limit_per_second!r}")
        for name in ("unavailable_share", "drop_share"):
            share = getattr(self, name)
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"{name} must be between 0.0 and 1.0, got {share!r}")
        if self.unavailable_share + self.drop_share > 1.0:
            raise ValueError(
                "unavailable_share + drop_share must not exceed 1.0, "
                f"got {self.unavailable_share!r} + {self.drop_share!r}"
            )

    def clock(self) -> datetime:
        """Return the current time from the configured clock, as an aware UTC datetime."""
        current = (self.now or utc_now)()
        if current.tzinfo is None:
            raise ValueError(f"the sandbox clock must return an aware datetime, got {current!r}")
        return current.astimezone(UTC)
