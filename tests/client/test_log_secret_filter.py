"""The server's log: stderr only, with every registered secret masked."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from server.logs import SecretFilter, configure_logging, secret_filter
from tests.client.goto_fakes import ACCESS_TOKEN, REFRESH_TOKEN


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """Undo configure_logging, which replaces the root handlers (the log capture's among them)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, saved in levels.items():
        logging.getLogger(name).setLevel(saved)


def test_secret_filter_masks_registered_secrets():
    masking = SecretFilter()
    masking.add(ACCESS_TOKEN)
    masking.add("short")
    masking.add(None)
    record = logging.LogRecord(
        "server.auth", logging.INFO, __file__, 1, "sent %s, kept %s", (f"Bearer {ACCESS_TOKEN}", "short"), None
    )

    passes = masking.filter(record)

    assert passes is True
    assert record.getMessage() == "sent Bearer [redacted], kept short"


def test_secret_filter_leaves_clean_records_alone():
    masking = SecretFilter()
    masking.add(ACCESS_TOKEN)
    record = logging.LogRecord("server.http", logging.INFO, __file__, 1, "retry %d of %d", (1, 3), None)

    assert masking.filter(record) is True
    assert record.msg == "retry %d of %d"
    assert record.args == (1, 3)


def test_configured_log_goes_to_stderr_masked(restored_logging, capsys):
    secret_filter.add(REFRESH_TOKEN)

    configure_logging("INFO")
    logging.getLogger("server.test").info("refresh token is %s", REFRESH_TOKEN)
    logging.getLogger("server.test").debug("below the level")

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "INFO server.test: refresh token is [redacted]\n" in captured.err
    assert REFRESH_TOKEN not in captured.err
    assert "below the level" not in captured.err
    assert logging.getLogger("httpx").level == logging.WARNING
