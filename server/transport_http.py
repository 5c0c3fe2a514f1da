"""Streamable HTTP at `/mcp`: loopback by default, Host and Origin allowlists, a bearer token off loopback.

The bearer token (GOTO_MCP_BEARER_TOKEN) only admits MCP clients to this server. GoTo
credentials never come from MCP clients: an `Authorization` header is checked against the
bearer token and then dropped, never passed on to GoTo.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

from server.settings import ConfigurationError, Settings

logger = logging.getLogger(__name__)

MCP_PATH = "/mcp"


def is_loopback(host: str) -> bool:
    """Tell whether `host` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, settings: Settings) -> None:
    """Raise ConfigurationError when binding to `host` would expose the server without a bearer token."""
    if is_loopback(host) or settings.mcp_bearer_token is not None:
        return
    raise ConfigurationError(
        f"--host {host!r} is not a loopback address, so anyone who can reach it could use your GoTo account. "
        "Set GOTO_MCP_BEARER_TOKEN to a long random value that clients send as 'Authorization: Bearer ...', "
        "or bind to 127.0.0.1."
    )


def transport_security(host: str, port: int, settings: Settings) -> TransportSecuritySettings:
    """Allow the Host and Origin values of this bind address, plus any configured for a proxy in front."""
    names = {host, "127.0.0.1", "localhost", "[::1]"} if is_loopback(host) else {host}
    hosts = {f"{name}:{port}" for name in names} | set(settings.mcp_allowed_hosts)
    origins = {f"http://{name}:{port}" for name in names} | set(settings.mcp_allowed_origins)
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=sorted(hosts), allowed_origins=sorted(origins)
    )


class BearerTokenMiddleware:
    """Admit only requests that carry the configured bearer token; everything else gets 401."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self._app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        presented = headers.get(b"authorization", b"")
        if not hmac.compare_digest(presented, self._expected):
            client = scope.get("client") or ("?", 0)
            logger.warning("Rejected an MCP request from %s without the right bearer token", client[0])
            await _unauthorized(send)
            return
        # The token admits the client and goes no further: no GoTo request ever sees it.
        scope = dict(scope)
        scope["headers"] = [(name, value) for name, value in scope["headers"] if name != b"authorization"]
        await self._app(scope, receive, send)


async def _unauthorized(send: Send) -> None:
    body = (
        b'{"error":"unauthorized",'
        b'"error_description":"Send the header Authorization: Bearer <GOTO_MCP_BEARER_TOKEN>."}'
    )
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"www-authenticate", b'Bearer realm="goto-training-mcp"'),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def http_app(server: MCPServer, settings: Settings, host: str, port: int, *, stateless: bool) -> ASGIApp:
    """Build the ASGI app that serves `server` over streamable HTTP at MCP_PATH."""
    check_bind(host, settings)
    app: ASGIApp = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=stateless,
        transport_security=transport_security(host, port, settings),
        host=host,
    )
    if settings.mcp_bearer_token is not None:
        app = BearerTokenMiddleware(app, settings.mcp_bearer_token.get_secret_value())
    return app


def serve_http(server: MCPServer, settings: Settings, host: str, port: int, *, stateless: bool) -> None:
    """Serve over streamable HTTP with uvicorn until SIGINT or SIGTERM."""
    import uvicorn

    app = http_app(server, settings, host, port, stateless=stateless)
    logger.info(
        "Serving MCP over streamable HTTP at http://%s:%d%s%s",
        host, port, MCP_PATH, " (stateless)" if stateless else "",
    )
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    uvicorn.Server(config).run()
