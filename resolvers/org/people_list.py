"""The people lists: the one select behind every list of people (read scope, filter, each
person with its unit and post), paged as rows or built as JSON by PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, null, or_, select
from sqlalchemy.sql.expression import ColumnCollection

from authz import Permission, ReadScope
from authz.scopes import person_rows
from models import OrgUnit, Person, Post
from resolvers.context import Context
from resolvers.json_shape import JsonShape, LineColumns, json_object
from resolvers.org.structure import MAX_PAGE
from resolvers.org.tree import units_below
from resolvers.pagination import (
    JsonPage,
    Page,
    check_page_size,
    kept_statement,
    keyset_json,
    keyset_json_statement,
    keyset_rows,
)
from vocab.org import PersonStatus


@dataclass(frozen=True)
class PeopleFilter:
    unit_id: uuid.UUID | None = None
    include_subunits: bool = True
    search: str | None = None
    comparison_group: str | None = None
    post_id: uuid.UUID | None = None
    appraised: bool | None = None
    status: str | None = PersonStatus.active.value


@dataclass(frozen=True, slots=True)
class UnitLine:
    """A unit as a list row shows it, read as plain columns (not an ORM entity)."""

    id: uuid.UUID
    code: str
    name: str
    kind: str
    sort_order: int
    parent_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class PostLine:
    """A post as a list row shows it, read as plain columns (not an ORM entity)."""

    id: uuid.UUID
    code: str
    name: str
    description: str
    unit_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class PersonLine:
    """A person of a list with what every row shows, read in the list's one statement: the
    unit and post, or ``None`` where the caller may not read units (posts) — exactly what
    ``units_by_ids`` / ``posts_by_ids`` would answer — or the person has no post."""

    id: uuid.UUID
    employee_no: str
    name: str
    gender: str
    rank_title: str
    comparison_group: str
    appraised: bool
    status: str
    unit_id: uuid.UUID
    post_id: uuid.UUID | None
    unit: UnitLine | None
    post: PostLine | None


_PERSON_COLUMNS = (Person.id, Person.employee_no, Person.name, Person.gender, Person.rank_title,
                   Person.comparison_group, Person.appraised, Person.status, Person.unit_id,
                   Person.post_id)
_UNIT_COLUMNS = (OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.sort_order,
                 OrgUnit.parent_id)
_POST_COLUMNS = (Post.id, Post.code, Post.name, Post.description, Post.unit_id)


# The labelled columns of a people list's rows (``people_lines``): the person's own, then the
# unit's and the post's as ``unit__<column>`` / ``post__<column>``.
PEOPLE_LINE_COLUMNS = LineColumns(
    own=tuple(c.key for c in _PERSON_COLUMNS),
    nested={"unit": LineColumns(tuple(c.key for c in _UNIT_COLUMNS)),
            "post": LineColumns(tuple(c.key for c in _POST_COLUMNS))})


def _person_line(row: Any) -> PersonLine:
    """A row of ``people_lines``: the person's columns, the unit's, the post's (nulls where
    the caller may not read units, posts, or the person has no post)."""
    n, u, p = len(_PERSON_COLUMNS), len(_UNIT_COLUMNS), len(_POST_COLUMNS)
    unit = UnitLine(*row[n:n + u]) if row[n] is not None else None
    post = PostLine(*row[n + u:n + u + p]) if row[n + u] is not None else None
    return PersonLine(id=row[0], employee_no=row[1], name=row[2], gender=row[3],
                      rank_title=row[4], comparison_group=row[5], appraised=row[6],
                      status=row[7], unit_id=row[8], post_id=row[9], unit=unit, post=post)


@dataclass(frozen=True)
class PeopleQuery:
    """Everything the people select is built from: the caller's read scope and person, whether
    they may read units and posts, the filter and the units it names (its unit and those under
    it). Equal queries make the same statement, so the JSON page's is kept
    (``pagination.kept_statement``)."""

    scope: ReadScope
    me: uuid.UUID | None
    units: bool
    posts: bool
    flt: PeopleFilter
    below: frozenset[uuid.UUID] | None


async def people_query(ctx: Context, flt: PeopleFilter) -> PeopleQuery:
    below = (await units_below(ctx, flt.unit_id)
             if flt.unit_id is not None and flt.include_subunits else None)
    return PeopleQuery(ctx.authz.read_scope(Permission.person_read), ctx.me.person_id,
                       ctx.can(Permission.unit_read), ctx.can(Permission.post_read), flt, below)


def people_select(query: PeopleQuery) -> Select[Any]:
    """The people ``query`` admits, one row each with its unit and post as
    ``PEOPLE_LINE_COLUMNS`` names them: the one select behind every people list. Built of
    ``query`` alone."""
    flt = query.flt
    people = select(*_PERSON_COLUMNS).where(
        person_rows(query.scope, query.me, Person.id, Person.unit_id))
    if query.below is not None:
        people = people.where(Person.unit_id.in_(query.below))
    elif flt.unit_id is not None:
        people = people.where(Person.unit_id == flt.unit_id)
    if flt.search:
        like = f"%{flt.search.strip()}%"
        people = people.where(or_(Person.name.ilike(like), Person.employee_no.ilike(like)))
    if flt.comparison_group:
        people = people.where(Person.comparison_group == flt.comparison_group)
    if flt.post_id is not None:
        people = people.where(Person.post_id == flt.post_id)
    if flt.appraised is not None:
        people = people.where(Person.appraised.is_(flt.appraised))
    if flt.status:
        people = people.where(Person.status == flt.status)
    for name, table, columns, readable, link in (
            ("unit", OrgUnit, _UNIT_COLUMNS, query.units, Person.unit_id),
            ("post", Post, _POST_COLUMNS, query.posts, Person.post_id)):
        if readable:
            people = people.outerjoin(table, (table.tenant_id == Person.tenant_id)
                                      & (table.id == link)).add_columns(
                *(c.label(f"{name}__{c.key}") for c in columns))
        else:  # same width: nulls, as the loaders answer None
            people = people.add_columns(*(null().label(f"{name}__{c.key}") for c in columns))
    return cast(Select[Any], people)


async def people_lines(ctx: Context, flt: PeopleFilter) -> Select[Any]:
    """The people the caller may read (read scope and filter): ``people_select``."""
    return people_select(await people_query(ctx, flt))


async def list_people(ctx: Context, flt: PeopleFilter, first: int = 50,
                      after: str | None = None) -> Page[PersonLine]:
    """The people the caller may read, by employee number, each with its unit and post, in
    one statement (the total rides along: ``keyset_rows``)."""
    check_page_size(first, MAX_PAGE)
    return await keyset_rows(ctx.session, await people_lines(ctx, flt), Person.employee_no,
                             _person_line, _employee_no, first, after)


# An array of a JSON page: its rows' objects (None), or objects of this shape over the page's
# row (``cursor``, ``node``): a connection's edges.
PageArray = JsonShape | None
def _node(page: ColumnCollection[str, Any]) -> ColumnElement[Any]:
    return cast(ColumnElement[Any], page["node"])


async def list_people_json(ctx: Context, flt: PeopleFilter, first: int, after: str | None,
                           shape: JsonShape, arrays: tuple[PageArray, ...]) -> JsonPage:
    """``list_people``'s page with each person built by PostgreSQL as the JSON object of
    ``shape`` (over ``PEOPLE_LINE_COLUMNS``), as the JSON ``arrays`` of its rows: the same
    rows, order, cursors and total."""
    check_page_size(first, MAX_PAGE)
    query = await people_query(ctx, flt)
    statement = kept_statement(("people", query, shape, arrays, bool(after)), lambda: (
        keyset_json_statement(
            people_select(query), Person.employee_no, partial(json_object, shape),
            [_node if array is None else partial(json_object, array) for array in arrays],
            bool(after))))
    return await keyset_json(ctx.session, statement, first, after)


def _employee_no(line: PersonLine) -> str:
    return line.employee_no
