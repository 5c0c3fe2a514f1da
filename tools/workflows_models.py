"""The base of the workflow tools' output models, whose JSON schemas are compacted like the input schemas."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from tools._registry import compact_schema


def _compact_in_place(schema: dict[str, Any]) -> None:
    # Results are dumped without None values, so an optional field is absent rather than null,
    # and the schema's `null` branches and `default: null` only add bytes to every tools/list.
    compacted = compact_schema(schema)
    schema.clear()
    schema.update(compacted)


class OutputModel(BaseModel):
    """A workflow result: its schema has no generated titles and no `null` branches."""

    model_config = ConfigDict(json_schema_extra=_compact_in_place)
