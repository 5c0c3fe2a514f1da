"""The `login`, `status` and `logout` commands. Each writes its report to stdout and its errors to stderr."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
import webbrowser
from collections.abc import Callable
from datetime import UTC, datetime

import anyio
import httpx

from server.auth import TokenManager
from server.client import GoToClient, new_http_client
from server.errors import GoToError, TokenStoreError
from server.login import (
    DEFAULT_TIMEOUT_SECONDS,
    BrowserLogin,
    LoginError,
    LoginResult,
    login_with_browser,
    login_with_personal_access_token,
)
from server.logs import configure_logging
from server.settings import Settings, load_settings, with_token_store
from server.token_store import delete_tokens, fingerprint

# The commands' own reports carry every error and warning, so the log would only repeat them.
REPORT_ONLY_LOG_LEVEL = "CRITICAL"


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add the `login`, `status` and `logout` subcommands."""
    login = commands.add_parser("login", help="sign in to GoTo in the browser and keep the tokens for the server")
    login.add_argument(
        "--port",
        type=int,
        default=None,
        help="port of the redirect URL http://127.0.0.1:PORT/callback, as set on the OAuth client; "
        "0 picks a free port (default: GOTO_LOGIN_PORT, else 8400)",
    )
    login.add_argument(
        "--no-pkce",
        action="store_true",
        help="send no PKCE challenge, for an OAuth client that rejects it (default: GOTO_LOGIN_PKCE, else send one)",
    )
    login.add_argument(
        "--no-browser", action="store_true", help="only print the sign-in URL, for a computer without a browser"
    )
    login.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        help=f"seconds to wait for the sign-in in the browser (default: {DEFAULT_TIMEOUT_SECONDS:g})",
    )
    login.add_argument(
        "--personal-access-token",
        action="store_true",
        help="sign in with a personal access token read from GOTO_PERSONAL_ACCESS_TOKEN or standard input",
    )
    commands.add_parser(
        "status", help="show who is signed in, when the access token expires, and whether a refresh works"
    )
    commands.add_parser("logout", help="delete the token store written by login")


