"""OAuth: the token grants, client authentication, codes, PKCE, refresh tokens and token expiry."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from server.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PERSONAL_ACCESS_TOKEN,
    SANDBOX_REFRESH_TOKEN,
    Sandbox,
    SandboxConfig,
)
from tests.sandbox.helpers import ORGANIZER, ORIGIN, FakeClock

BASIC = httpx.BasicAuth(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
REDIRECT_URI = "http://127.0.0.1:5123/callback"
VERIFIER = "a-pkce-code-verifier-that-is-long-enough-0123456789"


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@pytest.fixture
async def oauth_client(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=ORIGIN) as client:
        yield client


async def authorize(client: httpx.AsyncClient, **extra: str) -> str:
    """Run the authorize step and return the code from the redirect."""
    params = {
        "response_type": "code",
        "client_id": SANDBOX_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "state": "xyz",
    } | extra
    response = await client.get("/oauth/authorize", params=params)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


async def token(client: httpx.AsyncClient, auth: httpx.Auth | None = BASIC, **form: str) -> httpx.Response:
    return await client.post("/oauth/token", data=form, auth=auth)


async def test_authorize_redirects_with_code_and_state(oauth_client: httpx.AsyncClient) -> None:
    response = await oauth_client.get(
        "/oauth/authorize",
        params={"response_type": "code", "client_id": SANDBOX_CLIENT_ID, "redirect_uri": REDIRECT_URI, "state": "s1"},
    )

    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == ["s1"]
    assert len(query["code"][0]) >= 16


async def test_authorize_rejects_unknown_client(oauth_client: httpx.AsyncClient) -> None:
    params = {"response_type": "code", "client_id": "someone-else", "redirect_uri": REDIRECT_URI}

    response = await oauth_client.get("/oauth/authorize", params=params)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_authorization_code_grant_issues_tokens(oauth_client: httpx.AsyncClient) -> None:
    code = await authorize(oauth_client)

    response = await token(oauth_client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI)

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "collab:"
    assert body["principal"] == "alex.sample@example.com"
    assert body["refresh_token"]
    assert body["organizer_key"] == "8439885694023999999"
    assert body["account_key"] == "9123372036854770001"
    me = await oauth_client.get("/admin/rest/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200


async def test_token_response_can_leave_out_organizer_key(clock: FakeClock) -> None:
    sandbox = Sandbox(SandboxConfig(now=clock, token_response_has_organizer_key=False))
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=ORIGIN) as client:
        response = await token(client, grant_type="personal_access_token", pat=SANDBOX_PERSONAL_ACCESS_TOKEN)

    assert response.status_code == 200
    assert "organizer_key" not in response.json()
    assert "account_key" not in response.json()


async def test_authorization_code_is_single_use(oauth_client: httpx.AsyncClient) -> None:
    code = await authorize(oauth_client)
    first = await token(oauth_client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI)

    second = await token(oauth_client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI)

    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"


async def test_authorization_code_needs_same_redirect_uri(oauth_client: httpx.AsyncClient) -> None:
    code = await authorize(oauth_client)

    response = await token(
        oauth_client, grant_type="authorization_code", code=code, redirect_uri="http://127.0.0.1:5123/other"
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "redirect_uri" in response.json()["error_description"]


async def test_pkce_verifier_accepted(oauth_client: httpx.AsyncClient) -> None:
    code = await authorize(oauth_client, code_challenge=s256(VERIFIER), code_challenge_method="S256")

    response = await token(
        oauth_client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI, code_verifier=VERIFIER
    )

    assert response.status_code == 200


async def test_pkce_mismatch_rejected(oauth_client: httpx.AsyncClient) -> None:
    code = await authorize(oauth_client, code_challenge=s256(VERIFIER), code_challenge_method="S256")

    response = await token(
        oauth_client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT_URI,
        code_verifier=VERIFIER + "-wrong",
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_pkce_missing_verifier_rejected(oauth_client: httpx.AsyncClient) -> None:
    code = await authorize(oauth_client, code_challenge=s256(VERIFIER), code_challenge_method="S256")

    response = await token(oauth_client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_token_requires_basic_auth(oauth_client: httpx.AsyncClient) -> None:
    response = await token(
        oauth_client,
        auth=None,
        grant_type="refresh_token",
        refresh_token=SANDBOX_REFRESH_TOKEN,
        client_id=SANDBOX_CLIENT_ID,
        client_secret=SANDBOX_CLIENT_SECRET,
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_token_rejects_wrong_client_secret(oauth_client: httpx.AsyncClient) -> None:
    response = await token(
        oauth_client,
        auth=httpx.BasicAuth(SANDBOX_CLIENT_ID, "wrong"),
        grant_type="refresh_token",
        refresh_token=SANDBOX_REFRESH_TOKEN,
    )

    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client", "error_description": "Client authentication failed."}


async def test_unknown_grant_type_rejected(oauth_client: httpx.AsyncClient) -> None:
    response = await token(oauth_client, grant_type="password", username="a", password="b")

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


async def test_personal_access_token_grant(oauth_client: httpx.AsyncClient) -> None:
    response = await token(oauth_client, grant_type="personal_access_token", pat=SANDBOX_PERSONAL_ACCESS_TOKEN)

    assert response.status_code == 200
    assert response.json()["refresh_token"]
    assert response.json()["principal"] == "alex.sample@example.com"


async def test_wrong_personal_access_token_rejected(oauth_client: httpx.AsyncClient) -> None:
    response = await token(oauth_client, grant_type="personal_access_token", pat="not-the-pat")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_refresh_keeps_refresh_token_by_default(oauth_client: httpx.AsyncClient) -> None:
    first = await token(oauth_client, grant_type="refresh_token", refresh_token=SANDBOX_REFRESH_TOKEN)
    second = await token(oauth_client, grant_type="refresh_token", refresh_token=SANDBOX_REFRESH_TOKEN)

    assert first.status_code == 200
    assert "refresh_token" not in first.json()
    assert second.status_code == 200
    assert first.json()["access_token"] != second.json()["access_token"]


async def test_refresh_rotation_invalidates_old_token(clock: FakeClock) -> None:
    sandbox = Sandbox(SandboxConfig(now=clock, rotate_refresh_tokens=True))
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=ORIGIN) as client:
        first = await token(client, grant_type="refresh_token", refresh_token=SANDBOX_REFRESH_TOKEN)
        reused = await token(client, grant_type="refresh_token", refresh_token=SANDBOX_REFRESH_TOKEN)
        rotated = await token(client, grant_type="refresh_token", refresh_token=first.json()["refresh_token"])

    assert first.status_code == 200
    assert first.json()["refresh_token"] != SANDBOX_REFRESH_TOKEN
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    assert rotated.status_code == 200


async def test_unknown_refresh_token_rejected(oauth_client: httpx.AsyncClient) -> None:
    response = await token(oauth_client, grant_type="refresh_token", refresh_token="made-up")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_access_token_expires_after_lifetime(clock: FakeClock) -> None:
    sandbox = Sandbox(SandboxConfig(now=clock, token_lifetime_seconds=120))
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=ORIGIN) as client:
        issued = await token(client, grant_type="refresh_token", refresh_token=SANDBOX_REFRESH_TOKEN)
        headers = {"Authorization": f"Bearer {issued.json()['access_token']}"}
        clock.advance(119)
        still_valid = await client.get(f"{ORGANIZER}/trainings", headers=headers)
        clock.advance(1)
        expired = await client.get(f"{ORGANIZER}/trainings", headers=headers)

    assert issued.json()["expires_in"] == 120
    assert still_valid.status_code == 200
    assert expired.status_code == 403
    assert expired.json() == {"int_err_code": "InvalidToken", "msg": "Invalid token passed"}


async def test_expire_access_tokens_forces_invalid_token(sandbox: Sandbox, client: httpx.AsyncClient) -> None:
    sandbox.expire_access_tokens()

    response = await client.get(f"{ORGANIZER}/trainings")

    assert response.status_code == 403
    assert response.json()["int_err_code"] == "InvalidToken"


async def test_missing_bearer_token_is_401(anonymous_client: httpx.AsyncClient) -> None:
    response = await anonymous_client.get(f"{ORGANIZER}/trainings")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_unknown_bearer_token_is_403(anonymous_client: httpx.AsyncClient) -> None:
    response = await anonymous_client.get(f"{ORGANIZER}/trainings", headers={"Authorization": "Bearer nope"})

    assert response.status_code == 403
    assert response.json() == {"int_err_code": "InvalidToken", "msg": "Invalid token passed"}


async def test_token_requests_are_logged_separately(sandbox: Sandbox, oauth_client: httpx.AsyncClient) -> None:
    await token(oauth_client, grant_type="refresh_token", refresh_token=SANDBOX_REFRESH_TOKEN)
    await oauth_client.get(f"{ORGANIZER}/trainings")

    assert len(sandbox.requests) == 2
    assert len(sandbox.token_requests) == 1
    assert sandbox.token_requests[0].form == {"grant_type": "refresh_token", "refresh_token": SANDBOX_REFRESH_TOKEN}
    assert sandbox.token_requests[0].status == 200
