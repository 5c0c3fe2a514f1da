"""The token file: tokens kept between runs, written atomically with mode 0600."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from server.errors import TokenStoreError

STORE_FORMAT = 1


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
    if not isinstance(version, int) or version > STORE_FORMAT:
        raise TokenStoreError(
            f"The token file {str(path)!r} has format {version!r}, newer than this version of "
            f"goto-training-mcp reads ({STORE_FORMAT}). Upgrade goto-training-mcp or sign in again."
        )
    fields = {name: data.get(name) for name in TokenSet.__dataclass_fields__}
    return TokenSet(**fields)


def save_tokens(path: Path, tokens: TokenSet) -> None:
    """Write the tokens atomically: temporary file in the same folder, fsync, rename, mode 0600.

    A failure at any step leaves the previous file as it was.
    """
    payload = json.dumps({"format": STORE_FORMAT, **asdict(tokens)}, indent=2)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
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


def replace_file(source: str, target: Path) -> None:
    """Rename `source` over `target` in one step (a seam for tests that inject a failure)."""
    os.replace(source, target)
