"""Account security: the character classes of a password and why a session ended."""

from __future__ import annotations

from vocab.labelled import LabelledEnum


class CharClass(LabelledEnum):
    """A class of characters a password draws from (GB/T 22239-2019: 复杂度要求)."""

    uppercase = "uppercase", "大写字母"
    lowercase = "lowercase", "小写字母"
    digit = "digit", "数字"
    symbol = "symbol", "特殊符号"


class SessionEnd(LabelledEnum):
    """Why a login session was revoked (stored on the session row)."""

    logout = "logout", "退出登录"
    password_changed = "password_changed", "修改密码"
    password_reset = "password_reset", "管理员重置密码"
    disabled = "disabled", "账号停用"
