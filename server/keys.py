"""GoTo keys: 64-bit integers that are always handled as decimal strings.

GoTo sends keys sometimes as strings and sometimes as JSON numbers above 2**53,
which JavaScript clients round. Python's `json` parses integers exactly, so the
rule here is only: never let a key pass through float, and hand every key on as
a string. Path keys are checked before any URL is built.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator

MAX_KEY = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


class InvalidKeyError(ValueError):
    """A key that is not a decimal number from 0 to 2**63-1."""


def validate_key(value: object, name: str) -> str:
    """Return `value` as a canonical decimal key string, or raise InvalidKeyError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidKeyError(
            f"{name} {value!r} is not a key: pass the key as a string of digits, such as '1234567890123456789'."
        )
    text = str(value)
    if not _DIGITS.fullmatch(text) or int(text) > MAX_KEY:
        raise InvalidKeyError(
            f"{name} {text!r} is not a valid key: keys are decimal numbers from 0 to {MAX_KEY} "
            "with no signs, spaces or other characters. Copy the key from a list result."
        )
    return str(int(text))


def response_key(value: object) -> str:
    """Normalise a key from a GoTo response (string or exact integer) to a string."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"expected a key as a string or integer, got {type(value).__name__}")
    return str(value)


ResponseKey = Annotated[str, BeforeValidator(response_key)]
"""A key field of a GoTo response: accepted as string or integer, kept as a string."""
