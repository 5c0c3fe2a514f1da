"""Workflow tools: one call answers a whole question that would take the plain tools many calls.

Each tool fans its GoTo requests out concurrently (tools.workflows_fan_out), reports progress
when the caller asked for it, and does the arithmetic itself, so the model gets a compact
summary with numbers it need not compute.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult, TextContent
from pydantic import BaseModel, Field

from tools._registry import client_of, goto_tool, structured
from tools.args import OptionalSessionKey, TrainingKey
from tools.workflows_attendance import AttendanceSummary, attendance_markdown, summarize_attendance
from tools.workflows_fan_out import fan_out_for
from tools.workflows_questionnaires import Kind, QuestionnaireSummary, summarize_questionnaires
from tools.workflows_registrants import RegistrantSearch, search_registrants
from tools.workflows_sessions import SessionsSummary, sessions_markdown, summarize_date_range


def with_markdown(result: BaseModel, text: str) -> CallToolResult:
    """Build a tool result whose text is a markdown summary and whose structured content has every field."""
    content = result.model_dump(mode="json", exclude_none=True)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=content)


@goto_tool(toolset="workflows", title="Find registrant", read_only=True)
async def find_registrant(
    ctx: Context,
    query: Annotated[str, Field(min_length=1, max_length=200, description="E-mail, or words of the name.")],
    training_key: Annotated[TrainingKey | None, Field(description="Only this training.")] = None,  # type: ignore[valid-type]
    include_completed: Annotated[bool, Field(description="Also search the last year's attendance.")] = False,
) -> Annotated[CallToolResult, RegistrantSearch]:
    """Find a person's registrations (status, join URL) in all scheduled trainings, optionally with attendance."""
    found = await search_registrants(
        client_of(ctx), fan_out_for(ctx), query, training_key, include_completed, datetime.now(UTC)
    )
    return structured(found)


@goto_tool(toolset="workflows", title="Attendance summary", read_only=True)
async def summarize_training_attendance(
    ctx: Context, training_key: TrainingKey
) -> Annotated[CallToolResult, AttendanceSummary]:
    """Summarize a training's completed sessions: attendance per session and person, no-shows, totals."""
    summary = await summarize_attendance(client_of(ctx), training_key, fan_out_for(ctx))
    return with_markdown(summary, attendance_markdown(summary))


@goto_tool(toolset="workflows", title="Sessions summary", read_only=True)
async def summarize_sessions(
    ctx: Context,
    start: Annotated[datetime, Field(description="UTC if no offset.")],
    end: Annotated[datetime, Field(description="Max a year after start.")],
) -> Annotated[CallToolResult, SessionsSummary]:
    """Summarize all completed sessions in a date range by training: sessions, attendees, busiest."""
    summary = await summarize_date_range(client_of(ctx), start, end)
    return with_markdown(summary, sessions_markdown(summary))


@goto_tool(toolset="workflows", title="Questionnaire results", read_only=True)
async def summarize_questionnaire_results(
    ctx: Context,
    training_key: TrainingKey,
    kind: Annotated[Kind, Field(description="Which questionnaires.")],
    session_key: OptionalSessionKey = None,
) -> Annotated[CallToolResult, QuestionnaireSummary]:
    """Summarize all answers to a training's tests, polls or surveys per question, with scores for tests."""
    summary = await summarize_questionnaires(client_of(ctx), fan_out_for(ctx), training_key, kind, session_key)
    return structured(summary)
