"""Hypothesis strategies for tool arguments, built from each tool's input schema.

Each argument has valid values, which reach the seeded sandbox, and mistakes. The mistakes are
values of the wrong JSON type, huge and unusual Unicode strings, keys that try to leave their path
segment, numbers out of every range, and dates at the edges of what `datetime` and ISO 8601 allow.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from server.sandbox import Sandbox, SeedKeys

KEY_TRICKS = (
    "1/../2",
    "%2e%2e",
    "..",
    ".",
    "12a",
    "a12",
    " 12",
    "12 ",
    "12\n",
    "-1",
    "+1",
    "1e3",
    "0x1f",
    "1_000",
    "１２３",
    "١٢٣",
    "1%2F2",
    "1?x=1",
    "1#x",
    "1;x",
    "",
    "\x00",
    "9" * 19,
    "9" * 20,
    str(2**63),
    str(2**63 - 1),
    "0" * 30 + "1",
    "../../admin/rest/v1/me",
)
"""Strings in the place of a key: traversal, escapes, signs, non-ASCII digits, overflow."""

EXTREME_DATES = (
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00-23:59",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59+23:59",
    "1970-01-01T00:00:00Z",
    "2038-01-19T03:14:08Z",
    "2024-02-29T12:00:00+14:00",
    "2023-02-29T12:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:00+24:00",
    "2026-01-01T00:00:60Z",
    "2026-01-01",
    "2026-01-01T00:00",
    "+275760-09-13T00:00:00Z",
    "-0001-01-01T00:00:00Z",
    "now",
    "",
)
"""Date-times at and past the edges of `datetime` and ISO 8601, and some that are not dates at all."""

HUGE_TEXTS = (
    "x" * 100_000,
    "é" * 50_000,
    "\U0001f600" * 25_000,
    "\u202e" * 1_000 + "abc",
    "a\u0000b",
    "\ufeff",
)
"""Long strings in one- to four-byte UTF-8 characters, bidirectional overrides, NUL, a byte-order mark."""

NUMBERS = (-1, 0, 1, -(2**63), 2**63, 2**64, 10**30, -(10**30), 0.5, -0.0, 1e308, -1e308)
"""Numbers out of every range a tool argument has, and fractions where integers belong."""

VALID_EMAILS = ("riley.sample@example.com", "new.person@example.com", "é@例え.jp")
INVALID_EMAILS = ("no-at-sign", "a@b", "@example.com", "a@@example.com", "a@example.com\nBcc: b@example.com")
VALID_TIME_ZONES = ("Europe/Berlin", "UTC", "America/New_York", "Etc/GMT+14")
INVALID_TIME_ZONES = ("Mars/Olympus_Mons", "../../etc/passwd", "Europe/", "utc ", "")
PLAIN_TEXTS = ("Weekly sync", "riley", "Ünïcode ✓")
UNKNOWN_ARGUMENTS = ("extra", "training_key ", "trainingKey", "__proto__", "../x", "")

json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
"""Any JSON value, for arguments of the wrong type."""

unusual_text = st.text(max_size=200) | st.sampled_from(HUGE_TEXTS)


def seeded_keys(sandbox: Sandbox) -> dict[str, list[str]]:
    """Return valid keys of the seeded sandbox for each key argument, so some calls reach it."""
    state = sandbox.state
    safety = state.trainings[SeedKeys.SAFETY_COURSE]
    data_series = state.trainings[SeedKeys.DATA_SERIES]
    organizers = [str(SeedKeys.ORGANIZER), str(SeedKeys.CO_ORGANIZER), str(SeedKeys.FOREIGN_ORGANIZER)]
    return {
        "training_key": [str(key) for key in (SeedKeys.ONBOARDING, SeedKeys.DATA_SERIES, SeedKeys.SAFETY_COURSE)],
        "registrant_key": [str(key) for key in list(data_series.registrants)[:3]],
        "session_key": [str(session.key) for session in safety.sessions[:2]],
        "recording_id": [str(recording.recording_id) for recording in safety.recordings[:2]],
        "organizer_key": organizers,
        "organizer_keys": organizers,
        "co_organizer_keys": organizers,
        "account_key": [str(SeedKeys.ACCOUNT), str(SeedKeys.FOREIGN_ACCOUNT)],
    }


def date_mistakes() -> st.SearchStrategy[Any]:
    return st.sampled_from(EXTREME_DATES) | unusual_text | json_values


def plausible_dates() -> st.SearchStrategy[str]:
    """Date-times from a year ago to a year ahead, with or without an offset."""
    now = datetime.now(UTC).replace(tzinfo=None)
    moments = st.datetimes(min_value=now - timedelta(days=366), max_value=now + timedelta(days=366))
    return st.builds(_with_zone, moments, st.none() | st.timezones())


def _with_zone(moment: datetime, zone: Any) -> str:
    return (moment.replace(tzinfo=zone) if zone is not None else moment).isoformat()


def future_session() -> st.SearchStrategy[dict[str, str]]:
    starts = st.integers(min_value=400, max_value=800).map(lambda days: datetime.now(UTC) + timedelta(days=days))
    return starts.map(lambda start: {"start": f"{start:%Y-%m-%d}T09:00:00Z", "end": f"{start:%Y-%m-%d}T11:00:00Z"})


def argument_strategies(
    name: str, schema: dict[str, Any], keys: dict[str, list[str]]
) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    """Return (valid, bad) strategies for one argument: values the tool should accept, and mistakes."""
    kind = schema.get("type")
    if name in keys and kind == "array":
        valid_key = st.sampled_from(keys[name])
        bad_lists = st.lists(key_mistakes(), min_size=1, max_size=3) | too_long_list(valid_key, schema)
        return st.lists(valid_key, min_size=1, max_size=3), bad_lists | json_values
    if name in keys:
        return st.sampled_from(keys[name]), key_mistakes()
    if "enum" in schema:
        return st.sampled_from(schema["enum"]), unusual_text | json_values
    if schema.get("format") == "date-time":
        return plausible_dates(), date_mistakes()
    if schema.get("format") == "email":
        return st.sampled_from(VALID_EMAILS), st.sampled_from(INVALID_EMAILS) | unusual_text | json_values
    if name == "time_zone":
        return st.sampled_from(VALID_TIME_ZONES), st.sampled_from(INVALID_TIME_ZONES) | unusual_text | json_values
    if kind == "string":
        return st.sampled_from(PLAIN_TEXTS), unusual_text | st.sampled_from(KEY_TRICKS) | json_values
    if kind == "integer":
        valid_integers = st.integers(min_value=schema.get("minimum", 0), max_value=schema.get("maximum", 1_000))
        return valid_integers, st.sampled_from(NUMBERS) | st.integers() | json_values
    if kind == "boolean":
        return st.booleans(), json_values.filter(lambda value: not isinstance(value, bool))
    if kind == "array" and schema.get("items", {}).get("type") == "object":
        bad_lists = st.lists(session_mistakes(), min_size=1, max_size=3) | too_long_list(future_session(), schema)
        return st.lists(future_session(), min_size=1, max_size=2), bad_lists | json_values
    return json_values, json_values


def too_long_list(elements: st.SearchStrategy[Any], schema: dict[str, Any]) -> st.SearchStrategy[list[Any]]:
    """Return lists of valid elements that are a few items longer than the schema's maxItems."""
    limit = schema.get("maxItems", 50)
    return st.lists(elements, min_size=limit + 1, max_size=limit + 5)


