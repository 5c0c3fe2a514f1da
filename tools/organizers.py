"""Who the server acts as, and the account's organizers."""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel

from server.models import Organizer
from tools._registry import client_of, goto_tool, structured
from tools.args import AccountKey


class CurrentOrganizer(BaseModel):
    organizer_key: str
    account_key: str | None = None
    email: str | None = None


class OrganizerList(BaseModel):
    organizers: list[Organizer]
    total: int


@goto_tool(toolset="organizers", title="Current organizer", read_only=True)
async def get_current_organizer(ctx: Context) -> Annotated[CallToolResult, CurrentOrganizer]:
    """Show who this server acts as: organizer key, account key, e-mail. A good first call."""
    identity = await client_of(ctx).identity()
    return structured(CurrentOrganizer(**identity.model_dump(exclude={"source"})))


@goto_tool(toolset="organizers", title="List account organizers", read_only=True)
async def list_account_organizers(
    ctx: Context,
    account_key: AccountKey | None = None,  # type: ignore[valid-type]
) -> Annotated[CallToolResult, OrganizerList]:
    """List the account's organizers. Deprecated by GoTo (use the Admin API's Get users); may stop working."""
    organizers = await client_of(ctx).get_account_organizers(account_key)
    return structured(OrganizerList(organizers=organizers, total=len(organizers)))
