"""Routes of the new Training API (tests, polls, surveys), served under /training/v1 like api.goto.com."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .context import ApiContext
from .model import QUESTIONNAIRE_KINDS, Questionnaire, QuestionnaireKind, Training
from .parsing import PageRequest, parse_key, parse_page_request

TRAINING_V1_PATH = "/training/v1"

T = TypeVar("T")

QUESTIONNAIRE_SORT_FIELDS = ("questionnaireKey", "questionnaireVersion")
SUBMISSION_SORT_FIELDS = (
    "questionnaireKey",
    "questionnaireVersion",
    "questionVersion",
    "deliveryTime",
    "questionKey",
    "questionType",
    "userKey",
)


class V1Routes:
    def __init__(self, context: ApiContext) -> None:
        self.context = context

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = []
        for kind in QUESTIONNAIRE_KINDS:
            path = "/trainings/{training_key}/" + kind
            routes.append(Route(path, functools.partial(self.list_questionnaires, kind), methods=["GET"]))
            routes.append(Route(path + "/submissions", functools.partial(self.list_submissions, kind), methods=["GET"]))
        return routes

    def _training(self, request: Request) -> Training:
        caller = self.context.caller(request)
        training_key = parse_key(request.path_params["training_key"], "trainingKey")
        return self.context.state.account_training(caller.account_key, training_key)

    async def list_questionnaires(self, kind: QuestionnaireKind, request: Request) -> Response:
        training = self._training(request)
        query = _query_lists(request)
        paging = parse_page_request(query, QUESTIONNAIRE_SORT_FIELDS, "questionnaireKey")
        questionnaires = _filter(training.questionnaires[kind], query)
        ordered = _sorted(questionnaires, paging, lambda q, field: q.key if field == "questionnaireKey" else q.version)
        items = [
            {
                "questionnaireKey": q.key,
                # NOTE: the reference names this field but not its meaning; the sandbox sends the version.
                "questionnaireValue": q.version,
                "questionnaireName": q.name,
                "createdBy": str(q.created_by),
            }
            for q in ordered
        ]
        return JSONResponse(_page(items, paging))

    async def list_submissions(self, kind: QuestionnaireKind, request: Request) -> Response:
        training = self._training(request)
        query = _query_lists(request)
        paging = parse_page_request(query, SUBMISSION_SORT_FIELDS, "questionKey")
        pairs = [(q, item) for q in _filter(training.questionnaires[kind], query) for item in q.submissions]
        ordered = _sorted(pairs, paging, _submission_field)
        return JSONResponse(_page([item for _, item in ordered], paging))


def _query_lists(request: Request) -> dict[str, list[str]]:
    return {name: request.query_params.getlist(name) for name in request.query_params}


def _filter(questionnaires: list[Questionnaire], query: dict[str, list[str]]) -> list[Questionnaire]:
    """Keep the questionnaires matching the sessionKey, questionnaireKey and questionnaireVersion filters."""
    filters: dict[str, Callable[[Questionnaire], str]] = {
        "sessionKey": lambda q: str(q.session_key),
        "questionnaireKey": lambda q: q.key,
        "questionnaireVersion": lambda q: q.version,
    }
    matching = questionnaires
    for name, value_of in filters.items():
        values = query.get(name)
        if values:
            matching = [q for q in matching if value_of(q) == values[-1]]
    return matching


def _submission_field(pair: tuple[Questionnaire, dict[str, Any]], field: str) -> str:
    questionnaire, item = pair
    if field == "questionnaireKey":
        return questionnaire.key
    if field == "questionnaireVersion":
        return questionnaire.version
    return str(item[field])


def _sorted(items: Sequence[T], paging: PageRequest, value_of: Callable[[T, str], str]) -> list[T]:
    """Sort by each (field, descending) pair of the request, the first pair deciding first."""
    ordered = list(items)
    for field, descending in reversed(paging.sort):
        ordered.sort(key=lambda item: value_of(item, field), reverse=descending)
    return ordered


def _page(items: list[Any], paging: PageRequest) -> dict[str, Any]:
    start = paging.page * paging.size
    return {
        "items": items[start : start + paging.size],
        "currentPage": paging.page,
        "pageSize": paging.size,
        "totalPages": math.ceil(len(items) / paging.size),
        "totalItems": len(items),
        "sort": [f"{field}:{'desc' if descending else 'asc'}" for field, descending in paging.sort],
    }
