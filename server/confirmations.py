"""Confirmation tokens for calls that delete or e-mail people.

A token is bound to one tool and its exact arguments with an HMAC, expires after
TOKEN_LIFETIME_SECONDS, and is accepted once. The key is random per process unless
GOTO_CONFIRM_SECRET is set, which lets several processes verify each other's tokens.
NOTE: single use is tracked in each process's memory, so across replicas a token can
be accepted once per replica within its lifetime.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import pydantic_core

TOKEN_LIFETIME_SECONDS = 300
_CALL_AGAIN = "Call the tool again without confirmation_token to get a new preview and token."


class ConfirmationError(ValueError):
    """A confirmation token that is malformed, expired, reused or bound to another call."""


class ConfirmationTokens:
    """Issues and checks single-use confirmation tokens."""

    def __init__(self, secret: str | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self._key = secret.encode() if secret else secrets.token_bytes(32)
        self._clock = clock
        self._used: dict[str, float] = {}

    def issue(self, tool: str, arguments: dict[str, Any]) -> str:
        """Return a token for calling `tool` with exactly `arguments` within the lifetime."""
        claims = {"exp": int(self._clock()) + TOKEN_LIFETIME_SECONDS, "nonce": secrets.token_urlsafe(12)}
        payload = _encode(json.dumps(claims, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(tool, arguments, payload)}"

    def redeem(self, token: str, tool: str, arguments: dict[str, Any]) -> None:
        """Accept `token` for this call once, or raise ConfirmationError saying why."""
        payload, _, signature = token.partition(".")
        try:
            claims = json.loads(_decode(payload))
            expires = int(claims["exp"])
            nonce = str(claims["nonce"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfirmationError(f"confirmation_token is not a token this server issued. {_CALL_AGAIN}") from exc

        if not hmac.compare_digest(signature, self._sign(tool, arguments, payload)):
            raise ConfirmationError(
                "confirmation_token was issued for a different call (another tool or other arguments), or by "
                "another server process, so it does not confirm this one. Processes that must accept each other's "
                f"tokens need the same GOTO_CONFIRM_SECRET. {_CALL_AGAIN}"
            )
        now = self._clock()
        if now > expires:
            raise ConfirmationError(
                f"confirmation_token expired {int(now - expires)} s ago; tokens last "
                f"{TOKEN_LIFETIME_SECONDS // 60} minutes. {_CALL_AGAIN}"
            )
        self._forget_expired(now)
        if nonce in self._used:
            raise ConfirmationError(f"confirmation_token was already used; each token confirms one call. {_CALL_AGAIN}")
        self._used[nonce] = expires

    def _sign(self, tool: str, arguments: dict[str, Any], payload: str) -> str:
        canonical = json.dumps(pydantic_core.to_jsonable_python(arguments), sort_keys=True, separators=(",", ":"))
        message = f"{tool}\n{canonical}\n{payload}".encode()
        return _encode(hmac.new(self._key, message, hashlib.sha256).digest())

    def _forget_expired(self, now: float) -> None:
        for nonce in [nonce for nonce, expires in self._used.items() if expires < now]:
            del self._used[nonce]


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
