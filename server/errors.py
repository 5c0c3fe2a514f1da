"""Errors of the GoTo client, keyed by cause.

    GoToError
    ├── AuthError                 no usable credentials, or the OAuth server rejected them
    ├── TokenStoreError           the token file could not be read or written
    ├── GoToAPIError              GoTo responded with an error status
    │   ├── InvalidRequestError   400 (and 422)
    │   ├── PermissionDeniedError 403 other than an invalid token
    │   ├── NotFoundError         404
    │   ├── ConflictError         409, such as DuplicateRegistrant
    │   ├── RateLimitedError      429 after the retries ran out
    │   └── UpstreamUnavailableError 5xx after the retries ran out
    ├── GoToTimeoutError          no answer within GOTO_TIMEOUT_SECONDS
    └── GoToConnectionError       no connection, or the connection dropped

Every error renders one message: what failed, on which key, and what to do next.
Invalid keys raise `server.keys.InvalidKeyError` (a ValueError) before any request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

MAX_RAW_BODY_CHARS = 300

# The tool that lists valid values of each key, for when GoTo reports one as not found.
_KEY_HINTS = {
    "training_key": "Call list_trainings to see valid keys; completed trainings are not listed there, "
    "but list_sessions_in_date_range finds their sessions.",
    "registrant_key": "Call list_registrants to see valid keys.",
    "session_key": "Call list_training_sessions or list_sessions_in_date_range to see valid keys.",
    "recording_id": "Call list_recordings to see valid ids.",
    "organizer_key": "Call get_current_organizer to see the organizer this server acts as.",
    "account_key": "Call get_current_organizer to see the account key.",
}

# GoTo error codes that name which key was not found.
_CODE_KEYS = {"NoSuchTraining": "training_key", "NoSuchRegistrant": "registrant_key", "NoSuchSession": "session_key"}


@dataclass(frozen=True)
class RequestContext:
    """What the client was doing when an error happened: the operation and its path keys."""

    operation: str
    keys: dict[str, str] = field(default_factory=dict)

    def describe_keys(self) -> str:
        return ", ".join(f"{name} {value!r}" for name, value in self.keys.items())


class GoToError(Exception):
    """Base of every error raised by the GoTo client."""


class AuthError(GoToError):
    """The server has no usable credentials, or GoTo's OAuth server rejected them."""


class TokenStoreError(GoToError):
    """The token file could not be read or written."""


class GoToTimeoutError(GoToError):
    """GoTo did not answer within the configured timeout."""


class GoToConnectionError(GoToError):
    """GoTo could not be reached, or the connection dropped before an answer."""


@dataclass(frozen=True)
class ErrorBody:
    """The parts of a GoTo error body, whichever of its shapes was sent."""

    error_code: str | None = None
    description: str | None = None
    incident: str | None = None
    raw: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def parse_error_body(text: str) -> ErrorBody:
    """Parse the Training shape (`errorCode`, `description`, `incident`), the gateway shape
    (`int_err_code`, `msg`), the OAuth shape (`error`, `error_description`) and `message`;
    anything else is kept as raw text, cut to MAX_RAW_BODY_CHARS."""
    raw = text.strip()
    if len(raw) > MAX_RAW_BODY_CHARS:
        raw = raw[:MAX_RAW_BODY_CHARS] + "..."
    try:
        data = json.loads(text) if text.strip() else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return ErrorBody(raw=raw)

    code = _first_text(data, "errorCode", "int_err_code", "error", "code")
    description = _first_text(data, "description", "msg", "error_description", "message", "errorMessage")
    incident = data.get("incident")
    known = {
        "errorCode",
        "int_err_code",
        "error",
        "code",
        "description",
        "msg",
        "error_description",
        "message",
        "errorMessage",
        "incident",
    }
    extra = {name: value for name, value in data.items() if name not in known}
    return ErrorBody(
        error_code=code,
        description=description,
        incident=None if incident is None else str(incident),
        raw=raw,
        extra=extra,
    )


def _first_text(data: dict[str, object], *names: str) -> str | None:
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


