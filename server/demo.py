"""`goto-training-mcp demo`: three assistant jobs, run through a real MCP client against the sandbox.

The demo starts `goto-training-mcp serve --sandbox` as a stdio subprocess, connects the SDK's
client, and calls tools the way an assistant would. It prefers the workflow tools when the
server offers them and falls back to the plain tools otherwise.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from mcp import Client
from mcp.client.stdio import StdioServerParameters

DEMO_TIME_ZONE = "Europe/Berlin"
MAX_SCHEDULE_ATTEMPTS = 4


class DemoError(Exception):
    """A tool call in the demo failed."""


def say(text: str = "") -> None:
    # The demo is a terminal program, not the MCP channel, so its report goes to stdout.
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Demo:
    def __init__(self, client: Client, tool_names: set[str]) -> None:
        self.client = client
        self.tool_names = tool_names
        self.calls = 0

    async def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """Call a tool and return its structured content."""
        return (await self.call_with_text(name, arguments))[0]

    async def call_with_text(self, name: str, arguments: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """Call a tool and return its structured content and its text, which is what the model reads."""
        self.calls += 1
        shown = json.dumps(arguments, separators=(", ", ": "))
        say(f"  -> {name}({shown})")
        result = await self.client.call_tool(name, arguments)
        text = result.content[0].text if result.content else ""
        if result.is_error:
            raise DemoError(f"{name} failed: {text}")
        return result.structured_content or {}, text


async def run(log_level: str = "WARNING") -> int:
    """Run the three jobs and return the exit code."""
    started = time.monotonic()
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["-m", "server", "serve", "--sandbox", "--log-level", log_level],
    )
    say("goto-training-mcp demo: an MCP client talking to the server, which talks to a local GoTo sandbox.")
    async with Client(parameters) as client:
        tools = (await client.list_tools()).tools
        demo = Demo(client, {tool.name for tool in tools})
        say(f"The server offers {len(tools)} tools.\n")
        try:
            me = await demo.call("get_current_organizer", {})
            say(f"     signed in as {me.get('email')} (organizer {me['organizer_key']})\n")
            await schedule_training(demo)
            matches = await look_up_person(demo)
            await summarise_attendance(demo, matches)
        except DemoError as exc:
            say(f"\nThe demo stopped: {exc}")
            return 1
    say(f"\nDone: {demo.calls} tool calls in {time.monotonic() - started:.1f} s.")
    return 0


async def schedule_training(demo: Demo) -> None:
    say('1. "Schedule a two-day Excel course next week, 9 to 12 Berlin time, and register Ada and Grace."')
    first_day = _next_monday()
    for attempt in range(MAX_SCHEDULE_ATTEMPTS):
        sessions = [
            {"start": f"{day:%Y-%m-%d}T09:00:00", "end": f"{day:%Y-%m-%d}T12:00:00"}
            for day in (first_day, first_day + timedelta(days=1))
        ]
        arguments = {
            "name": "Excel for analysts",
            "time_zone": DEMO_TIME_ZONE,
            "sessions": sessions,
            "description": "Two mornings of formulas, pivots and charts.",
        }
        try:
            created = await demo.call("create_training", arguments)
            break
        except DemoError as exc:
            # As an assistant would: read GoTo's reason, and after a clash try a day later.
            if "OrganizerOverlap" not in str(exc) or attempt + 1 == MAX_SCHEDULE_ATTEMPTS:
                raise
            say("     GoTo answered OrganizerOverlap: the organizer is busy then. Trying a day later.")
            first_day += timedelta(days=1)
    key = created["training_key"]
    times = created.get("training", {}).get("times", [])
    shown = ", ".join(f"{t['start_date']} to {t['end_date'][11:]}" for t in times)
    say(f"     created training {key}; GoTo stored the sessions in UTC: {shown}")
    for given, surname in (("Ada", "Lovelace"), ("Grace", "Hopper")):
        email = f"{given.lower()}.{surname.lower()}@example.com"
        registration = await demo.call(
            "register_for_training",
            {"training_key": key, "email": email, "given_name": given, "surname": surname},
        )
        state = "was already registered" if registration["already_registered"] else "is registered"
        say(f"     {given} {surname} {state} (registrant {registration['registrant_key']})")
    say()


async def look_up_person(demo: Demo) -> list[dict[str, Any]]:
    """Look a person up and return find_registrant's matches, or [] without that tool."""
    trainings = (await demo.call("list_trainings", {"limit": 20}))["trainings"]
    email = await _someone_registered(demo, trainings)
    say(f'2. "Is {email} registered anywhere, and did they attend?"')
    if "find_registrant" in demo.tool_names:
        found = await demo.call("find_registrant", {"query": email, "include_completed": True})
        matches = found.get("matches", [])
        for match in matches:
            say(f"     {_describe_match(match)}")
        searched = f"{found.get('trainings_searched')} scheduled trainings"
        say(f"     searched {searched} and {found.get('sessions_searched', 0)} completed sessions in one call\n")
        return matches
    matches = []
    for training in trainings:
        listed = await demo.call("list_registrants", {"training_key": training["training_key"], "limit": 500})
        for person in listed["registrants"]:
            if (person.get("email") or "").strip().lower() == email:
                matches.append((training["name"], person.get("status"), person.get("registration_date")))
    for name, status, registered in matches:
        say(f"     {name}: {status}, registered {registered}")
    say(f"     found in {len(matches)} of {len(trainings)} scheduled trainings\n")
    return []


