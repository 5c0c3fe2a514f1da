"""The MCP server: its instructions, its lifespan (the shared GoTo client) and its tools."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from mcp.server.mcpserver import MCPServer

from server import __version__
from server.argument_errors import tidy_argument_errors
from server.client import GoToClient
from server.confirmations import ConfirmationTokens
from server.logs import secret_filter
from server.settings import Settings

logger = logging.getLogger(__name__)

INSTRUCTIONS = """\
Runs GoTo Training for the user: trainings, registrants, session and attendance reports, \
tests, polls, surveys and recordings.
Conventions:
- Keys (training_key, registrant_key, session_key, recording_id, organizer_key) are strings \
of digits; copy them from list results, never use the 9-digit training_id as a key.
- Date-times are ISO 8601. Send them with an offset (2026-03-02T09:00:00+01:00) or give the \
training's time_zone; results are in UTC with a Z.
- List first to find keys: get_current_organizer, list_trainings, list_registrants, \
list_training_sessions. Completed trainings are not in list_trainings; \
list_sessions_in_date_range finds their sessions.
- organizer_key is optional everywhere and defaults to the signed-in organizer.
"""


@dataclass
class AppState:
    """What every tool call can reach through its context."""

    client: GoToClient
    settings: Settings
    confirmations: ConfirmationTokens


def build_server(
    settings: Settings,
    transport: httpx.AsyncBaseTransport | None = None,
    confirmations: ConfirmationTokens | None = None,
) -> MCPServer:
    """Build the MCP server. `transport` replaces the network (the in-process sandbox, tests);
    `confirmations` replaces the token issuer (tests inject its clock)."""
    secret = settings.confirm_secret.get_secret_value() if settings.confirm_secret else None
    secret_filter.add(secret)
    if settings.mcp_bearer_token is not None:
        secret_filter.add(settings.mcp_bearer_token.get_secret_value())
    tokens = confirmations or ConfirmationTokens(secret)
    if settings.confirm == "off":
        logger.warning("GOTO_CONFIRM=off: deleting trainings and e-mailing people will not be confirmed")

    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[AppState]:
        async with GoToClient.open(settings, transport) as client:
            if transport is None:
                logger.info("GoTo client ready (API %s)", settings.api_url)
            else:
                logger.info("GoTo client ready, in-process: requests go to the given transport, not the network")
            yield AppState(client=client, settings=settings, confirmations=tokens)
        logger.info("GoTo client closed")

    from tools import server_tools

    server = MCPServer(
        "goto-training-mcp",
        title="GoTo Training",
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        log_level=settings.log_level,
        tools=server_tools(settings),
        middleware=[tidy_argument_errors],
    )
    if "workflows" in settings.toolsets:
        # The prompts and resources name or reuse the workflow tools, so they come with that toolset.
        from tools.prompts import add_prompts
        from tools.resources import add_resource_templates

        add_prompts(server)
        add_resource_templates(server)
    return server
