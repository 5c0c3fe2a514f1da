"""Command-line options of the sandbox, for `goto-training-mcp sandbox` and `python -m server.sandbox`."""

from __future__ import annotations

import argparse

from .config import SandboxConfig

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the address options and one option per fault knob of `SandboxConfig`."""
    defaults = SandboxConfig()

    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="Address to listen on (default: %(default)s). Only loopback addresses are accepted "
        "unless --allow-non-loopback is given.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port to listen on (default: %(default)s).")
    parser.add_argument(
        "--allow-non-loopback",
        action="store_true",
        help="Allow a --host that is not a loopback address. The sandbox has no real security: use with care.",
    )

    parser.add_argument(
        "--latency-seconds",
        type=_non_negative_float,
        default=defaults.latency_seconds,
        metavar="SECONDS",
        help="Delay added to every API request, in seconds (default: %(default)s).",
    )
    parser.add_argument(
        "--token-lifetime-seconds",
        type=_positive_int,
        default=defaults.token_lifetime_seconds,
        metavar="SECONDS",
        help="Lifetime of issued access tokens, in seconds (default: %(default)s).",
    )

    parser.add_argument(
        "--rate-limit-per-second",
        type=_positive_float,
        default=defaults.rate_limit_per_second,
        metavar="REQUESTS_PER_SECOND",
        help="Maximum API requests per second before responding 429 (default: no limit).",
    )
    parser.add_argument(
        "--no-retry-after",
        action="store_true",
        help="Send 429 responses without a Retry-After header (default: the header gives the wait in seconds).",
    )

    parser.add_argument(
        "--unavailable-share",
        type=_share,
        default=defaults.unavailable_share,
        metavar="FRACTION",
        help="Share of API requests that get a 503 response, from 0.0 to 1.0 (default: %(default)s).",
    )
    parser.add_argument(
        "--drop-share",
        type=_share,
        default=defaults.drop_share,
        metavar="FRACTION",
        help="Share of API requests whose connection is closed without a response, from 0.0 to 1.0 "
        "(default: %(default)s).",
    )

    parser.add_argument(
        "--rotate-refresh-tokens",
        action="store_true",
        help="Return a new refresh token on every refresh and invalidate the old one (default: keep it).",
    )
    parser.add_argument(
        "--no-organizer-key-in-token",
        action="store_true",
        help="Leave organizer_key and account_key out of token responses (default: include them).",
    )

    parser.add_argument(
        "--seed",
        type=int,
        default=defaults.seed,
        help="Seed of the demo data and of the random fault draws (default: %(default)s).",
    )


def config_from_arguments(args: argparse.Namespace) -> SandboxConfig:
    """Build the `SandboxConfig` from options added by `add_arguments`; raises ValueError on invalid values."""
    return SandboxConfig(
        latency_seconds=args.latency_seconds,
        token_lifetime_seconds=args.token_lifetime_seconds,
        rate_limit_per_second=args.rate_limit_per_second,
        rate_limit_retry_after=not args.no_retry_after,
        unavailable_share=args.unavailable_share,
        drop_share=args.drop_share,
        rotate_refresh_tokens=args.rotate_refresh_tokens,
        token_response_has_organizer_key=not args.no_organizer_key_in_token,
        seed=args.seed,
    )


def _non_negative_float(text: str) -> float:
    value = _float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected 0 or more")
    return value


def _positive_float(text: str) -> float:
    value = _float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected a number above 0")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected a whole number") from error
    if value <= 0:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected a whole number above 0")
    return value


def _share(text: str) -> float:
    value = _float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected a share from 0.0 to 1.0")
    return value


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected a number") from error
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected a finite number")
    return value
