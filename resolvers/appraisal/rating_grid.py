"""A rater's whole grid (评价表): everyone the caller must rate in one call, and one save of many
people x indicators x dimensions, all or nothing.

A department head with 30 people makes one call, not 30 (and the query alias limit would stop
batching single saves anyway). The grid is checked whole before anything is written: any faulty
cell, a person the caller does not rate or a person given twice refuses the whole save, with one
error per fault naming the person (name and employee number), the indicator and the dimension.
The checks and the writing are those of a single form (``resolvers.appraisal.ratings``), so the
two ways of saving cannot disagree. Statements do not grow with the number of people.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from authz import Permission
from models import Period, Person, RaterAssignment
from resolvers.appraisal.periods import get_period
from resolvers.appraisal.ratings import (
    FAULT_CODES,
    FAULT_FIELDS,
    MAX_COMMENT,
    CellFault,
    CellInput,
    RatingForm,
    cell_faults,
    ensure_rating,
    load_forms,
    rating_target,
    write_cells,
)
from resolvers.appraisal.scoring import PeriodScheme, load_period_scheme
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail
from vocab.rating import RATER_ROLE_LABELS

MAX_PEOPLE = 500  # one unit's whole grid fits; a bound on one request's work


@dataclass(frozen=True)
class GridRow:
    """The cells of one person in the caller's grid."""

    person_id: uuid.UUID
    cells: Sequence[CellInput]


async def _assigned(ctx: Context, period: Period, person_ids: Sequence[uuid.UUID]
                    ) -> tuple[dict[uuid.UUID, Person], dict[uuid.UUID, RaterAssignment]]:
    """The people found, and the caller's assignment for each person they may rate (the same
    check as a single form: ``Permission.rating_write``, relation ``assigned``). Only the
    caller's own assignments are read: the relation asks whether the caller is among the
    person's raters, which their own assignment answers (an index lookup by rater, however
    many raters the others have)."""
    people = {p.id: p for p in (await ctx.session.scalars(
        select(Person).where(Person.id.in_(person_ids)))).all()}
    found = {a.person_id: a for a in (await ctx.session.scalars(select(RaterAssignment).where(
        RaterAssignment.period_id == period.id,
        RaterAssignment.rater_id == ctx.me.person_id,
        RaterAssignment.person_id.in_(list(people))))).all()}
    mine: dict[uuid.UUID, RaterAssignment] = {}
    for person_id, person in people.items():
        assignment = found.get(person_id)
        if assignment is not None and \
                ctx.can(Permission.rating_write, rating_target(person, [assignment])):
            mine[person_id] = assignment
    return people, mine


def _sorted(forms: list[RatingForm]) -> list[RatingForm]:
    return sorted(forms, key=lambda f: (f.person.employee_no, f.assignment.role))


async def my_forms(ctx: Context, period_id: uuid.UUID) -> list[RatingForm]:
    """The caller's form for everyone they rate in the period (empty when nobody)."""
    period = await get_period(ctx, period_id)
    if ctx.me.person_id is None:
        return []
    person_ids = list((await ctx.session.scalars(select(RaterAssignment.person_id).where(
        RaterAssignment.period_id == period.id,
        RaterAssignment.rater_id == ctx.me.person_id))).all())
    if not person_ids:
        return []
    people, mine = await _assigned(ctx, period, person_ids)
    scheme = await load_period_scheme(ctx, period)
    pairs = [(people[pid], assignment) for pid, assignment in mine.items()]
    return _sorted(await load_forms(ctx, period, pairs, scheme))


def _cell_problems(row_number: int, person: Person, assignment: RaterAssignment,
                   cells: Sequence[CellInput], scheme: PeriodScheme) -> list[Problem]:
    indicators = {n.id: n for n in scheme.rated_for(person)}
    dimensions = {d.code: d for d in scheme.dimensions_for(assignment.role)}
    all_nodes = scheme.node_by_id()
    all_dimensions = {d.code: d.name for d in scheme.dimensions}
    role = RATER_ROLE_LABELS.get(assignment.role, assignment.role)
    reasons = {
        CellFault.indicator: "该指标不在此人的评价指标中",
        CellFault.dimension: f"您以{role}身份评价，不评价此维度",
        CellFault.duplicate: "同一指标维度重复评分",
        CellFault.value: "评分须在0到100之间，最多保留两位小数",
        CellFault.comment: f"评语不超过{MAX_COMMENT}字",
    }
    problems = []
    for number, fault in cell_faults(cells, indicators, dimensions):
        cell = cells[number]
        node = all_nodes.get(cell.indicator_id)
        indicator = node.name if node is not None else "未知指标"
        dimension = all_dimensions.get(cell.dimension, cell.dimension)
        problems.append(Problem(
            FAULT_CODES[fault],
            f"{person.name}（{person.employee_no}）指标「{indicator}」维度「{dimension}」："
            f"{reasons[fault]}",
            f"rows.{row_number}.cells.{number}{FAULT_FIELDS[fault]}", row=row_number))
    return problems


async def save_grid(ctx: Context, period_id: uuid.UUID, rows: Sequence[GridRow]
                    ) -> list[RatingForm]:
    """Saves the given cells of many of the caller's forms; nothing at all when any is wrong.
    Returns the forms of the people saved, as saved."""
    period = await get_period(ctx, period_id)
    scheme = await load_period_scheme(ctx, period)
    pairs = await write_grid(ctx, period, rows, scheme)
    return _sorted(await load_forms(ctx, period, pairs, scheme))


async def write_grid(ctx: Context, period: Period, rows: Sequence[GridRow],
                     scheme: PeriodScheme) -> list[tuple[Person, RaterAssignment]]:
    """``save_grid`` without reading the forms back: the checks and the writing, for a caller
    that holds the period's scheme and needs no answer (the demo's year rates thousands of
    forms). Returns the (person, assignment) pairs written."""
    ensure_rating(period)
    if not rows:
        return []
    if len(rows) > MAX_PEOPLE:
        raise fail(ErrorCode.LIMIT_EXCEEDED, f"一次最多保存{MAX_PEOPLE}人的评分", "rows")
    people, mine = await _assigned(ctx, period, [r.person_id for r in rows])
    problems: list[Problem] = []
    seen: set[uuid.UUID] = set()
    for number, row in enumerate(rows):
        where = f"rows.{number}.personId"
        person = people.get(row.person_id)
        if person is None:
            problems.append(Problem(ErrorCode.NOT_FOUND, "未找到该人员", where, row=number))
        elif row.person_id not in mine:
            problems.append(Problem(ErrorCode.FORBIDDEN, "您不是此人的评价人，不能为其评分",
                                    where, row=number))
        elif row.person_id in seen:
            problems.append(Problem(
                ErrorCode.DUPLICATE,
                f"{person.name}（{person.employee_no}）在本次提交中出现多次，请合并为一行",
                where, row=number))
        else:
            problems += _cell_problems(number, person, mine[row.person_id], row.cells, scheme)
        seen.add(row.person_id)
    if problems:
        raise UserFacingError(*problems)
    await write_cells(ctx, scheme, [(mine[r.person_id], r.cells) for r in rows])
    return [(people[r.person_id], mine[r.person_id]) for r in rows]
