"""Clock checks on token responses.

A computer clock far from the real time breaks sign-in in confusing ways: certificates look
invalid, and tokens look expired the moment they arrive. These checks turn that into a
message that names the clock.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

MAX_CLOCK_SKEW_SECONDS = 300
SET_THE_CLOCK = "Set this computer's clock right (turn on automatic date and time), then try again."


def clock_skew_seconds(response: httpx.Response, now: float) -> float | None:
    """Return how far `now` is ahead of the response's `Date` header (negative when behind), or None."""
    header = response.headers.get("date")
    if not header:
        return None
    try:
        server_time = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if server_time.tzinfo is None:
        server_time = server_time.replace(tzinfo=UTC)
    return now - server_time.timestamp()


def clock_warning(response: httpx.Response, access_token: str, now: float) -> str | None:
    """Describe a clock far off from the token endpoint's, or None when the clock looks right.

    Two signs count: the `Date` header more than MAX_CLOCK_SKEW_SECONDS away, or a JWT access
    token whose `exp` claim is already past by this clock.
    """
    skew = clock_skew_seconds(response, now)
    if skew is not None and abs(skew) > MAX_CLOCK_SKEW_SECONDS:
        direction = "ahead of" if skew > 0 else "behind"
        return (
            f"This computer's clock is {_describe_duration(abs(skew))} {direction} the clock of the GoTo token "
            f"endpoint ({_utc(now)} here, {response.headers['date']} there). {SET_THE_CLOCK}"
        )

    expiry = jwt_expiry(access_token)
    if expiry is not None and expiry <= now:
        return (
            f"The new access token says it expired at {_utc(expiry)}, but this computer's clock shows {_utc(now)}: "
            f"the clock is probably wrong. {SET_THE_CLOCK}"
        )
    return None


def expired_on_arrival_message(expires_in: float) -> str:
    return (
        f"The GoTo token endpoint sent an access token that had already expired (expires_in {expires_in:g} s). "
        f"{SET_THE_CLOCK} If the clock is right, try again later."
    )


def jwt_expiry(token: str) -> float | None:
    """Return the `exp` claim of a JWT, unverified, or None when the token is not a JWT with one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    expiry = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(expiry, bool) or not isinstance(expiry, int | float):
        return None
    return float(expiry)


def _utc(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _describe_duration(seconds: float) -> str:
    if seconds >= 2 * 3600:
        return f"about {seconds / 3600:.0f} hours"
    return f"about {seconds / 60:.0f} minutes"
