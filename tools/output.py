"""Tool results: compact JSON text beside the same content as structuredContent."""

import json
from typing import Any

from mcp_types import CallToolResult, TextContent
from pydantic import BaseModel


def compact_text(content: dict[str, Any]) -> CallToolResult:
    """Build a result whose text is the compact JSON of `content`, which is also its structured content."""
    text = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=content)


def structured(result: BaseModel) -> CallToolResult:
    """Build a tool result from an output model, leaving out fields that are None."""
    return compact_text(result.model_dump(mode="json", exclude_none=True))
