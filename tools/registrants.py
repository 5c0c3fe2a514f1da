"""Tools for registrants: list, look up, register and cancel."""

from datetime import datetime
from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from server.errors import ConflictError
from server.models import Registrant
from tools._registry import client_of, goto_tool, structured
from tools.args import EmailAddress, Limit, Offset, OrganizerKey, RegistrantKey, TrainingKey
from tools.listing import Slice, take
from tools.previews import preview_cancel_registration

Status = Literal["APPROVED", "WAITING", "DENIED", "UNREGISTERED", "DELETED"]
PersonName = Annotated[str, Field(min_length=1, max_length=100)]


class RegistrantSummary(BaseModel):
    """The fields of a registrant that answer most questions; get_registrant has the rest."""

    registrant_key: str
    email: str | None = None
    given_name: str | None = None
    surname: str | None = None
    status: str | None = None
    registration_date: datetime | None = None


class RegistrantList(Slice):
    training_key: str
    registrants: list[RegistrantSummary]


class Registration(BaseModel):
    training_key: str
    registrant_key: str
    already_registered: bool
    join_url: str | None = None
    confirmation_url: str | None = None
    status: str | None = None


class Cancellation(BaseModel):
    training_key: str
    registrant_key: str
    status: str


def summarise(registrant: Registrant) -> RegistrantSummary:
    return RegistrantSummary(
        **registrant.model_dump(include=set(RegistrantSummary.model_fields)),
    )


@goto_tool(toolset="registrants", title="List registrants", read_only=True)
async def list_registrants(
    ctx: Context,
    training_key: TrainingKey,
    status: Annotated[Status | None, Field(description="Only this status.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    organizer_key: OrganizerKey = None,
) -> Annotated[CallToolResult, RegistrantList]:
    """List a training's registrants: key, name, e-mail, status. New ones may take 2 hours to show."""
    registrants = await client_of(ctx).get_registrants(training_key, organizer_key)
    if status is not None:
        registrants = [person for person in registrants if (person.status or "").upper() == status]
    part, counts = take(registrants, limit, offset, "registrants")
    summaries = [summarise(person) for person in part]
    return structured(RegistrantList(training_key=training_key, registrants=summaries, **counts.model_dump()))


@goto_tool(toolset="registrants", title="Get registrant", read_only=True)
async def get_registrant(
    ctx: Context, training_key: TrainingKey, registrant_key: RegistrantKey, organizer_key: OrganizerKey = None
) -> Annotated[CallToolResult, Registrant]:
    """Get one registration in full: status, join URL, answers given."""
    return structured(await client_of(ctx).get_registrant(training_key, registrant_key, organizer_key))


@goto_tool(toolset="registrants", title="Register person", read_only=False, idempotent=True)
async def register_for_training(
    ctx: Context,
    training_key: TrainingKey,
    email: Annotated[EmailAddress, Field(description="The person's e-mail address.")],
    given_name: Annotated[PersonName, Field(description="First name.")],
    surname: Annotated[PersonName, Field(description="Last name.")],
    organizer_key: OrganizerKey = None,
) -> Annotated[CallToolResult, Registration]:
    """Register a person (GoTo e-mails them); an e-mail already registered returns that registration."""
    client = client_of(ctx)
    try:
        created = await client.register_for_training(
            training_key, email=email.strip(), given_name=given_name, surname=surname, organizer_key=organizer_key
        )
    except ConflictError as exc:
        if exc.error_code != "DuplicateRegistrant":
            raise
        existing = await _existing_registration(client, training_key, email, exc.registrant_key, organizer_key)
        if existing is None:
            raise
        return structured(existing)
    return structured(
        Registration(
            training_key=training_key,
            registrant_key=created.registrant_key,
            already_registered=False,
            join_url=created.join_url,
            confirmation_url=created.confirmation_url,
        )
    )


async def _existing_registration(
    client, training_key: str, email: str, registrant_key: str | None, organizer_key: str | None
) -> Registration | None:
    if registrant_key is not None:
        person = await client.get_registrant(training_key, registrant_key, organizer_key)
    else:
        wanted = email.strip().lower()
        matches = [
            person
            for person in await client.get_registrants(training_key, organizer_key)
            if (person.email or "").strip().lower() == wanted
        ]
        if not matches:
            return None
        person = matches[0]
    return Registration(
        training_key=training_key,
        registrant_key=person.registrant_key,
        already_registered=True,
        join_url=person.join_url,
        confirmation_url=person.confirmation_url,
        status=person.status,
    )


@goto_tool(
    toolset="registrants",
    title="Cancel registration",
    read_only=False,
    destructive=True,
    idempotent=True,
    confirm=preview_cancel_registration,
)
async def cancel_registration(
    ctx: Context, training_key: TrainingKey, registrant_key: RegistrantKey, organizer_key: OrganizerKey = None
) -> Annotated[CallToolResult, Cancellation]:
    """Cancel a registration. No e-mails; the person may register again."""
    await client_of(ctx).cancel_registration(training_key, registrant_key, organizer_key)
    return structured(Cancellation(training_key=training_key, registrant_key=registrant_key, status="cancelled"))
