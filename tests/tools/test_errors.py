"""GoTo error responses turned into tool errors whose messages name the tool's own arguments and
the next step, driven through the MCP client against respx routes for the GoTo API."""

import pytest
import respx
from mcp import Client
from mcp_types import CallToolResult

from tests.tools.conftest import API, ORGANIZER_KEY

BEARER = "Bearer test-access-token-7f3a9c"

TRAINING_KEY = "9100000000000000011"
REGISTRANT_KEY = "9200000000000000021"
REGISTRANT_URL = f"{API}/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/registrants/{REGISTRANT_KEY}"
TOKEN_URL = "https://authentication.logmeininc.com/oauth/token"
ARGUMENTS = {"training_key": TRAINING_KEY, "registrant_key": REGISTRANT_KEY}
KEYS = f"organizer_key '{ORGANIZER_KEY}', training_key '{TRAINING_KEY}', registrant_key '{REGISTRANT_KEY}'"

NOT_FOUND_TRAINING = (
    f"training_key '{TRAINING_KEY}' was not found for organizer_key '{ORGANIZER_KEY}'. "
    "GoTo said: NoSuchTraining: Training not found (incident 4713). "
    "Call list_trainings to see valid keys; completed trainings are not listed there, "
    "but list_sessions_in_date_range finds their sessions."
)
PERMISSION_STEP = (
    "The signed-in organizer may not do this: check the organizer_key (get_current_organizer), "
    "that the account allows co-organizers, and that the OAuth client has the collab: scope."
)
REFRESH_SETUP = (
    "The access token in GOTO_ACCESS_TOKEN has expired or was rejected, and it cannot be refreshed. "
    "Set GOTO_CLIENT_ID, GOTO_CLIENT_SECRET and GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) "
    "so the server can refresh tokens by itself."
)

# (status, body, headers, message after "Error executing tool get_registrant: ")
GET_REGISTRANT_CASES = [
    (
        400,
        {"errorCode": "InvalidRequest", "description": "registrantKey is not a number", "incident": 4711},
        {},
        f"Get registrant failed for {KEYS}: GoTo responded with HTTP 400. "
        "GoTo said: InvalidRequest: registrantKey is not a number (incident 4711). "
        "Fix the value GoTo names and call again; nothing was changed.",
    ),
    (
        403,
        {"int_err_code": "NotAuthorized", "msg": "The user is not authorized for this resource"},
        {},
        f"Get registrant failed for {KEYS}: GoTo responded with HTTP 403. "
        f"GoTo said: NotAuthorized: The user is not authorized for this resource. {PERMISSION_STEP}",
    ),
    (
        404,
        {"errorCode": "NoSuchTraining", "description": "Training not found", "incident": 4713},
        {},
        NOT_FOUND_TRAINING,
    ),
    (
        404,
        {"errorCode": "NoSuchRegistrant", "description": "Registrant not found"},
        {},
        f"registrant_key '{REGISTRANT_KEY}' was not found for organizer_key '{ORGANIZER_KEY}'. "
        "GoTo said: NoSuchRegistrant: Registrant not found. Call list_registrants to see valid keys.",
    ),
    (
        409,
        {"errorCode": "Conflict", "description": "The registrant is being updated", "incident": 4714},
        {},
        f"Get registrant failed for {KEYS}: GoTo responded with HTTP 409. "
        "GoTo said: Conflict: The registrant is being updated (incident 4714). "
        "Read the current state (get_training, list_registrants) before trying again.",
    ),
    (
        429,
        {"int_err_code": "RateLimitExceeded", "msg": "Too many requests"},
        {"Retry-After": "7"},
        f"Get registrant failed for {KEYS}: GoTo responded with HTTP 429. "
        "GoTo said: RateLimitExceeded: Too many requests. Wait 7 seconds and call again, with fewer calls at once.",
    ),
    (
        500,
        {"errorCode": "InternalError", "description": "Unexpected server error", "incident": 4715},
        {},
        f"Get registrant failed for {KEYS}: GoTo responded with HTTP 500. "
        "GoTo said: InternalError: Unexpected server error (incident 4715). "
        "GoTo is having trouble: try again in a minute.",
    ),
]

