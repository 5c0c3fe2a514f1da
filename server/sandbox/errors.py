"""Error responses of the sandbox, each in the body shape GoTo uses for that kind of failure.

SandboxError                 base: HTTP status, extra headers, body built per response
 +-- TrainingApiError        {"errorCode", "description", "incident", ...extra} (Training API)
 +-- TokenError              {"int_err_code", "msg"} (bearer token missing or invalid)
 +-- OAuthError              {"error", "error_description"} (token and authorize endpoints)

NOTE: GoTo documents only the 403 InvalidToken body and the Training error shape. The bodies sent for a
missing token (401), a foreign organizer (403 AccessDenied) and for 429 and 503 responses are guesses. So
are the errorCode values NoSuchRegistrant, NoSuchSession, NoSuchRecording, NotFound and MethodNotAllowed.
"""

from __future__ import annotations

from typing import Any


class SandboxError(Exception):
    """An error response: handlers raise it and the app turns it into a JSON response."""

    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.headers = headers or {}

    def body(self, incident: int) -> dict[str, Any]:
        raise NotImplementedError


class TrainingApiError(SandboxError):
    """A Training API error; `extra` adds fields such as the 409's `registrantKey`."""

    def __init__(self, status: int, error_code: str, description: str, **extra: Any) -> None:
        super().__init__(status)
        self.error_code = error_code
        self.description = description
        self.extra = extra

    def __str__(self) -> str:
        return f"{self.status} {self.error_code}: {self.description}"

    def body(self, incident: int) -> dict[str, Any]:
        return {"errorCode": self.error_code, "description": self.description, "incident": incident, **self.extra}


class TokenError(SandboxError):
    """A bearer-token failure: GoTo responds 403 InvalidToken to an unknown or expired token."""

    def __init__(self, status: int, code: str, message: str) -> None:
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        super().__init__(status, headers)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"

    def body(self, incident: int) -> dict[str, Any]:
        return {"int_err_code": self.code, "msg": self.message}


class OAuthError(SandboxError):
    """An OAuth 2.0 error (RFC 6749 section 5.2)."""

    def __init__(self, status: int, error: str, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, headers)
        self.error = error
        self.description = description

    def __str__(self) -> str:
        return f"{self.status} {self.error}: {self.description}"

    def body(self, incident: int) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.description}


def invalid_request(description: str) -> TrainingApiError:
    """Build the 400 response for a malformed or invalid request."""
    return TrainingApiError(400, "InvalidRequest", description)


def missing_token() -> TokenError:
    return TokenError(401, "NoToken", "No token passed. Send the header 'Authorization: Bearer <token>'.")


def invalid_token() -> TokenError:
    return TokenError(403, "InvalidToken", "Invalid token passed")
