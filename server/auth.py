"""OAuth tokens for GoTo: refresh before expiry and on rejection, one refresh at a time.

GoTo answers an expired or invalid access token with 403 `InvalidToken`, not only 401,
so both trigger a refresh and one replay of the request. `invalid_grant` and
`invalid_client` are final: the manager stops asking the token endpoint and every
later call raises the same AuthError until the user signs in again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import replace
from pathlib import Path

import httpx

from server.errors import AuthError, GoToConnectionError, GoToTimeoutError, TokenStoreError, parse_error_body
from server.logs import secret_filter
from server.settings import Settings
from server.token_store import TokenSet, fingerprint, load_tokens, save_tokens

logger = logging.getLogger(__name__)

REFRESH_MARGIN_SECONDS = 60
TOKEN_PATH = "/oauth/token"

_SIGN_IN_AGAIN = (
    "Sign in again: get a new refresh token (or personal access token) from GoTo, put it in "
    "GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) and restart the server."
)


def is_token_rejection(response: httpx.Response) -> bool:
    """Tell whether GoTo rejected the access token (401, or 403 with `InvalidToken`)."""
    if response.status_code == 401:
        return True
    if response.status_code != 403:
        return False
    body = parse_error_body(response.text)
    return body.error_code == "InvalidToken"


class TokenManager:
    """Holds the current tokens and runs every refresh, never two at once."""

    def __init__(
        self,
        settings: Settings,
        http: httpx.AsyncClient,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._http = http
        self._clock = clock
        self._lock = asyncio.Lock()
        self._final_error: AuthError | None = None
        self._unsaved = False
        self._margin: float = REFRESH_MARGIN_SECONDS
        self._store_path: Path | None = settings.token_file
        self._pat = _secret(settings.personal_access_token)
        for secret in (settings.client_secret, settings.refresh_token, settings.access_token, self._pat):
            secret_filter.add(_secret(secret))
        self.tokens = self._initial_tokens()
        secret_filter.add(self.tokens.access_token)
        secret_filter.add(self.tokens.refresh_token)
        self.refresh_count = 0

    @property
    def can_refresh(self) -> bool:
        has_client = self._settings.client_id is not None and _secret(self._settings.client_secret) is not None
        return has_client and (self.tokens.refresh_token is not None or self._pat is not None)

    def _initial_tokens(self) -> TokenSet:
        settings = self._settings
        env_refresh = _secret(settings.refresh_token)
        env_credential = env_refresh or self._pat
        source = fingerprint(env_credential) if env_credential else None

        stored = load_tokens(self._store_path) if self._store_path is not None else None
        # The store wins while the environment credential it grew from is unchanged: GoTo may have
        # replaced the refresh token since, and the one in the environment would then be dead.
        if stored is not None and (source is None or stored.source == source):
            logger.info("Using tokens from %s", self._store_path)
            return stored

        return TokenSet(
            access_token=_secret(settings.access_token),
            expires_at=None,
            refresh_token=env_refresh,
            source=source,
        )

    async def access_token(self) -> str:
        """Return an access token valid for at least REFRESH_MARGIN_SECONDS, refreshing it if needed."""
        if self._unsaved:
            async with self._lock:
                self._save_pending()
        current = self.tokens.access_token
        if current is not None and not self._expiring(self.tokens):
            return current

        async with self._lock:
            if self.tokens.access_token is not None and not self._expiring(self.tokens):
                return self.tokens.access_token
            return await self._refresh_locked(reason="expired" if current else "no access token yet")

    async def refresh_after_rejection(self, rejected: str) -> str:
        """Refresh once after GoTo rejected `rejected`; callers that lost the race get the new token."""
        async with self._lock:
            if self.tokens.access_token is not None and self.tokens.access_token != rejected:
                return self.tokens.access_token
            return await self._refresh_locked(reason="rejected by GoTo")

    def _expiring(self, tokens: TokenSet) -> bool:
        if tokens.expires_at is None:
            return False
        return tokens.expires_at - self._margin <= self._clock()

    async def _refresh_locked(self, reason: str) -> str:
        if self._final_error is not None:
            raise self._final_error
        if not self.can_refresh:
            raise AuthError(self._no_refresh_message())

        form = self._grant_form()
        logger.info("Refreshing the GoTo access token (%s) with the %s grant", reason, form["grant_type"])
        response = await self._post_token(form)
        if response.status_code != 200:
            raise self._token_error(response)

        previous_refresh = self.tokens.refresh_token
        self.tokens = self._merge_token_response(response)
        secret_filter.add(self.tokens.access_token)
        secret_filter.add(self.tokens.refresh_token)
        self.refresh_count += 1
        if previous_refresh is not None and self.tokens.refresh_token != previous_refresh and not self._store_path:
            logger.warning(
                "GoTo issued a new refresh token, kept only in memory because GOTO_TOKEN_FILE is not set; "
                "a restart will need a new sign-in. Set GOTO_TOKEN_FILE to keep it."
            )
        self._unsaved = self._store_path is not None
        self._save_pending()
        assert self.tokens.access_token is not None
        return self.tokens.access_token

    def _grant_form(self) -> dict[str, str]:
        if self.tokens.refresh_token is not None:
            return {"grant_type": "refresh_token", "refresh_token": self.tokens.refresh_token}
        assert self._pat is not None
        return {"grant_type": "personal_access_token", "pat": self._pat}

    async def _post_token(self, form: dict[str, str]) -> httpx.Response:
        client_id = self._settings.client_id or ""
        secret = _secret(self._settings.client_secret) or ""
        url = self._settings.auth_url + TOKEN_PATH
        try:
            return await self._http.post(url, data=form, auth=httpx.BasicAuth(client_id, secret))
        except httpx.TimeoutException as exc:
            raise GoToTimeoutError(f"The GoTo token endpoint {url} did not answer in time; try again.") from exc
        except httpx.TransportError as exc:
            raise GoToConnectionError(
                f"Could not reach the GoTo token endpoint {url}: {type(exc).__name__}. "
                "Check the network and GOTO_AUTH_URL."
            ) from exc

    def _token_error(self, response: httpx.Response) -> AuthError:
        body = parse_error_body(response.text)
        code = body.error_code or f"HTTP {response.status_code}"
        said = f" ({body.description})" if body.description else ""
        if code == "invalid_client":
            error = AuthError(
                f"GoTo rejected the OAuth client (invalid_client{said}). Check GOTO_CLIENT_ID and "
                "GOTO_CLIENT_SECRET against the OAuth client in the GoTo developer center."
            )
            self._final_error = error
            return error
        if code == "invalid_grant":
            credential = "refresh token" if self.tokens.refresh_token is not None else "personal access token"
            error = AuthError(f"GoTo rejected the {credential} (invalid_grant{said}). {_SIGN_IN_AGAIN}")
            self._final_error = error
            return error
        return AuthError(
            f"The GoTo token endpoint answered HTTP {response.status_code} ({code}{said}); try again later."
        )

    def _merge_token_response(self, response: httpx.Response) -> TokenSet:
        try:
            data = response.json()
        except ValueError as exc:
            raise AuthError("The GoTo token endpoint answered with a body that is not JSON; try again later.") from exc
        access = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(access, str) or not access:
            raise AuthError("The GoTo token endpoint answered without an access_token; try again later.")

        expires_in = _to_float(data.get("expires_in"), default=3600.0)
        # Refresh a minute early, or halfway through a token that lives less than two minutes.
        self._margin = min(REFRESH_MARGIN_SECONDS, expires_in / 2)
        new_refresh = data.get("refresh_token")
        return replace(
            self.tokens,
            access_token=access,
            expires_at=self._clock() + expires_in,
            # Keep the stored refresh token unless GoTo sent a new one.
            refresh_token=new_refresh if isinstance(new_refresh, str) and new_refresh else self.tokens.refresh_token,
            organizer_key=_key_text(data.get("organizer_key")) or self.tokens.organizer_key,
            account_key=_key_text(data.get("account_key")) or self.tokens.account_key,
            email=_text(data.get("principal")) or _text(data.get("email")) or self.tokens.email,
        )

    def _save_pending(self) -> None:
        if not self._unsaved:
            return
        if self._store_path is None:
            self._unsaved = False
            return
        try:
            save_tokens(self._store_path, self.tokens)
        except TokenStoreError as exc:
            # The new tokens stay in memory, so the next call tries again and nothing is lost.
            logger.error("Could not save the refreshed tokens: %s", exc)
            raise
        self._unsaved = False

    def _no_refresh_message(self) -> str:
        if self.tokens.access_token is not None:
            return (
                "The access token in GOTO_ACCESS_TOKEN has expired or was rejected, and it cannot be refreshed. "
                "Set GOTO_CLIENT_ID, GOTO_CLIENT_SECRET and GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) "
                "so the server can refresh tokens by itself."
            )
        return (
            "No GoTo credentials can be used. Set GOTO_CLIENT_ID, GOTO_CLIENT_SECRET and GOTO_REFRESH_TOKEN "
            "(or GOTO_PERSONAL_ACCESS_TOKEN)."
        )


class GoToAuth(httpx.Auth):
    """Bearer auth that refreshes ahead of expiry and replays a rejected request once."""

    requires_response_body = True

    def __init__(self, tokens: TokenManager) -> None:
        self._tokens = tokens

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._tokens.access_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        # httpx reads the body for `requires_response_body` only in the default flow, not in this override.
        await response.aread()

        if not is_token_rejection(response):
            return
        logger.info("GoTo rejected the access token (HTTP %s); refreshing and replaying once", response.status_code)
        token = await self._tokens.refresh_after_rejection(token)
        request.headers["Authorization"] = f"Bearer {token}"
        yield request


def _secret(value: object) -> str | None:
    if value is None:
        return None
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    text = text.strip()
    return text or None


def _to_float(value: object, default: float) -> float:
    # Some old GoTo responses sent expires_in as a string.
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _key_text(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        return None
    return str(value)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
