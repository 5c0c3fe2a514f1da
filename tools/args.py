"""Argument types shared by the tools: each carries its JSON schema constraints and a one-line description."""

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from server.keys import InvalidKeyError, validate_key

LARGEST_EXACT_DOUBLE = 2**53


def argument_key(value: object, name: str) -> str:
    """Validate a key argument; an integer is normalised unless JavaScript could have rounded it."""
    if isinstance(value, int) and not isinstance(value, bool) and value > LARGEST_EXACT_DOUBLE:
        # A JavaScript client turns 4817395020468213761 into 4817395020468214000 before sending it,
        # and the rounded key would then name another training or none. Only a string is safe.
        raise InvalidKeyError(
            f"{name} arrived as the JSON number {value}, above 2**53, where JavaScript clients round numbers, "
            "so it may not be the key you meant. Send the key as a string, exactly as a list result shows it."
        )
    return validate_key(value, name)


def _key(name: str, description: str | None) -> object:
    # The schema asks for a string because GoTo keys are often above 2**53. The digits rule is checked
    # on arrival with a message that names the value; a schema pattern would cost bytes on every turn.
    return Annotated[
        str,
        BeforeValidator(lambda value: argument_key(value, name)),
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


def _email_address(value: str) -> str:
    # Imported on first use: email-validator compiles its patterns when imported, about 20 ms of
    # every start-up on a 2-core Xeon (bench/startup.py), and only register_for_training needs it.
    from pydantic.networks import validate_email

    return validate_email(value)[1]


EmailAddress = Annotated[str, AfterValidator(_email_address), WithJsonSchema({"format": "email", "type": "string"})]
"""An e-mail address, checked and normalised as pydantic's EmailStr does it."""
