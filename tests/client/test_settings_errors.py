"""Settings from GOTO_* variables: one ConfigurationError message per problem, never showing a secret."""

from __future__ import annotations

import pytest

from server.settings import ConfigurationError, load_settings, require_credentials
from tests.client.goto_fakes import (
    ACCESS_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    PERSONAL_ACCESS_TOKEN,
    REFRESH_TOKEN,
    SECRETS,
)

KEY_RULE = (
    "keys are decimal numbers from 0 to 9223372036854775807 with no signs, spaces or other characters. "
    "Copy the key from a list result"
)


@pytest.fixture(autouse=True)
def empty_working_directory(tmp_path, monkeypatch):
    """Run in an empty folder, so no stray .env file is read."""
    monkeypatch.chdir(tmp_path)


def set_environment(monkeypatch: pytest.MonkeyPatch, **variables: str) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


def assert_no_secret_in(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"GOTO_CLIENT_SECRET": CLIENT_SECRET, "GOTO_REFRESH_TOKEN": REFRESH_TOKEN},
            "GOTO_CLIENT_ID is not set, but GoTo needs the OAuth client's id and secret to refresh tokens. "
            "Set GOTO_CLIENT_ID and GOTO_CLIENT_SECRET from the GoTo developer center.",
        ),
        (
            {"GOTO_CLIENT_ID": CLIENT_ID, "GOTO_PERSONAL_ACCESS_TOKEN": PERSONAL_ACCESS_TOKEN},
            "GOTO_CLIENT_SECRET is not set, but GoTo needs the OAuth client's id and secret to refresh tokens. "
            "Set GOTO_CLIENT_ID and GOTO_CLIENT_SECRET from the GoTo developer center.",
        ),
        (
            {
                "GOTO_CLIENT_ID": CLIENT_ID,
                "GOTO_CLIENT_SECRET": CLIENT_SECRET,
                "GOTO_REFRESH_TOKEN": REFRESH_TOKEN,
                "GOTO_PERSONAL_ACCESS_TOKEN": PERSONAL_ACCESS_TOKEN,
            },
            "Both GOTO_REFRESH_TOKEN and GOTO_PERSONAL_ACCESS_TOKEN are set, so it is unclear which one to use. "
            "Unset one of them.",
        ),
        (
            {"GOTO_CLIENT_ID": "   ", "GOTO_CLIENT_SECRET": CLIENT_SECRET, "GOTO_REFRESH_TOKEN": REFRESH_TOKEN},
            "GOTO_CLIENT_ID is not set, but GoTo needs the OAuth client's id and secret to refresh tokens. "
            "Set GOTO_CLIENT_ID and GOTO_CLIENT_SECRET from the GoTo developer center.",
        ),
        (
            {},
            "No GoTo credentials are set. Run `goto-training-mcp login` with GOTO_CLIENT_ID and GOTO_CLIENT_SECRET "
            "set, or set GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) with GOTO_CLIENT_ID and "
            "GOTO_CLIENT_SECRET, or GOTO_ACCESS_TOKEN for a short test. "
            "To try the server without an account, run `goto-training-mcp demo`.",
        ),
    ],
    ids=["refresh-token-without-client-id", "pat-without-secret", "refresh-and-pat", "blank-client-id", "none"],
)
def test_unusable_credentials_raise_one_message(monkeypatch, variables, message):
    set_environment(monkeypatch, **variables)
    settings = load_settings()

    with pytest.raises(ConfigurationError) as raised:
        require_credentials(settings)

    assert str(raised.value) == message
    assert_no_secret_in(str(raised.value))


def test_token_file_without_client_raises(tmp_path, monkeypatch):
    token_file = tmp_path / "tokens.json"
    token_file.write_text("{}", encoding="utf-8")
    set_environment(monkeypatch, GOTO_TOKEN_FILE=str(token_file))
    settings = load_settings()

    with pytest.raises(ConfigurationError) as raised:
        require_credentials(settings)

    assert str(raised.value) == (
        f"GOTO_TOKEN_FILE {str(token_file)!r} holds tokens, but GOTO_CLIENT_ID and "
        "GOTO_CLIENT_SECRET are needed to refresh them. Set both."
    )