class GoToAPIError(GoToError):
    """GoTo responded with an error status; carries the status and the parsed body."""

    def __init__(self, status: int, body: ErrorBody, context: RequestContext) -> None:
        self.status = status
        self.body = body
        self.context = context
        super().__init__(self.render())

    @property
    def error_code(self) -> str | None:
        return self.body.error_code

    @property
    def description(self) -> str | None:
        return self.body.description

    @property
    def incident(self) -> str | None:
        return self.body.incident

    def render(self) -> str:
        return f"{self.headline()} {self.gotos_words()}{self.next_step()}".strip()

    def headline(self) -> str:
        keys = self.context.describe_keys()
        on_keys = f" for {keys}" if keys else ""
        return f"{self.context.operation.capitalize()} failed{on_keys}: GoTo responded with HTTP {self.status}."

    def gotos_words(self) -> str:
        parts = []
        if self.body.error_code:
            parts.append(self.body.error_code)
        if self.body.description:
            parts.append(self.body.description)
        text = ": ".join(parts) if parts else self.body.raw
        if text.endswith(".") and not text.endswith("..."):
            # GoTo's sentence gets the period added below; a cut raw body keeps its "...".
            text = text[:-1]
        if not text:
            return ""
        incident = f" (incident {self.body.incident})" if self.body.incident else ""
        return f"GoTo said: {text}{incident}. "

    def next_step(self) -> str:
        return "Check the arguments against the tool's description and try again."


class InvalidRequestError(GoToAPIError):
    """GoTo rejected the request as invalid (400)."""

    def next_step(self) -> str:
        if self.body.error_code == "InvalidTrainingDatesMaxDuration":
            return "Each session may last at most 24 hours: split longer sessions."
        if self.body.error_code == "OrganizerOverlap":
            return "The organizer already has a training at that time: pick other times, or list_trainings to see it."
        if self.body.error_code in {"TrainingOver", "TrainingInSession"}:
            return "This training can no longer be changed this way."
        return "Fix the value GoTo names and call again; nothing was changed."


class PermissionDeniedError(GoToAPIError):
    """GoTo refused the request for this organizer or account (403, not a token problem)."""

    def next_step(self) -> str:
        return (
            "The signed-in organizer may not do this: check the organizer_key (get_current_organizer), "
            "that the account allows co-organizers, and that the OAuth client has the collab: scope."
        )


class NotFoundError(GoToAPIError):
    """GoTo has nothing under the key that was sent (404)."""

    @property
    def missing_key(self) -> str | None:
        by_code = _CODE_KEYS.get(self.body.error_code or "")
        if by_code and by_code in self.context.keys:
            return by_code
        names = [name for name in self.context.keys if name != "organizer_key"]
        return names[-1] if names else next(iter(self.context.keys), None)

    def headline(self) -> str:
        missing = self.missing_key
        if missing is None:
            return f"{self.context.operation.capitalize()} failed: GoTo responded with HTTP 404 (not found)."
        value = self.context.keys[missing]
        organizer = self.context.keys.get("organizer_key")
        owner = f" for organizer_key {organizer!r}" if organizer and missing != "organizer_key" else ""
        return f"{missing} {value!r} was not found{owner}."

    def next_step(self) -> str:
        return _KEY_HINTS.get(self.missing_key or "", "Check the keys and try again.")


class ConflictError(GoToAPIError):
    """The request conflicts with the current state (409), such as a registrant already registered."""

    @property
    def registrant_key(self) -> str | None:
        value = self.body.extra.get("registrantKey")
        if isinstance(value, bool) or not isinstance(value, int | str):
            return None
        return str(value)

    def next_step(self) -> str:
        if self.body.error_code == "DuplicateRegistrant":
            if self.registrant_key is not None:
                return f"This email is already registered: get_registrant with registrant_key {self.registrant_key!r}."
            return "This email is already registered: find the registration with list_registrants."
        return "Read the current state (get_training, list_registrants) before trying again."


class RateLimitedError(GoToAPIError):
    """GoTo's rate limit (10 requests per second by default) still refused the request after retrying."""

    def __init__(self, status: int, body: ErrorBody, context: RequestContext, retry_after: float | None) -> None:
        self.retry_after = retry_after
        super().__init__(status, body, context)

    def next_step(self) -> str:
        if self.retry_after is None or self.retry_after <= 0:
            wait = "a few seconds"
        elif self.retry_after < 1.5:
            wait = "a second"
        else:
            wait = f"{self.retry_after:.0f} seconds"
        return f"Wait {wait} and call again, with fewer calls at once."


class UpstreamUnavailableError(GoToAPIError):
    """GoTo failed on its side (5xx) after the retries ran out."""

    def next_step(self) -> str:
        return "GoTo is having trouble: try again in a minute."


def api_error(status: int, body: ErrorBody, context: RequestContext, retry_after: float | None = None) -> GoToAPIError:
    """Build the error class that matches an HTTP error status."""
    if status == 429:
        return RateLimitedError(status, body, context, retry_after)
    if status >= 500:
        return UpstreamUnavailableError(status, body, context)
    by_status: dict[int, type[GoToAPIError]] = {
        400: InvalidRequestError,
        422: InvalidRequestError,
        403: PermissionDeniedError,
        404: NotFoundError,
        409: ConflictError,
    }
    return by_status.get(status, GoToAPIError)(status, body, context)
