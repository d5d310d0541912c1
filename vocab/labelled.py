"""A ``StrEnum`` whose members carry a Chinese label: ``good = "good", "好"``."""

from __future__ import annotations

from enum import StrEnum
from typing import Self, TypeVar


class LabelledEnum(StrEnum):
    """The value is what is stored and sent; ``label`` is what a person reads."""

    label: str

    # ``label`` has a default only for the type checker, which reads ``Kind("value")`` (a look-up
    # by value) as a call of ``__new__``; tests/test_vocabulary.py checks every member has one.
    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


E = TypeVar("E", bound=LabelledEnum)


def labels(enum: type[E]) -> dict[E, str]:
    """The members' labels in declaration order, for code that looks labels up by value."""
    return {member: member.label for member in enum}
