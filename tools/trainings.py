"""Tools for trainings: list, read, schedule, change, delete, and the organizer's URLs."""

import logging
from datetime import UTC, datetime
from typing import Annotated

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from server.errors import GoToError
from server.models import DateTimeRange, Organizer, Training
from tools._registry import client_of, goto_tool, structured
from tools.args import Limit, Offset, OrganizerKey, OrganizerKeyValue, TrainingKey
from tools.listing import Slice, take
from tools.previews import preview_delete_training, preview_update_training_organizers, preview_update_training_times
from tools.schedule import Sessions, load_time_zone, to_utc_ranges

logger = logging.getLogger(__name__)

Name = Annotated[str, Field(min_length=1, max_length=128, description="Training name.")]
Description = Annotated[str | None, Field(max_length=2048, description="Shown to registrants.")]
TimeZone = Annotated[str, Field(min_length=1, max_length=64, description="IANA zone, e.g. Europe/Berlin.")]


class TrainingList(Slice):
    trainings: list[Training]


class CreatedTraining(BaseModel):
    training_key: str
    training: Training | None = None
    note: str | None = None


class TrainingChange(BaseModel):
    training_key: str
    status: str


class TimesChange(BaseModel):
    training_key: str
    time_zone: str
    times: list[DateTimeRange]
    notified_registrants: int
    notified_trainers: int


class OrganizerList(BaseModel):
    organizers: list[Organizer]
    total: int


class Url(BaseModel):
    training_key: str
    url: str


def _now() -> datetime:
    return datetime.now(UTC)


@goto_tool(toolset="trainings", title="List trainings", read_only=True)
async def list_trainings(
    ctx: Context, limit: Limit = 50, offset: Offset = 0, organizer_key: OrganizerKey = None
) -> Annotated[CallToolResult, TrainingList]:
    """List scheduled and ongoing trainings with keys, names and times (not completed ones)."""
    trainings = await client_of(ctx).get_trainings(organizer_key)
    part, counts = take(trainings, limit, offset, "trainings")
    return structured(TrainingList(trainings=part, **counts.model_dump()))


@goto_tool(toolset="trainings", title="Get training", read_only=True)
async def get_training(
    ctx: Context, training_key: TrainingKey, organizer_key: OrganizerKey = None
) -> Annotated[CallToolResult, Training]:
    """Get one training: name, time zone, sessions, organizers, registration settings."""
    return structured(await client_of(ctx).get_training(training_key, organizer_key))


@goto_tool(toolset="trainings", title="Create training", read_only=False, idempotent=False)
async def create_training(
    ctx: Context,
    name: Name,
    time_zone: TimeZone,
    sessions: Sessions,
    description: Description = None,
    disable_confirmation_email: Annotated[bool, Field(description="Send no confirmation e-mails.")] = False,
    disable_web_registration: Annotated[bool, Field(description="Close web registration.")] = False,
    co_organizer_keys: Annotated[
        tuple[OrganizerKeyValue, ...], Field(max_length=50, description="Co-organizer keys.")  # type: ignore[valid-type]
    ] = (),
    organizer_key: OrganizerKey = None,
) -> Annotated[CallToolResult, CreatedTraining]:
    """Schedule a training of one or more sessions; returns its training_key and stored details."""
    times = to_utc_ranges(sessions, time_zone, _now())
    client = client_of(ctx)
    training_key = await client.create_training(
        name=name,
        time_zone=time_zone,
        times=times,
        description=description,
        disable_confirmation_email=disable_confirmation_email,
        disable_web_registration=disable_web_registration,
        co_organizer_keys=co_organizer_keys,
        organizer_key=organizer_key,
    )
    try:
        stored = await client.get_training(training_key, organizer_key)
    except GoToError as exc:
        # The training exists; failing here would invite the model to create it again.
        logger.warning("Created training %s but could not read it back: %s", training_key, exc)
        note = "Created, but reading it back failed; call get_training later. Do not create it again."
        return structured(CreatedTraining(training_key=training_key, note=note))
    return structured(CreatedTraining(training_key=training_key, training=stored))


@goto_tool(toolset="trainings", title="Rename training", read_only=False, idempotent=True)
async def update_training_details(
    ctx: Context,
    training_key: TrainingKey,
    name: Name,
    description: Description = None,
    organizer_key: OrganizerKey = None,
) -> Annotated[CallToolResult, TrainingChange]:
    """Rename a training or change its description. No e-mails."""
    await client_of(ctx).update_training_name_description(training_key, name, description, organizer_key)
    return structured(TrainingChange(training_key=training_key, status="updated"))


