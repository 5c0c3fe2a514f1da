"""Access tokens, refresh tokens and authorization codes issued by one sandbox."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from .config import SANDBOX_REFRESH_TOKEN
from .errors import invalid_token, missing_token


@dataclass
class AccessToken:
    organizer_key: int
    expires_at: datetime


@dataclass
class AuthorizationCode:
    organizer_key: int
    client_id: str
    redirect_uri: str
    code_challenge: str | None
    used: bool = False


class TokenStore:
    """Tokens of one sandbox. SANDBOX_REFRESH_TOKEN is valid from the start, for the signed-in organizer."""

    def __init__(self, organizer_key: int) -> None:
        self.access_tokens: dict[str, AccessToken] = {}
        self.refresh_tokens: dict[str, int] = {SANDBOX_REFRESH_TOKEN: organizer_key}
        self.codes: dict[str, AuthorizationCode] = {}

    def issue_access_token(self, organizer_key: int, now: datetime, lifetime_seconds: int) -> str:
        token = f"sandbox-access-{secrets.token_urlsafe(24)}"
        self.access_tokens[token] = AccessToken(organizer_key, now + timedelta(seconds=lifetime_seconds))
        return token

    def issue_refresh_token(self, organizer_key: int) -> str:
        token = f"sandbox-refresh-{secrets.token_urlsafe(24)}"
        self.refresh_tokens[token] = organizer_key
        return token

    def issue_code(self, code: AuthorizationCode) -> str:
        value = secrets.token_urlsafe(18)
        self.codes[value] = code
        return value

    def expire_access_tokens(self, now: datetime) -> None:
        """Make every access token issued so far expired as of `now`."""
        for token in self.access_tokens.values():
            token.expires_at = min(token.expires_at, now)

    def authenticate(self, authorization: str | None, now: datetime) -> int:
        """Return the organizer key of a valid bearer token, or raise 401 (no token) or 403 InvalidToken."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise missing_token()
        access = self.access_tokens.get(token.strip())
        if access is None or now >= access.expires_at:
            raise invalid_token()
        return access.organizer_key