# (status, body, headers, message after "Error executing tool cancel_registration: ")
CANCEL_REGISTRATION_CASES = [
    (
        400,
        {"errorCode": "InvalidRequest", "description": "registrantKey is required", "incident": 4721},
        {},
        f"Cancel registration failed for {KEYS}: GoTo responded with HTTP 400. "
        "GoTo said: InvalidRequest: registrantKey is required (incident 4721). "
        "Fix the value GoTo names and call again; nothing was changed.",
    ),
    (
        400,
        {"errorCode": "TrainingOver", "description": "The training has ended", "incident": 4722},
        {},
        f"Cancel registration failed for {KEYS}: GoTo responded with HTTP 400. "
        "GoTo said: TrainingOver: The training has ended (incident 4722). "
        "This training can no longer be changed this way.",
    ),
    (
        403,
        {"errorCode": "AccessDenied", "description": "Only the training's organizers may cancel registrations"},
        {},
        f"Cancel registration failed for {KEYS}: GoTo responded with HTTP 403. "
        "GoTo said: AccessDenied: Only the training's organizers may cancel registrations. "
        f"{PERMISSION_STEP}",
    ),
    (
        404,
        {"errorCode": "NoSuchTraining", "description": "Training not found", "incident": 4713},
        {},
        NOT_FOUND_TRAINING,
    ),
    (
        404,
        None,
        {},
        f"registrant_key '{REGISTRANT_KEY}' was not found for organizer_key '{ORGANIZER_KEY}'. "
        "Call list_registrants to see valid keys.",
    ),
    (
        409,
        {"errorCode": "PaidRegistration", "description": "Paid registrations are cancelled on the admin site"},
        {},
        f"Cancel registration failed for {KEYS}: GoTo responded with HTTP 409. "
        "GoTo said: PaidRegistration: Paid registrations are cancelled on the admin site. "
        "Read the current state (get_training, list_registrants) before trying again.",
    ),
    (
        429,
        {"int_err_code": "RateLimitExceeded", "msg": "Too many requests"},
        {},
        f"Cancel registration failed for {KEYS}: GoTo responded with HTTP 429. "
        "GoTo said: RateLimitExceeded: Too many requests. "
        "Wait a few seconds and call again, with fewer calls at once.",
    ),
    (
        500,
        "Internal Server Error",
        {},
        f"Cancel registration failed for {KEYS}: GoTo responded with HTTP 500. "
        "GoTo said: Internal Server Error. GoTo is having trouble: try again in a minute.",
    ),
]


def error_text(result: CallToolResult) -> str:
    (content,) = result.content
    return content.text


def mock_answer(route: respx.Route, status: int, body: dict | str | None, headers: dict[str, str]) -> None:
    if isinstance(body, dict):
        route.respond(status, json=body, headers=headers)
    else:
        route.respond(status, content=(body or "").encode(), headers=headers)


@pytest.mark.parametrize(("status", "body", "headers", "message"), GET_REGISTRANT_CASES)
async def test_get_registrant_goto_error(
    client: Client,
    goto: respx.MockRouter,
    status: int,
    body: dict | str | None,
    headers: dict[str, str],
    message: str,
) -> None:
    route = goto.get(REGISTRANT_URL)
    mock_answer(route, status, body, headers)

    result = await client.call_tool("get_registrant", ARGUMENTS)

    assert route.call_count == 1
    assert route.calls.last.request.headers["Authorization"] == BEARER
    assert result.is_error is True
    assert result.structured_content is None
    assert error_text(result) == f"Error executing tool get_registrant: {message}"


@pytest.mark.parametrize(("status", "body", "headers", "message"), CANCEL_REGISTRATION_CASES)
async def test_cancel_registration_goto_error(
    client: Client,
    goto: respx.MockRouter,
    status: int,
    body: dict | str | None,
    headers: dict[str, str],
    message: str,
) -> None:
    route = goto.delete(REGISTRANT_URL)
    mock_answer(route, status, body, headers)

    result = await client.call_tool("cancel_registration", ARGUMENTS)

    assert route.call_count == 1
    assert route.calls.last.request.method == "DELETE"
    assert result.is_error is True
    assert result.structured_content is None
    assert error_text(result) == f"Error executing tool cancel_registration: {message}"


async def test_register_other_conflict_errors(client: Client, goto: respx.MockRouter) -> None:
    registrants_url = f"{API}/organizers/{ORGANIZER_KEY}/trainings/{TRAINING_KEY}/registrants"
    post = goto.post(registrants_url).respond(
        409, json={"errorCode": "RegistrationClosed", "description": "Registration is closed", "incident": 4731}
    )
    listing = goto.get(registrants_url).respond(200, json=[])

    result = await client.call_tool(
        "register_for_training",
        {"training_key": TRAINING_KEY, "email": "ada@example.com", "given_name": "Ada", "surname": "Lovelace"},
    )

    assert post.call_count == 1
    assert listing.called is False
    assert result.is_error is True
    assert error_text(result) == (
        "Error executing tool register_for_training: Register for training failed for "
        f"organizer_key '{ORGANIZER_KEY}', training_key '{TRAINING_KEY}': GoTo responded with HTTP 409. "
        "GoTo said: RegistrationClosed: Registration is closed (incident 4731). "
        "Read the current state (get_training, list_registrants) before trying again."
    )


@pytest.mark.parametrize(("tool", "method"), [("get_registrant", "GET"), ("cancel_registration", "DELETE")])
async def test_invalid_token_explains_refresh_setup(
    client: Client, goto: respx.MockRouter, tool: str, method: str
) -> None:
    route = goto.route(method=method, url=REGISTRANT_URL).respond(
        403, json={"int_err_code": "InvalidToken", "msg": "Invalid token passed"}
    )
    token = goto.post(TOKEN_URL).respond(200, json={"access_token": "unexpected", "expires_in": 3600})

    result = await client.call_tool(tool, ARGUMENTS)

    assert route.call_count == 1
    assert route.calls.last.request.headers["Authorization"] == BEARER
    assert token.called is False
    assert result.is_error is True
    assert error_text(result) == f"Error executing tool {tool}: {REFRESH_SETUP}"
