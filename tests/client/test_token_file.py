"""The token file: rotated refresh tokens saved atomically with mode 0600, before they are used."""

from __future__ import annotations

import errno
import json
import os
import stat

import httpx
import pytest
import respx

from server import token_store
from server.errors import TokenStoreError
from server.token_store import TokenSet, load_tokens, save_tokens
from tests.client.goto_fakes import (
    ACCESS_TOKEN,
    NEW_ACCESS_TOKEN,
    NEWER_ACCESS_TOKEN,
    ORGANIZER_URL,
    REFRESH_TOKEN,
    ROTATED_REFRESH_TOKEN,
    STALE_REFRESH_TOKEN,
    START_TIME,
    TOKEN_URL,
    make_client,
    make_settings,
    refresh_form,
    source_fingerprint,
    token_response,
    write_token_file,
)

TRAININGS_URL = f"{ORGANIZER_URL}/trainings"


def file_mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def read_json(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def fail_replace(source: str, target: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


async def test_rotated_refresh_token_is_saved_before_first_use(tmp_path, clock, sleep):
    token_file = tmp_path / "state" / "tokens.json"
    settings = make_settings(access_token=None, token_file=token_file)
    file_when_used: list[dict] = []
    mode_when_used: list[int] = []

    def answer_after_reading_the_file(request: httpx.Request) -> httpx.Response:
        file_when_used.append(read_json(token_file))
        mode_when_used.append(file_mode(token_file))
        return httpx.Response(200, json=[])

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(
                side_effect=[
                    token_response(NEW_ACCESS_TOKEN, refresh_token=ROTATED_REFRESH_TOKEN),
                    token_response(NEWER_ACCESS_TOKEN),
                ]
            )
            trainings = router.get(TRAININGS_URL).mock(side_effect=answer_after_reading_the_file)
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_trainings()
            clock.advance(3600)
            await client.get_trainings()

    assert file_when_used[0] == {
        "format": 1,
        "access_token": NEW_ACCESS_TOKEN,
        "expires_at": START_TIME + 3600,
        "refresh_token": ROTATED_REFRESH_TOKEN,
        "organizer_key": None,
        "account_key": None,
        "email": None,
        "source": source_fingerprint(REFRESH_TOKEN),
    }
    assert mode_when_used[0] == 0o600
    assert trainings.calls[0].request.headers["Authorization"] == f"Bearer {NEW_ACCESS_TOKEN}"
    assert token.calls[0].request.content == refresh_form(REFRESH_TOKEN)
    assert token.calls[1].request.content == refresh_form(ROTATED_REFRESH_TOKEN)
    assert file_when_used[1]["refresh_token"] == ROTATED_REFRESH_TOKEN
    assert file_when_used[1]["access_token"] == NEWER_ACCESS_TOKEN
    assert sorted(os.listdir(token_file.parent)) == ["tokens.json"]


async def test_refresh_keeps_old_refresh_token(tmp_path, clock, sleep):
    token_file = tmp_path / "tokens.json"
    settings = make_settings(access_token=None, token_file=token_file)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(
                side_effect=[token_response(NEW_ACCESS_TOKEN), token_response(NEWER_ACCESS_TOKEN)]
            )
            router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_trainings()
            kept_in_memory = client.tokens.tokens.refresh_token
            kept_in_file = read_json(token_file)["refresh_token"]
            clock.advance(3600)
            await client.get_trainings()

    assert kept_in_memory == REFRESH_TOKEN
    assert kept_in_file == REFRESH_TOKEN
    assert token.calls[1].request.content == refresh_form(REFRESH_TOKEN)
    assert read_json(token_file)["refresh_token"] == REFRESH_TOKEN
    assert file_mode(token_file) == 0o600


async def test_restart_uses_the_rotated_token_from_the_file(tmp_path, clock, sleep):
    token_file = tmp_path / "tokens.json"
    write_token_file(
        token_file,
        access_token=ACCESS_TOKEN,
        expires_at=START_TIME - 10,
        refresh_token=ROTATED_REFRESH_TOKEN,
        source=source_fingerprint(REFRESH_TOKEN),
    )
    os.chmod(token_file, 0o644)
    settings = make_settings(access_token=None, token_file=token_file)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response(NEW_ACCESS_TOKEN))
            router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_trainings()

    assert token.calls.last.request.content == refresh_form(ROTATED_REFRESH_TOKEN)
    assert read_json(token_file)["refresh_token"] == ROTATED_REFRESH_TOKEN
    assert file_mode(token_file) == 0o600


async def test_new_environment_token_replaces_an_older_file(tmp_path, clock, sleep):
    token_file = tmp_path / "tokens.json"
    write_token_file(
        token_file,
        access_token=ACCESS_TOKEN,
        expires_at=START_TIME + 3000,
        refresh_token=STALE_REFRESH_TOKEN,
        source=source_fingerprint(STALE_REFRESH_TOKEN),
    )
    settings = make_settings(access_token=None, token_file=token_file)

    async with httpx.AsyncClient() as http:
        with respx.mock() as router:
            token = router.post(TOKEN_URL).mock(return_value=token_response(NEW_ACCESS_TOKEN))
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            await client.get_trainings()

    assert token.calls.last.request.content == refresh_form(REFRESH_TOKEN)
    assert trainings.calls.last.request.headers["Authorization"] == f"Bearer {NEW_ACCESS_TOKEN}"
    saved = read_json(token_file)
    assert saved["refresh_token"] == REFRESH_TOKEN
    assert saved["source"] == source_fingerprint(REFRESH_TOKEN)


def test_failed_replace_leaves_previous_file_intact(tmp_path, monkeypatch):
    token_file = tmp_path / "tokens.json"
    save_tokens(token_file, TokenSet(access_token=ACCESS_TOKEN, refresh_token=REFRESH_TOKEN, expires_at=START_TIME))
    before = token_file.read_bytes()
    monkeypatch.setattr(token_store, "replace_file", fail_replace)

    with pytest.raises(TokenStoreError) as raised:
        save_tokens(token_file, TokenSet(access_token=NEW_ACCESS_TOKEN, refresh_token=ROTATED_REFRESH_TOKEN))

    assert str(raised.value) == f"Could not write the token file {str(token_file)!r}: No space left on device."
    assert token_file.read_bytes() == before
    assert load_tokens(token_file).refresh_token == REFRESH_TOKEN
    assert os.listdir(tmp_path) == ["tokens.json"]


async def test_failed_save_during_refresh_is_retried(tmp_path, monkeypatch, clock, sleep):
    token_file = tmp_path / "tokens.json"
    write_token_file(
        token_file,
        access_token=ACCESS_TOKEN,
        expires_at=START_TIME - 10,
        refresh_token=REFRESH_TOKEN,
        source=source_fingerprint(REFRESH_TOKEN),
    )
    before = token_file.read_bytes()
    settings = make_settings(access_token=None, token_file=token_file)

    async with httpx.AsyncClient() as http:
        with respx.mock(assert_all_called=False) as router:
            token = router.post(TOKEN_URL).mock(
                return_value=token_response(NEW_ACCESS_TOKEN, refresh_token=ROTATED_REFRESH_TOKEN)
            )
            trainings = router.get(TRAININGS_URL).respond(200, json=[])
            client = make_client(settings, http, clock=clock, sleep=sleep)

            with monkeypatch.context() as patch:
                patch.setattr(token_store, "replace_file", fail_replace)
                with pytest.raises(TokenStoreError) as raised:
                    await client.get_trainings()
            file_after_failure = token_file.read_bytes()
            called_after_failure = trainings.called

            await client.get_trainings()

    assert str(raised.value) == f"Could not write the token file {str(token_file)!r}: No space left on device."
    assert file_after_failure == before
    assert called_after_failure is False
    assert token.call_count == 1
    assert read_json(token_file)["refresh_token"] == ROTATED_REFRESH_TOKEN
    assert trainings.calls.last.request.headers["Authorization"] == f"Bearer {NEW_ACCESS_TOKEN}"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "is not valid JSON. Delete it and sign in again."),
        ("[1, 2]", "is not a JSON object. Delete it and sign in again."),
        (
            '{"format": 2}',
            "has format 2, newer than this version of goto-training-mcp reads (1). "
            "Upgrade goto-training-mcp or sign in again.",
        ),
    ],
    ids=["not-json", "not-object", "newer-format"],
)
def test_unreadable_token_file_raises_token_store_error(tmp_path, content, problem):
    token_file = tmp_path / "tokens.json"
    token_file.write_text(content, encoding="utf-8")

    with pytest.raises(TokenStoreError) as raised:
        load_tokens(token_file)

    assert str(raised.value) == f"The token file {str(token_file)!r} {problem}"


def test_missing_token_file_loads_as_none(tmp_path):
    assert load_tokens(tmp_path / "absent.json") is None


def test_token_set_repr_leaves_tokens_out():
    tokens = TokenSet(access_token=ACCESS_TOKEN, refresh_token=REFRESH_TOKEN, organizer_key="12")

    text = repr(tokens)

    assert text == "TokenSet(organizer_key='12', expires_at=None, has_refresh_token=True)"
