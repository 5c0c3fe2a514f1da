"""`goto-training-mcp login` against the sandbox's authorize and token endpoints on 127.0.0.1."""

from __future__ import annotations

import io
import socket
import sys
import time
import webbrowser

from server.login import BrowserLogin, login_with_browser
from server.sandbox import (
    SANDBOX_ACCOUNT_KEY,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ORGANIZER_KEY,
    SANDBOX_PERSONAL_ACCESS_TOKEN,
)
from server.settings import load_settings
from server.token_store import fingerprint
from tests.signin.helpers import (
    STORE_FIELDS,
    FakeBrowser,
    assert_no_secret,
    basic_client_auth,
    default_store,
    file_mode,
    query_of,
    read_store,
    replace_query,
    run_command,
    s256,
)

SANDBOX_EMAIL = "alex.sample@example.com"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_login_signs_in_through_authorize_and_token_endpoints(world, private_home, capsys, monkeypatch):
    browser = FakeBrowser()
    monkeypatch.setattr(webbrowser, "open", browser)

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 0, result.err
    authorize = world.sandbox.requests_matching("GET", "^/oauth/authorize$")
    assert len(authorize) == 1
    sent = authorize[0].query
    redirect_uri = sent["redirect_uri"]
    assert redirect_uri.startswith("http://127.0.0.1:")
    assert redirect_uri.endswith("/callback")
    assert sent["client_id"] == SANDBOX_CLIENT_ID
    assert sent["response_type"] == "code"
    assert len(sent["state"]) >= 32
    assert sent["code_challenge_method"] == "S256"

    token_requests = world.sandbox.token_requests
    assert len(token_requests) == 1
    exchange = token_requests[0]
    assert exchange.headers["authorization"] == basic_client_auth()
    assert exchange.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert exchange.form["grant_type"] == "authorization_code"
    assert exchange.form["redirect_uri"] == redirect_uri
    assert s256(exchange.form["code_verifier"]) == sent["code_challenge"]
    assert exchange.status == 200
    assert browser.callback_pages[0].status_code == 200


