"""Password rules (GB/T 22239-2019, 身份鉴别: 口令具有复杂度要求).

A password is accepted when it is at least ``min_length`` characters long, draws from at least
``min_classes`` of the four classes (upper case, lower case, digit, symbol: anything else that
is not a space or a control character counts as a symbol, e.g. ``@`` or ``中``) and, when
``forbid_username`` is on, neither equals nor contains the username (case-insensitive).
The answer lists every rule broken, in Chinese, so the person can fix them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.errors import RuleError
from vocab.accounts import CharClass

MAX_LENGTH = 128  # argon2 accepts more, but nobody types more; bounds the hashing work


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    min_classes: int = 3
    forbid_username: bool = True

    def __post_init__(self) -> None:
        if not 8 <= self.min_length <= 64:
            raise RuleError("密码最小长度须在8到64之间")
        if not 1 <= self.min_classes <= len(CharClass):
            raise RuleError(f"密码须包含的字符种类数须在1到{len(CharClass)}之间")


def char_class(char: str) -> CharClass | None:
    if char.isascii() and char.isupper():
        return CharClass.uppercase
    if char.isascii() and char.islower():
        return CharClass.lowercase
    if char.isdigit():
        return CharClass.digit
    if char.isspace() or not char.isprintable():
        return None
    return CharClass.symbol


def classes_of(password: str) -> frozenset[CharClass]:
    return frozenset(c for c in map(char_class, password) if c is not None)


def password_problems(password: str, username: str, policy: PasswordPolicy) -> list[str]:
    """Every rule the password breaks, in Chinese; empty when it is accepted."""
    problems = []
    if len(password) < policy.min_length:
        problems.append(f"密码长度至少{policy.min_length}位")
    if len(password) > MAX_LENGTH:
        problems.append(f"密码长度不能超过{MAX_LENGTH}位")
    if any(not ch.isprintable() for ch in password):
        problems.append("密码不能包含控制字符")
    have = classes_of(password)
    if len(have) < policy.min_classes:
        missing = "、".join(c.label for c in CharClass if c not in have)
        problems.append(f"密码须至少包含大写字母、小写字母、数字、特殊符号中的{policy.min_classes}种"
                        f"（缺少：{missing}）")
    name = username.strip().casefold()
    if policy.forbid_username and name and name in password.casefold():
        problems.append("密码不能与用户名相同或包含用户名")
    return problems
