"""The token store: tokens kept between runs in one JSON file, written atomically with mode 0600.

The file lives at GOTO_TOKEN_FILE, or else at `tokens.json` in the user's config folder
(`default_token_path`). It contains the access token, its expiry, the refresh token, the
organizer's keys and e-mail, and a fingerprint of the environment credential it grew from.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from server.errors import TokenStoreError

STORE_FORMAT = 1
APP_NAME = "goto-training-mcp"
TOKEN_FILE_NAME = "tokens.json"

_TEXT_FIELDS = ("access_token", "refresh_token", "organizer_key", "account_key", "email", "source")


@dataclass
class TokenSet:
    """The tokens and identity of one signed-in organizer. `expires_at` is a Unix time in seconds."""

    access_token: str | None = None
    expires_at: float | None = None
    refresh_token: str | None = None
    organizer_key: str | None = None
    account_key: str | None = None
    email: str | None = None
    # Fingerprint of the environment credential this store grew from, never the credential itself.
    source: str | None = None

    def __repr__(self) -> str:
        # Tokens stay out of reprs, tracebacks and logs.
        return (
            f"TokenSet(organizer_key={self.organizer_key!r}, expires_at={self.expires_at!r}, "
            f"has_refresh_token={self.refresh_token is not None})"
        )


def fingerprint(secret: str) -> str:
    """Return a short one-way fingerprint that tells two credentials apart without revealing either."""
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()[:16]


def default_token_path() -> Path:
    """Return the store's path when GOTO_TOKEN_FILE is unset, such as ~/.config/goto-training-mcp/tokens.json."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / TOKEN_FILE_NAME


def load_tokens(path: Path) -> TokenSet | None:
    """Read the token file, or return None when it does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise TokenStoreError(f"Could not read the token file {str(path)!r}: {exc.strerror}.") from exc

    try:
        data = json.loads(text)
    except ValueError as exc:
        raise TokenStoreError(f"The token file {str(path)!r} is not valid JSON. Delete it and sign in again.") from exc
    if not isinstance(data, dict):
        raise TokenStoreError(f"The token file {str(path)!r} is not a JSON object. Delete it and sign in again.")

    version = data.get("format", 1)
    if isinstance(version, int) and not isinstance(version, bool) and version > STORE_FORMAT:
        raise TokenStoreError(
            f"The token file {str(path)!r} has format {version!r}, newer than this version of "
            f"goto-training-mcp reads ({STORE_FORMAT}). Upgrade goto-training-mcp or sign in again."
        )
    if version != STORE_FORMAT or isinstance(version, bool):
        raise TokenStoreError(
            f"The token file {str(path)!r} has an unknown format {version!r}. Delete it and sign in again."
        )
    fields = {name: data.get(name) for name in TokenSet.__dataclass_fields__}
    _check_field_types(path, fields)
    return TokenSet(**fields)


def _check_field_types(path: Path, fields: dict[str, object]) -> None:
    wrong = [name for name in _TEXT_FIELDS if fields[name] is not None and not isinstance(fields[name], str)]
    expires_at = fields["expires_at"]
    if expires_at is not None and (isinstance(expires_at, bool) or not isinstance(expires_at, int | float)):
        wrong.append("expires_at")
    if wrong:
        raise TokenStoreError(
            f"The token file {str(path)!r} has an invalid {wrong[0]}. Delete it and sign in again."
        )


def save_tokens(path: Path, tokens: TokenSet) -> None:
    """Write the tokens atomically: temporary file in the same folder, fsync, rename, mode 0600.

    A failure at any step leaves the previous file as it was.
    """
    payload = json.dumps({"format": STORE_FORMAT, **asdict(tokens)}, indent=2)
    folder = path.parent
    try:
        # A folder created here is private to the user; an existing one keeps its mode.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise TokenStoreError(f"Could not write the token file {str(path)!r}: {exc.strerror}.") from exc

    try:
        # mkstemp creates the file with mode 0600 already; chmod guards against an unusual umask.
        os.chmod(temporary, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        replace_file(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise TokenStoreError(f"Could not write the token file {str(path)!r}: {exc.strerror or exc}.") from exc


def delete_tokens(path: Path) -> bool:
    """Delete the token file; return False when there was none."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise TokenStoreError(f"Could not delete the token file {str(path)!r}: {exc.strerror}.") from exc
    return True


def replace_file(source: str, target: Path) -> None:
    """Rename `source` over `target` in one step (a seam for tests that inject a failure)."""
    os.replace(source, target)
