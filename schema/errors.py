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
from schema.enums import labelled_enum

ErrorCode = labelled_enum(DomainErrorCode, "ErrorCode",
                          "稳定的错误代码（英文，供程序判断；中文说明见 message）", {
    "UNAUTHENTICATED": "未登录或会话已失效",
    "FORBIDDEN": "无权进行此操作或查看此数据",
    "NOT_FOUND": "对象不存在（或不在本单位）",
    "INVALID": "输入不符合要求",
    "DUPLICATE": "记录重复（编号或名称已存在）",
    "CONFLICT": "与当前状态冲突（例如已被他人修改或阶段不对）",
    "TOO_MANY_ATTEMPTS": "尝试次数过多，稍后再试（见 retryAfterSeconds）",
    "INVALID_CREDENTIALS": "单位代码、用户名或密码错误",
    "IMPORT_ROW_INVALID": "导入文件的某行有误（见 row、column）",
    "FROZEN": "数据已冻结（周期已关闭或版本已发布）",
    "LIMIT_EXCEEDED": "超出数量或长度限制",
    "DEADLINE_PASSED": "已过截止时间",
    "RULE_VIOLATION": "违反考核规则（如名额、入围择优）",
    "RATINGS_INCOMPLETE": "须评价的评价主体尚未评完（可选择继续）",
    "WEAK_PASSWORD": "密码不符合本单位的密码规则",
    "PASSWORD_CHANGE_REQUIRED": "须先修改初始或过期密码",
    "ROLES_INCOMPATIBLE": "三员分立：系统、安全、审计管理员不得兼任",
    "SELF_GRANT": "不能给自己的账号授予角色",
    "TOTP_REQUIRED": "须输入动态验证码（第二因素）",
    "TOTP_INVALID": "动态验证码错误或已过期",
    "TOTP_ENROLLMENT_REQUIRED": "管理员须先绑定动态验证码",
    "NOT_YOUR_TURN": "逐级审核：当前级别应由其他角色审核（见 message）",
    "CHANNEL_OFF": "通知渠道未在单位设置中启用",
    "OBJECTION_WINDOW_CLOSED": "公示期已结束，不能再提出异议",
})

T = TypeVar("T")


@strawberry.type(description="调用方可处理的错误：稳定的错误代码和中文说明（可直接展示给用户）")
class UserError:
    code: ErrorCode = strawberry.field(  # type: ignore[valid-type]
        description="稳定的错误代码，供程序判断")
    message: str = strawberry.field(description="中文错误说明，可直接展示给用户")
    field: str | None = strawberry.field(
        default=None, description="出错的输入字段（如 input.name）；与具体字段无关时为 null")
    row: int | None = strawberry.field(
        default=None, description="导入文件中出错的行号（从 1 起，含表头）；非导入错误为 null")
    column: str | None = strawberry.field(
        default=None, description="导入文件中出错的列名；非导入错误为 null")
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="须等待多少秒后再试（登录失败过多时）；其他错误为 null")

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
