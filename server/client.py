"""The GoTo Training client: one method per API operation, named in GoTo's nouns.

Every method validates its path keys before a URL is built, sends through one shared
`httpx.AsyncClient` (auth, rate limits, retries) and returns pydantic models with keys
as strings. An `organizer_key` of None means the signed-in organizer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from server import __version__
from server.auth import GoToAuth, TokenManager
from server.errors import GoToConnectionError, GoToError, RequestContext
from server.http import Sender, decode_json
from server.keys import validate_key
from server.models import (
    AllPages,
    Attendee,
    CurrentUser,
    DateTimeRange,
    Organizer,
    Page,
    Questionnaire,
    RecordingList,
    Registrant,
    RegistrantCreated,
    Submission,
    TimesUpdateResult,
    Training,
    TrainingSession,
    snake_case_keys,
)
from server.settings import Settings

logger = logging.getLogger(__name__)

USER_AGENT = f"goto-training-mcp/{__version__} (+https://github.com/goto-training-mcp)"
MAX_PAGE_SIZE = 200
PAGE_FETCH_CONCURRENCY = 4

QuestionnaireKind = Literal["tests", "polls", "surveys"]
ModelT = TypeVar("ModelT", bound=BaseModel)


def format_goto_time(moment: datetime) -> str:
    """Format an aware date-time as GoTo expects it: UTC, `YYYY-MM-DDTHH:MM:SSZ`, no fractions."""
    if moment.tzinfo is None:
        raise ValueError(f"date-time {moment.isoformat()!r} has no offset; add one, such as 'Z' or '+02:00'")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Identity(BaseModel):
    """The organizer and account the server acts as, and where they were found."""

    organizer_key: str
    account_key: str | None = None
    email: str | None = None
    source: str


class GoToClient:
    """Client for the GoTo Training API and the parts of the Admin API it needs."""

    def __init__(
        self,
        settings: Settings,
        http: httpx.AsyncClient,
        *,
        tokens: TokenManager | None = None,
        sender: Sender | None = None,
    ) -> None:
        self.settings = settings
        self.http = http
        self.tokens = tokens or TokenManager(settings, http)
        self._sender = sender or Sender(
            http,
            GoToAuth(self.tokens),
            max_retries=settings.max_retries,
            max_wait_seconds=settings.retry_max_wait_seconds,
            rate_per_second=settings.rate_limit_per_second,
        )
        self._identity: Identity | None = None
        self._identity_lock = asyncio.Lock()

    @classmethod
    @asynccontextmanager
    async def open(
        cls, settings: Settings, transport: httpx.AsyncBaseTransport | None = None
    ) -> AsyncIterator[GoToClient]:
        """Open the shared HTTP client for the server's lifetime and close it on exit."""
        async with new_http_client(settings, transport) as http:
            yield cls(settings, http)

    # Identity ----------------------------------------------------------------------------

    async def identity(self) -> Identity:
        """Return who the server acts as: settings first, then the token response, then `/me`."""
        if self._identity is not None:
            return self._identity
        async with self._identity_lock:
            if self._identity is None:
                self._identity = await self._discover_identity()
        return self._identity

    async def _discover_identity(self) -> Identity:
        settings = self.settings
        if settings.organizer_key and settings.account_key:
            return Identity(
                organizer_key=settings.organizer_key,
                account_key=settings.account_key,
                email=self.tokens.tokens.email,
                source="settings",
            )

        await self.tokens.access_token()
        tokens = self.tokens.tokens
        if tokens.organizer_key:
            return Identity(
                organizer_key=settings.organizer_key or tokens.organizer_key,
                account_key=settings.account_key or tokens.account_key,
                email=tokens.email,
                source="token",
            )

        me = await self.get_me()
        logger.info("Signed in as organizer %s (from the Admin API)", me.key)
        return Identity(
            organizer_key=settings.organizer_key or me.key,
            account_key=settings.account_key or me.account_key,
            email=me.email or tokens.email,
            source="admin_api",
        )

    async def _organizer(self, organizer_key: str | int | None) -> str:
        if organizer_key is None:
            return (await self.identity()).organizer_key
        return validate_key(organizer_key, "organizer_key")

    async def get_me(self) -> CurrentUser:
        context = RequestContext("read the signed-in user from the Admin API")
        data = await self._get_json(self.settings.admin_api_url + "/me", context)
        return CurrentUser.model_validate(data)

    # Trainings ---------------------------------------------------------------------------

    async def get_trainings(self, organizer_key: str | int | None = None) -> list[Training]:
        url, context = await self._legacy(
            "list trainings", "organizers/{organizer_key}/trainings", organizer_key=organizer_key
        )
        return _list_of(Training, await self._get_json(url, context))

    async def get_training(self, training_key: str | int, organizer_key: str | int | None = None) -> Training:
        url, context = await self._legacy(
            "get training",
            "organizers/{organizer_key}/trainings/{training_key}",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        return Training.model_validate(await self._get_json(url, context))

    async def create_training(
        self,
        *,
        name: str,
        time_zone: str,
        times: Sequence[DateTimeRange],
        description: str | None = None,
        disable_confirmation_email: bool | None = None,
        disable_web_registration: bool | None = None,
        co_organizer_keys: Sequence[str | int] = (),
        organizer_key: str | int | None = None,
    ) -> str:
        """Schedule a training and return its new key. Never retried once it may have reached GoTo."""
        url, context = await self._legacy(
            "create training", "organizers/{organizer_key}/trainings", organizer_key=organizer_key
        )
        body: dict[str, Any] = {"name": name, "timeZone": time_zone, "times": _times_body(times)}
        if description is not None:
            body["description"] = description
        settings = _registration_settings(disable_confirmation_email, disable_web_registration)
        if settings:
            body["registrationSettings"] = settings
        if co_organizer_keys:
            body["organizers"] = [int(validate_key(key, "co_organizer_keys")) for key in co_organizer_keys]
        response = await self._sender.send("POST", url, context, json_body=body, repeatable=False)
        return _bare_string(decode_json(response), "the new training key")

    async def update_training_name_description(
        self,
        training_key: str | int,
        name: str,
        description: str | None = None,
        organizer_key: str | int | None = None,
    ) -> None:
        url, context = await self._legacy(
            "update training name and description",
            "organizers/{organizer_key}/trainings/{training_key}/nameDescription",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        body = {"name": name} | ({"description": description} if description is not None else {})
        await self._sender.send("PUT", url, context, json_body=body)

    async def update_training_times(
        self,
        training_key: str | int,
        *,
        time_zone: str,
        times: Sequence[DateTimeRange],
        notify_registrants: bool = True,
        notify_trainers: bool = True,
        organizer_key: str | int | None = None,
    ) -> TimesUpdateResult:
        url, context = await self._legacy(
            "update training times",
            "organizers/{organizer_key}/trainings/{training_key}/times",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        body = {
            "timeZone": time_zone,
            "times": _times_body(times),
            "notifyRegistrants": notify_registrants,
            "notifyTrainers": notify_trainers,
        }
        response = await self._sender.send("PUT", url, context, json_body=body)
        return TimesUpdateResult.model_validate(snake_case_keys(decode_json(response)) or {})

    async def update_registration_settings(
        self,
        training_key: str | int,
        *,
        disable_confirmation_email: bool,
        disable_web_registration: bool,
        organizer_key: str | int | None = None,
    ) -> None:
        url, context = await self._legacy(
            "update registration settings",
            "organizers/{organizer_key}/trainings/{training_key}/registrationSettings",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        body = _registration_settings(disable_confirmation_email, disable_web_registration)
        await self._sender.send("PUT", url, context, json_body=body)

    async def get_training_organizers(
        self, training_key: str | int, organizer_key: str | int | None = None
    ) -> list[Organizer]:
        url, context = await self._legacy(
            "list training organizers",
            "organizers/{organizer_key}/trainings/{training_key}/organizers",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        return _list_of(Organizer, await self._get_json(url, context))

    async def update_training_organizers(
        self,
        training_key: str | int,
        organizer_keys: Sequence[str | int],
        *,
        notify_organizers: bool,
        organizer_key: str | int | None = None,
    ) -> None:
        url, context = await self._legacy(
            "update training organizers",
            "organizers/{organizer_key}/trainings/{training_key}/organizers",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        keys = [int(validate_key(key, "organizer_keys")) for key in organizer_keys]
        body = {"organizers": keys, "notifyOrganizers": notify_organizers}
        await self._sender.send("PUT", url, context, json_body=body)

    async def delete_training(self, training_key: str | int, organizer_key: str | int | None = None) -> None:
        url, context = await self._legacy(
            "delete training",
            "organizers/{organizer_key}/trainings/{training_key}",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        await self._sender.send("DELETE", url, context)

    async def get_management_url(self, training_key: str | int, organizer_key: str | int | None = None) -> str:
        url, context = await self._legacy(
            "get management URL",
            "organizers/{organizer_key}/trainings/{training_key}/manageUrl",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        return _bare_string(await self._get_json(url, context), "the management URL")

    async def get_start_url(self, training_key: str | int, organizer_key: str | int | None = None) -> str:
        url, context = await self._legacy(
            "get start URL",
            "organizers/{organizer_key}/trainings/{training_key}/startUrl",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        return _bare_string(await self._get_json(url, context), "the start URL")

    async def start_training(self, training_key: str | int) -> str:
        url, context = await self._legacy("start training", "trainings/{training_key}/start", training_key=training_key)
        data = await self._get_json(url, context)
        host_url = data.get("host_url") if isinstance(data, dict) else None
        return _bare_string(host_url, "hostURL")

    # Registrants -------------------------------------------------------------------------

    async def get_registrants(
        self, training_key: str | int, organizer_key: str | int | None = None
    ) -> list[Registrant]:
        url, context = await self._legacy(
            "list registrants",
            "organizers/{organizer_key}/trainings/{training_key}/registrants",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        return _list_of(Registrant, await self._get_json(url, context))

    async def get_registrant(
        self, training_key: str | int, registrant_key: str | int, organizer_key: str | int | None = None
    ) -> Registrant:
        url, context = await self._legacy(
            "get registrant",
            "organizers/{organizer_key}/trainings/{training_key}/registrants/{registrant_key}",
            organizer_key=organizer_key,
            training_key=training_key,
            registrant_key=registrant_key,
        )
        return Registrant.model_validate(await self._get_json(url, context))

    async def register_for_training(
        self,
        training_key: str | int,
        *,
        email: str,
        given_name: str,
        surname: str,
        organizer_key: str | int | None = None,
    ) -> RegistrantCreated:
        """Register one person. Raises ConflictError (with `registrant_key`) when already registered."""
        url, context = await self._legacy(
            "register for training",
            "organizers/{organizer_key}/trainings/{training_key}/registrants",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        body = {"email": email, "givenName": given_name, "surname": surname}
        response = await self._sender.send("POST", url, context, json_body=body, repeatable=False)
        return RegistrantCreated.model_validate(snake_case_keys(decode_json(response)))

    async def cancel_registration(
        self, training_key: str | int, registrant_key: str | int, organizer_key: str | int | None = None
    ) -> None:
        url, context = await self._legacy(
            "cancel registration",
            "organizers/{organizer_key}/trainings/{training_key}/registrants/{registrant_key}",
            organizer_key=organizer_key,
            training_key=training_key,
            registrant_key=registrant_key,
        )
        await self._sender.send("DELETE", url, context)

    # Session reports -----------------------------------------------------------------------

    async def get_sessions_by_date_range(
        self, start: datetime, end: datetime, organizer_key: str | int | None = None
    ) -> list[TrainingSession]:
        url, context = await self._legacy(
            "list sessions in a date range", "reports/organizers/{organizer_key}/sessions", organizer_key=organizer_key
        )
        body = {"startDate": format_goto_time(start), "endDate": format_goto_time(end)}
        # This POST only reads, so it is as safe to repeat as a GET.
        response = await self._sender.send("POST", url, context, json_body=body, repeatable=True)
        return _list_of(TrainingSession, snake_case_keys(decode_json(response)))

    async def get_sessions_by_training(
        self, training_key: str | int, organizer_key: str | int | None = None
    ) -> list[TrainingSession]:
        url, context = await self._legacy(
            "list training sessions",
            "reports/organizers/{organizer_key}/trainings/{training_key}",
            organizer_key=organizer_key,
            training_key=training_key,
        )
        return _list_of(TrainingSession, await self._get_json(url, context))

    async def get_attendance(self, session_key: str | int, organizer_key: str | int | None = None) -> list[Attendee]:
        url, context = await self._legacy(
            "get session attendance",
            "reports/organizers/{organizer_key}/sessions/{session_key}/attendees",
            organizer_key=organizer_key,
            session_key=session_key,
        )
        return _list_of(Attendee, await self._get_json(url, context))

    # Tests, polls and surveys (paged) ---------------------------------------------------------

    async def get_questionnaires(
        self,
        kind: QuestionnaireKind,
        training_key: str | int,
        *,
        session_key: str | int | None = None,
        page: int = 0,
        size: int = 20,
        sort: Sequence[str] = (),
    ) -> Page[Questionnaire]:
        url, context = self._training_v1(f"list {kind}", "trainings/{training_key}/" + kind, training_key)
        params = _page_params(page, size, sort) | _session_param(session_key)
        return await self.get_page(url, params, context, Questionnaire)

    async def get_submissions(
        self,
        kind: QuestionnaireKind,
        training_key: str | int,
        *,
        session_key: str | int | None = None,
        questionnaire_key: str | None = None,
        questionnaire_version: str | None = None,
        page: int = 0,
        size: int = 20,
        sort: Sequence[str] = (),
    ) -> Page[Submission]:
        url, context = self._training_v1(
            f"list {kind[:-1]} submissions", "trainings/{training_key}/" + kind + "/submissions", training_key
        )
        params = _page_params(page, size, sort) | _session_param(session_key)
        params |= _questionnaire_params(questionnaire_key, questionnaire_version)
        return await self.get_page(url, params, context, Submission)

    async def get_all_questionnaires(
        self,
        kind: QuestionnaireKind,
        training_key: str | int,
        *,
        session_key: str | int | None = None,
        sort: Sequence[str] = (),
        max_items: int,
    ) -> AllPages[Questionnaire]:
        url, context = self._training_v1(f"list {kind}", "trainings/{training_key}/" + kind, training_key)
        params = _session_param(session_key) | ({"sort": list(sort)} if sort else {})
        return await self.get_all_pages(url, params, context, Questionnaire, max_items=max_items)

    async def get_all_submissions(
        self,
        kind: QuestionnaireKind,
        training_key: str | int,
        *,
        session_key: str | int | None = None,
        questionnaire_key: str | None = None,
        questionnaire_version: str | None = None,
        sort: Sequence[str] = (),
        max_items: int,
    ) -> AllPages[Submission]:
        url, context = self._training_v1(
            f"list {kind[:-1]} submissions", "trainings/{training_key}/" + kind + "/submissions", training_key
        )
        params = _session_param(session_key) | ({"sort": list(sort)} if sort else {})
        params |= _questionnaire_params(questionnaire_key, questionnaire_version)
        return await self.get_all_pages(url, params, context, Submission, max_items=max_items)

    async def get_page(
        self, url: str, params: dict[str, Any], context: RequestContext, item: type[ModelT]
    ) -> Page[ModelT]:
        data = await self._get_json(url, context, params=params)
        if data is None:
            return Page[item](items=[], current_page=params.get("page", 0), page_size=params.get("size", 0))
        return Page[item].model_validate(data)

    async def get_all_pages(
        self,
        url: str,
        params: dict[str, Any],
        context: RequestContext,
        item: type[ModelT],
        *,
        max_items: int,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AllPages[ModelT]:
        """Fetch the first page, then the rest concurrently (bounded), stopping at `max_items`."""
        if max_items < 1:
            raise ValueError(f"max_items {max_items!r} is invalid: ask for at least 1 item.")
        first = await self.get_page(url, params | _page_params(0, page_size, ()), context, item)
        pages_wanted = min(first.total_pages, -(-max_items // page_size))
        remaining = range(1, max(1, pages_wanted))
        limit = asyncio.Semaphore(PAGE_FETCH_CONCURRENCY)

        async def fetch(number: int) -> Page[ModelT]:
            async with limit:
                return await self.get_page(url, params | {"page": number, "size": page_size}, context, item)

        items = list(first.items)
        for page in await asyncio.gather(*(fetch(number) for number in remaining)):
            items.extend(page.items)
        returned = items[:max_items]
        total = max(first.total_items, len(items))
        return AllPages[item](
            items=returned, total_items=total, pages_fetched=1 + len(remaining), truncated=len(returned) < total
        )

    # Recordings and organizers ------------------------------------------------------------------

    async def get_recordings(self, training_key: str | int) -> RecordingList:
        url, context = await self._legacy(
            "list recordings", "trainings/{training_key}/recordings", training_key=training_key
        )
        return RecordingList.model_validate(await self._get_json(url, context) or {})

    async def get_recording_download_url(self, training_key: str | int, recording_id: str | int) -> str:
        """Return where GoTo redirects the download to, without following the redirect."""
        url, context = await self._legacy(
            "get recording download URL",
            "trainings/{training_key}/recordings/{recording_id}",
            training_key=training_key,
            recording_id=recording_id,
        )
        response = await self._sender.send("GET", url, context)
        location = response.headers.get("Location")
        if response.is_redirect and location:
            return str(response.url.join(location))
        data = snake_case_keys(decode_json(response))
        if isinstance(data, dict) and isinstance(data.get("download_url"), str):
            return data["download_url"]
        raise GoToConnectionError(
            f"GoTo responded to the download of recording_id {context.keys['recording_id']!r} with HTTP "
            f"{response.status_code} and no redirect; try list_recordings for its download URL."
        )

    async def get_account_organizers(self, account_key: str | int | None = None) -> list[Organizer]:
        if account_key is None:
            account_key = (await self.identity()).account_key
            if account_key is None:
                raise GoToError("The account key is unknown: set GOTO_ACCOUNT_KEY or pass account_key.")
        url, context = await self._legacy(
            "list account organizers", "accounts/{account_key}/organizers", account_key=account_key
        )
        return _list_of(Organizer, await self._get_json(url, context))

    # Plumbing ----------------------------------------------------------------------------------

    async def _legacy(self, operation: str, template: str, **keys: str | int | None) -> tuple[str, RequestContext]:
        # Check the other keys first: finding the organizer may send requests to GoTo.
        valid = {name: validate_key(value, name) for name, value in keys.items() if name != "organizer_key"}
        checked: dict[str, str] = {}
        for name, value in keys.items():
            checked[name] = await self._organizer(value) if name == "organizer_key" else valid[name]
        return self.settings.api_url + "/" + template.format(**checked), RequestContext(operation, checked)

    def _training_v1(self, operation: str, template: str, training_key: str | int) -> tuple[str, RequestContext]:
        checked = {"training_key": validate_key(training_key, "training_key")}
        return self.settings.training_api_url + "/" + template.format(**checked), RequestContext(operation, checked)

    async def _get_json(self, url: str, context: RequestContext, params: dict[str, Any] | None = None) -> Any:
        response = await self._sender.send("GET", url, context, params=params)
        return snake_case_keys(decode_json(response))


@asynccontextmanager
async def new_http_client(
    settings: Settings, transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """Open the one HTTP client the server shares: connection reuse, timeouts, a User-Agent."""
    async with httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(settings.timeout_seconds, connect=min(10.0, settings.timeout_seconds)),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=False,
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    ) as http:
        yield http


def _list_of(model: type[ModelT], data: Any) -> list[ModelT]:
    # GoTo answers an empty list with an empty body or 204; both read as [].
    if data is None:
        return []
    return TypeAdapter(list[model]).validate_python(data)  # type: ignore[valid-type]


def _bare_string(data: Any, what: str) -> str:
    if isinstance(data, str) and data:
        return data
    if isinstance(data, int) and not isinstance(data, bool):
        return str(data)
    raise GoToConnectionError(f"GoTo responded without {what}; try again later.")


def _times_body(times: Sequence[DateTimeRange]) -> list[dict[str, str]]:
    return [{"startDate": format_goto_time(t.start_date), "endDate": format_goto_time(t.end_date)} for t in times]


def _registration_settings(disable_confirmation_email: bool | None, disable_web_registration: bool | None) -> dict:
    body = {}
    if disable_confirmation_email is not None:
        body["disableConfirmationEmail"] = disable_confirmation_email
    if disable_web_registration is not None:
        body["disableWebRegistration"] = disable_web_registration
    return body


def _page_params(page: int, size: int, sort: Sequence[str]) -> dict[str, Any]:
    if page < 0:
        raise ValueError(f"page {page!r} is invalid: pages are numbered from 0.")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size {size!r} is invalid: GoTo returns 1 to {MAX_PAGE_SIZE} items a page.")
    params: dict[str, Any] = {"page": page, "size": size}
    if sort:
        params["sort"] = list(sort)
    return params


def _session_param(session_key: str | int | None) -> dict[str, str]:
    return {} if session_key is None else {"sessionKey": validate_key(session_key, "session_key")}


def _questionnaire_params(questionnaire_key: str | None, questionnaire_version: str | None) -> dict[str, str]:
    params = {"questionnaireKey": questionnaire_key, "questionnaireVersion": questionnaire_version}
    return {name: value for name, value in params.items() if value is not None}
