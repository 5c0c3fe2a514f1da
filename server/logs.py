"""Logging to stderr only, with every known secret masked (stdout is the MCP channel in stdio mode)."""

from __future__ import annotations

import logging
import sys

_MASK = "[redacted]"


class SecretFilter(logging.Filter):
    """Masks registered secrets in every record, as a second line of defence behind never logging them."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add(self, secret: str | None) -> None:
        # Very short values would mask ordinary words; no real token is this short.
        if secret and len(secret) >= 6:
            self._secrets.add(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        masked = message
        for secret in self._secrets:
            masked = masked.replace(secret, _MASK)
        if masked != message:
            record.msg, record.args = masked, None
        return True


secret_filter = SecretFilter()


def configure_logging(level: str = "INFO") -> None:
    """Send every log record to stderr at `level`, through the secret filter."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(secret_filter)
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request at INFO; URLs carry keys, never tokens, but one line per call is noise.
    logging.getLogger("httpx").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
