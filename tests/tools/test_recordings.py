"""The recording tools, driven through the MCP client against respx routes for the GoTo API."""

import respx
from mcp import Client
from mcp_types import CallToolResult

from tests.tools.conftest import API

BEARER = "Bearer test-access-token-7f3a9c"

# Keys above 2**53. GoTo's recordings list sends them as JSON numbers, and Python's `json`
# writes the integers below into the respx bodies exactly.
TRAINING_KEY = "9100000000000000011"
RECORDING_ID = "8500000000000000051"
RECORDINGS_URL = f"{API}/trainings/{TRAINING_KEY}/recordings"
RECORDING_URL = f"{RECORDINGS_URL}/{RECORDING_ID}"
FILE_URL = "https://recordings.example.com/files/8500000000000000051.mp4?signature=abc123"


def result_text(result: CallToolResult) -> str:
    (content,) = result.content
    return content.text


# list_recordings -------------------------------------------------------------------------------


async def test_list_recordings_keeps_ids_exact(client: Client, goto: respx.MockRouter) -> None:
    body = {
        "trainingKey": 9100000000000000011,
        "recordingList": [
            {
                "recordingId": 8500000000000000051,
                "name": "Onboarding, session 1",
                "description": "Morning session",
                "registrationUrl": "https://register.example.com/rec1",
                "downloadUrl": "https://download.example.com/rec1",
                "startDate": "2026-03-02T10:00:00+01:00",
                "endDate": "2026-03-02T11:30:00+01:00",
            },
            {"recordingId": 8500000000000000052, "name": "Onboarding, session 2"},
        ],
    }
    route = goto.get(RECORDINGS_URL).respond(200, json=body)

    result = await client.call_tool("list_recordings", {"training_key": TRAINING_KEY})

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.method == "GET"
    assert str(request.url) == RECORDINGS_URL
    assert request.headers["Authorization"] == BEARER
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "recordings": [
            {
                "recording_id": "8500000000000000051",
                "name": "Onboarding, session 1",
                "description": "Morning session",
                "registration_url": "https://register.example.com/rec1",
                "download_url": "https://download.example.com/rec1",
                "start_date": "2026-03-02T09:00:00Z",
                "end_date": "2026-03-02T10:30:00Z",
            },
            {"recording_id": "8500000000000000052", "name": "Onboarding, session 2"},
        ],
        "total": 2,
    }


async def test_list_recordings_empty_list(client: Client, goto: respx.MockRouter) -> None:
    goto.get(RECORDINGS_URL).respond(200, json={"trainingKey": 9100000000000000011, "recordingList": []})

    result = await client.call_tool("list_recordings", {"training_key": TRAINING_KEY})

    assert result.is_error is False
    assert result.structured_content == {"training_key": TRAINING_KEY, "recordings": [], "total": 0}


async def test_list_recordings_empty_body(client: Client, goto: respx.MockRouter) -> None:
    goto.get(RECORDINGS_URL).respond(204)

    result = await client.call_tool("list_recordings", {"training_key": TRAINING_KEY})

    assert result.is_error is False
    assert result.structured_content == {"training_key": TRAINING_KEY, "recordings": [], "total": 0}


# get_recording_download_url --------------------------------------------------------------------


async def test_download_url_not_followed(client: Client, goto: respx.MockRouter) -> None:
    redirect = goto.get(RECORDING_URL).respond(302, headers={"Location": FILE_URL})
    recording_file = goto.get(FILE_URL).respond(200, content=b"\x00\x00\x00\x20ftypisom")

    result = await client.call_tool(
        "get_recording_download_url", {"training_key": TRAINING_KEY, "recording_id": RECORDING_ID}
    )

    request = redirect.calls.last.request
    assert redirect.call_count == 1
    assert request.method == "GET"
    assert str(request.url) == RECORDING_URL
    assert request.headers["Authorization"] == BEARER
    assert recording_file.called is False
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "recording_id": RECORDING_ID,
        "download_url": FILE_URL,
    }


async def test_download_url_resolves_relative_location(client: Client, goto: respx.MockRouter) -> None:
    goto.get(RECORDING_URL).respond(302, headers={"Location": "/G2T/rest/downloads/rec1.mp4"})
    recording_file = goto.get(f"{API}/downloads/rec1.mp4").respond(200, content=b"video")

    result = await client.call_tool(
        "get_recording_download_url", {"training_key": TRAINING_KEY, "recording_id": RECORDING_ID}
    )

    assert recording_file.called is False
    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "recording_id": RECORDING_ID,
        "download_url": "https://api.getgo.com/G2T/rest/downloads/rec1.mp4",
    }


async def test_download_url_from_json_body(client: Client, goto: respx.MockRouter) -> None:
    goto.get(RECORDING_URL).respond(200, json={"downloadUrl": FILE_URL})

    result = await client.call_tool(
        "get_recording_download_url", {"training_key": TRAINING_KEY, "recording_id": RECORDING_ID}
    )

    assert result.is_error is False
    assert result.structured_content == {
        "training_key": TRAINING_KEY,
        "recording_id": RECORDING_ID,
        "download_url": FILE_URL,
    }


async def test_download_url_missing_errors(client: Client, goto: respx.MockRouter) -> None:
    goto.get(RECORDING_URL).respond(200, json={"name": "Onboarding, session 1"})

    result = await client.call_tool(
        "get_recording_download_url", {"training_key": TRAINING_KEY, "recording_id": RECORDING_ID}
    )

    assert result.is_error is True
    assert result_text(result) == (
        "Error executing tool get_recording_download_url: GoTo responded to the download of recording_id "
        f"'{RECORDING_ID}' with HTTP 200 and no redirect; try list_recordings for its download URL."
    )
