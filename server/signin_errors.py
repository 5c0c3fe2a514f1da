"""Messages for the OAuth errors of sign-in and refresh, each with the next step for the user.

The token endpoint and the authorize redirect both report errors in the OAuth shape
(`error`, `error_description`, RFC 6749 sections 4.1.2.1 and 5.2).
"""

from __future__ import annotations

from dataclasses import dataclass

LOGIN_AGAIN = "Run `goto-training-mcp login` again."
SIGN_IN_AGAIN = (
    "Sign in again: run `goto-training-mcp login`, or put a new refresh token (or personal access token) "
    "in GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN), then restart the server."
)
CHECK_CLIENT = "Check GOTO_CLIENT_ID and GOTO_CLIENT_SECRET against the OAuth client in the GoTo developer center."

# Names of the credential that each grant type sends to the token endpoint, in the user's words.
CREDENTIAL_NAMES = {
    "authorization_code": "authorization code",
    "refresh_token": "refresh token",
    "personal_access_token": "personal access token",
}


@dataclass(frozen=True)
class OAuthFailure:
    """One OAuth error: its message, and whether asking again with the same credential is pointless."""

    message: str
    final: bool


def describe_oauth_error(
    error: str,
    description: str | None,
    *,
    grant_type: str,
    redirect_uri: str | None = None,
) -> OAuthFailure | None:
    """Turn an OAuth `error` and `error_description` into a message for the user, or None for other errors.

    `grant_type` is what was being exchanged ("authorization_code" also for errors of the
    authorize step); `redirect_uri` is set during `login`.
    """
    detail = f" ({description})" if description else ""
    lowered = (description or "").lower()
    credential = CREDENTIAL_NAMES.get(grant_type, grant_type)

    if error == "invalid_client":
        return OAuthFailure(f"GoTo rejected the OAuth client (invalid_client{detail}). {CHECK_CLIENT}", final=True)
    if redirect_uri is not None and (error == "redirect_uri_mismatch" or "redirect" in lowered):
        return OAuthFailure(_redirect_mismatch(redirect_uri, error, detail), final=True)
    if grant_type == "authorization_code" and any(word in lowered for word in ("code_verifier", "challenge", "pkce")):
        return OAuthFailure(
            f"GoTo rejected the PKCE check of the sign-in ({error}{detail}). {LOGIN_AGAIN} If it fails the same way, "
            "run `goto-training-mcp login --no-pkce`.",
            final=True,
        )
    if error == "access_denied":
        return OAuthFailure(f"The sign-in was declined in the browser ({error}{detail}). {LOGIN_AGAIN}", final=True)
    if error == "unauthorized_client":
        return OAuthFailure(
            f"GoTo does not allow this OAuth client to use a {credential} ({error}{detail}). Allow it for the client "
            "in the GoTo developer center, or sign in another way.",
            final=True,
        )
    if error == "invalid_grant":
        if grant_type == "authorization_code":
            return OAuthFailure(
                f"GoTo rejected the authorization code (invalid_grant{detail}). A code works once and only for a few "
                f"minutes. {LOGIN_AGAIN}",
                final=True,
            )
        return OAuthFailure(f"GoTo rejected the {credential} (invalid_grant{detail}). {SIGN_IN_AGAIN}", final=True)
    return None


def _redirect_mismatch(redirect_uri: str, error: str, detail: str) -> str:
    return (
        f"GoTo rejected the redirect URL {redirect_uri} ({error}{detail}). In the GoTo developer center, set the "
        f"OAuth client's redirect URL to exactly {redirect_uri}, or run `goto-training-mcp login --port PORT` "
        "with the port of the redirect URL it has."
    )
