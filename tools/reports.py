"""Tools for session reports: completed sessions and who attended them."""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from server.models import Attendee, TrainingSession
from tools._registry import client_of, goto_tool, structured
from tools.args import Limit, Offset, OrganizerKey, SessionKey, TrainingKey
from tools.listing import Slice, take

MAX_RANGE = timedelta(days=366)


class SessionList(BaseModel):
    sessions: list[TrainingSession]
    total: int


class Attendance(Slice):
    session_key: str
    attended: int
    no_shows: int
    attendees: list[Attendee]


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@goto_tool(toolset="reports", title="Sessions in date range", read_only=True)
async def list_sessions_in_date_range(
    ctx: Context,
    start: Annotated[datetime, Field(description="UTC if no offset.")],
    end: Annotated[datetime, Field(description="UTC if no offset.")],
    organizer_key: OrganizerKey = None,
) -> Annotated[CallToolResult, SessionList]:
    """List completed sessions in a date range (max a year), of any training."""
    start, end = _as_utc(start), _as_utc(end)
    if end <= start:
        raise ValueError(f"end {end.isoformat()!r} is not after start {start.isoformat()!r}; swap or widen them.")
    if end - start > MAX_RANGE:
        raise ValueError(f"The range {start.date()} to {end.date()} is longer than a year; ask for a year at a time.")
    sessions = await client_of(ctx).get_sessions_by_date_range(start, end, organizer_key)
    return structured(SessionList(sessions=sessions, total=len(sessions)))


@goto_tool(toolset="reports", title="Training sessions", read_only=True)
async def list_training_sessions(
    ctx: Context, training_key: TrainingKey, organizer_key: OrganizerKey = None
) -> Annotated[CallToolResult, SessionList]:
    """List a training's completed sessions: keys, times, minutes, attendance."""
    sessions = await client_of(ctx).get_sessions_by_training(training_key, organizer_key)
    return structured(SessionList(sessions=sessions, total=len(sessions)))


@goto_tool(toolset="reports", title="Session attendance", read_only=True)
async def get_session_attendance(
    ctx: Context,
    session_key: SessionKey,
    limit: Limit = 50,
    offset: Offset = 0,
    organizer_key: OrganizerKey = None,
) -> Annotated[CallToolResult, Attendance]:
    """List a completed session's attendees with minutes; no-shows last with time_in_session 0."""
    attendees = await client_of(ctx).get_attendance(session_key, organizer_key)
    attended = sum(1 for person in attendees if person.time_in_session > 0)
    part, counts = take(attendees, limit, offset, "attendees")
    return structured(
        Attendance(
            session_key=session_key,
            attended=attended,
            no_shows=len(attendees) - attended,
            attendees=part,
            **counts.model_dump(),
        )
    )
