"""The Starlette app: every route of the sandbox, on the same paths as GoTo's hosts."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from .context import ApiContext
from .errors import SandboxError
from .oauth import OAuthRoutes
from .routes_legacy import LEGACY_API_PATH, LegacyRoutes
from .routes_v1 import TRAINING_V1_PATH, V1Routes

logger = logging.getLogger(__name__)

ADMIN_API_PATH = "/admin/rest/v1"


def build_app(context: ApiContext) -> Starlette:
    async def get_me(request: Request) -> Response:
        """Return the current user, as the Admin API does: the organizer key is `key`."""
        caller = context.caller(request)
        return JSONResponse(
            {
                "key": str(caller.key),
                "accountKey": str(caller.account_key),
                "email": caller.email,
                "firstName": caller.given_name,
                "lastName": caller.surname,
            }
        )

    async def answer_sandbox_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, SandboxError)
        logger.info("%s %s returned %s", request.method, request.url.path, error)
        return JSONResponse(error.body(context.next_incident()), status_code=error.status, headers=error.headers)

    async def answer_http_exception(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        code = {404: "NotFound", 405: "MethodNotAllowed"}.get(error.status_code, "InvalidRequest")
        description = f"{request.method} {request.url.path}: {error.detail}."
        body = {"errorCode": code, "description": description, "incident": context.next_incident()}
        return JSONResponse(body, status_code=error.status_code, headers=error.headers)

    routes = [
        Mount(LEGACY_API_PATH, routes=LegacyRoutes(context).routes()),
        Mount(TRAINING_V1_PATH, routes=V1Routes(context).routes()),
        Route(ADMIN_API_PATH + "/me", get_me, methods=["GET"]),
        *OAuthRoutes(context).routes(),
    ]
    return Starlette(
        routes=routes,
        exception_handlers={SandboxError: answer_sandbox_error, HTTPException: answer_http_exception},
    )
