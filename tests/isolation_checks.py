"""The checks the tenant-isolation cases share: what "finds nothing" looks like."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[dict[str, Any], Any], None]


def value_at(body: dict[str, Any], path: str) -> Any:
    value: Any = body["data"]
    for key in path.split("."):
        value = value[key]
    return value


def nothing(path: str) -> Check:
    """The field is empty: null, an empty list or a zero count."""

    def check(body: dict[str, Any], t: Any) -> None:
        assert value_at(body, path) in (None, [], 0), body

    return check


def none_of_b(path: str, key: str = "id") -> Check:
    """A list (or one object) of the caller's rows: none of tenant B's ids may appear."""

    def check(body: dict[str, Any], t: Any) -> None:
        value = value_at(body, path)
        items = value if isinstance(value, list) else [value] if value else []
        assert not {str(i.get(key)) for i in items} & set(t.ids.values()), body

    return check


def refused(field: str, *codes: str, result: str | None = None) -> Check:
    """The mutation answered with a user error (NOT_FOUND unless other codes are given) and,
    when ``result`` names the payload's object, without it."""
    allowed = codes or ("NOT_FOUND",)

    def check(body: dict[str, Any], t: Any) -> None:
        errors = body["data"][field]["userErrors"]
        assert errors, body
        assert errors[0]["code"] in allowed, body
        if result is not None:
            assert body["data"][field][result] is None, body

    return check