def key_mistakes() -> st.SearchStrategy[Any]:
    return st.sampled_from(KEY_TRICKS) | st.integers() | st.sampled_from(NUMBERS) | unusual_text | json_values


def session_mistakes() -> st.SearchStrategy[Any]:
    times = st.fixed_dictionaries({"start": date_mistakes(), "end": date_mistakes()})
    reversed_times = future_session().map(lambda session: {"start": session["end"], "end": session["start"]})
    extra = st.fixed_dictionaries({"start": plausible_dates(), "end": plausible_dates(), "extra": json_values})
    return times | reversed_times | extra | json_values


@st.composite
def tool_arguments(draw: st.DrawFn, schema: dict[str, Any], keys: dict[str, list[str]]) -> dict[str, Any]:
    """Draw one argument object for a tool with this input schema, in one of three modes.

    - valid: every argument present is valid for the seeded sandbox;
    - one mistake: one argument is wrong and the others are valid;
    - mixed: each argument is valid or wrong at random, a required one is missing one time in ten,
      and one time in ten an unknown argument is added.
    """
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    strategies = {name: argument_strategies(name, spec, keys) for name, spec in properties.items()}
    mode = draw(st.sampled_from(("valid", "one mistake", "mixed")))
    wrong = draw(st.sampled_from(sorted(properties))) if mode == "one mistake" and properties else None

    arguments: dict[str, Any] = {}
    for name, (valid, bad) in strategies.items():
        if name != wrong and name not in required and not draw(st.booleans()):
            continue
        if mode == "mixed" and name in required and draw(st.integers(0, 9)) == 0:
            continue
        if name == wrong or (mode == "mixed" and draw(st.booleans())):
            arguments[name] = draw(bad)
        else:
            arguments[name] = draw(valid)
    if mode == "mixed" and draw(st.integers(0, 9)) == 0:
        arguments[draw(st.sampled_from(UNKNOWN_ARGUMENTS))] = draw(json_values)
    return arguments
