"""Ratings (评价): an assigned rater rates a person on each rated indicator and rating dimension
(0..100, at most two decimals, with an optional comment), only while the period is in "评价".

The form shows what the rater rates (the person's rated indicators of the pinned version, the
dimensions the rater's role rates) beside the person's submitted declaration (实绩申报): the
rater sees what the person says they achieved. Only an assigned rater opens the form or saves
it (``Permission.rating_write``, relation ``assigned``, never held to oneself).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select, text

from authz import Permission, Target
from models import (
    Declaration,
    DeclarationItem,
    OrgUnit,
    Period,
    Person,
    RaterAssignment,
    RatingValue,
    SchemeDimension,
    SchemeNode,
)
from resolvers import audit
from resolvers.appraisal.periods import ensure_open, get_period
from resolvers.appraisal.raters import assignments_of
from resolvers.appraisal.scoring import PeriodScheme, load_period_scheme
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, forbidden, not_found
from vocab.periods import PeriodState
from vocab.rating import DeclarationStatus

MAX_COMMENT = 500
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CellInput:
    indicator_id: uuid.UUID
    dimension: str
    value: Decimal
    comment: str = ""


@dataclass
class RatingForm:
    period: Period
    person: Person
    unit_name: str
    assignment: RaterAssignment
    indicators: list[SchemeNode]
    dimensions: list[SchemeDimension]
    values: list[RatingValue]
    declaration: Declaration | None
    items: list[DeclarationItem]


def rating_target(person: Person, assignments: Sequence[RaterAssignment]) -> Target:
    return Target(kind="rating", id=person.id, person_id=person.id, unit_id=person.unit_id,
                  assigned_raters=frozenset(a.rater_id for a in assignments))


async def _my_assignment(ctx: Context, period: Period, person_id: uuid.UUID
                         ) -> tuple[Person, RaterAssignment]:
    """The caller's assignment to rate the person; refused unless assigned (never oneself)."""
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
    if person is None:
        raise not_found("人员")
    assignments = await assignments_of(ctx, period.id, person.id)
    ctx.require(Permission.rating_write, rating_target(person, assignments))
    mine = next((a for a in assignments if a.rater_id == ctx.me.person_id), None)
    if mine is None:  # unreachable after the check; kept for the type
        raise forbidden()
    return person, mine


async def load_forms(ctx: Context, period: Period,
                     pairs: Sequence[tuple[Person, RaterAssignment]],
                     scheme: PeriodScheme) -> list[RatingForm]:
    """The forms of many (person, assignment) pairs in a fixed number of statements (no
    authorization: callers check each pair)."""
    if not pairs:
        return []
    values: dict[uuid.UUID, list[RatingValue]] = defaultdict(list)
    for value in (await ctx.session.scalars(select(RatingValue).where(
            RatingValue.assignment_id.in_([a.id for _, a in pairs])))).all():
        values[value.assignment_id].append(value)
    units: dict[uuid.UUID, str] = {unit_id: name for unit_id, name in (
        await ctx.session.execute(select(OrgUnit.id, OrgUnit.name).where(
            OrgUnit.id.in_({p.unit_id for p, _ in pairs})))).all()}
    declarations = {d.person_id: d for d in (await ctx.session.scalars(
        select(Declaration).where(
            Declaration.period_id == period.id,
            Declaration.person_id.in_([p.id for p, _ in pairs]),
            Declaration.status == DeclarationStatus.submitted))).all()}
    items: dict[uuid.UUID, list[DeclarationItem]] = defaultdict(list)
    if declarations:
        for item in (await ctx.session.scalars(select(DeclarationItem).where(
                DeclarationItem.declaration_id.in_([d.id for d in declarations.values()]))
                .order_by(DeclarationItem.position))).all():
            items[item.declaration_id].append(item)
    forms = []
    for person, assignment in pairs:
        declaration = declarations.get(person.id)
        forms.append(RatingForm(
            period, person, units.get(person.unit_id, ""), assignment,
            scheme.rated_for(person), scheme.dimensions_for(assignment.role),
            values[assignment.id], declaration,
            items[declaration.id] if declaration is not None else []))
    return forms


async def rating_form(ctx: Context, period_id: uuid.UUID, person_id: uuid.UUID) -> RatingForm:
    """The caller's form for one person, with the person's declaration beside it."""
    period = await get_period(ctx, period_id)
    person, assignment = await _my_assignment(ctx, period, person_id)
    scheme = await load_period_scheme(ctx, period)
    return (await load_forms(ctx, period, [(person, assignment)], scheme))[0]


class CellFault(StrEnum):
    """What is wrong with one cell; each caller words it (single form or whole grid)."""

    indicator = "indicator"  # not one of the person's rated indicators
    dimension = "dimension"  # a dimension the rater's role does not rate
    duplicate = "duplicate"  # the same indicator and dimension twice
    value = "value"  # outside 0..100 or more than two decimals
    comment = "comment"  # too long


FAULT_CODES = {CellFault.indicator: ErrorCode.INVALID, CellFault.dimension: ErrorCode.INVALID,
               CellFault.duplicate: ErrorCode.DUPLICATE, CellFault.value: ErrorCode.INVALID,
               CellFault.comment: ErrorCode.LIMIT_EXCEEDED}
FAULT_FIELDS = {CellFault.indicator: ".indicatorId", CellFault.dimension: ".dimension",
                CellFault.duplicate: "", CellFault.value: ".value", CellFault.comment: ".comment"}


