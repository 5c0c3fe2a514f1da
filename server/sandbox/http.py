"""Serve a sandbox over HTTP with uvicorn, on a loopback address unless explicitly allowed otherwise."""

from __future__ import annotations

import contextlib
import copy
import ipaddress
import logging
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType

import anyio
import uvicorn
import uvicorn.config
from starlette.types import Receive, Scope

from .config import SandboxConfig
from .sandbox import Sandbox

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT_SECONDS = 10.0
DISCONNECT_TIMEOUT_SECONDS = 5.0


def check_host(host: str, allow_non_loopback: bool = False) -> None:
    """Raise ValueError unless `host` is a loopback address or `allow_non_loopback` is set."""
    if allow_non_loopback or host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"Invalid host {host!r}: the sandbox serves only on loopback addresses such as 127.0.0.1. "
            "Pass --allow-non-loopback to serve it on other interfaces."
        )


class UvicornConnectionDropper:
    """Drop a connection under uvicorn so that the client sees it closed with no response.

    ASGI has no message for "close without answering": an app that returns or raises before responding
    makes uvicorn send a 500. So this finds uvicorn's protocol object for the request's connection among the
    server's open connections (matched by the client address that uvicorn also puts in the scope), aborts its
    socket, and waits until uvicorn reports the disconnect. Uvicorn then sends nothing, and httpx raises
    RemoteProtocolError("Server disconnected without sending a response.").
    """

    def __init__(self, server: uvicorn.Server) -> None:
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive) -> None:
        client = scope.get("client")
        for connection in list(self.server.server_state.connections):
            if getattr(connection, "client", None) == client:
                connection.transport.abort()
                break
        else:
            raise RuntimeError(f"No open connection from {client!r} to drop")
        with anyio.fail_after(DISCONNECT_TIMEOUT_SECONDS):
            while (await receive())["type"] != "http.disconnect":
                pass


def create_server(
    sandbox: Sandbox, host: str, port: int, *, configure_logging: bool = True, allow_non_loopback: bool = False
) -> uvicorn.Server:
    """Build a uvicorn server for the sandbox; `port` 0 picks a free port. Nothing starts until it runs."""
    check_host(host, allow_non_loopback)
    config = uvicorn.Config(
        sandbox.app,
        host=host,
        port=port,
        http="h11",
        lifespan="off",
        log_config=_log_config() if configure_logging else None,
    )
    server = uvicorn.Server(config)
    sandbox.faults.drop_connection = UvicornConnectionDropper(server)
    return server


def serve(host: str, port: int, config: SandboxConfig, *, allow_non_loopback: bool = False) -> None:
    """Serve a new sandbox until SIGINT or SIGTERM, then return. Logs go to stderr."""
    server = create_server(Sandbox(config), host, port, allow_non_loopback=allow_non_loopback)
    logger.info("Serving the GoTo Training sandbox on http://%s:%d (seed %d)", host, port, config.seed)
    logger.info(
        "Faults: latency %s s, rate limit %s requests per second, 503 share %s, drop share %s, token lifetime %d s",
        config.latency_seconds,
        config.rate_limit_per_second or "no",
        config.unavailable_share,
        config.drop_share,
        config.token_lifetime_seconds,
    )
    with _return_on_exit_signals():
        server.run()
    logger.info("Sandbox on %s:%d stopped", host, port)


@contextlib.contextmanager
def serve_in_thread(sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `sandbox` from a background thread and yield its origin, such as http://127.0.0.1:54321.

    The server stops when the block exits. Logging is left as the caller configured it. The sandbox is not
    thread-safe: change its state only while no request is in flight.
    """
    server = create_server(sandbox, host, port, configure_logging=False)
    thread = threading.Thread(target=server.run, name="goto-training-sandbox", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"The sandbox server on {host}:{port} failed to start; see the log above.")
            if time.monotonic() > deadline:
                raise TimeoutError(f"The sandbox server on {host}:{port} did not start in {STARTUP_TIMEOUT_SECONDS} s.")
            time.sleep(0.01)
        bound_port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT_SECONDS)


@contextlib.contextmanager
def _return_on_exit_signals() -> Iterator[None]:
    """Make SIGINT and SIGTERM only stop the server.

    Uvicorn (0.29 and later) stops on these signals, then raises them again once it has shut down, which
    would end the process with KeyboardInterrupt or status -15. A handler that only logs lets `serve` return.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def note_signal(number: int, frame: FrameType | None) -> None:
        logger.info("Received %s, stopping the sandbox", signal.Signals(number).name)

    previous = {number: signal.signal(number, note_signal) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _log_config() -> dict:
    """Return uvicorn's logging setup with access lines and the sandbox's own logs on stderr too."""
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    log_config["loggers"]["server.sandbox"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return log_config
