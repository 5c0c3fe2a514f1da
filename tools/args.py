"""Argument types shared by the tools: each carries its JSON schema constraints and a one-line description."""

from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema

from server.keys import validate_key


def _key(name: str, description: str | None) -> object:
    # An integer is accepted and normalised, but the schema asks for a string: JavaScript clients
    # round integers above 2**53, and GoTo keys are often larger. The digits rule is checked on
    # arrival with a message that names the value; a schema pattern would cost bytes on every turn.
    return Annotated[
        str,
        BeforeValidator(lambda value: validate_key(value, name)),
        WithJsonSchema({"type": "string"} | ({"description": description} if description else {})),
    ]


TrainingKey = _key("training_key", "From list_trainings.")
RegistrantKey = _key("registrant_key", "From list_registrants.")
SessionKey = _key("session_key", "From list_training_sessions.")
RecordingId = _key("recording_id", "From list_recordings.")
AccountKey = _key("account_key", "Default: signed-in account.")
OrganizerKeyValue = _key("organizer_key", None)
OrganizerKey = Annotated[
    OrganizerKeyValue | None,  # type: ignore[operator]
    Field(description="Default: signed-in user."),
]
OptionalSessionKey = Annotated[
    SessionKey | None,  # type: ignore[operator]
    Field(description="Only this session."),
]

Limit = Annotated[int, Field(ge=1, le=500, description="Max items.")]
Offset = Annotated[int, Field(ge=0, description="Items to skip.")]
Page = Annotated[int, Field(ge=0, description="From 0.")]
PageSize = Annotated[int, Field(ge=1, le=200, description="Items a page.")]
AllPages = Annotated[bool, Field(description="Up to 1000 items.")]