def cell_faults(cells: Sequence[CellInput], indicators: dict[uuid.UUID, SchemeNode],
                dimensions: dict[str, SchemeDimension]) -> list[tuple[int, CellFault]]:
    """(cell number, fault) of every faulty cell; a cell with a wrong indicator or dimension
    is not checked further."""
    faults: list[tuple[int, CellFault]] = []
    seen: set[tuple[uuid.UUID, str]] = set()
    for number, cell in enumerate(cells):
        if cell.indicator_id not in indicators:
            faults.append((number, CellFault.indicator))
            continue
        if cell.dimension not in dimensions:
            faults.append((number, CellFault.dimension))
            continue
        if (cell.indicator_id, cell.dimension) in seen:
            faults.append((number, CellFault.duplicate))
        seen.add((cell.indicator_id, cell.dimension))
        if not cell.value.is_finite() or not 0 <= cell.value <= 100 or \
                cell.value != cell.value.quantize(CENT):
            faults.append((number, CellFault.value))
        if len(cell.comment.strip()) > MAX_COMMENT:
            faults.append((number, CellFault.comment))
    return faults


def _check(cells: Sequence[CellInput], indicators: dict[uuid.UUID, SchemeNode],
           dimensions: dict[str, SchemeDimension]) -> None:
    problems = []
    for number, fault in cell_faults(cells, indicators, dimensions):
        cell = cells[number]
        name = indicators[cell.indicator_id].name if cell.indicator_id in indicators else ""
        message = {
            CellFault.indicator: "该指标不在此人的评价指标中",
            CellFault.dimension: f"「{name}」：您不评价维度“{cell.dimension}”",
            CellFault.duplicate: f"「{name}」同一维度重复评分",
            CellFault.value: "评分须在0到100之间，最多保留两位小数",
            CellFault.comment: f"评语不超过{MAX_COMMENT}字",
        }[fault]
        problems.append(Problem(FAULT_CODES[fault], message,
                                f"cells.{number}{FAULT_FIELDS[fault]}"))
    if problems:
        raise UserFacingError(*problems)


INSERT_COLUMNS = ("id", "assignment_id", "version_id", "node_id", "dimension", "value", "comment",
                  "updated_at")
# The tenant is the transaction's (the column's default), as for every insert under RLS.
INSERT_CELLS = text(
    "INSERT INTO ratings (id, assignment_id, version_id, node_id, dimension, value, comment, "
    "updated_at) SELECT * FROM unnest(CAST(:id AS uuid[]), CAST(:assignment_id AS uuid[]), "
    "CAST(:version_id AS uuid[]), CAST(:node_id AS uuid[]), CAST(:dimension AS text[]), "
    "CAST(:value AS numeric[]), CAST(:comment AS text[]), "
    "CAST(:updated_at AS timestamptz[]))")


async def write_cells(ctx: Context, scheme: PeriodScheme,
                      rows: Sequence[tuple[RaterAssignment, Sequence[CellInput]]]) -> None:
    """Upserts checked cells of many assignments (others stay as they are), one audit entry per
    assignment with its cells before and after. New cells go in one bulk insert, so the
    statements do not grow with the cells."""
    by_code = {n.id: n.code for n in scheme.nodes}
    existing: dict[uuid.UUID, dict[tuple[uuid.UUID, str], RatingValue]] = defaultdict(dict)
    for value in (await ctx.session.scalars(select(RatingValue).where(
            RatingValue.assignment_id.in_([a.id for a, _ in rows])).with_for_update())).all():
        existing[value.assignment_id][(value.node_id, value.dimension)] = value

    def key(node_id: uuid.UUID, dimension: str) -> str:
        return f"{by_code.get(node_id, node_id)}/{dimension}"

    new: list[dict[str, Any]] = []
    changes = []
    now = ctx.now()
    for assignment, cells in rows:
        mine = existing[assignment.id]
        before = {key(v.node_id, v.dimension): str(v.value) for v in mine.values()}
        after = dict(before)
        for cell in cells:
            row = mine.get((cell.indicator_id, cell.dimension))
            if row is None:
                new.append({"id": uuid.uuid4(),
                            "assignment_id": assignment.id, "version_id": scheme.version.id,
                            "node_id": cell.indicator_id, "dimension": cell.dimension,
                            "value": cell.value, "comment": cell.comment.strip(),
                            "updated_at": now})
            else:
                row.value, row.comment, row.updated_at = cell.value, cell.comment.strip(), now
            after[key(cell.indicator_id, cell.dimension)] = str(cell.value)
        changes.append((assignment, before, after))
    if new:
        # One statement of column arrays, whatever the number of cells: an executemany sends
        # a statement per cell (and the ``rated`` flag's statement trigger runs per cell), a
        # multi-row VALUES is compiled anew for each number of rows.
        await ctx.session.execute(INSERT_CELLS, {
            column: [cell[column] for cell in new] for column in INSERT_COLUMNS})
    await ctx.session.flush()
    for assignment, before, after in changes:
        audit.record(ctx, "rating.save", "rater_assignment", assignment.id, before, after)


def ensure_rating(period: Period) -> None:
    ensure_open(period)
    if period.state != PeriodState.rating:
        raise fail(ErrorCode.RULE_VIOLATION, f"{period.name}当前不在评价阶段，不能评分")


async def save_ratings(ctx: Context, period_id: uuid.UUID, person_id: uuid.UUID,
                       cells: Sequence[CellInput]) -> RatingForm:
    """Saves the given cells of the caller's form (others stay as they are)."""
    period = await get_period(ctx, period_id)
    ensure_rating(period)
    person, assignment = await _my_assignment(ctx, period, person_id)
    scheme = await load_period_scheme(ctx, period)
    _check(cells, {n.id: n for n in scheme.rated_for(person)},
           {d.code: d for d in scheme.dimensions_for(assignment.role)})
    await write_cells(ctx, scheme, [(assignment, cells)])
    return (await load_forms(ctx, period, [(person, assignment)], scheme))[0]
