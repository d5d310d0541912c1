"""Typed errors: every mutation returns ``userErrors`` instead of failing the request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from sqlalchemy.exc import DBAPIError
from strawberry.types import Info

from resolvers.errors import ErrorCode as DomainErrorCode
from resolvers.errors import Problem, UserFacingError, fail
from schema.context import GraphQLContext

ErrorCode = strawberry.enum(DomainErrorCode, name="ErrorCode",
                            description="Stable machine-readable error codes.")

T = TypeVar("T")


@strawberry.type(description="A failure the caller can act on; the message is in Chinese.")
class UserError:
    code: ErrorCode  # type: ignore[valid-type]
    message: str
    field: str | None = None
    row: int | None = None
    column: str | None = None
    retry_after_seconds: int | None = None

    @classmethod
    def of(cls, problem: Problem) -> UserError:
        return cls(code=problem.code, message=problem.message, field=problem.field,
                   row=problem.row, column=problem.column,
                   retry_after_seconds=problem.retry_after_seconds)


def errors_of(exc: UserFacingError) -> list[UserError]:
    return [UserError.of(p) for p in exc.problems]


async def attempt(info: Info[GraphQLContext, None],
                  action: Callable[[], Awaitable[T]]) -> tuple[T | None, list[UserError]]:
    """Run one use case in a savepoint: a user-facing failure undoes everything it wrote."""
    session = info.context.session
    queued = len(info.context.after_commit)
    try:
        async with session.begin_nested():
            value = await action()
        return value, []
    except UserFacingError as exc:
        # Jobs queued by the undone writes must not run either.
        del info.context.after_commit[queued:]
        return None, errors_of(exc)
    except DBAPIError as exc:
        # The savepoint is undone; a value the database refuses is the caller's to fix.
        refused = _refused(exc)
        if refused is None:
            raise
        del info.context.after_commit[queued:]
        return None, errors_of(refused)


def _refused(exc: DBAPIError) -> UserFacingError | None:
    """A unique or data error the caller caused, in words; None for anything else."""
    state = getattr(exc.orig, "sqlstate", None) or ""
    if state == "23505":  # unique_violation: e.g. the same externalId sent twice
        return fail(DomainErrorCode.DUPLICATE, "该记录已存在（编号或名称重复），请勿重复提交")
    if state.startswith("22"):  # data_exception: too long, out of range, bad format
        return fail(DomainErrorCode.INVALID, "输入的值不符合要求（过长、超出范围或格式有误）")
    return None
