"""Session times as the model gives them, turned into the UTC ranges GoTo expects.

A time with an offset is used as given. A time without one is local time in the
training's time zone, converted with zoneinfo so daylight-saving changes land right.
Every check runs before any request, and each message names the session and its values.
"""

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from server.models import DateTimeRange

MAX_SESSION = timedelta(hours=24)


def _time_of_day_required(value: object) -> object:
    # pydantic reads a bare date as midnight, which would silently schedule a 00:00 session.
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        raise ValueError(f"{value!r} has no time of day; give one, such as '{value.strip()}T09:00:00'")
    return value


SessionTime = Annotated[datetime, BeforeValidator(_time_of_day_required), Field(description="ISO 8601.")]


class SessionTimes(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: SessionTime
    end: SessionTime


Sessions = Annotated[
    list[SessionTimes],
    Field(min_length=1, max_length=50, description="Times without offset are in time_zone."),
]


def load_time_zone(name: str) -> ZoneInfo:
    """Return the IANA time zone `name`, or raise ValueError naming it and the fix."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"time_zone {name!r} is not a known IANA time zone; "
            "use an id such as 'Europe/Berlin' or 'America/New_York'."
        ) from exc


def to_utc_ranges(sessions: list[SessionTimes], time_zone: str, now: datetime) -> list[DateTimeRange]:
    """Check `sessions` and return them as UTC ranges; raise ValueError on the first problem found."""
    zone = load_time_zone(time_zone)
    if not sessions:
        raise ValueError("sessions is empty: give at least one {start, end}.")

    ranges = []
    for index, session in enumerate(sessions):
        start = _localise(session.start, zone, f"sessions[{index}].start")
        end = _localise(session.end, zone, f"sessions[{index}].end")
        shown = f"sessions[{index}] ({session.start.isoformat()} to {session.end.isoformat()})"
        if end <= start:
            raise ValueError(f"{shown}: end is not after start. Give an end later than the start.")
        if end - start > MAX_SESSION:
            raise ValueError(f"{shown} lasts {end - start}; GoTo allows at most 24 hours a session. Split it.")
        if start < now:
            raise ValueError(
                f"{shown} starts in the past (now is {now.astimezone(zone).isoformat(timespec='minutes')} "
                f"in {time_zone}). Pick a future start."
            )
        ranges.append(DateTimeRange(start_date=start, end_date=end))

    ordered = sorted(enumerate(ranges), key=lambda pair: pair[1].start_date)
    for (first_index, first), (second_index, second) in zip(ordered, ordered[1:], strict=False):
        if second.start_date < first.end_date:
            raise ValueError(
                f"sessions[{first_index}] and sessions[{second_index}] overlap "
                f"({_utc(first)} and {_utc(second)}). Make each session end before the next starts."
            )
    return ranges


def _localise(moment: datetime, zone: ZoneInfo, name: str) -> datetime:
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    local = moment.replace(tzinfo=zone)
    # A wall-clock time skipped by a daylight-saving change does not survive the round trip.
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise ValueError(
            f"{name} {moment.isoformat()!r} does not exist in {zone.key} (the clocks skip it for daylight saving). "
            "Pick another time or give an offset."
        )
    # A wall-clock time repeated when the clocks go back has two offsets (fold 0 and fold 1).
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        first, second = local.isoformat(), local.replace(fold=1).isoformat()
        raise ValueError(
            f"{name} {moment.isoformat()!r} happens twice in {zone.key} (the clocks go back for daylight saving). "
            f"Give the offset you mean: {first!r} or {second!r}."
        )
    return local.astimezone(UTC)


def _utc(session: DateTimeRange) -> str:
    return f"{session.start_date:%Y-%m-%dT%H:%MZ}-{session.end_date:%H:%MZ}"
