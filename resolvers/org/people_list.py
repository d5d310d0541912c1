"""The people lists: the one select behind every list of people (read scope, filter, each
person with its unit and post), paged as rows or built as JSON by PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from sqlalchemy import Select, null, or_

from authz import Permission
from models import OrgUnit, Person, Post
from resolvers.context import Context
from resolvers.json_shape import JsonShape, LineColumns, json_object
from resolvers.org.structure import MAX_PAGE, readable_people
from resolvers.org.tree import units_below
from resolvers.pagination import Page, check_page_size, keyset_json, keyset_rows
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


async def _filtered(ctx: Context, flt: PeopleFilter) -> Select[Person]:
    stmt = readable_people(ctx)
    if flt.unit_id is not None:
        if flt.include_subunits:
            stmt = stmt.where(Person.unit_id.in_(await units_below(ctx, flt.unit_id)))
        else:
            stmt = stmt.where(Person.unit_id == flt.unit_id)
    if flt.search:
        like = f"%{flt.search.strip()}%"
        stmt = stmt.where(or_(Person.name.ilike(like), Person.employee_no.ilike(like)))
    if flt.comparison_group:
        stmt = stmt.where(Person.comparison_group == flt.comparison_group)
    if flt.post_id is not None:
        stmt = stmt.where(Person.post_id == flt.post_id)
    if flt.appraised is not None:
        stmt = stmt.where(Person.appraised.is_(flt.appraised))
    if flt.status:
        stmt = stmt.where(Person.status == flt.status)
    return stmt


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


async def people_lines(ctx: Context, flt: PeopleFilter) -> Select[Any]:
    """The people the caller may read (read scope and filter), one row each with its unit and
    post as ``PEOPLE_LINE_COLUMNS`` names them: the one select behind every people list."""
    people = cast(Select[Any],
                  (await _filtered(ctx, flt)).with_only_columns(*_PERSON_COLUMNS))
    for name, table, columns, permission, link in (
            ("unit", OrgUnit, _UNIT_COLUMNS, Permission.unit_read, Person.unit_id),
            ("post", Post, _POST_COLUMNS, Permission.post_read, Person.post_id)):
        if ctx.can(permission):
            people = people.outerjoin(table, (table.tenant_id == Person.tenant_id)
                                      & (table.id == link)).add_columns(
                *(c.label(f"{name}__{c.key}") for c in columns))
        else:  # same width: nulls, as the loaders answer None
            people = people.add_columns(*(null().label(f"{name}__{c.key}") for c in columns))
    return people


async def list_people(ctx: Context, flt: PeopleFilter, first: int = 50,
                      after: str | None = None) -> Page[PersonLine]:
    """The people the caller may read, by employee number, each with its unit and post, in
    one statement (the total rides along: ``keyset_rows``)."""
    check_page_size(first, MAX_PAGE)
    return await keyset_rows(ctx.session, await people_lines(ctx, flt), Person.employee_no,
                             _person_line, _employee_no, first, after)


async def list_people_json(ctx: Context, flt: PeopleFilter, first: int, after: str | None,
                           shape: JsonShape) -> Page[tuple[str, Any]]:
    """``list_people``'s page with each person built by PostgreSQL as the JSON object of
    ``shape`` (over ``PEOPLE_LINE_COLUMNS``): the same rows, order, cursors and total."""
    check_page_size(first, MAX_PAGE)
    return await keyset_json(ctx.session, await people_lines(ctx, flt), Person.employee_no,
                             partial(json_object, shape), first, after)


def _employee_no(line: PersonLine) -> str:
    return line.employee_no
