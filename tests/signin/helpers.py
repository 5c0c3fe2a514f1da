"""Shared pieces of the sign-in tests: the sandbox world, a stand-in browser, and command runners."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from server.cli import main
from server.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, Sandbox

BROWSER_TIMEOUT_SECONDS = 10.0  # a bound against a hung callback server, not a measurement
STORE_FIELDS = {
    "format",
    "access_token",
    "expires_at",
    "refresh_token",
    "organizer_key",
    "account_key",
    "email",
    "source",
}


@dataclass
class SignInWorld:
    """A sandbox served on loopback, and where the test keeps its token store."""

    sandbox: Sandbox
    origin: str
    token_file: Path


@dataclass
class CommandResult:
    exit_code: int
    out: str
    err: str


def sandbox_environment(origin: str) -> dict[str, str]:
    """GOTO_* variables that point every host at the sandbox and name its OAuth client."""
    return {
        "GOTO_CLIENT_ID": SANDBOX_CLIENT_ID,
        "GOTO_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "GOTO_API_URL": f"{origin}/G2T/rest",
        "GOTO_TRAINING_API_URL": f"{origin}/training/v1",
        "GOTO_AUTH_URL": origin,
        "GOTO_ADMIN_API_URL": f"{origin}/admin/rest/v1",
    }


def run_command(capsys: pytest.CaptureFixture[str], *argv: str) -> CommandResult:
    """Run `goto-training-mcp ARGV` in-process and return its exit code and output."""
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    captured = capsys.readouterr()
    return CommandResult(exit_code=int(exited.value.code or 0), out=captured.out, err=captured.err)


@dataclass
class FakeBrowser:
    """Stands in for the user's browser: loads the authorize URL and follows its redirect to the callback.

    `rewrite` may change the authorize URL first, and `callback_rewrite` the redirect URL it returned.
    """

    rewrite: Callable[[str], str] | None = None
    callback_rewrite: Callable[[str], str] | None = None
    opened: list[str] = field(default_factory=list)
    callback_pages: list[httpx.Response] = field(default_factory=list)

    def __call__(self, url: str, *args: object, **kwargs: object) -> bool:
        self.opened.append(url)
        target = self.rewrite(url) if self.rewrite else url
        with httpx.Client(timeout=BROWSER_TIMEOUT_SECONDS) as browser:
            answer = browser.get(target)
            if answer.status_code != 302:
                return True
            location = answer.headers["location"]
            if self.callback_rewrite:
                location = self.callback_rewrite(location)
            self.callback_pages.append(browser.get(location))
        return True


def replace_query(url: str, **values: str) -> str:
    """Return `url` with the given query parameters set to new values."""
    parts = urlsplit(url)
    query = {name: items[-1] for name, items in parse_qs(parts.query, keep_blank_values=True).items()}
    query.update(values)
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_of(url: str) -> dict[str, str]:
    return {name: items[-1] for name, items in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def basic_client_auth() -> str:
    credentials = f"{SANDBOX_CLIENT_ID}:{SANDBOX_CLIENT_SECRET}".encode()
    return "Basic " + base64.b64encode(credentials).decode()


def read_store(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def file_mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def default_store(home: Path) -> Path:
    """The default store path under the test's private home (XDG_CONFIG_HOME is home/.config)."""
    return home / ".config" / "goto-training-mcp" / "tokens.json"


def assert_no_secret(text: str, secrets: Sequence[str | None]) -> None:
    for secret in secrets:
        if secret:
            assert secret not in text
