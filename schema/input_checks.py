"""The one check of every argument before a resolver runs: text, lengths, years and dates.

Text may not hold NUL, lone surrogates or control characters other than tab and newline, and is
no longer than the column it goes to (the longest ``String(n)`` column of that name; other text
is capped at ``DEFAULT_MAX_CHARS``). Years and dates must lie in a range that an appraisal can
mean. A failure is a typed ``INVALID`` error naming the field, raised before any database work.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import String
from strawberry.extensions import SchemaExtension

from models import Base
from resolvers.errors import ErrorCode, Problem, UserFacingError

# Text that no column bounds (the ``Text`` bodies): large, but never megabytes.
DEFAULT_MAX_CHARS = 100_000
# Files travel base64-encoded in these; the request body limit bounds them.
UNBOUNDED = frozenset({"content_base64", "contentBase64"})
FIRST_YEAR, LAST_YEAR = 1990, 2100
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2200, 12, 31)

# C0 controls except tab, newline, carriage return; DEL and C1 controls; lone surrogates.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@cache
def column_lengths() -> Mapping[str, int]:
    """The longest ``String(n)`` column of each name, under its snake and camel spelling."""
    lengths: dict[str, int] = {}
    for table in Base.metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, String) and column.type.length:
                for key in (column.name, _camel(column.name)):
                    lengths[key] = max(lengths.get(key, 0), column.type.length)
    return lengths


def _invalid(path: str, message: str) -> UserFacingError:
    return UserFacingError(Problem(ErrorCode.INVALID, f"「{path}」{message}", field=path))


def check_text(path: str, name: str, value: str) -> None:
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        what = "空字符（NUL）" if bad.group() == "\x00" else (
            "无效的 Unicode 代理字符" if "\ud800" <= bad.group() <= "\udfff" else "控制字符")
        raise _invalid(path, f"不能包含{what}")
    if name in UNBOUNDED:
        return
    limit = column_lengths().get(name, DEFAULT_MAX_CHARS)
    if len(value) > limit:
        raise _invalid(path, f"过长：最多 {limit} 个字符，实际 {len(value)} 个")


def check_value(path: str, name: str, value: Any) -> None:
    """Checks one argument value and everything inside it; raises on the first problem."""
    if isinstance(value, str):
        check_text(path, name, value)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int) and name.lower().endswith("year"):
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise _invalid(path, f"须在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间")
    elif isinstance(value, date):
        if not FIRST_DATE <= (value.date() if hasattr(value, "date") else value) <= LAST_DATE:
            raise _invalid(path, f"须在 {FIRST_DATE.year} 至 {LAST_DATE.year} 年之间")
    elif hasattr(value, "read"):
        # An uploaded file: bounded by the body limit, its content by the spreadsheet caps.
        return
    else:
        for key, sub_path, item in _children(path, value):
            check_value(sub_path, key, item)


def _children(path: str, value: Any) -> Iterator[tuple[str, str, Any]]:
    if isinstance(value, Mapping):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        yield from ((path.rsplit(".", 1)[-1], f"{path}[{i + 1}]", v) for i, v in enumerate(value))
        return
    elif hasattr(value, "__dict__"):
        items = vars(value).items()
    else:
        return
    for key, item in items:
        yield key, f"{path}.{_camel(key)}", item


class InputChecks(SchemaExtension):
    """Runs ``check_value`` on the arguments of every field before its resolver."""

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any,
                **kwargs: Any) -> Any:
        check_arguments(kwargs)
        return _next(root, info, *args, **kwargs)


def check_arguments(kwargs: Mapping[str, Any]) -> None:
    """``check_value`` on each of a field's arguments (by their Python names)."""
    for name, value in kwargs.items():
        check_value(_camel(name), name, value)
