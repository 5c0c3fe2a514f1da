"""Fixtures of the client tests: a clean environment and a check that no secret reaches a log."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

from tests.client.goto_fakes import SECRETS, FakeClock, FakeSleep


@pytest.fixture(autouse=True)
def clean_goto_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove GOTO_* variables of the shell, so Settings reads only the variables a test sets."""
    for name in list(os.environ):
        if name.startswith("GOTO_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def no_secret_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Capture every log record at DEBUG and fail the test if one contains a secret."""
    caplog.set_level(logging.DEBUG)
    yield

    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for phase in ("setup", "call"):
        for record in caplog.get_records(phase):
            text = formatter.format(record)
            for secret in SECRETS:
                assert secret not in text, f"a secret appeared in a {phase} log record of {record.name}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleep(clock: FakeClock) -> FakeSleep:
    return FakeSleep(clock)
