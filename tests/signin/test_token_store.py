"""The token store on disk: default path, atomic writes, private modes, and formats it refuses."""

from __future__ import annotations

import errno
import json
import os
import webbrowser

import pytest

from server import token_store
from server.errors import TokenStoreError
from server.token_store import TokenSet, default_token_path, delete_tokens, load_tokens, save_tokens
from tests.signin.helpers import FakeBrowser, default_store, file_mode, read_store, run_command

OLD = TokenSet(access_token="old-access-token", expires_at=1_800_000_000.0, refresh_token="old-refresh-token")
NEW = TokenSet(access_token="new-access-token", expires_at=1_800_003_600.0, refresh_token="new-refresh-token")


def fail_rename(source: str, target: object) -> None:
    assert os.path.exists(source), "the temporary file should be written before the rename"
    raise OSError(errno.ENOSPC, "No space left on device")


def test_default_store_is_in_user_config_folder(private_home):
    assert default_token_path() == default_store(private_home)


def test_failed_rename_keeps_previous_store_readable(tmp_path, monkeypatch):
    path = tmp_path / "store" / "tokens.json"
    save_tokens(path, OLD)
    before = path.read_bytes()
    monkeypatch.setattr(token_store, "replace_file", fail_rename)

    with pytest.raises(TokenStoreError) as raised:
        save_tokens(path, NEW)

    assert str(raised.value) == f"Could not write the token file {str(path)!r}: No space left on device."
    assert path.read_bytes() == before
    assert load_tokens(path).refresh_token == "old-refresh-token"
    assert sorted(os.listdir(path.parent)) == ["tokens.json"]


def test_save_creates_private_folder_and_file(tmp_path):
    path = tmp_path / "config" / "goto-training-mcp" / "tokens.json"

    save_tokens(path, NEW)

    assert file_mode(path) == 0o600
    assert file_mode(path.parent) == 0o700
    assert read_store(path)["refresh_token"] == "new-refresh-token"


def test_store_of_newer_format_stops_serve_with_message(tmp_path, monkeypatch, capsys):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps({"format": 2, "refresh_token": "from-the-future"}), encoding="utf-8")
    monkeypatch.setenv("GOTO_TOKEN_FILE", str(path))
    monkeypatch.setenv("GOTO_CLIENT_ID", "client")
    monkeypatch.setenv("GOTO_CLIENT_SECRET", "client-secret")

    result = run_command(capsys)

    assert result.exit_code == 2
    assert result.out == ""
    assert result.err == (
        f"goto-training-mcp: The token file {str(path)!r} has format 2, newer than this version of "
        "goto-training-mcp reads (1). Upgrade goto-training-mcp or sign in again.\n"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"format": "1"}', "has an unknown format '1'. Delete it and sign in again."),
        ('{"format": 0}', "has an unknown format 0. Delete it and sign in again."),
        ('{"format": 1, "refresh_token": 12}', "has an invalid refresh_token. Delete it and sign in again."),
        ('{"format": 1, "expires_at": "soon"}', "has an invalid expires_at. Delete it and sign in again."),
    ],
    ids=["format-as-text", "format-zero", "refresh-token-number", "expiry-text"],
)
def test_store_with_invalid_content_raises(tmp_path, content, problem):
    path = tmp_path / "tokens.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(TokenStoreError) as raised:
        load_tokens(path)

    assert str(raised.value) == f"The token file {str(path)!r} {problem}"


def test_delete_reports_whether_a_store_existed(tmp_path):
    path = tmp_path / "tokens.json"
    save_tokens(path, NEW)

    assert delete_tokens(path) is True
    assert not path.exists()
    assert delete_tokens(path) is False


def test_login_that_cannot_rename_keeps_previous_store(world, private_home, capsys, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", FakeBrowser())
    assert run_command(capsys, "login", "--port", "0").exit_code == 0
    path = default_store(private_home)
    before = path.read_bytes()
    monkeypatch.setattr(token_store, "replace_file", fail_rename)

    result = run_command(capsys, "login", "--port", "0")

    assert result.exit_code == 1
    assert result.err == (
        f"goto-training-mcp login: Could not write the token file {str(path)!r}: No space left on device.\n"
    )
    assert path.read_bytes() == before
    assert load_tokens(path).refresh_token == json.loads(before)["refresh_token"]
    assert sorted(os.listdir(path.parent)) == ["tokens.json"]
