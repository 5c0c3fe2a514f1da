"""Slicing long lists for the model: every list result states the total, how many it returned,
and how to get the rest."""

from typing import TypeVar

from pydantic import BaseModel

ItemT = TypeVar("ItemT")


class Slice(BaseModel):
    """Fields every list result carries beside its items."""

    total: int
    returned: int
    next_offset: int | None = None
    note: str | None = None


def take(items: list[ItemT], limit: int, offset: int, noun: str) -> tuple[list[ItemT], Slice]:
    """Return `limit` items from `offset`, with the totals and how to fetch the next part."""
    part = items[offset : offset + limit]
    end = offset + len(part)
    more = end < len(items)
    note = None
    if more:
        note = f"Showing {noun} {offset + 1}-{end} of {len(items)}; call again with offset={end} for more."
    elif offset and not part:
        note = f"offset={offset} is past the end: there are {len(items)} {noun}."
    return part, Slice(total=len(items), returned=len(part), next_offset=end if more else None, note=note)
