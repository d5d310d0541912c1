"""Rows built as JSON by PostgreSQL, in the shape a client asked for.

A list that reads hundreds of rows answers far faster when PostgreSQL writes each row as the
JSON object the client will receive than when the rows are read and then turned into that
object field by field. A ``JsonShape`` says which object: its keys in the client's order, each
a column of the list's rows (``LineColumns`` names those), a constant (a type's name), an
object read with the row (a person's unit), which is null when the row has none, or a list
that belongs to the row (a declaration's items), each element an object of its own shape.

A column holds its value as the API writes it: a decimal or an instant as the text GraphQL
sends (``decimal_text``, ``instant_text``), a list of strings as a JSON array.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Text, case, cast, func, literal_column, null
from sqlalchemy.orm import InstrumentedAttribute
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
    lists: Mapping[str, ListSource] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class ListSource:
    """A list that belongs to a row: its elements' columns, and ``build``, which makes the
    JSON array (a subquery correlated to the row) of a function making an element's object of
    the elements' labelled columns. One object per list (a constant): equal when the same, so
    a shape holding it can be a key."""

    columns: LineColumns
    build: Callable[[Callable[[ColumnCollection[str, Any]], ColumnElement[Any]]],
                    ColumnElement[Any]]


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


@dataclass(frozen=True)
class ListOf:
    """A list that belongs to the row (``LineColumns.lists``), each element of ``shape``."""

    source: ListSource
    shape: JsonShape


# (response key, part) pairs in the order the client asked for them.
JsonShape = tuple[tuple[str, "Column | Constant | Nested | ListOf"], ...]


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
        elif isinstance(part, ListOf):
            args.append(part.source.build(partial(json_object, part.shape)))
        else:
            args.append(case((columns[part.present].is_(None), null()),
                             else_=json_object(part.shape, columns)))
    return func.json_build_object(*args)


def used_labels(shape: JsonShape) -> frozenset[str]:
    """The row's columns ``shape`` reads: a list selects only these (building a column costs
    more than reading it)."""
    used: set[str] = set()
    for _, part in shape:
        if isinstance(part, Column):
            used.add(part.label)
        elif isinstance(part, Nested):
            used |= {part.present, *used_labels(part.shape)}
    return frozenset(used)


def decimal_text(value: ColumnElement[Any] | InstrumentedAttribute[Any]) -> ColumnElement[str]:
    """A numeric as GraphQL's ``Decimal`` writes a stored value: without the column's trailing
    zeros (83.2200 -> "83.22", 80.0000 -> "80"; ``schema.types.ratings.plain``)."""
    return cast(func.trim_scale(value), Text)


def instant_text(value: ColumnElement[Any] | InstrumentedAttribute[Any]) -> ColumnElement[str]:
    """A timestamp as GraphQL's ``DateTime`` writes what the driver reads (Python's
    ``isoformat``: microseconds only when there are any, the offset of the session's zone)."""
    fraction = case((func.extract("microseconds", value) % 1000000 != 0,
                     func.to_char(value, ".US")), else_="")
    return func.to_char(value, 'YYYY-MM-DD"T"HH24:MI:SS').op("||")(fraction).op("||")(
        func.to_char(value, "TZH:TZM"))


def _name(name: str) -> ColumnElement[str]:
    """A key or a type's name as SQL text. Written into the statement rather than bound: a
    bound value costs several times more to build, and a shape's statement is compiled once
    (SQLAlchemy's cache) whatever the request."""
    if not NAME.fullmatch(name):
        raise ValueError(f"not a GraphQL name: {name!r}")
    return literal_column(f"'{name}'::text")
