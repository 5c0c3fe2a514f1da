"""Fixtures of the sign-in tests: a clean environment, no real browser, and a sandbox on loopback."""

from __future__ import annotations

import logging
import os
import webbrowser
from collections.abc import Iterator

import pytest

from server.sandbox import Sandbox, SandboxConfig
from server.sandbox.http import serve_in_thread
from tests.signin.helpers import SignInWorld, sandbox_environment


@pytest.fixture(autouse=True)
def clean_environment(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove the shell's GOTO_* variables and run in an empty folder, so no stray .env file is read.

    The private home folder comes from the `private_home` fixture of tests/conftest.py.
    """
    for name in list(os.environ):
        if name.startswith("GOTO_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def no_real_browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Replace the browser; a test that opens one without putting a fake in its place fails."""
    opened: list[str] = []

    def record(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return False

    monkeypatch.setattr(webbrowser, "open", record)
    yield opened
    assert opened == [], "a test asked for a real browser"


@pytest.fixture(autouse=True)
def keep_root_logging() -> Iterator[None]:
    """Restore the root logger, which the commands reconfigure to write to stderr."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _world(config: SandboxConfig, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[SignInWorld]:
    sandbox = Sandbox(config)
    with serve_in_thread(sandbox) as origin:
        for name, value in sandbox_environment(origin).items():
            monkeypatch.setenv(name, value)
        yield SignInWorld(sandbox=sandbox, origin=origin, token_file=tmp_path / "store" / "tokens.json")


@pytest.fixture
def world(monkeypatch, tmp_path) -> Iterator[SignInWorld]:
    """A sandbox served on 127.0.0.1 and GOTO_* variables pointing at it (with the OAuth client, no token)."""
    yield from _world(SandboxConfig(), monkeypatch, tmp_path)


@pytest.fixture
def rotating_world(monkeypatch, tmp_path) -> Iterator[SignInWorld]:
    """Like `world`, with a sandbox that replaces the refresh token on every refresh."""
    yield from _world(SandboxConfig(rotate_refresh_tokens=True), monkeypatch, tmp_path)


@pytest.fixture
def world_without_keys_in_tokens(monkeypatch, tmp_path) -> Iterator[SignInWorld]:
    """Like `world`, with token responses that leave out organizer_key and account_key, as newer GoTo ones do."""
    yield from _world(SandboxConfig(token_response_has_organizer_key=False), monkeypatch, tmp_path)
