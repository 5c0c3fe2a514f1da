"""The `goto-training-mcp` command."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import anyio

from server import __version__
from server.logs import configure_logging
from server.settings import (
    ConfigurationError,
    Settings,
    load_settings,
    parse_toolsets,
    require_credentials,
    with_token_store,
)

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

logger = logging.getLogger(__name__)

# Base URL of the in-process sandbox. Requests to it never leave the process (an ASGI
# transport answers them); the loopback address keeps any mistake on this machine.
SANDBOX_BASE_URL = "http://127.0.0.1:9"

DESCRIPTION = """\
MCP server for GoTo Training. With no command it serves MCP over stdio, which is what
Claude Desktop and other MCP clients start. Credentials come from GOTO_* environment
variables or a .env file (see the README)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="goto-training-mcp", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"goto-training-mcp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve MCP over stdio (the default command)")
    _add_serve_arguments(serve)
    _add_serve_arguments(parser)

    sandbox = commands.add_parser("sandbox", help="run the local GoTo Training sandbox as an HTTP server")
    try:
        from server.sandbox.options import add_arguments
    except ImportError:  # NOTE: only while the sandbox package is missing from a partial install.
        pass
    else:
        add_arguments(sandbox)

    demo = commands.add_parser("demo", help="walk through three assistant jobs against the local sandbox")
    demo.add_argument("--log-level", default="WARNING", help="level of the server's log on stderr")

    from server.signin_cli import add_commands

    add_commands(commands)
    return parser


