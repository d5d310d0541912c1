"""Ratings (评价): an assigned rater rates a person on each rated indicator and rating dimension
(0..100, at most two decimals, with an optional comment), only while the period is in "评价".

The form shows what the rater rates (the person's rated indicators of the pinned version, the
dimensions the rater's role rates) beside the person's submitted declaration (实绩申报): the
rater sees what the person says they achieved. Only an assigned rater opens the form or saves
it (``Permission.rating_write``, relation ``assigned``, never held to oneself).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

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


async def _form(ctx: Context, period: Period, person: Person, assignment: RaterAssignment,
                scheme: PeriodScheme) -> RatingForm:
    values = (await ctx.session.scalars(select(RatingValue).where(
        RatingValue.assignment_id == assignment.id))).all()
    unit = await ctx.session.get(OrgUnit, (ctx.me.tenant_id, person.unit_id))
    declaration = await ctx.session.scalar(select(Declaration).where(
        Declaration.period_id == period.id, Declaration.person_id == person.id,
        Declaration.status == DeclarationStatus.submitted))
    items = [] if declaration is None else list((await ctx.session.scalars(
        select(DeclarationItem).where(DeclarationItem.declaration_id == declaration.id)
        .order_by(DeclarationItem.position))).all())
    return RatingForm(period, person, unit.name if unit else "", assignment,
                      scheme.rated_for(person), scheme.dimensions_for(assignment.role),
                      list(values), declaration, items)


async def rating_form(ctx: Context, period_id: uuid.UUID, person_id: uuid.UUID) -> RatingForm:
    """The caller's form for one person, with the person's declaration beside it."""
    period = await get_period(ctx, period_id)
    person, assignment = await _my_assignment(ctx, period, person_id)
    return await _form(ctx, period, person, assignment, await load_period_scheme(ctx, period))


def _check(cells: Sequence[CellInput], indicators: dict[uuid.UUID, SchemeNode],
           dimensions: dict[str, SchemeDimension]) -> None:
    problems = []
    seen: set[tuple[uuid.UUID, str]] = set()
    for number, cell in enumerate(cells):
        where = f"cells.{number}"
        node = indicators.get(cell.indicator_id)
        if node is None:
            problems.append(Problem(ErrorCode.INVALID, "该指标不在此人的评价指标中",
                                    f"{where}.indicatorId"))
            continue
        if cell.dimension not in dimensions:
            problems.append(Problem(ErrorCode.INVALID,
                                    f"「{node.name}」：您不评价维度“{cell.dimension}”",
                                    f"{where}.dimension"))
            continue
        if (cell.indicator_id, cell.dimension) in seen:
            problems.append(Problem(ErrorCode.INVALID, f"「{node.name}」同一维度重复评分", where))
        seen.add((cell.indicator_id, cell.dimension))
        if not cell.value.is_finite() or not 0 <= cell.value <= 100 or \
                cell.value != cell.value.quantize(CENT):
            problems.append(Problem(ErrorCode.INVALID,
                                    "评分须在0到100之间，最多保留两位小数", f"{where}.value"))
        if len(cell.comment.strip()) > MAX_COMMENT:
            problems.append(Problem(ErrorCode.LIMIT_EXCEEDED, f"评语不超过{MAX_COMMENT}字",
                                    f"{where}.comment"))
    if problems:
        raise UserFacingError(*problems)


async def save_ratings(ctx: Context, period_id: uuid.UUID, person_id: uuid.UUID,
                       cells: Sequence[CellInput]) -> RatingForm:
    """Saves the given cells of the caller's form (others stay as they are)."""
    period = await get_period(ctx, period_id)
    ensure_open(period)
    if period.state != PeriodState.rating:
        raise fail(ErrorCode.RULE_VIOLATION, f"{period.name}当前不在评价阶段，不能评分")
    person, assignment = await _my_assignment(ctx, period, person_id)
    scheme = await load_period_scheme(ctx, period)
    indicators = {n.id: n for n in scheme.rated_for(person)}
    dimensions = {d.code: d for d in scheme.dimensions_for(assignment.role)}
    _check(cells, indicators, dimensions)
    existing = {(v.node_id, v.dimension): v for v in (await ctx.session.scalars(
        select(RatingValue).where(RatingValue.assignment_id == assignment.id)
        .with_for_update())).all()}

    def cells_of(values: Sequence[RatingValue]) -> dict[str, str]:
        return {f"{indicators[v.node_id].code if v.node_id in indicators else v.node_id}/"
                f"{v.dimension}": str(v.value) for v in values}

    before = cells_of(list(existing.values()))
    for cell in cells:
        row = existing.get((cell.indicator_id, cell.dimension))
        if row is None:
            row = RatingValue(tenant_id=ctx.me.tenant_id, assignment_id=assignment.id,
                              version_id=scheme.version.id, node_id=cell.indicator_id,
                              dimension=cell.dimension)
            ctx.session.add(row)
            existing[(cell.indicator_id, cell.dimension)] = row
        row.value, row.comment, row.updated_at = cell.value, cell.comment.strip(), ctx.now()
    await ctx.session.flush()
    audit.record(ctx, "rating.save", "rater_assignment", assignment.id, before,
                 cells_of(list(existing.values())))
    return await _form(ctx, period, person, assignment, scheme)
