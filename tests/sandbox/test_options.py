"""Command-line options of the sandbox."""

from __future__ import annotations

import argparse

import pytest

from server.sandbox import SandboxConfig
from server.sandbox.options import add_arguments, config_from_arguments


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults_give_default_config() -> None:
    args = parse()

    assert (args.host, args.port, args.allow_non_loopback) == ("127.0.0.1", 8765, False)
    assert config_from_arguments(args) == SandboxConfig()


def test_every_fault_knob_has_an_option() -> None:
    args = parse(
        "--latency-seconds", "0.25",
        "--token-lifetime-seconds", "60",
        "--rate-limit-per-second", "10",
        "--no-retry-after",
        "--unavailable-share", "0.1",
        "--drop-share", "0.05",
        "--rotate-refresh-tokens",
        "--no-organizer-key-in-token",
        "--seed", "3",
    )  # fmt: skip

    assert config_from_arguments(args) == SandboxConfig(
        latency_seconds=0.25,
        token_lifetime_seconds=60,
        rate_limit_per_second=10.0,
        rate_limit_retry_after=False,
        unavailable_share=0.1,
        drop_share=0.05,
        rotate_refresh_tokens=True,
        token_response_has_organizer_key=False,
        seed=3,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("--unavailable-share", "1.5"),
        ("--drop-share", "-0.1"),
        ("--latency-seconds", "-1"),
        ("--token-lifetime-seconds", "0"),
        ("--rate-limit-per-second", "0"),
        ("--latency-seconds", "nan"),
    ],
)
def test_invalid_values_are_rejected(argv: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse(*argv)

    assert "invalid value" in capsys.readouterr().err


def test_help_gives_units() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)

    help_text = " ".join(parser.format_help().split())

    assert "in seconds" in help_text
    assert "requests per second" in help_text
    assert "from 0.0 to 1.0" in help_text
