"""Fixtures for every test: a private home folder, so no test reads or writes the user's real token store."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME and XDG_CONFIG_HOME at an empty folder; `serve` and `login` keep tokens under it.

    Processes that a test starts inherit both variables only when the test passes the environment on.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home
