"""Parse and check what clients send: path keys, dates, time zones and JSON bodies.

Every check raises `TrainingApiError` (400 InvalidRequest unless GoTo has a more specific code).
"""

from __future__ import annotations

import json
import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from .errors import TrainingApiError, invalid_request
from .model import TimeRange

MAX_INT64 = 2**63 - 1
MAX_SESSION_LENGTH = timedelta(hours=24)

# GoTo documents UTC date-times as yyyy-MM-ddTHH:mm:ssZ.
# NOTE: whether GoTo also accepts milliseconds or other offsets is unknown. The sandbox rejects both,
# so a client that sends them fails here rather than against the real API.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_KEY = re.compile(r"\d{1,19}")


def parse_key(value: str, name: str) -> int:
    """Parse a key from a URL path: decimal digits that fit a signed 64-bit integer."""
    if not _KEY.fullmatch(value) or int(value) > MAX_INT64:
        raise invalid_request(f"Invalid {name} {value!r}: expected a decimal integer key of at most 19 digits.")
    return int(value)


def parse_key_value(value: Any, name: str) -> int:
    """Parse a key from a JSON body, where GoTo expects an int64 number (a digit string is also accepted)."""
    if isinstance(value, bool):
        raise invalid_request(f"Invalid {name} {value!r}: expected an integer key.")
    if isinstance(value, int) and 0 <= value <= MAX_INT64:
        return value
    if isinstance(value, str):
        return parse_key(value, name)
    raise invalid_request(f"Invalid {name} {value!r}: expected an integer key.")


def format_date_time(value: datetime) -> str:
    """Format an aware datetime as GoTo does: UTC, yyyy-MM-ddTHH:mm:ssZ."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date_time(value: Any, name: str) -> datetime:
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        raise invalid_request(f"Invalid {name} {value!r}: expected a UTC date-time like 2030-01-31T14:00:00Z.")
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as error:
        raise invalid_request(f"Invalid {name} {value!r}: {error}.") from error


@cache
def _time_zone_ids() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def parse_time_zone(value: Any) -> str:
    """Check that `value` is an IANA time-zone id such as Europe/Berlin."""
    if not isinstance(value, str) or value not in _time_zone_ids():
        raise invalid_request(f"Invalid timeZone {value!r}: expected an IANA time-zone id such as 'Europe/Berlin'.")
    return value


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Parse a request body that must be a JSON object."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise invalid_request(f"Malformed JSON body: {error}.") from error
    if not isinstance(body, dict):
        raise invalid_request(f"Invalid body: expected a JSON object, got {type(body).__name__}.")
    return body


def require_text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise invalid_request(f"Missing or empty {name!r}: expected a non-empty string.")
    return value


def optional_text(body: dict[str, Any], name: str, default: str = "") -> str:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise invalid_request(f"Invalid {name} {value!r}: expected a string.")
    return value


def require_bool(body: dict[str, Any], name: str) -> bool:
    value = body.get(name)
    if not isinstance(value, bool):
        raise invalid_request(f"Missing or invalid {name} {value!r}: expected true or false.")
    return value


def optional_bool(body: dict[str, Any], name: str, default: bool) -> bool:
    if body.get(name) is None:
        return default
    return require_bool(body, name)


def parse_key_list(body: dict[str, Any], name: str, *, required: bool) -> list[int]:
    value = body.get(name)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise invalid_request(f"Missing or invalid {name!r}: expected an array of integer keys.")
    return [parse_key_value(item, f"{name} item") for item in value]


def parse_time_ranges(value: Any) -> list[TimeRange]:
    """Parse a `times` array and check each range on its own (end after start, at most 24 hours)."""
    if not isinstance(value, list) or not value:
        raise invalid_request("Missing or empty 'times': expected an array of {startDate, endDate} objects.")
    ranges: list[TimeRange] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise invalid_request(f"Invalid times[{index}] {item!r}: expected an object with startDate and endDate.")
        start = parse_date_time(item.get("startDate"), f"times[{index}].startDate")
        end = parse_date_time(item.get("endDate"), f"times[{index}].endDate")
        if end <= start:
            raise invalid_request(
                f"Invalid times[{index}]: endDate {format_date_time(end)} is not after "
                f"startDate {format_date_time(start)}."
            )
        if end - start > MAX_SESSION_LENGTH:
            raise TrainingApiError(
                400,
                "InvalidTrainingDatesMaxDuration",
                f"Invalid times[{index}]: a session may last at most 24 hours, "
                f"but {format_date_time(start)} to {format_date_time(end)} lasts {end - start}.",
            )
        ranges.append(TimeRange(start, end))
    ranges.sort(key=lambda time_range: time_range.start)
    for earlier, later in zip(ranges, ranges[1:], strict=False):
        if later.start < earlier.end:
            raise invalid_request(
                f"Invalid times: the session starting {format_date_time(later.start)} overlaps "
                f"the session ending {format_date_time(earlier.end)}."
            )
    return ranges


def check_future(ranges: list[TimeRange], now: datetime, allowed_past: list[TimeRange] | None = None) -> None:
    """Reject a range that starts in the past, unless it repeats one of `allowed_past` exactly."""
    allowed = {(time.start, time.end) for time in allowed_past or []}
    for time_range in ranges:
        if time_range.start <= now and (time_range.start, time_range.end) not in allowed:
            raise invalid_request(
                f"Invalid startDate {format_date_time(time_range.start)}: it is in the past "
                f"(now is {format_date_time(now)}). Sessions must start in the future."
            )


@dataclass(frozen=True)
class PageRequest:
    page: int
    size: int
    sort: list[tuple[str, bool]]
    """(field, descending) pairs, first one first."""


def parse_page_request(query: dict[str, list[str]], allowed_sort: tuple[str, ...], default_sort: str) -> PageRequest:
    """Parse `page` (from 0), `size` (1 to 200, default 20) and `sort` (field, field,desc or field:desc)."""
    page = _parse_int_query(query, "page", 0)
    if page < 0:
        raise invalid_request(f"Invalid page {page}: pages are numbered from 0.")
    size = _parse_int_query(query, "size", 20)
    if not 1 <= size <= 200:
        raise invalid_request(f"Invalid size {size}: the page size must be between 1 and 200.")
    sort = [_parse_sort(value, allowed_sort) for value in query.get("sort", [])] or [(default_sort, False)]
    return PageRequest(page=page, size=size, sort=sort)


def _parse_int_query(query: dict[str, list[str]], name: str, default: int) -> int:
    values = query.get(name)
    if not values:
        return default
    try:
        return int(values[-1])
    except ValueError as error:
        raise invalid_request(f"Invalid {name} {values[-1]!r}: expected an integer.") from error


def _parse_sort(value: str, allowed: tuple[str, ...]) -> tuple[str, bool]:
    field, _, direction = value.replace(":", ",").partition(",")
    direction = direction.lower() or "asc"
    if field not in allowed or direction not in ("asc", "desc"):
        raise invalid_request(
            f"Invalid sort {value!r}: expected one of {', '.join(allowed)}, optionally followed by ',asc' or ',desc'."
        )
    return field, direction == "desc"
