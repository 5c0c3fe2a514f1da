"""Guarded tools change nothing until the call is confirmed: by a form, or by a token."""

from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from mcp import Client
from mcp_types import ElicitRequestParams, ElicitResult

from server.app import build_server
from server.cli import sandbox_settings
from server.confirmations import ConfirmationTokens
from server.sandbox import Sandbox, SeedKeys

ONBOARDING = str(SeedKeys.ONBOARDING)
DATA_SERIES = str(SeedKeys.DATA_SERIES)
ONBOARDING_PATH = rf"/trainings/{ONBOARDING}$"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def connected(sandbox: Sandbox, *, clock: FakeClock | None = None, elicitation=None, **settings):
    configured, _ = sandbox_settings(log_level="WARNING", **settings)
    tokens = ConfirmationTokens(clock=clock or FakeClock())
    server = build_server(configured, sandbox.transport(), confirmations=tokens)
    async with Client(server, elicitation_callback=elicitation) as client:
        yield client


def training_exists(sandbox: Sandbox, key: str) -> bool:
    training = sandbox.state.trainings.get(int(key))
    return training is not None and not training.deleted


async def test_unconfirmed_delete_changes_nothing_and_returns_preview():
    sandbox = Sandbox()

    async with connected(sandbox) as client:
        result = await client.call_tool("delete_training", {"training_key": ONBOARDING})

    content = result.structured_content
    assert result.is_error is False
    assert content["status"] == "confirmation_required"
    assert content["preview"].startswith(f'Delete the training "Onboarding Basics" (training_key {ONBOARDING})')
    assert "It has 25 registrants. GoTo e-mails nobody" in content["preview"]
    assert content["next_step"] == (
        "Nothing was changed. Show the preview to the user. Only if they agree, call delete_training again "
        "with the same arguments and confirmation_token; it works once, within 5 minutes."
    )
    assert training_exists(sandbox, ONBOARDING)
    assert sandbox.count("DELETE", ".") == 0


async def test_delete_with_valid_token_deletes_once():
    sandbox = Sandbox()

    async with connected(sandbox) as client:
        first = await client.call_tool("delete_training", {"training_key": ONBOARDING})
        token = first.structured_content["confirmation_token"]
        confirmed = await client.call_tool("delete_training", {"training_key": ONBOARDING, "confirmation_token": token})

    assert confirmed.is_error is False
    assert confirmed.structured_content == {"training_key": ONBOARDING, "status": "deleted"}
    assert not training_exists(sandbox, ONBOARDING)
    assert sandbox.count("DELETE", ONBOARDING_PATH) == 1


async def test_reused_token_is_rejected():
    sandbox = Sandbox()

    async with connected(sandbox) as client:
        first = await client.call_tool("delete_training", {"training_key": ONBOARDING})
        token = first.structured_content["confirmation_token"]
        await client.call_tool("delete_training", {"training_key": ONBOARDING, "confirmation_token": token})
        reused = await client.call_tool("delete_training", {"training_key": ONBOARDING, "confirmation_token": token})

    assert reused.is_error is True
    assert reused.content[0].text == (
        "Error executing tool delete_training: confirmation_token was already used; each token confirms one "
        "call. Call the tool again without confirmation_token to get a new preview and token."
    )
    assert sandbox.count("DELETE", ONBOARDING_PATH) == 1


async def test_expired_token_is_rejected_and_changes_nothing():
    sandbox = Sandbox()
    clock = FakeClock()

    async with connected(sandbox, clock=clock) as client:
        first = await client.call_tool("delete_training", {"training_key": ONBOARDING})
        token = first.structured_content["confirmation_token"]
        clock.now += 5 * 60 + 7
        late = await client.call_tool("delete_training", {"training_key": ONBOARDING, "confirmation_token": token})

    assert late.is_error is True
    assert late.content[0].text == (
        "Error executing tool delete_training: confirmation_token expired 7 s ago; tokens last 5 minutes. "
        "Call the tool again without confirmation_token to get a new preview and token."
    )
    assert training_exists(sandbox, ONBOARDING)
    assert sandbox.count("DELETE", ".") == 0


