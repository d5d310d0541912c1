"""Failures a client can act on. The schema turns them into typed ``userErrors``.

Codes are stable English; messages are Chinese, for the people who read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID = "INVALID"
    DUPLICATE = "DUPLICATE"
    CONFLICT = "CONFLICT"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    IMPORT_ROW_INVALID = "IMPORT_ROW_INVALID"
    FROZEN = "FROZEN"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    DEADLINE_PASSED = "DEADLINE_PASSED"
    RULE_VIOLATION = "RULE_VIOLATION"
    RATINGS_INCOMPLETE = "RATINGS_INCOMPLETE"  # required raters have not rated (proceed to go on)
    WEAK_PASSWORD = "WEAK_PASSWORD"  # breaks the tenant's password rules (rules.password_policy)
    PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED"  # initial or expired password
    ROLES_INCOMPATIBLE = "ROLES_INCOMPATIBLE"  # 三员分立: two of the three administrators
    SELF_GRANT = "SELF_GRANT"  # a role granted to one's own account
    TOTP_REQUIRED = "TOTP_REQUIRED"  # the account's second factor: a code is needed
    TOTP_INVALID = "TOTP_INVALID"  # a wrong or expired code
    TOTP_ENROLLMENT_REQUIRED = "TOTP_ENROLLMENT_REQUIRED"  # an administrator must enroll first
    NOT_YOUR_TURN = "NOT_YOUR_TURN"  # 逐级审核: the current level belongs to another role
    CHANNEL_OFF = "CHANNEL_OFF"  # a notification channel not turned on in the unit's settings
    OBJECTION_WINDOW_CLOSED = "OBJECTION_WINDOW_CLOSED"  # the publicity period (公示期) is over


@dataclass(frozen=True)
class Problem:
    code: ErrorCode
    message: str
    field: str | None = None
    row: int | None = None
    column: str | None = None
    retry_after_seconds: int | None = None


class UserFacingError(Exception):
    """Raised by a use case; the enclosing savepoint rolls back every change it made."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def fail(code: ErrorCode, message: str, field: str | None = None) -> UserFacingError:
    return UserFacingError(Problem(code, message, field))


def not_found(what: str = "对象") -> UserFacingError:
    # The same answer for a missing id and another tenant's id.
    return fail(ErrorCode.NOT_FOUND, f"未找到该{what}")


def forbidden() -> UserFacingError:
    return fail(ErrorCode.FORBIDDEN, "无权执行此操作")


def totp_enrollment_required() -> UserFacingError:
    # An administrator of a tenant that requires TOTP: enrolling first (and logout, me).
    return fail(ErrorCode.TOTP_ENROLLMENT_REQUIRED,
                "本单位要求管理员使用双因素认证：请先绑定身份验证器（动态验证码）后再使用其他功能")


def password_change_required() -> UserFacingError:
    # Everything but changing the password (and logout, me) while it is initial or expired.
    return fail(ErrorCode.PASSWORD_CHANGE_REQUIRED,
                "请先修改初始密码（或已过期的密码）后再使用其他功能")
