"""Plain messages for tool arguments that fail validation.

The SDK reports them as pydantic's multi-line dump ("1 validation error for
get_trainingArguments ... [type=..., input_value=...] For further information visit ...").
A middleware rewrites that text into one line per argument that names the argument,
the value it got, and what it should be.
"""

from __future__ import annotations

import re
from typing import Any

from mcp.server.context import CallNext, ServerRequestContext
from mcp_types import CallToolResult

_HEADER = re.compile(r"^(?P<prefix>Error executing tool \S+: )\d+ validation errors? for \S+\n")
_ERROR = re.compile(
    r"^(?P<location>\S[^\n]*)\n"
    r"  (?P<message>[^\n]*?) \[type=(?P<type>[^,\]]+)(?:, input_value=(?P<input>.*?), input_type=[^\]]+)?\]\n?"
    r"(?:    For further information visit \S+\n?)?",
    re.MULTILINE,
)

# What to do next, by pydantic error type, where pydantic's own words give no hint.
_HINTS = {
    "missing": "it is required",
    "datetime_from_date_parsing": "use ISO 8601, such as 2030-01-31T09:00:00 or 2030-01-31T09:00:00+01:00",
    "datetime_parsing": "use ISO 8601, such as 2030-01-31T09:00:00 or 2030-01-31T09:00:00+01:00",
    "datetime_type": "use ISO 8601, such as 2030-01-31T09:00:00",
    "extra_forbidden": "leave it out",
}


def tidy(text: str) -> str | None:
    """Rewrite a pydantic validation dump into one plain line per argument, or return None if `text` is not one."""
    header = _HEADER.match(text)
    if header is None:
        return None
    problems = []
    for match in _ERROR.finditer(text, header.end()):
        problems.append(_describe(match))
    if not problems:
        return None
    return f"{header['prefix']}invalid arguments. " + " ".join(problems)


def _describe(match: re.Match[str]) -> str:
    location, message, kind, given = match["location"], match["message"], match["type"], match["input"]
    if message.startswith("Value error, "):
        # Our own validators already quote the value and say what to do.
        return _sentence(message.removeprefix("Value error, "))
    hint = _HINTS.get(kind)
    if kind == "missing":
        return _sentence(f"{location}: {hint}")
    if "email address" in message:
        hint = "give an address such as ada@example.com"
    got = f" (got {given})" if given is not None else ""
    detail = f"; {hint}" if hint else ""
    return _sentence(f"{location}: {message.rstrip('.')}{got}{detail}")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


async def tidy_argument_errors(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> Any:
    """Server middleware: pass every request on, and tidy the text of tools/call argument errors.

    The result arrives as a model or, already serialised, as a dict in wire form."""
    result = await call_next(ctx)
    if ctx.method != "tools/call":
        return result
    if isinstance(result, CallToolResult):
        result = result.model_dump(by_alias=True, exclude_none=True, mode="json")
        serialised = False
    else:
        serialised = True
    if not isinstance(result, dict) or result.get("isError") is not True:
        return result if serialised else CallToolResult.model_validate(result)
    content = result.get("content")
    if not isinstance(content, list) or len(content) != 1 or content[0].get("type") != "text":
        return result if serialised else CallToolResult.model_validate(result)
    tidied = tidy(content[0].get("text", ""))
    if tidied is not None:
        result = {**result, "content": [{**content[0], "text": tidied}]}
    return result if serialised else CallToolResult.model_validate(result)