async def test_token_for_other_arguments_is_rejected():
    sandbox = Sandbox()

    async with connected(sandbox) as client:
        first = await client.call_tool("delete_training", {"training_key": ONBOARDING})
        token = first.structured_content["confirmation_token"]
        other = await client.call_tool("delete_training", {"training_key": DATA_SERIES, "confirmation_token": token})

    assert other.is_error is True
    assert other.content[0].text == (
        "Error executing tool delete_training: confirmation_token was issued for a different call (another tool "
        "or other arguments), or by another server process, so it does not confirm this one. Processes that must "
        "accept each other's tokens need the same GOTO_CONFIRM_SECRET. Call the tool again without "
        "confirmation_token to get a new preview and token."
    )
    assert training_exists(sandbox, DATA_SERIES)
    assert sandbox.count("DELETE", ".") == 0


async def test_token_for_another_tool_is_rejected():
    sandbox = Sandbox()
    registrant = next(iter(sandbox.state.trainings[SeedKeys.ONBOARDING].registrants))

    async with connected(sandbox) as client:
        first = await client.call_tool("delete_training", {"training_key": ONBOARDING})
        token = first.structured_content["confirmation_token"]
        other = await client.call_tool(
            "cancel_registration",
            {"training_key": ONBOARDING, "registrant_key": str(registrant), "confirmation_token": token},
        )

    assert other.is_error is True
    assert "was issued for a different call" in other.content[0].text
    assert sandbox.count("DELETE", ".") == 0


async def test_made_up_token_is_rejected():
    sandbox = Sandbox()

    async with connected(sandbox) as client:
        result = await client.call_tool("delete_training", {"training_key": ONBOARDING, "confirmation_token": "yes"})

    assert result.is_error is True
    assert result.content[0].text == (
        "Error executing tool delete_training: confirmation_token is not a token this server issued. "
        "Call the tool again without confirmation_token to get a new preview and token."
    )
    assert sandbox.count("DELETE", ".") == 0


async def test_declined_form_changes_nothing():
    sandbox = Sandbox()
    messages: list[str] = []

    async def decline(context, params: ElicitRequestParams) -> ElicitResult:
        messages.append(params.message)
        return ElicitResult(action="decline")

    async with connected(sandbox, elicitation=decline) as client:
        result = await client.call_tool("delete_training", {"training_key": ONBOARDING})

    assert result.is_error is False
    assert result.structured_content == {
        "status": "not_changed",
        "next_step": "The user declined the change, so delete_training changed nothing.",
    }
    assert len(messages) == 1
    assert messages[0].endswith("This cannot be undone.\n\nApply this change?")
    assert training_exists(sandbox, ONBOARDING)
    assert sandbox.count("DELETE", ".") == 0


async def test_cancelled_form_changes_nothing():
    sandbox = Sandbox()

    async def cancel(context, params: ElicitRequestParams) -> ElicitResult:
        return ElicitResult(action="cancel")

    async with connected(sandbox, elicitation=cancel) as client:
        result = await client.call_tool("delete_training", {"training_key": ONBOARDING})

    assert result.structured_content["status"] == "not_changed"
    assert training_exists(sandbox, ONBOARDING)


async def test_form_answered_no_changes_nothing():
    sandbox = Sandbox()

    async def answer_no(context, params: ElicitRequestParams) -> ElicitResult:
        return ElicitResult(action="accept", content={"confirm": False})

    async with connected(sandbox, elicitation=answer_no) as client:
        result = await client.call_tool("delete_training", {"training_key": ONBOARDING})

    assert result.structured_content["status"] == "not_changed"
    assert sandbox.count("DELETE", ".") == 0


