"""OAuth tokens for GoTo: refresh before expiry and on rejection, one refresh at a time.

GoTo answers an expired or invalid access token with 403 `InvalidToken`, not only 401,
so both trigger a refresh and one replay of the request. `invalid_grant` and
`invalid_client` are final: the manager stops asking the token endpoint and every
later call raises the same AuthError until the user signs in again.

Credential order, first match wins:

1. GOTO_REFRESH_TOKEN or GOTO_PERSONAL_ACCESS_TOKEN. The token store continues it while the
   store's `source` is this credential's fingerprint, because GoTo may have replaced the
   refresh token since. Otherwise the manager starts from the environment credential and the
   first refresh replaces the store.
2. A bare GOTO_ACCESS_TOKEN, used as it is: no refresh, and the store is neither read nor written.
3. The token store alone, as `goto-training-mcp login` leaves it.
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
from server.signin_clock import clock_warning, expired_on_arrival_message
from server.signin_errors import describe_oauth_error
from server.token_store import TokenSet, fingerprint, load_tokens, save_tokens

logger = logging.getLogger(__name__)

REFRESH_MARGIN_SECONDS = 60
TOKEN_PATH = "/oauth/token"


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
        initial_tokens: TokenSet | None = None,
    ) -> None:
        """Start from `initial_tokens` when given (sign-in), else from the credential order in the module docstring."""
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
        self.credential_source = "sign-in"
        self.tokens = initial_tokens if initial_tokens is not None else self._initial_tokens()
        secret_filter.add(self.tokens.access_token)
        secret_filter.add(self.tokens.refresh_token)
        self.refresh_count = 0
        self.clock_warning: str | None = None
        """Warning that this computer's clock looks far off, from the last token response, or None."""

    @property
    def store_path(self) -> Path | None:
        """The token store this manager reads and writes, or None when it keeps tokens only in memory."""
        return self._store_path

    @property
    def can_refresh(self) -> bool:
        has_client = self._settings.client_id is not None and _secret(self._settings.client_secret) is not None
        return has_client and (self.tokens.refresh_token is not None or self._pat is not None)

    def _initial_tokens(self) -> TokenSet:
        settings = self._settings
        env_refresh = _secret(settings.refresh_token)
        env_access = _secret(settings.access_token)
        env_credential = env_refresh or self._pat
        variable = "GOTO_REFRESH_TOKEN" if env_refresh else "GOTO_PERSONAL_ACCESS_TOKEN"

        if env_credential is None and env_access is not None:
            # A bare access token cannot be refreshed, so nothing would ever go to the store.
            self._store_path = None
            self.credential_source = "GOTO_ACCESS_TOKEN"
            logger.info("Using the bare access token in GOTO_ACCESS_TOKEN; it is not refreshed or stored")
            return TokenSet(access_token=env_access)

        source = fingerprint(env_credential) if env_credential else None
        stored = load_tokens(self._store_path) if self._store_path is not None else None
        # The store wins while the environment credential it grew from is unchanged: GoTo may have
        # replaced the refresh token since, and the one in the environment would then be dead.
        if stored is not None and (source is None or stored.source == source):
            self.credential_source = f"{variable}, continued in the token store" if source else "the token store"
            logger.info("Using tokens from %s (%s)", self._store_path, self.credential_source)
            return stored

        if env_credential is None:
            self.credential_source = "none"
        else:
            self.credential_source = variable
            if stored is not None:
                logger.info(
                    "%s differs from the credential the token store %s grew from; starting a new store from it",
                    variable,
                    self._store_path,
                )
        return TokenSet(access_token=env_access, expires_at=None, refresh_token=env_refresh, source=source)

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

    async def refresh(self) -> str:
        """Refresh now, whatever the expiry, and return the new access token (`goto-training-mcp status`)."""
        async with self._lock:
            self._save_pending()
            return await self._refresh_locked(reason="requested")

    async def sign_in(self, form: dict[str, str], *, source: str | None) -> TokenSet:
        """Exchange an authorization code or personal access token for new tokens and store them.

        The result replaces every token held before. `source` is the fingerprint of the environment
        credential the new store grows from, or None when it grows from no environment variable.
        """
        async with self._lock:
            grant_type = form["grant_type"]
            logger.info("Signing in to GoTo with the %s grant", grant_type)
            response = await self._post_token(form)
            if response.status_code != 200:
                raise self._token_error(response, grant_type, redirect_uri=form.get("redirect_uri"))
            self.tokens = self._merge_token_response(response, TokenSet(source=source))
            self._remember_new_tokens()
            return self.tokens

    def update_identity(self, organizer_key: str, account_key: str | None, email: str | None) -> None:
        """Record who signed in, keeping values already known, and save the store."""
        self.tokens = replace(
            self.tokens,
            organizer_key=self.tokens.organizer_key or organizer_key,
            account_key=self.tokens.account_key or account_key,
            email=self.tokens.email or email,
        )
        self._unsaved = self._store_path is not None
        self._save_pending()

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
        grant_type = form["grant_type"]
        logger.info("Refreshing the GoTo access token (%s) with the %s grant", reason, grant_type)
        response = await self._post_token(form)
        if response.status_code != 200:
            error = self._token_error(response, grant_type)
            if error.final:
                self._final_error = error
            raise error

        previous_refresh = self.tokens.refresh_token
        self.tokens = self._merge_token_response(response, self.tokens)
        self.refresh_count += 1
        if previous_refresh is not None and self.tokens.refresh_token != previous_refresh and not self._store_path:
            logger.warning(
                "GoTo issued a new refresh token, kept only in memory because GOTO_TOKEN_FILE is not set; "
                "a restart will need a new sign-in. Set GOTO_TOKEN_FILE to keep it."
            )
        self._remember_new_tokens()
        assert self.tokens.access_token is not None
        return self.tokens.access_token

    def _remember_new_tokens(self) -> None:
        secret_filter.add(self.tokens.access_token)
        secret_filter.add(self.tokens.refresh_token)
        self._unsaved = self._store_path is not None
        self._save_pending()

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
            raise GoToTimeoutError(f"The request to the GoTo token endpoint {url} timed out; try again.") from exc
        except httpx.TransportError as exc:
            hint = "Check the network and GOTO_AUTH_URL."
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                hint = "The server's certificate did not verify; if this computer's clock is far off, set it right."
            raise GoToConnectionError(
                f"Could not reach the GoTo token endpoint {url}: {type(exc).__name__}. {hint}"
            ) from exc

    def _token_error(
        self, response: httpx.Response, grant_type: str, *, redirect_uri: str | None = None
    ) -> TokenEndpointError:
        body = parse_error_body(response.text)
        code = body.error_code or f"HTTP {response.status_code}"
        failure = describe_oauth_error(code, body.description, grant_type=grant_type, redirect_uri=redirect_uri)
        if failure is None:
            details = [part for part in (body.error_code, body.description) if part]
            said = f" ({': '.join(details)})" if details else ""
            message = f"The GoTo token endpoint responded with HTTP {response.status_code}{said}; try again later."
            final = False
        else:
            message, final = failure.message, failure.final
        warning = clock_warning(response, "", self._clock())
        if warning is not None:
            message = f"{message} {warning}"
        return TokenEndpointError(message, error_code=code, final=final)

    def _merge_token_response(self, response: httpx.Response, previous: TokenSet) -> TokenSet:
        try:
            data = response.json()
        except ValueError as exc:
            raise AuthError("The GoTo token endpoint returned a body that is not JSON; try again later.") from exc
        access = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(access, str) or not access:
            raise AuthError("The GoTo token endpoint returned no access_token; try again later.")

        expires_in = _to_float(data.get("expires_in"), default=3600.0)
        if expires_in <= 0:
            raise AuthError(expired_on_arrival_message(expires_in))
        self._note_clock(response, access)
        # Refresh a minute early, or halfway through a token that lives less than two minutes.
        self._margin = min(REFRESH_MARGIN_SECONDS, expires_in / 2)
        new_refresh = data.get("refresh_token")
        return replace(
            previous,
            access_token=access,
            expires_at=self._clock() + expires_in,
            # Keep the stored refresh token unless GoTo sent a new one.
            refresh_token=new_refresh if isinstance(new_refresh, str) and new_refresh else previous.refresh_token,
            organizer_key=_key_text(data.get("organizer_key")) or previous.organizer_key,
            account_key=_key_text(data.get("account_key")) or previous.account_key,
            email=_text(data.get("principal")) or _text(data.get("email")) or previous.email,
        )

    def _note_clock(self, response: httpx.Response, access_token: str) -> None:
        warning = clock_warning(response, access_token, self._clock())
        if warning is not None and warning != self.clock_warning:
            logger.warning("%s", warning)
        self.clock_warning = warning

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
        if self.credential_source == "GOTO_ACCESS_TOKEN":
            return (
                "The access token in GOTO_ACCESS_TOKEN has expired or was rejected, and it cannot be refreshed. "
                "Set GOTO_CLIENT_ID, GOTO_CLIENT_SECRET and GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) "
                "so the server can refresh tokens by itself."
            )
        if self.tokens.access_token is not None or self.tokens.refresh_token is not None:
            return (
                f"The access token from the token store {str(self._store_path)!r} has expired or was rejected, and "
                "it cannot be refreshed without the OAuth client. Set GOTO_CLIENT_ID and GOTO_CLIENT_SECRET, "
                "or run `goto-training-mcp login` again."
            )
        return (
            "No GoTo credentials can be used. Run `goto-training-mcp login`, or set GOTO_CLIENT_ID, "
            "GOTO_CLIENT_SECRET and GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN)."
        )


class TokenEndpointError(AuthError):
    """The token endpoint refused a grant; `final` when asking again with the same credential cannot help."""

    def __init__(self, message: str, *, error_code: str, final: bool) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.final = final


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
        response = yield request
        await response.aread()
        if is_token_rejection(response):
            raise AuthError(
                f"GoTo rejected a freshly refreshed access token too (HTTP {response.status_code}). The OAuth client "
                "may lack the collab: scope, or the account may have lost GoTo Training; check both in the GoTo "
                "developer center, then sign in again."
            )


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