def _add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="serve against an in-process GoTo sandbox with demo data instead of the real GoTo (no account needed)",
    )
    parser.add_argument(
        "--log-level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        type=str.upper,
        default=None,
        help="level of the log written to stderr (default: GOTO_LOG_LEVEL, else INFO)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=None,
        help="offer only tools that change nothing in GoTo (default: GOTO_READ_ONLY, else off)",
    )
    parser.add_argument(
        "--toolsets",
        metavar="LIST",
        default=None,
        help="comma-separated tool groups to offer, among trainings, registrants, reports, questionnaires, "
        "recordings, organizers, workflows (default: GOTO_TOOLSETS, else all)",
    )
    parser.add_argument(
        "--transport",
        choices=["stdio", "http"],
        default="stdio",
        help="stdio (what Claude Desktop starts) or http: streamable HTTP at /mcp (default: stdio)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address the http transport listens on; other than loopback needs GOTO_MCP_BEARER_TOKEN "
        "(default: 127.0.0.1)",
    )
    parser.add_argument("--port", type=int, default=8000, help="TCP port of the http transport (default: 8000)")
    parser.add_argument(
        "--stateless",
        action="store_true",
        help="http transport without sessions, for several replicas behind a load balancer; set "
        "GOTO_CONFIRM_SECRET on every replica so confirmation tokens verify on any of them",
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "serve"
    try:
        if command == "serve":
            exit_code = serve(args)
        elif command == "sandbox":
            exit_code = run_sandbox(args)
        elif command in ("login", "status", "logout"):
            from server.signin_cli import run_login, run_logout, run_status

            exit_code = {"login": run_login, "status": run_status, "logout": run_logout}[command](args)
        else:
            exit_code = run_demo(args)
    except ConfigurationError as exc:
        sys.stderr.write(f"goto-training-mcp: {exc}\n")
        exit_code = 2
    sys.exit(exit_code)


def serve(args: argparse.Namespace) -> int:
    with _garbage_collection_paused():
        server, settings = _build_server(args)
    if args.transport == "http":
        from server.transport_http import serve_http

        serve_http(server, settings, args.host, args.port, stateless=args.stateless)
        return 0
    logger.info("Serving MCP over stdio%s", " against the in-process sandbox" if args.sandbox else "")
    _exit_cleanly_on_sigterm()
    try:
        anyio.run(server.run_stdio_async)
    except KeyboardInterrupt:
        logger.info("Stopped by a signal")
        # The stdio transport reads stdin in a worker thread that a signal cannot wake, and the
        # interpreter would wait for it at exit; the server has shut down, so leave at once.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    logger.info("Stopped")
    return 0


def _build_server(args: argparse.Namespace) -> tuple[MCPServer, Settings]:
    """Build the server that `serve` runs, with its settings from the arguments and the environment."""
    transport = None
    if args.toolsets is not None:
        try:
            parse_toolsets(args.toolsets)
        except ValueError as exc:
            raise ConfigurationError(f"--toolsets {args.toolsets!r} is invalid: {exc}.") from None
    chosen = {"log_level": args.log_level, "read_only": args.read_only, "toolsets": args.toolsets}
    overrides = {name: value for name, value in chosen.items() if value is not None}
    if args.sandbox:
        settings, transport = sandbox_settings(**overrides)
    else:
        settings = load_settings(**overrides)
        if args.transport == "http":
            # An unsafe bind address is reported before credentials, so a user fixes the graver problem first.
            from server.transport_http import check_bind

            check_bind(args.host, settings)
        require_credentials(settings)
        # Without GOTO_TOKEN_FILE the default store is used, where `login` saves the tokens.
        settings = with_token_store(settings)
    configure_logging(settings.log_level)

    from server.app import build_server

    return build_server(settings, transport), settings


@contextlib.contextmanager
def _garbage_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the server is imported and built, then freeze what exists.

    Start-up creates about 100,000 objects that live as long as the process (the MCP SDK, pydantic
    models, tool schemas) and little garbage, so collections during it only rescan them. gc.freeze()
    keeps those objects out of later full collections, one of which would otherwise stall the first
    `tools/list`. Together this saves about 50 ms of a 0.7 s start on 2 cores (bench/startup.py). The
    price is the cyclic garbage of start-up, about 1 MB, which is never freed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    except BaseException:
        if was_enabled:
            gc.enable()
        raise
    gc.freeze()
    if was_enabled:
        gc.enable()


def sandbox_settings(**overrides: object) -> tuple[Settings, object]:
    """Return settings and an in-process transport for a fresh sandbox with demo data.

    `overrides` are further settings, such as log_level or read_only."""
    from server.sandbox import (
        SANDBOX_CLIENT_ID,
        SANDBOX_CLIENT_SECRET,
        SANDBOX_REFRESH_TOKEN,
        Sandbox,
    )

    sandbox = Sandbox()
    settings = load_settings(
        _env_file=None,
        client_id=SANDBOX_CLIENT_ID,
        client_secret=SANDBOX_CLIENT_SECRET,
        refresh_token=SANDBOX_REFRESH_TOKEN,
        access_token=None,
        personal_access_token=None,
        token_file=None,
        organizer_key=None,
        account_key=None,
        api_url=f"{SANDBOX_BASE_URL}/G2T/rest",
        training_api_url=f"{SANDBOX_BASE_URL}/training/v1",
        auth_url=SANDBOX_BASE_URL,
        admin_api_url=f"{SANDBOX_BASE_URL}/admin/rest/v1",
        **overrides,
    )
    return settings, sandbox.transport()


def run_sandbox(args: argparse.Namespace) -> int:
    from server.sandbox.http import serve as serve_sandbox
    from server.sandbox.options import config_from_arguments

    configure_logging("INFO")
    try:
        config = config_from_arguments(args)
        serve_sandbox(args.host, args.port, config, allow_non_loopback=args.allow_non_loopback)
    except ValueError as exc:
        sys.stderr.write(f"goto-training-mcp sandbox: {exc}\n")
        return 2
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from server.demo import run

    configure_logging(args.log_level.upper())
    return anyio.run(run, args.log_level.upper())


def _exit_cleanly_on_sigterm() -> None:
    # SIGTERM ends the server the way Ctrl-C does, so it exits with code 0 after cleanup.
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
