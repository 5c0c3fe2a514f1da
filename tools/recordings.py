"""Tools for a training's online recordings."""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel

from server.models import Recording
from tools._registry import client_of, goto_tool, structured
from tools.args import RecordingId, TrainingKey


class RecordingList(BaseModel):
    training_key: str
    recordings: list[Recording]
    total: int


class DownloadUrl(BaseModel):
    training_key: str
    recording_id: str
    download_url: str


@goto_tool(toolset="recordings", title="List recordings", read_only=True)
async def list_recordings(ctx: Context, training_key: TrainingKey) -> Annotated[CallToolResult, RecordingList]:
    """List a training's online recordings."""
    found = await client_of(ctx).get_recordings(training_key)
    return structured(
        RecordingList(training_key=training_key, recordings=found.recording_list, total=len(found.recording_list))
    )


@goto_tool(toolset="recordings", title="Recording download URL", read_only=True)
async def get_recording_download_url(
    ctx: Context, training_key: TrainingKey, recording_id: RecordingId
) -> Annotated[CallToolResult, DownloadUrl]:
    """Get a recording's download URL (the file is not fetched)."""
    url = await client_of(ctx).get_recording_download_url(training_key, recording_id)
    return structured(DownloadUrl(training_key=training_key, recording_id=recording_id, download_url=url))