@pytest.mark.parametrize(
    "variables",
    [
        {"GOTO_ACCESS_TOKEN": ACCESS_TOKEN},
        {"GOTO_CLIENT_ID": CLIENT_ID, "GOTO_CLIENT_SECRET": CLIENT_SECRET, "GOTO_REFRESH_TOKEN": REFRESH_TOKEN},
        {
            "GOTO_CLIENT_ID": CLIENT_ID,
            "GOTO_CLIENT_SECRET": CLIENT_SECRET,
            "GOTO_PERSONAL_ACCESS_TOKEN": PERSONAL_ACCESS_TOKEN,
        },
    ],
    ids=["access-token", "refresh-token", "personal-access-token"],
)
def test_usable_credentials_pass(monkeypatch, variables):
    set_environment(monkeypatch, **variables)

    require_credentials(load_settings())


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"GOTO_ORGANIZER_KEY": "12a"},
            f"GOTO_ORGANIZER_KEY is invalid: key '12a' is not a valid key: {KEY_RULE}. "
            "Fix or unset GOTO_ORGANIZER_KEY.",
        ),
        (
            {"GOTO_API_URL": "api.getgo.com/G2T/rest"},
            "GOTO_API_URL is invalid: 'api.getgo.com/G2T/rest' is not an http(s) URL. Fix or unset GOTO_API_URL.",
        ),
        (
            {"GOTO_TIMEOUT_SECONDS": "0"},
            "GOTO_TIMEOUT_SECONDS is invalid: Input should be greater than 0. Fix or unset GOTO_TIMEOUT_SECONDS.",
        ),
        (
            {"GOTO_ACCOUNT_KEY": "-1", "GOTO_AUTH_URL": "ftp://127.0.0.1"},
            f"GOTO_ACCOUNT_KEY is invalid: key '-1' is not a valid key: {KEY_RULE}. Fix or unset GOTO_ACCOUNT_KEY. "
            "GOTO_AUTH_URL is invalid: 'ftp://127.0.0.1' is not an http(s) URL. Fix or unset GOTO_AUTH_URL.",
        ),
    ],
    ids=["organizer-key", "api-url", "timeout", "two-variables"],
)
def test_invalid_setting_names_variable_and_fix(monkeypatch, variables, message):
    set_environment(
        monkeypatch,
        GOTO_CLIENT_ID=CLIENT_ID,
        GOTO_CLIENT_SECRET=CLIENT_SECRET,
        GOTO_REFRESH_TOKEN=REFRESH_TOKEN,
        **variables,
    )

    with pytest.raises(ConfigurationError) as raised:
        load_settings()

    assert str(raised.value) == message
    assert_no_secret_in(str(raised.value))


def test_settings_repr_hides_secrets(monkeypatch):
    set_environment(
        monkeypatch,
        GOTO_CLIENT_ID=CLIENT_ID,
        GOTO_CLIENT_SECRET=CLIENT_SECRET,
        GOTO_REFRESH_TOKEN=REFRESH_TOKEN,
        GOTO_ACCESS_TOKEN=ACCESS_TOKEN,
        GOTO_ORGANIZER_KEY=" 7301234567890123456 ",
    )

    settings = load_settings()

    assert settings.client_secret.get_secret_value() == CLIENT_SECRET
    assert settings.organizer_key == "7301234567890123456"
    assert CLIENT_ID in repr(settings)
    assert_no_secret_in(repr(settings))
    assert_no_secret_in(str(settings))
    assert_no_secret_in(settings.model_dump_json())


def test_dotenv_file_in_working_directory_is_read(tmp_path):
    (tmp_path / ".env").write_text(
        f"GOTO_CLIENT_ID={CLIENT_ID}\nGOTO_CLIENT_SECRET={CLIENT_SECRET}\nGOTO_REFRESH_TOKEN={REFRESH_TOKEN}\n"
        "GOTO_LOG_LEVEL=debug\n",
        encoding="utf-8",
    )

    settings = load_settings()

    assert settings.client_id == CLIENT_ID
    assert settings.refresh_token.get_secret_value() == REFRESH_TOKEN
    assert settings.log_level == "DEBUG"
    require_credentials(settings)


def test_default_hosts_are_goto_production(monkeypatch):
    set_environment(monkeypatch, GOTO_ACCESS_TOKEN=ACCESS_TOKEN, GOTO_API_URL="http://127.0.0.1:18401/G2T/rest/")

    settings = load_settings()

    assert settings.api_url == "http://127.0.0.1:18401/G2T/rest"
    assert settings.training_api_url == "https://api.goto.com/training/v1"
    assert settings.auth_url == "https://authentication.logmeininc.com"
    assert settings.admin_api_url == "https://api.getgo.com/admin/rest/v1"
