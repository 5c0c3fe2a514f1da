"""The organizer tools, driven through the MCP client against respx routes for the GoTo API."""

import json

import httpx
import respx
from mcp import Client
from mcp_types import CallToolResult

from server.app import build_server
from server.settings import Settings
from tests.tools.conftest import ACCOUNT_KEY, API, ORGANIZER_KEY

BEARER = "Bearer test-access-token-7f3a9c"
ADMIN_ME_URL = "https://api.getgo.com/admin/rest/v1/me"

# Keys above 2**53 sent as JSON numbers, as GoTo does.
ORGANIZERS_BODY = """[
  {"organizerKey": 7100000000000000001, "email": "ann@example.com", "givenName": "Ann", "surname": "Lee"},
  {"organizerKey": 7300000000000000003, "email": "bo@example.com", "givenName": "Bo", "surname": "Kim"}
]"""

ORGANIZERS_RESULT = {
    "organizers": [
        {"organizer_key": "7100000000000000001", "email": "ann@example.com", "given_name": "Ann", "surname": "Lee"},
        {"organizer_key": "7300000000000000003", "email": "bo@example.com", "given_name": "Bo", "surname": "Kim"},
    ],
    "total": 2,
}


def json_response(text: str, status: int = 200) -> httpx.Response:
    """Return a response whose body is `text` as sent, so large integers stay JSON numbers."""
    return httpx.Response(status, content=text.encode(), headers={"Content-Type": "application/json"})


def result_text(result: CallToolResult) -> str:
    (content,) = result.content
    return content.text


async def test_current_organizer_from_settings(client: Client, goto: respx.MockRouter) -> None:
    everything = goto.route().mock(return_value=httpx.Response(500))

    result = await client.call_tool("get_current_organizer", {})

    assert result.is_error is False
    assert result.structured_content == {"organizer_key": ORGANIZER_KEY, "account_key": ACCOUNT_KEY}
    assert json.loads(result_text(result)) == {"organizer_key": ORGANIZER_KEY, "account_key": ACCOUNT_KEY}
    assert everything.call_count == 0


async def test_current_organizer_from_admin_me(goto: respx.MockRouter) -> None:
    settings = Settings(
        _env_file=None, access_token="test-access-token-7f3a9c", organizer_key=ORGANIZER_KEY, max_retries=0
    )
    me = goto.get(ADMIN_ME_URL).mock(
        return_value=json_response(
            '{"key": 7100000000000000001, "accountKey": 7200000000000000002, "email": "ann@example.com"}'
        )
    )

    async with Client(build_server(settings)) as client:
        result = await client.call_tool("get_current_organizer", {})

    assert me.call_count == 1
    assert me.calls.last.request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {
        "organizer_key": ORGANIZER_KEY,
        "account_key": ACCOUNT_KEY,
        "email": "ann@example.com",
    }


async def test_list_account_organizers_uses_settings_account_key(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(f"{API}/accounts/{ACCOUNT_KEY}/organizers").mock(return_value=json_response(ORGANIZERS_BODY))

    result = await client.call_tool("list_account_organizers", {})

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "GET"
    assert request.url.path == f"/G2T/rest/accounts/{ACCOUNT_KEY}/organizers"
    assert request.url.query == b""
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == ORGANIZERS_RESULT


async def test_list_account_organizers_accepts_integer_account_key(client: Client, goto: respx.MockRouter) -> None:
    route = goto.get(f"{API}/accounts/7600000000006/organizers").mock(return_value=json_response(ORGANIZERS_BODY))

    result = await client.call_tool("list_account_organizers", {"account_key": 7600000000006})

    assert route.call_count == 1
    assert result.is_error is False
    assert result.structured_content == ORGANIZERS_RESULT


async def test_list_account_organizers_204_is_empty(client: Client, goto: respx.MockRouter) -> None:
    goto.get(f"{API}/accounts/{ACCOUNT_KEY}/organizers").mock(return_value=httpx.Response(204))

    result = await client.call_tool("list_account_organizers", {})

    assert result.is_error is False
    assert result.structured_content == {"organizers": [], "total": 0}


async def test_account_organizers_rejects_bad_key(client: Client, goto: respx.MockRouter) -> None:
    everything = goto.route().mock(return_value=httpx.Response(500))

    result = await client.call_tool("list_account_organizers", {"account_key": "1/../2"})

    assert result.is_error is True
    assert result_text(result).startswith("Error executing tool list_account_organizers: ")
    assert (
        "account_key '1/../2' is not a valid key: keys are decimal numbers from 0 to 9223372036854775807 "
        "with no signs, spaces or other characters. Copy the key from a list result."
    ) in result_text(result)
    assert everything.call_count == 0


async def test_account_organizers_without_account_key(goto: respx.MockRouter) -> None:
    settings = Settings(
        _env_file=None, access_token="test-access-token-7f3a9c", organizer_key=ORGANIZER_KEY, max_retries=0
    )
    goto.get(ADMIN_ME_URL).mock(return_value=json_response('{"key": 7100000000000000001}'))
    organizers = goto.route(path__regex=r"/accounts/").mock(return_value=httpx.Response(500))

    async with Client(build_server(settings)) as client:
        result = await client.call_tool("list_account_organizers", {})

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool list_account_organizers: "
        "The account key is unknown: set GOTO_ACCOUNT_KEY or pass account_key."
    )
    assert organizers.call_count == 0
