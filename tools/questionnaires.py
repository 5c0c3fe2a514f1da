"""Tools for tests, polls and surveys and their submissions (GoTo's paged `training/v1` API).

The three kinds share one shape, so each tool is made by a factory with its own name and text.
"""

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from server.client import QuestionnaireKind
from server.models import Questionnaire, Submission
from tools._registry import ToolFunction, client_of, goto_tool, structured
from tools.args import AllPages, OptionalSessionKey, Page, PageSize, TrainingKey

MAX_ALL_ITEMS = 1000

QuestionnaireSort = Literal["questionnaireKey", "questionnaireVersion"]
SubmissionSort = Literal[
    "questionKey",
    "questionnaireKey",
    "questionnaireVersion",
    "questionVersion",
    "deliveryTime",
    "questionType",
    "userKey",
]


class QuestionnairePage(BaseModel):
    training_key: str
    items: list[Questionnaire]
    total_items: int
    returned: int
    page: int | None = None
    total_pages: int | None = None
    note: str | None = None


class SubmissionPage(BaseModel):
    training_key: str
    items: list[Submission]
    total_items: int
    returned: int
    page: int | None = None
    total_pages: int | None = None
    note: str | None = None


def _page_note(page: int, total_pages: int) -> str | None:
    if page + 1 < total_pages:
        return f"Page {page} of {total_pages} (from 0); call again with page={page + 1}, or all_pages=true."
    return None


def _page_fields(found, page: int) -> dict:
    return {
        "items": found.items,
        "total_items": found.total_items,
        "returned": len(found.items),
        "page": found.current_page,
        "total_pages": found.total_pages,
        "note": _page_note(page, found.total_pages),
    }


def _all_fields(every) -> dict:
    note = f"Stopped at {MAX_ALL_ITEMS} of {every.total_items} items." if every.truncated else None
    return {"items": every.items, "total_items": every.total_items, "returned": len(every.items), "note": note}


def _questionnaire_tool(kind: QuestionnaireKind) -> ToolFunction:
    async def list_questionnaires(
        ctx: Context,
        training_key: TrainingKey,
        session_key: OptionalSessionKey = None,
        page: Page = 0,
        page_size: PageSize = 20,
        all_pages: AllPages = False,
        sort: Annotated[QuestionnaireSort | None, Field(description="Sort field.")] = None,
    ) -> Annotated[CallToolResult, QuestionnairePage]:
        client = client_of(ctx)
        sorting = [sort] if sort else []
        if all_pages:
            every = await client.get_all_questionnaires(
                kind, training_key, session_key=session_key, sort=sorting, max_items=MAX_ALL_ITEMS
            )
            return structured(QuestionnairePage(training_key=training_key, **_all_fields(every)))
        found = await client.get_questionnaires(
            kind, training_key, session_key=session_key, page=page, size=page_size, sort=sorting
        )
        return structured(QuestionnairePage(training_key=training_key, **_page_fields(found, page)))

    list_questionnaires.__name__ = f"list_{kind}"
    list_questionnaires.__doc__ = f"List a training's {kind} (key, version, name) for list_{kind[:-1]}_submissions."
    return list_questionnaires


def _submission_tool(kind: QuestionnaireKind) -> ToolFunction:
    async def list_submissions(
        ctx: Context,
        training_key: TrainingKey,
        session_key: OptionalSessionKey = None,
        questionnaire_key: Annotated[str | None, Field(description=f"Only this {kind[:-1]}.")] = None,
        questionnaire_version: Annotated[str | None, Field(description="Only this version.")] = None,
        page: Page = 0,
        page_size: PageSize = 20,
        all_pages: AllPages = False,
        sort: Annotated[SubmissionSort | None, Field(description="Sort field.")] = None,
    ) -> Annotated[CallToolResult, SubmissionPage]:
        client = client_of(ctx)
        filters = {
            "session_key": session_key,
            "questionnaire_key": questionnaire_key,
            "questionnaire_version": questionnaire_version,
            "sort": [sort] if sort else [],
        }
        if all_pages:
            every = await client.get_all_submissions(kind, training_key, max_items=MAX_ALL_ITEMS, **filters)
            return structured(SubmissionPage(training_key=training_key, **_all_fields(every)))
        found = await client.get_submissions(kind, training_key, page=page, size=page_size, **filters)
        return structured(SubmissionPage(training_key=training_key, **_page_fields(found, page)))

    singular = kind[:-1]
    list_submissions.__name__ = f"list_{singular}_submissions"
    extra = ", with correctness" if kind == "tests" else ""
    list_submissions.__doc__ = f"List answers to a training's {kind}{extra}."
    return list_submissions


_TITLES = {"tests": "Tests", "polls": "Polls", "surveys": "Surveys"}
for _kind in ("tests", "polls", "surveys"):
    goto_tool(toolset="questionnaires", title=f"List {_kind}", read_only=True)(_questionnaire_tool(_kind))
    goto_tool(toolset="questionnaires", title=f"{_TITLES[_kind][:-1]} submissions", read_only=True)(
        _submission_tool(_kind)
    )