def _describe_match(match: dict[str, Any]) -> str:
    parts = []
    if match.get("status"):
        parts.append(f"{match['status']}, registered {(match.get('registration_date') or '?')[:10]}")
    attendance = match.get("attendance")
    if attendance:
        parts.append(
            f"attended {attendance['attended']} of {attendance['sessions']} completed sessions "
            f"({attendance['minutes']} min)"
        )
    completed = "" if match.get("training_key") else " (completed)"
    return f"{match.get('training_name')}{completed}: " + "; ".join(parts)


async def summarise_attendance(demo: Demo, matches: list[dict[str, Any]]) -> None:
    # GoTo's reports give a completed training no key, so the summary is of a listed training
    # with completed sessions, found by the lookup above.
    with_sessions = [match for match in matches if match.get("training_key") and match.get("attendance")]
    if "summarize_training_attendance" in demo.tool_names and with_sessions:
        chosen = max(with_sessions, key=lambda match: match["attendance"]["sessions"])
        say(f'3. "How did attendance go in {chosen["training_name"]} so far?"')
        _, text = await demo.call_with_text("summarize_training_attendance", {"training_key": chosen["training_key"]})
        for line in text.splitlines():
            say(f"     {line}" if line else "")
        return

    now = datetime.now(UTC)
    start = (now - timedelta(days=180)).strftime("%Y-%m-%dT%H:%M:%SZ")
    sessions = (
        await demo.call("list_sessions_in_date_range", {"start": start, "end": now.strftime("%Y-%m-%dT%H:%M:%SZ")})
    )["sessions"]
    if not sessions:
        raise DemoError("the sandbox has no completed sessions in the last 180 days")
    by_training: dict[str, int] = {}
    for session in sessions:
        by_training[session.get("training_name", "?")] = by_training.get(session.get("training_name", "?"), 0) + 1
    name = max(by_training, key=lambda training: by_training[training])
    say(f'3. "How did attendance go in {name}?"')
    chosen = [session for session in sessions if session.get("training_name") == name]
    attendees: dict[str, int] = {}
    rows = []
    for session in sorted(chosen, key=lambda item: item.get("session_start_time", "")):
        report = await demo.call("get_session_attendance", {"session_key": session["session_key"], "limit": 500})
        for person in report["attendees"]:
            if person.get("time_in_session", 0) > 0:
                email = person.get("email", "?")
                attendees[email] = attendees.get(email, 0) + person["time_in_session"]
        rows.append((session.get("session_start_time", "")[:10], report["attended"], report["no_shows"]))
    say("     session      attended  no-shows")
    for date, attended, absent in rows:
        say(f"     {date}   {attended:>8}  {absent:>8}")
    if attendees:
        top = max(attendees, key=lambda email: attendees[email])
        say(f"     {len(attendees)} people attended at least once; most minutes: {top} ({attendees[top]} min)")


async def _someone_registered(demo: Demo, trainings: list[dict[str, Any]]) -> str:
    for training in trainings:
        listed = await demo.call("list_registrants", {"training_key": training["training_key"], "limit": 1})
        if listed["registrants"]:
            return (listed["registrants"][0].get("email") or "").strip().lower()
    raise DemoError("no scheduled training in the sandbox has registrants")


def _next_monday() -> datetime:
    today = datetime.now(UTC)
    return today + timedelta(days=7 - today.weekday())
