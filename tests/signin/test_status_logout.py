"""`goto-training-mcp status` and `logout`: what they report, what they change, and that no secret shows."""

from __future__ import annotations

import re
import webbrowser

from server.sandbox import (
    SANDBOX_ACCOUNT_KEY,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ORGANIZER_KEY,
    SANDBOX_REFRESH_TOKEN,
)
from server.token_store import TokenSet, save_tokens
from tests.signin.helpers import FakeBrowser, assert_no_secret, default_store, read_store, run_command

SANDBOX_EMAIL = "alex.sample@example.com"
EXPIRY = r"expires at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \(in (59|60) minutes\)"


def log_in(capsys, monkeypatch) -> None:
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())
    assert run_command(capsys, "login", "--port", "0").exit_code == 0


def test_status_after_login_reports_identity_expiry_and_refresh(world, private_home, capsys, monkeypatch):
    log_in(capsys, monkeypatch)
    before = read_store(default_store(private_home))

    result = run_command(capsys, "status")

    after = read_store(default_store(private_home))
    lines = result.out.splitlines()
    assert result.exit_code == 0
    assert result.err == ""
    assert lines[:3] == [
        f"Signed in as: {SANDBOX_EMAIL} (organizer key {SANDBOX_ORGANIZER_KEY}, account key {SANDBOX_ACCOUNT_KEY})",
        "Credentials: the token store",
        f"Token store: {default_store(private_home)} (present)",
    ]
    assert re.fullmatch(f"Access token: {EXPIRY}", lines[3])
    assert re.fullmatch(f"Refresh: works; the new access token {EXPIRY}", lines[4])
    assert len(lines) == 5
    refresh = world.sandbox.token_requests[-1].form
    assert refresh == {"grant_type": "refresh_token", "refresh_token": before["refresh_token"]}
    assert after["access_token"] != before["access_token"]
    secrets = [before["access_token"], before["refresh_token"], after["access_token"], SANDBOX_CLIENT_SECRET]
    assert_no_secret(result.out + result.err, secrets)


def test_status_keeps_rotated_refresh_token(rotating_world, private_home, capsys, monkeypatch):
    log_in(capsys, monkeypatch)
    before = read_store(default_store(private_home))

    result = run_command(capsys, "status")

    after = read_store(default_store(private_home))
    assert result.exit_code == 0
    assert after["refresh_token"] != before["refresh_token"]
    assert after["refresh_token"] in rotating_world.sandbox.tokens.refresh_tokens
    assert_no_secret(result.out, [after["refresh_token"], before["refresh_token"]])


def test_status_with_dead_refresh_token_exits_1(world, private_home, capsys):
    save_tokens(
        default_store(private_home),
        TokenSet(access_token=None, refresh_token="revoked-refresh-token", organizer_key=SANDBOX_ORGANIZER_KEY),
    )

    result = run_command(capsys, "status")

    lines = result.out.splitlines()
    assert result.exit_code == 1
    assert lines == [
        f"Signed in as: organizer key {SANDBOX_ORGANIZER_KEY}",
        "Credentials: the token store",
        f"Token store: {default_store(private_home)} (present)",
        "Access token: expiry unknown",
        "Refresh: failed. GoTo rejected the refresh token (invalid_grant (The refresh token is invalid, expired or "
        "revoked. Sign in again.)). Sign in again: run `goto-training-mcp login`, or put a new refresh token (or "
        "personal access token) in GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN), then restart the server.",
    ]
    assert "revoked-refresh-token" not in result.out + result.err


def test_status_with_environment_refresh_token(world, private_home, capsys, monkeypatch):
    monkeypatch.setenv("GOTO_REFRESH_TOKEN", SANDBOX_REFRESH_TOKEN)

    result = run_command(capsys, "status")

    lines = result.out.splitlines()
    assert result.exit_code == 0
    assert lines[1] == "Credentials: GOTO_REFRESH_TOKEN"
    assert lines[3] == "Access token: expiry unknown"
    assert read_store(default_store(private_home))["organizer_key"] == SANDBOX_ORGANIZER_KEY
    assert_no_secret(result.out, [SANDBOX_REFRESH_TOKEN, SANDBOX_CLIENT_SECRET])


def test_status_with_bare_access_token_reads_identity(world, private_home, capsys, monkeypatch):
    bare = world.sandbox.issue_access_token()
    monkeypatch.setenv("GOTO_ACCESS_TOKEN", bare)

    result = run_command(capsys, "status")

    assert result.exit_code == 0
    assert result.out.splitlines() == [
        f"Signed in as: {SANDBOX_EMAIL} (organizer key {SANDBOX_ORGANIZER_KEY}, account key {SANDBOX_ACCOUNT_KEY})",
        "Credentials: GOTO_ACCESS_TOKEN",
        f"Token store: {default_store(private_home)} (absent)",
        "Access token: expiry unknown",
        "Refresh: not possible, because a bare GOTO_ACCESS_TOKEN is used as it is",
    ]
    assert world.sandbox.token_requests == []
    assert not default_store(private_home).exists()
    assert bare not in result.out


def test_status_without_credentials_exits_1(private_home, capsys):
    result = run_command(capsys, "status")

    assert result.exit_code == 1
    assert result.out.splitlines() == [
        "Signed in: no",
        f"Token store: {default_store(private_home)} (absent)",
        "No GoTo credentials are set. Run `goto-training-mcp login` with GOTO_CLIENT_ID and GOTO_CLIENT_SECRET set, "
        "or set GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) with GOTO_CLIENT_ID and GOTO_CLIENT_SECRET, or "
        "GOTO_ACCESS_TOKEN for a short test. To try the server without an account, run `goto-training-mcp demo`.",
    ]


def test_logout_deletes_store(world, private_home, capsys, monkeypatch):
    log_in(capsys, monkeypatch)
    stored = read_store(default_store(private_home))

    result = run_command(capsys, "logout")

    assert result.exit_code == 0
    assert result.out == (
        f"Deleted the token store {default_store(private_home)}. GoTo was not asked to revoke the tokens.\n"
    )
    assert not default_store(private_home).exists()
    assert_no_secret(result.out + result.err, [stored["access_token"], stored["refresh_token"]])
    assert run_command(capsys, "status").exit_code == 1


def test_logout_without_store_says_so(private_home, capsys):
    result = run_command(capsys, "logout")

    assert result.exit_code == 0
    assert result.out == f"There is no token store at {default_store(private_home)}; nothing to delete.\n"


def test_logout_names_environment_credentials_still_set(world, private_home, capsys, monkeypatch):
    log_in(capsys, monkeypatch)
    monkeypatch.setenv("GOTO_REFRESH_TOKEN", SANDBOX_REFRESH_TOKEN)

    result = run_command(capsys, "logout")

    assert result.out.splitlines()[1:] == [
        "GOTO_REFRESH_TOKEN is still set, so the server still signs in with it. Unset it to sign out completely.",
    ]
    assert SANDBOX_REFRESH_TOKEN not in result.out


def test_logout_deletes_goto_token_file_when_set(world, private_home, capsys, monkeypatch):
    save_tokens(world.token_file, TokenSet(refresh_token="stored-refresh-token"))
    save_tokens(default_store(private_home), TokenSet(refresh_token="other-refresh-token"))
    monkeypatch.setenv("GOTO_TOKEN_FILE", str(world.token_file))

    result = run_command(capsys, "logout")

    assert result.exit_code == 0
    assert not world.token_file.exists()
    assert default_store(private_home).exists()