@goto_tool(
    toolset="trainings",
    title="Reschedule training",
    read_only=False,
    destructive=True,
    idempotent=True,
    confirm=preview_update_training_times,
)
async def update_training_times(
    ctx: Context,
    training_key: TrainingKey,
    sessions: Sessions,
    time_zone: Annotated[str | None, Field(description="IANA zone; default: the training's.")] = None,
    notify_registrants: Annotated[bool, Field(description="E-mail registrants the new times.")] = True,
    notify_trainers: Annotated[bool, Field(description="E-mail trainers the new times.")] = True,
    organizer_key: OrganizerKey = None,
) -> Annotated[CallToolResult, TimesChange]:
    """Replace all session times of a training. By default GoTo e-mails registrants and trainers."""
    client = client_of(ctx)
    if time_zone is None:
        time_zone = (await client.get_training(training_key, organizer_key)).time_zone or "UTC"
    load_time_zone(time_zone)
    times = to_utc_ranges(sessions, time_zone, _now())
    result = await client.update_training_times(
        training_key,
        time_zone=time_zone,
        times=times,
        notify_registrants=notify_registrants,
        notify_trainers=notify_trainers,
        organizer_key=organizer_key,
    )
    return structured(TimesChange(training_key=training_key, time_zone=time_zone, times=times, **result.model_dump()))


@goto_tool(toolset="trainings", title="Registration settings", read_only=False, idempotent=True)
async def update_registration_settings(
    ctx: Context,
    training_key: TrainingKey,
    disable_confirmation_email: Annotated[bool, Field(description="Send no confirmation e-mails.")],
    disable_web_registration: Annotated[bool, Field(description="Close web registration.")],
    organizer_key: OrganizerKey = None,
) -> Annotated[CallToolResult, TrainingChange]:
    """Open or close web registration; turn confirmation e-mails on or off."""
    await client_of(ctx).update_registration_settings(
        training_key,
        disable_confirmation_email=disable_confirmation_email,
        disable_web_registration=disable_web_registration,
        organizer_key=organizer_key,
    )
    return structured(TrainingChange(training_key=training_key, status="updated"))


@goto_tool(toolset="trainings", title="List training organizers", read_only=True)
async def list_training_organizers(
    ctx: Context, training_key: TrainingKey, organizer_key: OrganizerKey = None
) -> Annotated[CallToolResult, OrganizerList]:
    """List a training's organizer and co-organizers."""
    organizers = await client_of(ctx).get_training_organizers(training_key, organizer_key)
    return structured(OrganizerList(organizers=organizers, total=len(organizers)))


@goto_tool(
    toolset="trainings",
    title="Replace co-organizers",
    read_only=False,
    destructive=True,
    idempotent=True,
    confirm=preview_update_training_organizers,
)
async def update_training_organizers(
    ctx: Context,
    training_key: TrainingKey,
    organizer_keys: Annotated[
        list[OrganizerKeyValue],  # type: ignore[valid-type]
        Field(min_length=1, max_length=50, description="The complete new co-organizer list."),
    ],
    notify_organizers: Annotated[bool, Field(description="E-mail the new organizers.")] = True,
    organizer_key: OrganizerKey = None,
) -> Annotated[CallToolResult, TrainingChange]:
    """Replace a training's co-organizers; those left out are removed without notice."""
    await client_of(ctx).update_training_organizers(
        training_key, organizer_keys, notify_organizers=notify_organizers, organizer_key=organizer_key
    )
    return structured(TrainingChange(training_key=training_key, status="organizers replaced"))


@goto_tool(
    toolset="trainings",
    title="Delete training",
    read_only=False,
    destructive=True,
    idempotent=True,
    confirm=preview_delete_training,
)
async def delete_training(
    ctx: Context, training_key: TrainingKey, organizer_key: OrganizerKey = None
) -> Annotated[CallToolResult, TrainingChange]:
    """Delete a training and its sessions; cannot be undone. No e-mails; joiners see "Training Not Found"."""
    await client_of(ctx).delete_training(training_key, organizer_key)
    return structured(TrainingChange(training_key=training_key, status="deleted"))


@goto_tool(toolset="trainings", title="Management URL", read_only=True)
async def get_management_url(
    ctx: Context, training_key: TrainingKey, organizer_key: OrganizerKey = None
) -> Annotated[CallToolResult, Url]:
    """Get the admin-portal URL to manage the training."""
    url = await client_of(ctx).get_management_url(training_key, organizer_key)
    return structured(Url(training_key=training_key, url=url))


@goto_tool(toolset="trainings", title="Start URL", read_only=True)
async def get_start_url(
    ctx: Context, training_key: TrainingKey, organizer_key: OrganizerKey = None
) -> Annotated[CallToolResult, Url]:
    """Get a URL that starts the training after the organizer signs in."""
    url = await client_of(ctx).get_start_url(training_key, organizer_key)
    return structured(Url(training_key=training_key, url=url))


@goto_tool(toolset="trainings", title="Start training", read_only=True)
async def start_training(ctx: Context, training_key: TrainingKey) -> Annotated[CallToolResult, Url]:
    """Get a host URL that starts the training with no sign-in; for the trainer only."""
    url = await client_of(ctx).start_training(training_key)
    return structured(Url(training_key=training_key, url=url))
