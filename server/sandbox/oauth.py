"""OAuth 2.0 endpoints, as GoTo's authentication host serves them.

The authorize endpoint acts as if the user signed in as the sandbox organizer and agreed at once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .config import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ORGANIZER_KEY,
    SANDBOX_PERSONAL_ACCESS_TOKEN,
)
from .context import ApiContext
from .errors import OAuthError
from .tokens import AuthorizationCode

logger = logging.getLogger(__name__)

OAUTH_TOKEN_PATH = "/oauth/token"
OAUTH_AUTHORIZE_PATH = "/oauth/authorize"
TRAINING_SCOPE = "collab:"


def invalid_client(description: str) -> OAuthError:
    return OAuthError(401, "invalid_client", description, headers={"WWW-Authenticate": 'Basic realm="oauth"'})


def invalid_grant(description: str) -> OAuthError:
    return OAuthError(400, "invalid_grant", description)


def invalid_request(description: str) -> OAuthError:
    return OAuthError(400, "invalid_request", description)


class OAuthRoutes:
    def __init__(self, context: ApiContext) -> None:
        self.context = context

    def routes(self) -> list[BaseRoute]:
        return [
            Route(OAUTH_TOKEN_PATH, self.token, methods=["POST"]),
            Route(OAUTH_AUTHORIZE_PATH, self.authorize, methods=["GET"]),
        ]

    async def token(self, request: Request) -> Response:
        client_id = _authenticate_client(request.headers.get("authorization"))
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            raise invalid_request(f"Invalid Content-Type {content_type!r}: send application/x-www-form-urlencoded.")
        form = {name: values[-1] for name, values in parse_qs((await request.body()).decode()).items()}

        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            body = self._exchange_code(client_id, form)
        elif grant_type == "refresh_token":
            body = self._refresh(form)
        elif grant_type == "personal_access_token":
            body = self._exchange_personal_access_token(form)
        elif not grant_type:
            raise invalid_request("Missing grant_type.")
        else:
            raise OAuthError(400, "unsupported_grant_type", f"Unsupported grant_type {grant_type!r}.")
        logger.info("Issued an access token (grant %s)", grant_type)
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _exchange_code(self, client_id: str, form: dict[str, str]) -> dict[str, Any]:
        code = self.context.tokens.codes.get(form.get("code", ""))
        if code is None or code.used or code.client_id != client_id:
            raise invalid_grant("The authorization code is invalid or was already used.")
        code.used = True
        if form.get("redirect_uri") != code.redirect_uri:
            raise invalid_grant(f"redirect_uri {form.get('redirect_uri')!r} does not match the one sent to authorize.")
        if code.code_challenge is not None:
            verifier = form.get("code_verifier")
            if not verifier:
                raise invalid_grant("Missing code_verifier: the authorization request sent a code_challenge.")
            digest = hashlib.sha256(verifier.encode("ascii", errors="replace")).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != code.code_challenge:
                raise invalid_grant("The code_verifier does not match the code_challenge (PKCE S256).")
        return self._token_body(code.organizer_key, include_refresh_token=True)

    def _refresh(self, form: dict[str, str]) -> dict[str, Any]:
        refresh_tokens = self.context.tokens.refresh_tokens
        old_token = form.get("refresh_token", "")
        organizer_key = refresh_tokens.get(old_token)
        if organizer_key is None:
            raise invalid_grant("The refresh token is invalid, expired or revoked. Sign in again.")
        rotate = self.context.config.rotate_refresh_tokens
        if rotate:
            del refresh_tokens[old_token]
        return self._token_body(organizer_key, include_refresh_token=rotate)

    def _exchange_personal_access_token(self, form: dict[str, str]) -> dict[str, Any]:
        if not hmac.compare_digest(form.get("pat", "").encode(), SANDBOX_PERSONAL_ACCESS_TOKEN.encode()):
            raise invalid_grant("The personal access token (pat) is invalid.")
        return self._token_body(int(SANDBOX_ORGANIZER_KEY), include_refresh_token=True)

    def _token_body(self, organizer_key: int, include_refresh_token: bool) -> dict[str, Any]:
        config = self.context.config
        tokens = self.context.tokens
        organizer = self.context.state.organizers[organizer_key]
        body: dict[str, Any] = {
            "access_token": tokens.issue_access_token(organizer_key, self.context.now(), config.token_lifetime_seconds),
            "token_type": "Bearer",
            "expires_in": config.token_lifetime_seconds,
            "scope": TRAINING_SCOPE,
            "principal": organizer.email,
        }
        if include_refresh_token:
            body["refresh_token"] = tokens.issue_refresh_token(organizer_key)
        if config.token_response_has_organizer_key:
            body["organizer_key"] = str(organizer.key)
            body["account_key"] = str(organizer.account_key)
        return body

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        client_id = query.get("client_id")
        if client_id != SANDBOX_CLIENT_ID:
            raise invalid_request(f"Unknown client_id {client_id!r}: the sandbox client is {SANDBOX_CLIENT_ID!r}.")
        redirect_uri = query.get("redirect_uri", "")
        if urlsplit(redirect_uri).scheme not in ("http", "https") or not urlsplit(redirect_uri).netloc:
            raise invalid_request(f"Invalid redirect_uri {redirect_uri!r}: expected an absolute http(s) URL.")

        state = query.get("state")
        if query.get("response_type") != "code":
            return _redirect(redirect_uri, state, error="unsupported_response_type")
        challenge = query.get("code_challenge")
        method = query.get("code_challenge_method")
        if (challenge is None) != (method is None) or (method is not None and method != "S256"):
            description = "PKCE needs code_challenge with code_challenge_method=S256."
            return _redirect(redirect_uri, state, error="invalid_request", error_description=description)

        code = AuthorizationCode(int(SANDBOX_ORGANIZER_KEY), client_id, redirect_uri, challenge)
        return _redirect(redirect_uri, state, code=self.context.tokens.issue_code(code))


def _authenticate_client(authorization: str | None) -> str:
    """Check HTTP Basic client credentials (RFC 6749 section 2.3.1) and return the client id."""
    scheme, _, encoded = (authorization or "").strip().partition(" ")
    if scheme.lower() != "basic":
        raise invalid_client(
            "Client authentication failed: send 'Authorization: Basic base64(client_id:client_secret)'."
        )
    try:
        client_id, _, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise invalid_client("Client authentication failed: the Basic credentials are not valid base64.") from error
    client_id, secret = unquote_plus(client_id), unquote_plus(secret)
    if client_id != SANDBOX_CLIENT_ID or not hmac.compare_digest(secret.encode(), SANDBOX_CLIENT_SECRET.encode()):
        raise invalid_client("Client authentication failed.")
    return client_id


def _redirect(redirect_uri: str, state: str | None, **params: str) -> Response:
    if state is not None:
        params["state"] = state
    parts = urlsplit(redirect_uri)
    query = "&".join(part for part in (parts.query, urlencode(params)) if part)
    return RedirectResponse(urlunsplit(parts._replace(query=query)), status_code=302)
