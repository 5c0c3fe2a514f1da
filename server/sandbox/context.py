"""Shared context of the route handlers of one sandbox: settings, state, tokens and the caller."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request

from .config import SandboxConfig
from .model import Organizer
from .parsing import parse_json_object, parse_key
from .state import SandboxState
from .tokens import TokenStore


@dataclass
class ApiContext:
    config: SandboxConfig
    state: SandboxState
    tokens: TokenStore
    incidents: random.Random
    """Source of the `incident` numbers in error bodies."""

    def now(self) -> datetime:
        return self.config.clock()

    def next_incident(self) -> int:
        return self.incidents.randint(10**17, 2**63 - 1)

    def caller(self, request: Request) -> Organizer:
        """Return the organizer of the request's bearer token, or raise 401 or 403 InvalidToken."""
        organizer_key = self.tokens.authenticate(request.headers.get("authorization"), self.now())
        return self.state.organizers[organizer_key]

    def path_organizer(self, request: Request) -> tuple[Organizer, int]:
        """Authenticate, then return the caller and the organizer key of the path, checked against the account."""
        caller = self.caller(request)
        organizer_key = parse_key(request.path_params["organizer_key"], "organizerKey")
        self.state.check_organizer_in_account(organizer_key, caller.account_key)
        return caller, organizer_key


async def json_body(request: Request) -> dict[str, Any]:
    return parse_json_object(await request.body())
