"""MCP prompts for the three jobs users bring: schedule a training, look a person up, report attendance.

A client shows prompts as commands the user picks. Each one renders a user message that names
the tools to call, in order, so the job takes as few calls as it can.
"""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.prompts import Prompt
from pydantic import Field


def schedule_training(
    name: Annotated[str, Field(description="Name of the training.")],
    sessions: Annotated[str, Field(description="When, in words, such as 'next Monday and Tuesday, 9 to 12'.")],
    time_zone: Annotated[str | None, Field(description="IANA time zone, such as Europe/Berlin.")] = None,
    attendees: Annotated[str | None, Field(description="People to register: names and e-mail addresses.")] = None,
) -> str:
    zone = f"in the time zone {time_zone}" if time_zone else "in my time zone (ask me if you do not know it)"
    steps = [
        f"Schedule a GoTo training named {name!r}, with sessions {sessions}, {zone}.",
        "1. Work out each session's start and end as ISO 8601 local times without an offset, and show them to me.",
        "2. Call create_training with the name, the time_zone and the sessions. If GoTo answers "
        "OrganizerOverlap, tell me which training clashes and suggest another time instead of retrying blindly.",
    ]
    if attendees:
        steps.append(
            f"3. Register each of these people with register_for_training: {attendees}. "
            "Ask me for any e-mail address or name that is missing."
        )
    steps.append(
        "Finally, reply with the training_key, the session times in the training's time zone and any join URLs."
    )
    return "\n".join(steps)


def registrant_lookup(
    person: Annotated[str, Field(description="E-mail address or name of the person.")],
    training_key: Annotated[str | None, Field(description="Only this training.")] = None,
) -> str:
    scope = f" and training_key={training_key!r}" if training_key else ""
    return "\n".join(
        [
            f"Is {person} registered for any of my GoTo trainings, and did they attend?",
            f"Call find_registrant once, with query={person!r}, include_completed=true{scope}.",
            "Answer with one line a training: its name, the registration status and date, and the completed "
            "sessions attended with minutes. If nothing matches, say how many trainings and sessions were "
            "searched and suggest checking the spelling.",
        ]
    )


def attendance_report(
    training_key: Annotated[str | None, Field(description="Training to report on, or none for a period.")] = None,
    period: Annotated[str | None, Field(description="Period in words, such as 'last month'.")] = None,
) -> str:
    if training_key:
        return "\n".join(
            [
                f"How did attendance go in GoTo training {training_key}?",
                f"Call summarize_training_attendance with training_key={training_key!r}, then report the "
                "sessions table, the overall attendance rate, the no-shows and anything notable, such as a "
                "session with low attendance. Use its numbers as they are; do not recompute them.",
            ]
        )
    when = period or "last month"
    return "\n".join(
        [
            f"How did my GoTo trainings go {when}?",
            f"Work out the start and end of {when!r} as UTC date-times (at most a year), call summarize_sessions "
            "with them, and report each training's sessions, attendees and busiest session. Use its numbers as "
            "they are. If I ask about one training in detail, call summarize_training_attendance with its key.",
        ]
    )


PROMPTS = [
    Prompt.from_function(
        schedule_training,
        name="schedule-training",
        title="Schedule a training",
        description="Schedule a GoTo training and register people for it.",
    ),
    Prompt.from_function(
        registrant_lookup,
        name="registrant-lookup",
        title="Look up a registrant",
        description="Find whether a person is registered for trainings and whether they attended.",
    ),
    Prompt.from_function(
        attendance_report,
        name="attendance-report",
        title="Attendance report",
        description="Report how one training, or a period's trainings, went.",
    ),
]


def add_prompts(server: MCPServer) -> None:
    """Add the workflow prompts to `server`."""
    for prompt in PROMPTS:
        server.add_prompt(prompt)
