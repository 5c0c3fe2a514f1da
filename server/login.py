"""Sign-in for `goto-training-mcp login`: OAuth authorization code in the browser, or a personal access token.

The browser sign-in sends the user to GoTo's authorize endpoint with a loopback redirect URL
(`http://127.0.0.1:PORT/callback`), checks the `state` that comes back, and exchanges the code at
the token endpoint with HTTP Basic client authentication, repeating the exact `redirect_uri`.
Both ways end in the token store, with the organizer's keys and e-mail.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import anyio
import httpx

from server.auth import TokenManager
from server.client import GoToClient, new_http_client
from server.errors import GoToError
from server.settings import ConfigurationError, Settings, with_token_store
from server.signin_callback import CallbackError, CallbackServer
from server.signin_errors import LOGIN_AGAIN, describe_oauth_error
from server.token_store import TokenSet, fingerprint

logger = logging.getLogger(__name__)

AUTHORIZE_PATH = "/oauth/authorize"
DEFAULT_TIMEOUT_SECONDS = 300.0


class LoginError(Exception):
    """The sign-in failed; the message states the cause and the next step."""


@dataclass(frozen=True)
class LoginResult:
    """Tokens stored by a successful sign-in, with warnings for the user."""

    tokens: TokenSet
    store_path: Path
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BrowserLogin:
    """Options of the browser sign-in."""

    port: int
    use_pkce: bool = True
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS


def require_client(settings: Settings) -> None:
    """Raise ConfigurationError unless the OAuth client's id and secret are set."""
    secret = settings.client_secret.get_secret_value().strip() if settings.client_secret else ""
    if settings.client_id is None or not secret:
        missing = "GOTO_CLIENT_ID" if settings.client_id is None else "GOTO_CLIENT_SECRET"
        raise ConfigurationError(
            f"{missing} is not set, but signing in needs the OAuth client's id and secret. Create an OAuth client "
            "in the GoTo developer center (see the README), then set GOTO_CLIENT_ID and GOTO_CLIENT_SECRET."
        )


def pkce_pair() -> tuple[str, str]:
    """Return a new PKCE code verifier and its S256 code challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(settings: Settings, redirect_uri: str, state: str, code_challenge: str | None) -> str:
    """Build the URL of GoTo's authorize endpoint for this sign-in."""
    params = {
        "client_id": settings.client_id or "",
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "state": state,
    }
    if code_challenge is not None:
        params |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
    return f"{settings.auth_url}{AUTHORIZE_PATH}?{urlencode(params)}"


def login_with_browser(
    settings: Settings,
    options: BrowserLogin,
    *,
    open_browser: Callable[[str], bool],
    report: Callable[[str], None],
    clock: Callable[[], float] = time.time,
) -> LoginResult:
    """Run the browser sign-in and store the tokens.

    `open_browser` receives the authorize URL and returns whether a browser opened. `report`
    receives the lines the user reads while the sign-in waits, none of them a secret.
    """
    require_client(settings)
    state = secrets.token_urlsafe(32)
    # NOTE: GoTo documents no PKCE support; `login --no-pkce` turns it off for a client that rejects it.
    verifier, challenge = pkce_pair() if options.use_pkce else (None, None)
    try:
        with CallbackServer(options.port, state) as callback:
            url = authorize_url(settings, callback.redirect_uri, state, challenge)
            _show_authorize_url(url, open_browser, report)
            report(f"Waiting up to {options.timeout_seconds:g} seconds for GoTo to redirect to {callback.redirect_uri}")
            result = callback.wait(options.timeout_seconds)
            redirect_uri = callback.redirect_uri
    except CallbackError as exc:
        raise LoginError(str(exc)) from exc

    if not result.state_matches:
        raise LoginError(
            "The sign-in redirect carried a state that does not match this login, so it was rejected. It may come "
            f"from an older login tab, or from another site. {LOGIN_AGAIN}"
        )
    if result.error is not None:
        failure = describe_oauth_error(
            result.error, result.error_description, grant_type="authorization_code", redirect_uri=redirect_uri
        )
        if failure is not None:
            raise LoginError(failure.message)
        detail = f" ({result.error_description})" if result.error_description else ""
        raise LoginError(f"GoTo rejected the sign-in ({result.error}{detail}). {LOGIN_AGAIN}")
    if result.code is None:
        raise LoginError(f"GoTo redirected back without an authorization code. {LOGIN_AGAIN}")

    form = {"grant_type": "authorization_code", "code": result.code, "redirect_uri": redirect_uri}
    if verifier is not None:
        form["code_verifier"] = verifier
    return anyio.run(_exchange_and_store, settings, form, None, clock)


def login_with_personal_access_token(
    settings: Settings, personal_access_token: str, *, clock: Callable[[], float] = time.time
) -> LoginResult:
    """Exchange a personal access token for tokens and store them.

    The store remembers the token's fingerprint, so a server started with the same
    GOTO_PERSONAL_ACCESS_TOKEN continues this store instead of exchanging it again.
    """
    require_client(settings)
    token = personal_access_token.strip()
    if not token:
        raise LoginError(
            "The personal access token is empty. Pass it on standard input or in GOTO_PERSONAL_ACCESS_TOKEN."
        )
    form = {"grant_type": "personal_access_token", "pat": token}
    return anyio.run(_exchange_and_store, settings, form, fingerprint(token), clock)


def _show_authorize_url(url: str, open_browser: Callable[[str], bool], report: Callable[[str], None]) -> None:
    try:
        opened = open_browser(url)
    except Exception as exc:  # webbrowser raises webbrowser.Error and OSError subclasses, depending on the browser
        logger.info("Could not open a browser: %s", exc)
        opened = False
    if opened:
        report("Opened the browser to sign in to GoTo. If no browser window appeared, open this URL:")
    else:
        report("Open this URL in a browser to sign in to GoTo:")
    report(f"  {url}")


async def _exchange_and_store(
    settings: Settings, form: dict[str, str], source: str | None, clock: Callable[[], float]
) -> LoginResult:
    settings = with_token_store(settings)
    assert settings.token_file is not None
    warnings: list[str] = []
    async with new_http_client(settings) as http:
        manager = TokenManager(settings, http, clock=clock, initial_tokens=TokenSet(source=source))
        try:
            tokens = await manager.sign_in(form, source=source)
        except GoToError as exc:
            raise LoginError(str(exc)) from exc
        if manager.clock_warning is not None:
            warnings.append(manager.clock_warning)
        if tokens.organizer_key is None:
            warning = await _store_identity_from_admin_api(settings, http, manager)
            if warning is not None:
                warnings.append(warning)
    return LoginResult(tokens=manager.tokens, store_path=settings.token_file, warnings=tuple(warnings))


async def _store_identity_from_admin_api(
    settings: Settings, http: httpx.AsyncClient, manager: TokenManager
) -> str | None:
    """Read the organizer's keys from the Admin API's `me`; return a warning instead of failing the sign-in."""
    try:
        me = await GoToClient(settings, http, tokens=manager).get_me()
    except GoToError as exc:
        return (
            f"Signed in, but the organizer key could not be read from the Admin API: {exc} "
            "The server tries again when it starts."
        )
    manager.update_identity(me.key, me.account_key, me.email)
    return None