def test_login_writes_private_store_without_extra_secrets(world, private_home, capsys, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login", "--port", "0")

    store_path = default_store(private_home)
    assert result.exit_code == 0, result.err
    assert file_mode(store_path) == 0o600
    assert file_mode(store_path.parent) == 0o700
    stored = read_store(store_path)
    assert set(stored) == STORE_FIELDS
    assert stored["format"] == 1
    assert stored["organizer_key"] == SANDBOX_ORGANIZER_KEY
    assert stored["account_key"] == SANDBOX_ACCOUNT_KEY
    assert stored["email"] == SANDBOX_EMAIL
    assert stored["source"] is None
    assert stored["refresh_token"] in world.sandbox.tokens.refresh_tokens
    assert stored["access_token"] in world.sandbox.tokens.access_tokens
    assert stored["expires_at"] > time.time() + 3000
    raw = store_path.read_text(encoding="utf-8")
    assert_no_secret(raw, [SANDBOX_CLIENT_SECRET, world.sandbox.token_requests[0].form["code"]])


def test_login_report_shows_no_secret(world, private_home, capsys, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login", "--port", "0")

    stored = read_store(default_store(private_home))
    lines = result.out.splitlines()
    assert lines[0] == "Opened the browser to sign in to GoTo. If no browser window appeared, open this URL:"
    assert lines[1].startswith(f"  {world.origin}/oauth/authorize?client_id={SANDBOX_CLIENT_ID}&")
    assert lines[2].startswith("Waiting up to 300 seconds for GoTo to redirect to http://127.0.0.1:")
    assert lines[3:] == [
        f"Signed in as {SANDBOX_EMAIL} (organizer key {SANDBOX_ORGANIZER_KEY}, account key {SANDBOX_ACCOUNT_KEY}).",
        f"Saved the tokens to {default_store(private_home)} (readable only by you).",
        "Start the server with `goto-training-mcp`; it needs GOTO_CLIENT_ID and GOTO_CLIENT_SECRET too, "
        "to refresh the tokens.",
    ]
    code = world.sandbox.token_requests[0].form["code"]
    secrets = [stored["access_token"], stored["refresh_token"], SANDBOX_CLIENT_SECRET, code]
    assert_no_secret(result.out + result.err, secrets)


def test_login_without_pkce_sends_no_challenge(world, capsys, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login", "--port", "0", "--no-pkce")

    assert result.exit_code == 0, result.err
    authorize = world.sandbox.requests_matching("GET", "^/oauth/authorize$")[0]
    assert "code_challenge" not in authorize.query
    assert "code_challenge_method" not in authorize.query
    assert "code_verifier" not in world.sandbox.token_requests[0].form


def test_login_pkce_setting_off_sends_no_challenge(world, capsys, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())
    monkeypatch.setenv("GOTO_LOGIN_PKCE", "false")

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 0, result.err
    assert "code_challenge" not in world.sandbox.requests_matching("GET", "^/oauth/authorize$")[0].query
    assert "code_verifier" not in world.sandbox.token_requests[0].form


def test_login_uses_configured_port(world, capsys, monkeypatch):
    port = free_port()
    monkeypatch.setenv("GOTO_LOGIN_PORT", str(port))
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login")

    expected = f"http://127.0.0.1:{port}/callback"
    assert result.exit_code == 0, result.err
    assert world.sandbox.requests_matching("GET", "^/oauth/authorize$")[0].query["redirect_uri"] == expected
    assert world.sandbox.token_requests[0].form["redirect_uri"] == expected


def test_login_reads_keys_from_admin_api(world_without_keys_in_tokens, private_home, capsys, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 0, result.err
    me = world_without_keys_in_tokens.sandbox.requests_matching("GET", "/admin/rest/v1/me$")
    assert len(me) == 1
    stored = read_store(default_store(private_home))
    assert stored["organizer_key"] == SANDBOX_ORGANIZER_KEY
    assert stored["account_key"] == SANDBOX_ACCOUNT_KEY
    assert stored["email"] == SANDBOX_EMAIL
    assert file_mode(default_store(private_home)) == 0o600


def test_login_writes_to_goto_token_file_when_set(world, private_home, capsys, monkeypatch):
    monkeypatch.setenv("GOTO_TOKEN_FILE", str(world.token_file))
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 0, result.err
    assert read_store(world.token_file)["organizer_key"] == SANDBOX_ORGANIZER_KEY
    assert not default_store(private_home).exists()


def test_login_without_browser_prints_the_url(world, capsys, no_real_browser):
    result = run_command(capsys, "login", "--port", "0", "--no-browser", "--timeout", "0.2")

    lines = result.out.splitlines()
    assert lines[0] == "Open this URL in a browser to sign in to GoTo:"
    assert lines[1].startswith(f"  {world.origin}/oauth/authorize?")
    assert no_real_browser == []
    assert result.exit_code == 1


def test_login_prints_url_when_browser_cannot_open(world, capsys, no_real_browser):
    result = run_command(capsys, "login", "--port", "0", "--timeout", "0.2")

    opened = list(no_real_browser)
    no_real_browser.clear()
    lines = result.out.splitlines()
    assert len(opened) == 1
    assert lines[0] == "Open this URL in a browser to sign in to GoTo:"
    assert lines[1] == f"  {opened[0]}"
    assert result.exit_code == 1


def test_login_times_out_with_redirect_hint(world, capsys):
    port = free_port()

    result = run_command(capsys, "login", "--port", str(port), "--no-browser", "--timeout", "0.2")

    redirect_uri = f"http://127.0.0.1:{port}/callback"
    assert result.exit_code == 1
    assert result.err == (
        f"goto-training-mcp login: No sign-in arrived at {redirect_uri} within 0.2 seconds. If the browser showed "
        "an error about the redirect URL, set the OAuth client's redirect URL in the GoTo developer center to "
        f"exactly {redirect_uri}. Then run `goto-training-mcp login` again.\n"
    )
    assert world.sandbox.token_requests == []


def test_login_rejects_foreign_state(world, private_home, capsys, monkeypatch):
    browser = FakeBrowser(callback_rewrite=lambda location: replace_query(location, state="forged"))
    monkeypatch.setattr(webbrowser, "open", browser)

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 1
    assert result.err == (
        "goto-training-mcp login: The sign-in redirect carried a state that does not match this login, so it was "
        "rejected. It may come from an older login tab, or from another site. Run `goto-training-mcp login` again.\n"
    )
    assert browser.callback_pages[0].status_code == 400
    assert world.sandbox.token_requests == []
    assert not default_store(private_home).exists()


def test_login_reports_redirect_error_from_authorize(world, capsys, monkeypatch):
    def refuse_redirect(location: str) -> str:
        query = query_of(location)
        base = location.split("?")[0]
        return replace_query(
            f"{base}?state={query['state']}",
            error="invalid_request",
            error_description="redirect_uri does not match a registered redirect URL",
        )

    monkeypatch.setattr(webbrowser, "open", FakeBrowser(callback_rewrite=refuse_redirect))

    result = run_command(capsys, "login", "--port", "0")

    redirect_uri = world.sandbox.requests_matching("GET", "^/oauth/authorize$")[0].query["redirect_uri"]
    assert result.exit_code == 1
    assert result.err == (
        f"goto-training-mcp login: GoTo rejected the redirect URL {redirect_uri} (invalid_request (redirect_uri "
        "does not match a registered redirect URL)). In the GoTo developer center, set the OAuth client's redirect "
        f"URL to exactly {redirect_uri}, or run `goto-training-mcp login --port PORT` with the port of the redirect "
        "URL it has.\n"
    )
    assert world.sandbox.token_requests == []


def test_login_reports_redirect_mismatch_from_token_endpoint(world, capsys, monkeypatch):
    # The browser requests a code for another redirect URL than the one the token request repeats.
    browser = FakeBrowser(rewrite=lambda url: replace_query(url, redirect_uri=query_of(url)["redirect_uri"] + "?x=1"))
    monkeypatch.setattr(webbrowser, "open", browser)

    result = run_command(capsys, "login", "--port", "0")

    sent_uri = world.sandbox.token_requests[0].form["redirect_uri"]
    assert result.exit_code == 1
    assert result.err.startswith(f"goto-training-mcp login: GoTo rejected the redirect URL {sent_uri} (invalid_grant (")
    assert result.err.endswith(
        f"In the GoTo developer center, set the OAuth client's redirect URL to exactly {sent_uri}, or run "
        "`goto-training-mcp login --port PORT` with the port of the redirect URL it has.\n"
    )


def test_login_reports_invalid_client(world, private_home, capsys, monkeypatch):
    monkeypatch.setenv("GOTO_CLIENT_SECRET", "not-the-sandbox-secret")
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 1
    assert result.err == (
        "goto-training-mcp login: GoTo rejected the OAuth client (invalid_client (Client authentication failed.)). "
        "Check GOTO_CLIENT_ID and GOTO_CLIENT_SECRET against the OAuth client in the GoTo developer center.\n"
    )
    assert world.sandbox.token_requests[0].status == 401
    assert not default_store(private_home).exists()
    assert "not-the-sandbox-secret" not in result.out + result.err


def test_login_reports_used_code_as_invalid_grant(world, capsys, monkeypatch):
    world.sandbox.fail_next(
        400,
        {"error": "invalid_grant", "error_description": "The authorization code is invalid or was already used."},
        path_regex="^/oauth/token$",
    )
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 1
    assert result.err == (
        "goto-training-mcp login: GoTo rejected the authorization code (invalid_grant (The authorization code is "
        "invalid or was already used.)). A code works once and only for a few minutes. "
        "Run `goto-training-mcp login` again.\n"
    )


def test_login_reports_port_in_use(world, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run_command(capsys, "login", "--port", str(port))

    assert result.exit_code == 1
    assert result.err == (
        f"goto-training-mcp login: Port {port} on 127.0.0.1 is in use, so the sign-in cannot receive GoTo's "
        "redirect there. Stop the program that uses it, or run `goto-training-mcp login --port PORT` with the "
        "port of another redirect URL of the OAuth client.\n"
    )
    assert world.sandbox.requests == []


def test_login_without_client_exits_2(capsys, monkeypatch):
    monkeypatch.setenv("GOTO_CLIENT_SECRET", SANDBOX_CLIENT_SECRET)

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 2
    assert result.err == (
        "goto-training-mcp: GOTO_CLIENT_ID is not set, but signing in needs the OAuth client's id and secret. "
        "Create an OAuth client in the GoTo developer center (see the README), then set GOTO_CLIENT_ID and "
        "GOTO_CLIENT_SECRET.\n"
    )
    assert SANDBOX_CLIENT_SECRET not in result.err


def test_login_warns_when_environment_credential_comes_first(world, capsys, monkeypatch):
    monkeypatch.setenv("GOTO_REFRESH_TOKEN", "an-older-refresh-token")
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 0, result.err
    assert (
        "GOTO_REFRESH_TOKEN is set and comes first, so the server signs in with it, not with this store."
        in result.out.splitlines()
    )
    assert "an-older-refresh-token" not in result.out


def test_login_with_personal_access_token_from_stdin(world, private_home, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(SANDBOX_PERSONAL_ACCESS_TOKEN + "\n"))

    result = run_command(capsys, "login", "--personal-access-token")

    assert result.exit_code == 0, result.err
    exchange = world.sandbox.token_requests[0]
    assert exchange.form == {"grant_type": "personal_access_token", "pat": SANDBOX_PERSONAL_ACCESS_TOKEN}
    assert exchange.headers["authorization"] == basic_client_auth()
    assert world.sandbox.requests_matching("GET", "^/oauth/authorize$") == []
    stored = read_store(default_store(private_home))
    assert stored["source"] == fingerprint(SANDBOX_PERSONAL_ACCESS_TOKEN)
    assert stored["organizer_key"] == SANDBOX_ORGANIZER_KEY
    raw = default_store(private_home).read_text(encoding="utf-8")
    assert_no_secret(raw + result.out + result.err, [SANDBOX_PERSONAL_ACCESS_TOKEN, SANDBOX_CLIENT_SECRET])
    assert_no_secret(result.out, [stored["access_token"], stored["refresh_token"]])


def test_login_with_personal_access_token_from_environment(world, private_home, capsys, monkeypatch):
    monkeypatch.setenv("GOTO_PERSONAL_ACCESS_TOKEN", SANDBOX_PERSONAL_ACCESS_TOKEN)
    monkeypatch.setattr(sys, "stdin", io.StringIO("ignored\n"))

    result = run_command(capsys, "login", "--personal-access-token")

    assert result.exit_code == 0, result.err
    assert world.sandbox.token_requests[0].form["pat"] == SANDBOX_PERSONAL_ACCESS_TOKEN
    assert "comes first" not in result.out
    assert read_store(default_store(private_home))["source"] == fingerprint(SANDBOX_PERSONAL_ACCESS_TOKEN)


def test_login_rejects_personal_access_token_on_command_line(world, capsys):
    result = run_command(capsys, "login", "--personal-access-token", SANDBOX_PERSONAL_ACCESS_TOKEN)

    assert result.exit_code == 2
    assert "unrecognized arguments" in result.err
    assert world.sandbox.token_requests == []


def test_login_with_empty_personal_access_token_fails(world, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))

    result = run_command(capsys, "login", "--personal-access-token")

    assert result.exit_code == 1
    assert result.err == (
        "goto-training-mcp login: The personal access token is empty. "
        "Pass it on standard input or in GOTO_PERSONAL_ACCESS_TOKEN.\n"
    )
    assert world.sandbox.token_requests == []


def test_login_with_wrong_personal_access_token_fails(world, private_home, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("not-a-valid-token\n"))

    result = run_command(capsys, "login", "--personal-access-token")

    assert result.exit_code == 1
    assert result.err.startswith(
        "goto-training-mcp login: GoTo rejected the personal access token (invalid_grant (The personal access token "
        "(pat) is invalid.)). "
    )
    assert not default_store(private_home).exists()


def test_login_warns_about_clock_far_from_token_endpoint(world, private_home):
    three_hours = 3 * 3600
    browser = FakeBrowser()
    lines: list[str] = []

    result = login_with_browser(
        load_settings(),
        BrowserLogin(port=0),
        open_browser=browser,
        report=lines.append,
        clock=lambda: time.time() + three_hours,
    )

    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(
        "This computer's clock is about 3 hours ahead of the clock of the GoTo token endpoint ("
    )
    assert result.warnings[0].endswith(
        "Set this computer's clock right (turn on automatic date and time), then try again."
    )
    assert read_store(default_store(private_home))["organizer_key"] == SANDBOX_ORGANIZER_KEY


def test_login_rejects_token_that_arrives_expired(world, private_home, capsys, monkeypatch):
    world.sandbox.fail_next(
        200,
        {"access_token": "already-expired-access-token", "token_type": "Bearer", "expires_in": 0},
        path_regex="^/oauth/token$",
    )
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 1
    assert result.err == (
        "goto-training-mcp login: The GoTo token endpoint sent an access token that had already expired "
        "(expires_in 0 s). Set this computer's clock right (turn on automatic date and time), then try again. "
        "If the clock is right, try again later.\n"
    )
    assert not default_store(private_home).exists()


def test_login_rejects_zero_timeout(world, capsys):
    result = run_command(capsys, "login", "--timeout", "0")

    assert result.exit_code == 2
    assert "argument --timeout: invalid number of seconds '0': it must be more than 0" in result.err
    assert world.sandbox.requests == []
