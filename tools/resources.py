"""MCP resource templates: a training, and its attendance summary, addressed by training key.

A client can attach these to a conversation without a tool call. They read the same data as
get_training and summarize_training_attendance.
"""

from __future__ import annotations

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError

from server.errors import GoToError, NotFoundError
from server.keys import InvalidKeyError, validate_key
from tools._registry import client_of
from tools.workflows_attendance import PER_PERSON_FROM_TOOL, attendance_markdown, summarize_attendance
from tools.workflows_fan_out import fan_out_for

TRAINING_URI = "goto-training://trainings/{training_key}"
ATTENDANCE_URI = "goto-training://trainings/{training_key}/attendance"


async def read_training(training_key: str, ctx: Context) -> str:
    try:
        training = await client_of(ctx).get_training(validate_key(training_key, "training_key"))
    except (InvalidKeyError, NotFoundError) as exc:
        # A bad or unknown key is the caller's invalid parameter (-32602), not a server failure.
        raise ResourceNotFoundError(str(exc)) from exc
    except (GoToError, ValueError) as exc:
        raise ResourceError(str(exc)) from exc
    return training.model_dump_json(exclude_none=True)


async def read_attendance(training_key: str, ctx: Context) -> str:
    try:
        key = validate_key(training_key, "training_key")
        summary = await summarize_attendance(client_of(ctx), key, fan_out_for(ctx))
    except (InvalidKeyError, NotFoundError) as exc:
        raise ResourceNotFoundError(str(exc)) from exc
    except (GoToError, ValueError) as exc:
        raise ResourceError(str(exc)) from exc
    return attendance_markdown(summary, PER_PERSON_FROM_TOOL)


def add_resource_templates(server: MCPServer) -> None:
    """Add the training and attendance resource templates to `server`."""
    server.resource(
        TRAINING_URI,
        name="training",
        title="GoTo training",
        description="A training as JSON: name, description, time zone, session times, organizers.",
        mime_type="application/json",
    )(read_training)
    server.resource(
        ATTENDANCE_URI,
        name="training-attendance",
        title="Training attendance",
        description="A markdown summary of attendance at a training's completed sessions.",
        mime_type="text/markdown",
    )(read_attendance)
