"""Previews of guarded calls: what will change, read from GoTo before anything changes.

Each builder takes the shared client and the tool's validated arguments and returns the
preview the user approves, or None when the call needs no confirmation. Previews name
people and trainings, never tokens or secrets.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from server.client import GoToClient
from server.models import DateTimeRange
from tools.guard import Preview
from tools.schedule import SessionTimes, load_time_zone, to_utc_ranges

MAX_LISTED_SESSIONS = 10


def local_times(times: list[DateTimeRange], time_zone: str | None) -> list[str]:
    """Format sessions in the training's time zone, such as 'Mon 2026-12-07 09:00-12:00 Europe/Berlin'."""
    zone = _zone(time_zone)
    lines = []
    for session in times[:MAX_LISTED_SESSIONS]:
        start, end = session.start_date.astimezone(zone), session.end_date.astimezone(zone)
        lines.append(f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {zone.key}")
    if len(times) > MAX_LISTED_SESSIONS:
        lines.append(f"... and {len(times) - MAX_LISTED_SESSIONS} more sessions")
    return lines


def _zone(time_zone: str | None) -> ZoneInfo:
    try:
        return load_time_zone(time_zone) if time_zone else ZoneInfo("UTC")
    except ValueError:
        return ZoneInfo("UTC")


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"  - {line}" for line in lines) or "  - (none)"


async def preview_delete_training(client: GoToClient, *, training_key: str, organizer_key: str | None) -> Preview:
    training = await client.get_training(training_key, organizer_key)
    registrants = await client.get_registrants(training_key, organizer_key)
    return Preview(
        f'Delete the training "{training.name}" (training_key {training_key}) and all its scheduled sessions:\n'
        f"{_bullets(local_times(training.times, training.time_zone))}\n"
        f"It has {len(registrants)} registrants. GoTo e-mails nobody; anyone who tries to join will see "
        '"Training Not Found". This cannot be undone.'
    )


async def preview_cancel_registration(
    client: GoToClient, *, training_key: str, registrant_key: str, organizer_key: str | None
) -> Preview:
    training = await client.get_training(training_key, organizer_key)
    person = await client.get_registrant(training_key, registrant_key, organizer_key)
    name = " ".join(part for part in (person.given_name, person.surname) if part) or "(no name)"
    return Preview(
        f"Cancel the registration of {name} <{(person.email or '').strip()}> (status {person.status or 'unknown'}) "
        f'for the training "{training.name}" (training_key {training_key}). GoTo e-mails nobody; '
        "the person can register again."
    )


async def preview_update_training_organizers(
    client: GoToClient,
    *,
    training_key: str,
    organizer_keys: tuple[str, ...] | list[str],
    notify_organizers: bool,
    organizer_key: str | None,
) -> Preview:
    training = await client.get_training(training_key, organizer_key)
    current = {
        organizer.organizer_key: organizer
        for organizer in await client.get_training_organizers(training_key, organizer_key)
    }
    wanted = set(organizer_keys)
    scheduler = training.creator_key or (await client.identity()).organizer_key

    def describe(key: str) -> str:
        organizer = current.get(key)
        if organizer is None:
            return f"organizer_key {key}"
        name = " ".join(part for part in (organizer.given_name, organizer.surname) if part)
        return (
            f"{name} <{organizer.email}> (organizer_key {key})" if name else f"{organizer.email} (organizer_key {key})"
        )

    removed = [describe(key) for key in current if key not in wanted and key != scheduler]
    added = [describe(key) for key in organizer_keys if key not in current]
    mail = "The organizers will be e-mailed about the change." if notify_organizers else "Nobody is e-mailed."
    return Preview(
        f'Replace the co-organizers of "{training.name}" (training_key {training_key}).\n'
        f"Removed, without notice:\n{_bullets(removed)}\nAdded:\n{_bullets(added)}\n{mail}"
    )


async def preview_update_training_times(
    client: GoToClient,
    *,
    training_key: str,
    sessions: list[SessionTimes],
    time_zone: str | None,
    notify_registrants: bool,
    notify_trainers: bool,
    organizer_key: str | None,
) -> Preview | None:
    if not notify_registrants and not notify_trainers:
        return None
    training = await client.get_training(training_key, organizer_key)
    zone_name = time_zone or training.time_zone or "UTC"
    new_times = to_utc_ranges(sessions, zone_name, datetime.now(UTC))
    recipients = []
    if notify_registrants:
        registrants = await client.get_registrants(training_key, organizer_key)
        recipients.append(f"all {len(registrants)} registrants")
    if notify_trainers:
        recipients.append(f"its {len(training.organizers)} trainers" if training.organizers else "the organizer")
    return Preview(
        f'Reschedule "{training.name}" (training_key {training_key}).\n'
        f"Now:\n{_bullets(local_times(training.times, training.time_zone))}\n"
        f"New:\n{_bullets(local_times(new_times, zone_name))}\n"
        f"GoTo will e-mail the new schedule to {' and '.join(recipients)}."
    )