async def test_accepted_form_deletes():
    sandbox = Sandbox()

    async def accept(context, params: ElicitRequestParams) -> ElicitResult:
        return ElicitResult(action="accept", content={"confirm": True})

    async with connected(sandbox, elicitation=accept) as client:
        result = await client.call_tool("delete_training", {"training_key": ONBOARDING})

    assert result.structured_content == {"training_key": ONBOARDING, "status": "deleted"}
    assert not training_exists(sandbox, ONBOARDING)
    assert sandbox.count("DELETE", ONBOARDING_PATH) == 1


async def test_confirm_elicitation_mode_refuses_clients_without_forms():
    sandbox = Sandbox()

    async with connected(sandbox, confirm="elicitation") as client:
        result = await client.call_tool("delete_training", {"training_key": ONBOARDING})

    assert result.is_error is True
    assert result.content[0].text == (
        "Error executing tool delete_training: delete_training needs the user's confirmation, and "
        "GOTO_CONFIRM=elicitation allows it only through a confirmation form, which this MCP client cannot "
        "show. Nothing was changed. Use a client that supports elicitation, or set GOTO_CONFIRM=auto to "
        "confirm with a token instead."
    )
    assert training_exists(sandbox, ONBOARDING)


async def test_confirm_off_deletes_without_asking():
    sandbox = Sandbox()

    async with connected(sandbox, confirm="off") as client:
        result = await client.call_tool("delete_training", {"training_key": ONBOARDING})

    assert result.structured_content == {"training_key": ONBOARDING, "status": "deleted"}
    assert sandbox.count("DELETE", ONBOARDING_PATH) == 1


async def test_cancel_registration_preview_names_the_person():
    sandbox = Sandbox()
    training = sandbox.state.trainings[SeedKeys.ONBOARDING]
    key, person = next(iter(training.registrants.items()))

    async with connected(sandbox) as client:
        result = await client.call_tool("cancel_registration", {"training_key": ONBOARDING, "registrant_key": str(key)})

    preview = result.structured_content["preview"]
    assert preview.startswith(
        f"Cancel the registration of {person.given_name} {person.surname} <{person.email.strip()}>"
    )
    assert 'for the training "Onboarding Basics"' in preview
    assert key in training.registrants
    assert sandbox.count("DELETE", ".") == 0


async def test_times_update_without_notifications_needs_no_confirmation():
    sandbox = Sandbox()
    day = datetime.now(UTC) + timedelta(days=60)
    sessions = [{"start": f"{day:%Y-%m-%d}T15:00:00", "end": f"{day:%Y-%m-%d}T17:00:00"}]

    async with connected(sandbox) as client:
        result = await client.call_tool(
            "update_training_times",
            {"training_key": ONBOARDING, "sessions": sessions, "notify_registrants": False, "notify_trainers": False},
        )

    assert result.is_error is False
    assert result.structured_content["notified_registrants"] == 0
    assert sandbox.count("PUT", rf"/trainings/{ONBOARDING}/times$") == 1


async def test_emailing_reschedule_previews_times():
    sandbox = Sandbox()
    day = datetime.now(UTC) + timedelta(days=60)
    sessions = [{"start": f"{day:%Y-%m-%d}T15:00:00", "end": f"{day:%Y-%m-%d}T17:00:00"}]

    async with connected(sandbox) as client:
        result = await client.call_tool("update_training_times", {"training_key": ONBOARDING, "sessions": sessions})

    preview = result.structured_content["preview"]
    assert result.structured_content["status"] == "confirmation_required"
    assert f"New:\n  - {day:%a %Y-%m-%d} 15:00-17:00 Europe/Berlin\n" in preview
    assert preview.endswith("GoTo will e-mail the new schedule to all 25 registrants and its 2 trainers.")
    assert sandbox.count("PUT", ".") == 0


async def test_preview_holds_no_secret():
    sandbox = Sandbox()

    async with connected(sandbox) as client:
        result = await client.call_tool("delete_training", {"training_key": ONBOARDING})

    text = result.content[0].text
    for secret in ("sandbox-secret", "sandbox-refresh-token", "Bearer"):
        assert secret not in text
    for token in sandbox.tokens.access_tokens:
        assert token not in text
