"""Rows built as JSON by PostgreSQL, in the shape a client asked for.

A list that reads hundreds of rows answers far faster when PostgreSQL writes each row as the
JSON object the client will receive than when the rows are read and then turned into that
object field by field. A ``JsonShape`` says which object: its keys in the client's order, each
a column of the list's rows (``LineColumns`` names those), a constant (a type's name), or an
object read with the row (a person's unit), which is null when the row has none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal_column, null
from sqlalchemy.sql.expression import ColumnCollection

# json_build_object takes at most 100 arguments: 50 keys with their values.
MAX_KEYS = 50
# A GraphQL name (the spec's rule): safe to write into SQL between quotes.
NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


@dataclass(frozen=True)
class LineColumns:
    """The labelled columns of a list's rows: its own, and for each object read with a row
    (by name) that object's columns, labelled ``<name>__<column>``; the object is absent
    when its ``id`` is null."""

    own: tuple[str, ...]
    nested: Mapping[str, LineColumns] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    label: str


@dataclass(frozen=True)
class Constant:
    value: str


@dataclass(frozen=True)
class Nested:
    """An object read with the row: null when the column ``present`` is null."""

    present: str
    shape: JsonShape


# (response key, part) pairs in the order the client asked for them.
JsonShape = tuple[tuple[str, "Column | Constant | Nested"], ...]


def json_object(shape: JsonShape,
                columns: ColumnCollection[str, Any]) -> ColumnElement[Any]:
    """The JSON object of ``shape`` over a row's labelled ``columns``."""
    if len(shape) > MAX_KEYS:
        raise ValueError(f"a JSON object of at most {MAX_KEYS} keys")
    args: list[ColumnElement[Any]] = []
    for key, part in shape:
        args.append(_name(key))
        if isinstance(part, Column):
            args.append(columns[part.label])
        elif isinstance(part, Constant):
            args.append(_name(part.value))
        else:
            args.append(case((columns[part.present].is_(None), null()),
                             else_=json_object(part.shape, columns)))
    return func.json_build_object(*args)


def _name(name: str) -> ColumnElement[str]:
    """A key or a type's name as SQL text. Written into the statement rather than bound: a
    bound value costs several times more to build, and a shape's statement is compiled once
    (SQLAlchemy's cache) whatever the request."""
    if not NAME.fullmatch(name):
        raise ValueError(f"not a GraphQL name: {name!r}")
    return literal_column(f"'{name}'::text")