def run_login(args: argparse.Namespace) -> int:
    overrides: dict[str, object] = {}
    if args.port is not None:
        overrides["login_port"] = args.port
    if args.no_pkce:
        overrides["login_pkce"] = False
    settings = load_settings(**overrides)
    configure_logging(REPORT_ONLY_LOG_LEVEL)

    try:
        if args.personal_access_token:
            result = login_with_personal_access_token(settings, _read_personal_access_token(settings))
        else:
            options = BrowserLogin(port=settings.login_port, use_pkce=settings.login_pkce, timeout_seconds=args.timeout)
            opener = _no_browser if args.no_browser else _open_browser
            result = login_with_browser(settings, options, open_browser=opener, report=_write)
    except LoginError as exc:
        sys.stderr.write(f"goto-training-mcp login: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("goto-training-mcp login: cancelled; nothing was stored.\n")
        return 130

    for line in _login_report(settings, result):
        _write(line)
    return 0


def run_status(args: argparse.Namespace) -> int:
    settings = with_token_store(load_settings())
    configure_logging(REPORT_ONLY_LOG_LEVEL)
    lines, ok = anyio.run(status_report, settings, time.time, None)
    for line in lines:
        _write(line)
    return 0 if ok else 1


def run_logout(args: argparse.Namespace) -> int:
    settings = load_settings()
    path = settings.token_store_path()
    try:
        removed = delete_tokens(path)
    except TokenStoreError as exc:
        sys.stderr.write(f"goto-training-mcp logout: {exc}\n")
        return 1
    if removed:
        _write(f"Deleted the token store {path}. GoTo was not asked to revoke the tokens.")
    else:
        _write(f"There is no token store at {path}; nothing to delete.")
    for variable in _set_environment_credentials(settings):
        _write(f"{variable} is still set, so the server still signs in with it. Unset it to sign out completely.")
    return 0


async def status_report(
    settings: Settings, clock: Callable[[], float], transport: httpx.AsyncBaseTransport | None
) -> tuple[list[str], bool]:
    """Return the lines of `status` and whether the sign-in works. `settings.token_file` must be set."""
    assert settings.token_file is not None
    store = settings.token_file
    store_line = f"Token store: {store} ({'present' if store.exists() else 'absent'})"
    problem = settings.credential_problem()
    if problem is not None:
        return ["Signed in: no", store_line, problem], False

    async with new_http_client(settings, transport) as http:
        try:
            manager = TokenManager(settings, http, clock=clock)
        except TokenStoreError as exc:
            return ["Signed in: unknown", store_line, str(exc)], False
        credentials_line = f"Credentials: {manager.credential_source}"
        expiry_line = f"Access token: {_describe_expiry(manager.tokens.expires_at, clock())}"
        refresh_line, ok = await _try_refresh(manager, clock)
        identity = await _describe_identity(settings, http, manager)

    lines = [f"Signed in as: {identity}", credentials_line, store_line, expiry_line, refresh_line]
    if manager.clock_warning is not None:
        lines.append(f"Clock: {manager.clock_warning}")
    return lines, ok


async def _try_refresh(manager: TokenManager, clock: Callable[[], float]) -> tuple[str, bool]:
    if not manager.can_refresh:
        if manager.credential_source == "GOTO_ACCESS_TOKEN":
            return "Refresh: not possible, because a bare GOTO_ACCESS_TOKEN is used as it is", True
        return "Refresh: not possible without GOTO_CLIENT_ID and GOTO_CLIENT_SECRET", False
    try:
        await manager.refresh()
    except GoToError as exc:
        return f"Refresh: failed. {exc}", False
    return f"Refresh: works; the new access token {_describe_expiry(manager.tokens.expires_at, clock())}", True


async def _describe_identity(settings: Settings, http: httpx.AsyncClient, manager: TokenManager) -> str:
    tokens = manager.tokens
    if tokens.organizer_key is None and tokens.access_token is not None:
        try:
            me = await GoToClient(settings, http, tokens=manager).get_me()
        except GoToError as exc:
            return f"unknown ({exc})"
        manager.update_identity(me.key, me.account_key, me.email)
        tokens = manager.tokens
    if tokens.organizer_key is None:
        return "unknown"
    return _describe_person(tokens.email, tokens.organizer_key, tokens.account_key)


def _login_report(settings: Settings, result: LoginResult) -> list[str]:
    tokens = result.tokens
    person = _describe_person(tokens.email, tokens.organizer_key, tokens.account_key) if tokens.organizer_key else None
    lines = [f"Signed in as {person}." if person else "Signed in."]
    lines.append(f"Saved the tokens to {result.store_path} (readable only by you).")
    lines.extend(result.warnings)
    for variable in _set_environment_credentials(settings):
        if variable == "GOTO_PERSONAL_ACCESS_TOKEN" and tokens.source == _environment_fingerprint(settings):
            continue
        lines.append(f"{variable} is set and comes first, so the server signs in with it, not with this store.")
    lines.append(
        "Start the server with `goto-training-mcp`; it needs GOTO_CLIENT_ID and GOTO_CLIENT_SECRET too, "
        "to refresh the tokens."
    )
    return lines


def _describe_person(email: str | None, organizer_key: str, account_key: str | None) -> str:
    keys = f"organizer key {organizer_key}" + (f", account key {account_key}" if account_key else "")
    return f"{email} ({keys})" if email else keys


def _describe_expiry(expires_at: float | None, now: float) -> str:
    if expires_at is None:
        return "expiry unknown"
    moment = datetime.fromtimestamp(expires_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if expires_at <= now:
        return f"expired at {moment}"
    return f"expires at {moment} (in {_describe_duration(expires_at - now)})"


def _describe_duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 120:
        return f"{minutes} minutes"
    return f"{minutes / 60:.0f} hours"


def _set_environment_credentials(settings: Settings) -> list[str]:
    values = {
        "GOTO_REFRESH_TOKEN": settings.refresh_token,
        "GOTO_PERSONAL_ACCESS_TOKEN": settings.personal_access_token,
        "GOTO_ACCESS_TOKEN": settings.access_token,
    }
    return [name for name, value in values.items() if value is not None and value.get_secret_value().strip()]


def _environment_fingerprint(settings: Settings) -> str | None:
    secret = settings.personal_access_token
    text = secret.get_secret_value().strip() if secret is not None else ""
    return fingerprint(text) if text else None


def _read_personal_access_token(settings: Settings) -> str:
    if settings.personal_access_token is not None and settings.personal_access_token.get_secret_value().strip():
        return settings.personal_access_token.get_secret_value()
    if sys.stdin is None:
        raise LoginError("No personal access token: set GOTO_PERSONAL_ACCESS_TOKEN or pass it on standard input.")
    if sys.stdin.isatty():
        return getpass.getpass("GoTo personal access token (not shown): ")
    return sys.stdin.readline()


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of seconds {text!r}") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"invalid number of seconds {text!r}: it must be more than 0")
    return seconds


def _open_browser(url: str) -> bool:
    return webbrowser.open(url)


def _no_browser(url: str) -> bool:
    return False


def _write(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
