"""Argument types shared by the tools: each carries its JSON schema constraints and a one-line description."""

from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema

from server.keys import validate_key


def _key(name: str, description: str) -> object:
    # An integer is accepted and normalised, but the schema asks for a string: JavaScript clients
    # round integers above 2**53, and GoTo keys are often larger.
    return Annotated[
        str,
        BeforeValidator(lambda value: validate_key(value, name)),
        WithJsonSchema({"type": "string", "pattern": "^[0-9]{1,19}$", "description": description}),
    ]


TrainingKey = _key("training_key", "Training key (digits) from list_trainings.")
RegistrantKey = _key("registrant_key", "Registrant key (digits) from list_registrants.")
SessionKey = _key("session_key", "Session key (digits) from list_training_sessions.")
RecordingId = _key("recording_id", "Recording id (digits) from list_recordings.")
AccountKey = _key("account_key", "Account key (digits); default: the signed-in account.")
OrganizerKeyValue = _key("organizer_key", "Organizer key (digits).")
OrganizerKey = Annotated[
    OrganizerKeyValue | None,  # type: ignore[operator]
    Field(description="Organizer key (digits); default: the signed-in organizer."),
]
OptionalSessionKey = Annotated[
    SessionKey | None,  # type: ignore[operator]
    Field(description="Only this session (key from list_training_sessions)."),
]

Limit = Annotated[int, Field(ge=1, le=500, description="Max items to return (1-500).")]
Offset = Annotated[int, Field(ge=0, description="Items to skip, for the next part of a long list.")]
Page = Annotated[int, Field(ge=0, description="Page number, from 0.")]
PageSize = Annotated[int, Field(ge=1, le=200, description="Items per page (1-200).")]
AllPages = Annotated[bool, Field(description="Fetch every page (up to 1000 items) instead of one.")]
