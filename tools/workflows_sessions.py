"""The summary of every completed session of the organizer in a date range, grouped by training.

One request: GoTo's session report already carries each session's attendance count and
duration. The report names a session's training but does not give its key, so sessions are
grouped by training name.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import Field

from server.client import GoToClient
from server.models import TrainingSession
from tools.reports import MAX_RANGE
from tools.workflows_attendance import session_minutes, session_order
from tools.workflows_models import OutputModel


class BusiestSession(OutputModel):
    session_key: str
    start: datetime | None = Field(None, description="UTC.")
    attendees: int


class TrainingActivity(OutputModel):
    training_name: str
    sessions: int
    attendees: int = Field(description="Sum of the sessions' attendance counts.")
    average_attendees: float = Field(description="attendees / sessions, 1 decimal.")
    average_duration_minutes: float = Field(description="1 decimal.")
    first_start: datetime | None = Field(None, description="UTC.")
    last_start: datetime | None = Field(None, description="UTC.")
    busiest_session: BusiestSession = Field(description="Most attendees, the earliest on a tie.")


class SessionsSummary(OutputModel):
    start: datetime
    end: datetime
    sessions: int
    attendees: int = Field(description="Sum of attendance counts over all sessions.")
    trainings: list[TrainingActivity] = Field(description="By first session.")


def check_range(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """Return the range in UTC, or raise ValueError when it is empty, reversed or longer than a year."""
    start, end = _as_utc(start), _as_utc(end)
    if end <= start:
        raise ValueError(
            f"end {end.isoformat()!r} is not after start {start.isoformat()!r}. Swap them or widen the range."
        )
    if end - start > MAX_RANGE:
        raise ValueError(
            f"The range {start.date()} to {end.date()} is longer than {MAX_RANGE.days} days, the most one "
            "summary covers, so that the report and its summary stay small. Summarize one year at a time."
        )
    return start, end


async def summarize_date_range(client: GoToClient, start: datetime, end: datetime) -> SessionsSummary:
    """Fetch the sessions in the range (checked first) and summarize them by training."""
    start, end = check_range(start, end)
    sessions = await client.get_sessions_by_date_range(start, end)
    return build_sessions_summary(start, end, sessions)


def build_sessions_summary(start: datetime, end: datetime, sessions: list[TrainingSession]) -> SessionsSummary:
    ordered = sorted(sessions, key=session_order)
    groups: dict[str, list[TrainingSession]] = {}
    for session in ordered:
        groups.setdefault(session.training_name or "(no name)", []).append(session)
    return SessionsSummary(
        start=start,
        end=end,
        sessions=len(ordered),
        attendees=sum(_attendees(session) for session in ordered),
        trainings=[_activity(name, group) for name, group in groups.items()],
    )


def sessions_markdown(summary: SessionsSummary) -> str:
    """Render the summary as a short markdown table, one row a training."""
    lines = [
        f"{summary.sessions} completed sessions from {summary.start:%Y-%m-%d} to {summary.end:%Y-%m-%d} (UTC), "
        f"{summary.attendees} attendances, {len(summary.trainings)} trainings.",
    ]
    if not summary.trainings:
        return "\n".join(lines)
    lines += [
        "",
        "| training | sessions | attendees | per session | avg minutes | busiest session |",
        "|--|--:|--:|--:|--:|--|",
    ]
    for activity in summary.trainings:
        busiest = activity.busiest_session
        when = f"{busiest.start:%Y-%m-%d}" if busiest.start else busiest.session_key
        lines.append(
            f"| {activity.training_name} | {activity.sessions} | {activity.attendees} | "
            f"{activity.average_attendees} | {activity.average_duration_minutes} | {when}: {busiest.attendees} |"
        )
    return "\n".join(lines)


def _activity(name: str, sessions: list[TrainingSession]) -> TrainingActivity:
    attendees = sum(_attendees(session) for session in sessions)
    durations = [session_minutes(session) for session in sessions]
    # max() keeps the first of equal counts, and the sessions are in start order.
    busiest = max(sessions, key=_attendees)
    starts = [session.session_start_time for session in sessions if session.session_start_time]
    return TrainingActivity(
        training_name=name,
        sessions=len(sessions),
        attendees=attendees,
        average_attendees=round(attendees / len(sessions), 1),
        average_duration_minutes=round(sum(durations) / len(durations), 1),
        first_start=min(starts, default=None),
        last_start=max(starts, default=None),
        busiest_session=BusiestSession(
            session_key=busiest.session_key, start=busiest.session_start_time, attendees=_attendees(busiest)
        ),
    )


def _attendees(session: TrainingSession) -> int:
    return session.attendance_count or 0


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
