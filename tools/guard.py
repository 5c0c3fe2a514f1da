"""Confirmation for tools that delete or e-mail people.

A guarded tool is declared with `goto_tool(..., confirm=preview_builder)`. Before its body
runs, an SDK resolver (`Resolve`) builds a preview of what the call changes and then:

- with GOTO_CONFIRM=off, or no preview (nothing to confirm), lets the call run;
- with a `confirmation_token` from an earlier call, checks it and lets the call run;
- where the client supports elicitation, asks the user (`Elicit`), which works on the
  2025-era protocol and on the stateless 2026-07-28 one alike;
- otherwise returns `status: confirmation_required` with the preview and a token, and
  the model must show the preview and call again with the token once the user agrees
  (GOTO_CONFIRM=elicitation refuses instead).
"""

import functools
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from mcp.server.elicitation import AcceptedElicitation, ElicitationResult
from mcp.server.mcpserver import Context, Elicit, Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import BaseModel, Field, create_model

from server.confirmations import TOKEN_LIFETIME_SECONDS, ConfirmationError
from server.errors import GoToError
from tools.output import compact_text

TOKEN_ARGUMENT = "confirmation_token"
ConfirmationToken = Annotated[
    str | None,
    Field(description="From the preview, once the user agreed."),
]


@dataclass(frozen=True)
class Preview:
    """What a guarded call will change, in words the user reads before agreeing."""

    text: str


PreviewBuilder = Callable[..., Awaitable[Preview | None]]


class Approval(BaseModel):
    confirm: bool = Field(description="Apply this change")


@dataclass(frozen=True)
class _Proceed:
    """The call may run: confirmations are off, a token was valid, or nothing needs confirming."""


@dataclass(frozen=True)
class _TokenRequired:
    preview: str
    token: str


def guarded_output_model(model: type[BaseModel]) -> type[BaseModel]:
    """Return `model` with every field optional plus the fields of a confirmation result."""
    fields: dict[str, Any] = {
        name: (info.annotation | None, None)
        for name, info in model.model_fields.items()  # type: ignore[operator]
    }
    fields.setdefault("status", (str | None, None))
    fields["preview"] = (str | None, None)
    fields[TOKEN_ARGUMENT] = (str | None, None)
    fields["next_step"] = (str | None, None)
    return create_model(f"{model.__name__}OrConfirmation", **fields)


def guard(fn: Callable[..., Awaitable[Any]], name: str, builder: PreviewBuilder) -> Callable[..., Awaitable[Any]]:
    """Wrap a tool function so that it runs only once its call is confirmed."""
    signature = inspect.signature(fn)
    tool_arguments = [parameter for parameter in signature.parameters if parameter != "ctx"]
    resolver = _resolver(name, builder, [*tool_arguments, TOKEN_ARGUMENT])
    output = guarded_output_model(_output_model(fn))

    @functools.wraps(fn)
    async def call(**arguments: Any) -> CallToolResult:
        approval = arguments.pop("approval")
        arguments.pop(TOKEN_ARGUMENT, None)
        if isinstance(approval, AcceptedElicitation):
            decision = approval.data
            if isinstance(decision, _TokenRequired):
                return _token_required(name, decision)
            if isinstance(decision, _Proceed) or (isinstance(decision, Approval) and decision.confirm):
                return await fn(**arguments)
        return _not_changed(name, approval.action)

    parameters = [
        *signature.parameters.values(),
        inspect.Parameter(TOKEN_ARGUMENT, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ConfirmationToken),
        inspect.Parameter(
            "approval",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[ElicitationResult[Approval], Resolve(resolver)],
        ),
    ]
    returns = Annotated[CallToolResult, output]
    call.__signature__ = signature.replace(parameters=_keyword_only(parameters), return_annotation=returns)
    call.__annotations__ = {
        **{parameter.name: parameter.annotation for parameter in parameters},
        "return": returns,
    }
    return call


def _resolver(name: str, builder: PreviewBuilder, argument_names: list[str]) -> Callable[..., Awaitable[Any]]:
    async def resolve_confirmation(ctx: Context, **arguments: Any) -> Any:
        state = ctx.request_context.lifespan_context
        token = arguments.pop(TOKEN_ARGUMENT, None)
        if state.settings.confirm == "off":
            return _Proceed()
        if token:
            try:
                state.confirmations.redeem(token, name, arguments)
            except ConfirmationError as exc:
                raise ToolError(str(exc)) from exc
            return _Proceed()

        try:
            preview = await builder(state.client, **arguments)
        except (GoToError, ValueError) as exc:
            raise ToolError(str(exc)) from exc
        if preview is None:
            return _Proceed()
        if _can_elicit(ctx):
            return Elicit(f"{preview.text}\n\nApply this change?", Approval)
        if state.settings.confirm == "elicitation":
            raise ToolError(
                f"{name} needs the user's confirmation, and GOTO_CONFIRM=elicitation allows it only through a "
                "confirmation form, which this MCP client cannot show. Nothing was changed. Use a client that "
                "supports elicitation, or set GOTO_CONFIRM=auto to confirm with a token instead."
            )
        return _TokenRequired(preview=preview.text, token=state.confirmations.issue(name, arguments))

    parameters = [inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context)]
    parameters += [inspect.Parameter(argument, inspect.Parameter.KEYWORD_ONLY) for argument in argument_names]
    resolve_confirmation.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    resolve_confirmation.__annotations__ = {"ctx": Context}
    resolve_confirmation.__name__ = resolve_confirmation.__qualname__ = f"confirm_{name}"
    return resolve_confirmation


def _can_elicit(ctx: Context) -> bool:
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    # A bare `elicitation: {}` predates elicitation modes and means form support.
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def _token_required(name: str, decision: _TokenRequired) -> CallToolResult:
    content = {
        "status": "confirmation_required",
        "preview": decision.preview,
        TOKEN_ARGUMENT: decision.token,
        "next_step": (
            f"Nothing was changed. Show the preview to the user. Only if they agree, call {name} again with the "
            f"same arguments and confirmation_token; it works once, within {TOKEN_LIFETIME_SECONDS // 60} minutes."
        ),
    }
    return compact_text(content)


def _not_changed(name: str, action: str) -> CallToolResult:
    verb = "declined" if action in ("decline", "accept") else "cancelled"
    content = {"status": "not_changed", "next_step": f"The user {verb} the change, so {name} changed nothing."}
    return compact_text(content)


def _output_model(fn: Callable[..., Any]) -> type[BaseModel]:
    annotation = inspect.signature(fn).return_annotation
    metadata = getattr(annotation, "__metadata__", ())
    models = [item for item in metadata if isinstance(item, type) and issubclass(item, BaseModel)]
    if not models:
        raise TypeError(f"{fn.__name__} must return Annotated[CallToolResult, OutputModel] to be guarded")
    return models[0]


def _keyword_only(parameters: list[inspect.Parameter]) -> list[inspect.Parameter]:
    # The SDK calls tools with keyword arguments only, so every parameter can be keyword-only,
    # which also lets a required parameter follow the optional ones.
    return [parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY) for parameter in parameters]
