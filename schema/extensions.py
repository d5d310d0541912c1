"""Schema extensions: the anonymous gate and the shaping of errors."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, MiddlewareManager, OperationDefinitionNode
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.types.base import StrawberryList, StrawberryOptional

from resolvers.errors import UserFacingError, password_change_required, totp_enrollment_required
from schema.errors import errors_of
from schema.graphql_errors import in_chinese, is_graphql_layer

PUBLIC_FIELDS = frozenset({"login", "__typename"})


class AnonymousGate(SchemaExtension):
    """Without a valid token only ``login`` runs: deny by default, before any resolver."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context.context
        document = self.execution_context.graphql_document
        if getattr(ctx, "actor", None) is None and document is not None:
            fields: set[str] = set()
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    fields.update(s.name.value for s in definition.selection_set.selections
                                  if hasattr(s, "name"))
                    if any(not hasattr(s, "name") for s in definition.selection_set.selections):
                        fields.add("…")
            if not fields <= PUBLIC_FIELDS:
                self.execution_context.result = ExecutionResult(data=None, errors=[GraphQLError(
                    "未登录或登录已过期，请重新登录", extensions={"code": "UNAUTHENTICATED"})])
        yield


class ResolverMiddleware(MiddlewareManager):
    """The extensions' ``resolve`` hooks (``PasswordChangeGate``, ``InputChecks``,
    ``SettledFields``) wrap only the fields that have a resolver of their own.

    A plain field (an attribute of its object: strawberry marks its resolver ``_is_default``)
    takes no arguments, is never a top-level field (those all have resolvers) and never returns
    an awaitable, so none of the hooks has anything to do there; a page of 50 people has about
    600 such fields against 100 with resolvers, and each hook costs a Python call per field."""

    def get_field_resolver(self, field_resolver: Callable[..., Any]) -> Callable[..., Any]:
        if getattr(field_resolver, "_is_default", False):
            return field_resolver
        return super().get_field_resolver(field_resolver)


class SettledFields(SchemaExtension):
    """A failing field never cancels a sibling half way through its database work.

    graphql-core cancels the siblings of a field whose error reaches a non-null parent; a
    sibling cancelled while it awaits the request's session leaves the session broken, and the
    commit then fails (a raw 500). Each async resolver runs as its own shielded task: the
    cancellation stops the waiting, not the work, and the endpoint settles every such task
    (``GraphQLContext.settle``) before the transaction ends.
    """

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any,
                **kwargs: Any) -> Any:
        result = _next(root, info, *args, **kwargs)
        pending = getattr(info.context, "pending", None)
        if pending is None or not inspect.isawaitable(result):
            return result
        task = asyncio.ensure_future(result)
        pending.add(task)
        task.add_done_callback(pending.discard)
        return asyncio.shield(task)


def _user_facing(error: GraphQLError) -> bool:
    return isinstance(error.original_error, UserFacingError)


class ErrorShaping(MaskErrors):
    """Expected failures keep their Chinese message and gain a code; others are masked."""

    def __init__(self) -> None:
        super().__init__(
            should_mask_error=lambda e: e.original_error is not None and not _user_facing(e),
            error_message="服务器内部错误，请稍后再试",
        )

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        errors = [in_chinese(e) if is_graphql_layer(e) else e for e in errors]
        if any(e.original_error is not None and not _user_facing(e) for e in errors):
            context = self.execution_context.context
            if hasattr(context, "failed"):
                context.failed = True
        shaped = []
        for error in super()._process_errors(errors):
            original = error.original_error
            if isinstance(original, UserFacingError) and original.problems:
                error.extensions = {**(error.extensions or {}),
                                    "code": original.problems[0].code.value}
            shaped.append(error)
        return shaped


# What an account with an initial, reset or expired password may still call.
PASSWORD_CHANGE_FIELDS = frozenset({"changePassword", "logout", "refreshSession", "me",
                                    "tenant", "login", "__typename"})
TOTP_ENROLLMENT_FIELDS = PASSWORD_CHANGE_FIELDS | {"beginTotpEnrollment",
                                                   "confirmTotpEnrollment"}


def _refused_payload(return_type: Any, error: UserFacingError) -> Any | None:
    """The field's payload with only ``userErrors`` set (None when it has no such payload or
    a required value cannot be left empty)."""
    while hasattr(return_type, "of_type"):
        return_type = return_type.of_type
    definition: Any = (getattr(return_type, "extensions", None) or {}).get(
        "strawberry-definition")
    origin: Any = getattr(definition, "origin", None)
    if not isinstance(origin, type) or not dataclasses.is_dataclass(origin):
        return None
    if "user_errors" not in {f.python_name for f in definition.fields}:
        return None
    values: dict[str, Any] = {}
    for field in definition.fields:
        if field.base_resolver is not None:
            continue
        if field.python_name == "user_errors":
            values["user_errors"] = errors_of(error)
        elif isinstance(field.type, StrawberryOptional):
            values[field.python_name] = None
        elif isinstance(field.type, StrawberryList):
            values[field.python_name] = []
        elif field.type is bool:
            values[field.python_name] = False
        else:
            return None
    payload: Any = origin
    return payload(**values)


class PasswordChangeGate(SchemaExtension):
    """While the caller's password must be changed (or an administrator must still enroll a
    TOTP second factor), every other top-level field answers PASSWORD_CHANGE_REQUIRED (or
    TOTP_ENROLLMENT_REQUIRED) before its resolver runs: a userError where the field returns a
    payload, else a GraphQL error with that code. Deny by default: only the fields above run."""

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any,
                **kwargs: Any) -> Any:
        actor = getattr(info.context, "actor", None)
        error: UserFacingError | None = None
        if info.path.prev is None and actor is not None:
            if actor.must_change_password and info.field_name not in PASSWORD_CHANGE_FIELDS:
                error = password_change_required()
            elif actor.must_enroll_totp and info.field_name not in TOTP_ENROLLMENT_FIELDS:
                error = totp_enrollment_required()
        if error is not None:
            payload = _refused_payload(info.return_type, error)
            if payload is None:
                raise error
            return payload
        return _next(root, info, *args, **kwargs)
