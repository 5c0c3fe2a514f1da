"""Sending one GoTo request: rate limit, auth, retries with backoff, and error mapping.

Retry rules:
- 429 is retried for every request, because GoTo refused it before doing anything.
- Connection failures that happen before the request is sent (connect errors and
  timeouts, pool timeouts) are retried for every request.
- 502, 503, 504, read timeouts and dropped connections are retried only for requests
  that are safe to repeat (GET, PUT, DELETE and read-only POSTs). A POST that creates
  something may have reached GoTo, and a duplicate training is worse than an error.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from server.errors import (
    GoToConnectionError,
    GoToTimeoutError,
    RequestContext,
    api_error,
    parse_error_body,
)
from server.ratelimit import RateLimiter

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 8.0
RETRY_AFTER_SPREAD_SECONDS = 0.5

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def backoff_delay(attempt: int, rng: random.Random) -> float:
    """Return a full-jitter exponential delay for retry number `attempt` (from 0)."""
    ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)
    return rng.uniform(0, ceiling)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Read a `Retry-After` header given in seconds or as an HTTP date; None when absent or invalid."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


def decode_json(response: httpx.Response) -> Any:
    """Parse a GoTo body; a 204 or an empty body gives None. Integers are parsed exactly."""
    if response.status_code == 204 or not response.content.strip():
        return None
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise GoToConnectionError(
            f"GoTo responded to {response.request.method} {response.request.url.path} with a body that is not JSON "
            f"(HTTP {response.status_code}); try again later."
        ) from exc


class Sender:
    """Sends requests through the shared client with the auth flow, rate limits and retries."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        auth: httpx.Auth,
        *,
        max_retries: int,
        max_wait_seconds: float,
        rate_per_second: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._auth = auth
        self._max_retries = max_retries
        self._max_wait = max_wait_seconds
        self._rate = rate_per_second
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._clock = clock
        self._limiters: dict[str, RateLimiter] = {}

    def _limiter_for(self, url: httpx.URL) -> RateLimiter:
        # GoTo limits each API separately; the host and first path segment name the API.
        api = f"{url.host}/{url.path.strip('/').split('/')[0]}"
        limiter = self._limiters.get(api)
        if limiter is None:
            limiter = self._limiters[api] = RateLimiter(self._rate, sleep=self._sleep)
        return limiter

    async def send(
        self,
        method: str,
        url: str,
        context: RequestContext,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        repeatable: bool | None = None,
    ) -> httpx.Response:
        """Send one request and return its 2xx or 3xx response; raise a GoToError otherwise.

        `repeatable` says whether the request may be sent again after it may have reached
        GoTo; by default GET, PUT and DELETE are and POST is not.
        """
        if repeatable is None:
            repeatable = method in {"GET", "PUT", "DELETE", "HEAD"}
        waited = 0.0
        attempt = 0
        while True:
            request = self._http.build_request(method, url, params=params, json=json_body)
            await self._limiter_for(request.url).acquire()
            try:
                response = await self._http.send(request, auth=self._auth, follow_redirects=False)
            except httpx.TransportError as exc:
                never_sent = isinstance(exc, _NOT_SENT)
                retryable = never_sent or repeatable
                failure: Exception = self._transport_error(
                    exc, context, may_have_applied=not never_sent and not repeatable
                )
                failure.__cause__ = exc
                retry_after = None
            else:
                if response.status_code < 400:
                    return response
                retryable = response.status_code == 429 or (response.status_code in RETRY_STATUSES and repeatable)
                retry_after = parse_retry_after(response.headers.get("Retry-After"), self._clock())
                failure = api_error(response.status_code, parse_error_body(response.text), context, retry_after)
                if not retryable:
                    raise failure

            if retry_after is not None:
                # Requests refused together would otherwise all come back at the same instant.
                delay = retry_after + self._rng.uniform(0, RETRY_AFTER_SPREAD_SECONDS)
            else:
                delay = backoff_delay(attempt, self._rng)
            if not retryable or attempt >= self._max_retries or waited + delay > self._max_wait:
                raise failure
            attempt += 1
            waited += delay
            logger.info(
                "Retrying %s %s in %.2fs (retry %d of %d): %s",
                method,
                request.url.path,
                delay,
                attempt,
                self._max_retries,
                type(failure).__name__,
            )
            await self._sleep(delay)

    @staticmethod
    def _transport_error(exc: httpx.TransportError, context: RequestContext, *, may_have_applied: bool) -> Exception:
        keys = context.describe_keys()
        where = f"{context.operation}" + (f" for {keys}" if keys else "")
        if may_have_applied:
            # A create that may have reached GoTo: a blind retry could create it twice.
            advice = "GoTo may have done it anyway: list what exists before trying again, so nothing is created twice."
        elif isinstance(exc, httpx.TimeoutException):
            advice = "Try again; raise GOTO_TIMEOUT_SECONDS if this keeps happening."
        else:
            advice = "Check the network and try again."
        if isinstance(exc, httpx.TimeoutException):
            return GoToTimeoutError(
                f"The request to GoTo timed out ({type(exc).__name__}) while trying to {where}. {advice}"
            )
        return GoToConnectionError(
            f"The connection to GoTo failed ({type(exc).__name__}) while trying to {where}. {advice}"
        )
