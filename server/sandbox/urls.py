"""Base URLs of a sandbox for a client that is configured like it would be for GoTo's hosts."""

from __future__ import annotations

from dataclasses import dataclass

from .app import ADMIN_API_PATH
from .oauth import OAUTH_AUTHORIZE_PATH, OAUTH_TOKEN_PATH
from .routes_legacy import LEGACY_API_PATH
from .routes_v1 import TRAINING_V1_PATH


@dataclass(frozen=True)
class SandboxUrls:
    """The sandbox counterparts of GoTo's URLs, for a sandbox at `origin` (such as http://127.0.0.1:8765)."""

    origin: str

    @property
    def legacy_api(self) -> str:
        """Counterpart of https://api.getgo.com/G2T/rest."""
        return self.origin.rstrip("/") + LEGACY_API_PATH

    @property
    def training_api(self) -> str:
        """Counterpart of https://api.goto.com/training/v1."""
        return self.origin.rstrip("/") + TRAINING_V1_PATH

    @property
    def admin_api(self) -> str:
        """Counterpart of https://api.getgo.com/admin/rest/v1."""
        return self.origin.rstrip("/") + ADMIN_API_PATH

    @property
    def authorize(self) -> str:
        """Counterpart of https://authentication.logmeininc.com/oauth/authorize."""
        return self.origin.rstrip("/") + OAUTH_AUTHORIZE_PATH

    @property
    def token(self) -> str:
        """Counterpart of https://authentication.logmeininc.com/oauth/token."""
        return self.origin.rstrip("/") + OAUTH_TOKEN_PATH
